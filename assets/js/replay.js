// The replay page: plays a recording (docs/recording.md) with the
// terminal in xterm.js and the views as they were at each moment. The
// views are rendered by the simulator's wasm (nslabSim.openRecording),
// with the components the live views use, from the recording's state
// timeline; this script only keeps time, feeds the terminal its output
// and swaps the views in. It needs no server: an exported site replays
// offline.
import { Terminal } from "../dist/xterm.mjs";
import { SimTransport } from "./transport.js";
import { swapViews } from "./views.js";

const viewsEl = document.getElementById("views");
const statusEl = document.getElementById("conn");
const messagesEl = document.getElementById("messages");
const fileEl = document.getElementById("replay-file");
const playBtn = document.getElementById("replay-play");
const seekEl = document.getElementById("replay-seek");
const timeEl = document.getElementById("replay-time");
const speedEl = document.getElementById("replay-speed");

/** How often the clock moves while playing. */
const TICK_MS = 40;

const term = new Terminal({
  fontSize: 15,
  fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
  scrollback: 5000,
  disableStdin: true,
  cursorBlink: false,
  theme: { background: "#0b1020", foreground: "#e6e9ef", cursor: "#ffcc66", selectionBackground: "#3a4a6b" },
});
term.open(document.getElementById("term-0"));

// The recording being played: its size, its terminal events ("o" and "r",
// in order) and the wasm's handle on its state timeline.
let rec = null;
let pos = 0; // seconds into the recording
let written = 0; // rec.term[0 … written) are on the screen
let playing = false;
let speed = 1;
let lastTick = 0;
let timer = 0;
let shownState = -2; // the state event whose views are shown
let selected = "";

function message(text, kind = "error") {
  const div = document.createElement("div");
  div.className = "message " + kind;
  div.textContent = text;
  messagesEl.replaceChildren(div);
}

function status(text, state) {
  statusEl.textContent = text;
  statusEl.dataset.state = state;
}

// The renderer is the simulator's wasm; it starts loading with the page
// (the page preloads it) and a recording waits for it.
const renderer = new SimTransport({}, new URL("../dist/", import.meta.url).href).load().then(
  () => globalThis.nslabSim,
  (err) => {
    status("no player", "no");
    message(`The views cannot be replayed: ${err.message}`);
    throw err;
  },
);
renderer.then(() => {
  if (!rec) status("open a recording", "idle");
}, () => {});

/** parseTerminal reads the terminal's part of a recording: asciicast v2. */
function parseTerminal(text) {
  const nl = text.indexOf("\n");
  let header;
  try {
    header = JSON.parse(nl < 0 ? text : text.slice(0, nl));
  } catch {
    throw new Error("its first line is not an asciicast header");
  }
  if (header?.version !== 2) throw new Error(`asciicast version ${header?.version}: only version 2 is played`);
  const events = [];
  for (const line of text.slice(nl + 1).split("\n")) {
    if (line[0] !== "[") continue;
    const ev = JSON.parse(line);
    if (ev[1] === "o" || ev[1] === "r") events.push(ev);
  }
  return { width: header.width, height: header.height, title: header.title || "", term: events };
}

/** open plays text, a recording named name. */
async function open(text, name) {
  pause();
  let parsed;
  let timeline;
  try {
    parsed = parseTerminal(text);
    const sim = await renderer;
    timeline = sim.openRecording(text);
    if (timeline.error) throw new Error(timeline.error);
  } catch (err) {
    message(`${name} is not a recording nslab can play: ${err.message}`);
    return false;
  }
  messagesEl.replaceChildren();
  rec = { ...parsed, timeline, states: Array.from(timeline.states), duration: timeline.duration };
  for (const [t, label] of Array.from(timeline.markers)) {
    message(`At ${clock(t)}: ${label}`, "info");
  }
  seekEl.max = String(rec.duration);
  seekEl.disabled = false;
  playBtn.disabled = false;
  status(`${name}${rec.title ? " — " + rec.title : ""}`, "ready");
  shownState = -2;
  seek(0);
  return true;
}

function resetTerminal() {
  term.reset();
  term.resize(rec.width, rec.height);
  written = 0;
}

/** show brings the terminal and the views to time t. */
function show(t) {
  if (!rec) return;
  t = Math.max(0, Math.min(t, rec.duration));
  if (written > 0 && rec.term[written - 1][0] > t) resetTerminal();
  let chunk = "";
  while (written < rec.term.length && rec.term[written][0] <= t) {
    const [, type, data] = rec.term[written++];
    if (type === "o") {
      chunk += data;
      continue;
    }
    if (chunk) term.write(chunk);
    chunk = "";
    const [cols, rows] = String(data).split("x").map(Number);
    if (cols > 0 && rows > 0) term.resize(cols, rows);
  }
  if (chunk) term.write(chunk);
  const i = stateIndex(t);
  if (i !== shownState) renderViews(i);
  pos = t;
  seekEl.value = String(t);
  timeEl.textContent = `${clock(t)} / ${clock(rec.duration)}`;
}

/** stateIndex is the last state event at or before t, -1 before the first. */
function stateIndex(t) {
  let lo = 0;
  let hi = rec.states.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (rec.states[m] <= t) lo = m + 1;
    else hi = m;
  }
  return lo - 1;
}

function renderViews(i) {
  shownState = i;
  swapViews(viewsEl, rec.timeline.views(i, selected));
  viewsEl.dataset.state = String(i);
}

function clock(t) {
  const s = Math.floor(t);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function seek(t) {
  show(t);
}

function play() {
  if (!rec || playing) return;
  if (pos >= rec.duration) seek(0);
  playing = true;
  playBtn.textContent = "Pause";
  lastTick = performance.now();
  timer = setTimeout(tick, TICK_MS);
}

function pause() {
  playing = false;
  clearTimeout(timer);
  playBtn.textContent = "Play";
}

function tick() {
  if (!playing) return;
  const now = performance.now();
  const t = pos + ((now - lastTick) / 1000) * speed;
  lastTick = now;
  show(t);
  if (pos >= rec.duration) {
    pause();
    return;
  }
  timer = setTimeout(tick, TICK_MS);
}

function setSpeed(s) {
  if (!(s > 0)) return;
  speed = s;
  speedEl.value = String(s);
}

playBtn.addEventListener("click", () => (playing ? pause() : play()));
seekEl.addEventListener("input", () => seek(Number(seekEl.value)));
speedEl.addEventListener("change", () => setSpeed(Number(speedEl.value)));
fileEl.addEventListener("change", async () => {
  const f = fileEl.files?.[0];
  if (f) await open(await f.text(), f.name);
});
document.addEventListener("keydown", (ev) => {
  if (!rec || ev.target instanceof HTMLInputElement && ev.target.type !== "range" || ev.target instanceof HTMLSelectElement) return;
  if (ev.key === " ") {
    ev.preventDefault();
    playing ? pause() : play();
  } else if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
    ev.preventDefault();
    seek(pos + (ev.key === "ArrowLeft" ? -5 : 5));
  }
});
// A recording dropped on the page plays too.
document.addEventListener("dragover", (ev) => ev.preventDefault());
document.addEventListener("drop", async (ev) => {
  const f = ev.dataTransfer?.files?.[0];
  if (!f) return;
  ev.preventDefault();
  await open(await f.text(), f.name);
});
// Picking a container in the views shows it, as on the lab page.
viewsEl.addEventListener("click", (ev) => {
  const el = ev.target.closest("[data-set]");
  if (!el || !rec) return;
  selected = el.dataset.set;
  renderViews(shownState);
});

// ?src=URL plays the recording at URL (relative to the page), so a link
// can open a recorded demo; ?speed=N sets the speed.
async function fromAddress() {
  const q = new URLSearchParams(location.search);
  if (q.get("speed")) setSpeed(Number(q.get("speed")));
  const src = q.get("src");
  if (!src) return false;
  status("loading the recording…", "loading");
  try {
    const res = await fetch(new URL(src, location.href));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return await open(await res.text(), decodeURIComponent(src.split("/").pop() || src));
  } catch (err) {
    status("no recording", "no");
    message(`Could not load the recording ${src}: ${err.message}`);
    return false;
  }
}
const loaded = fromAddress();

// For people and browser tests poking at the page.
window.nslabReplay = {
  ready: () => renderer.then(() => loaded),
  open,
  play,
  pause,
  seek,
  setSpeed,
  position: () => pos,
  // The position and the page's time (performance.now) it stands for:
  // the clock moves only at its ticks, so a rate is measured between two.
  clock: () => ({ position: pos, at: lastTick }),
  duration: () => rec?.duration ?? 0,
  playing: () => playing,
  speed: () => speed,
  stateIndex: () => shownState,
  termText: () => {
    const buf = term.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n").replace(/\n+$/, "");
  },
};
