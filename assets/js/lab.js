// The lab page: terminals into the lab host beside the views. It wires
// xterm.js to a transport (a websocket to the server, or the simulator)
// and swaps in the views the server renders; it decides nothing about
// what the views show.
import { Terminal } from "../dist/xterm.mjs";
import { FitAddon } from "../dist/addon-fit.mjs";
import { SimTransport, WebSocketTransport } from "./transport.js";
import { swapViews } from "./views.js";
import { Lesson } from "./lesson.js";
import { Restorer } from "./restore.js";
import { embedFromLocation } from "./embed.js";
import { Share } from "./share.js";
import { Presenter } from "./presenter.js";
import { downloadRecording } from "./record.js";

const root = document.getElementById("lab");
const mode = root.dataset.mode;
const labID = root.dataset.lab;
const viewsEl = document.getElementById("views");
const connEl = document.getElementById("conn");
const messagesEl = document.getElementById("messages");
const addTermBtn = document.getElementById("add-term");
const loadingEl = document.getElementById("loading");
const lessonPane = document.getElementById("lesson-pane");
// In another site's frame (?embed=1): no chrome, and a postMessage API.
const embed = embedFromLocation();

// Browsers may refuse storage (privacy settings, some embedded frames);
// the page then works without remembering anything.
// (Even reading window.localStorage may throw, hence the names.)
function load(storage, key) {
  try {
    return window[storage].getItem(key);
  } catch {
    return null;
  }
}

function save(storage, key, value) {
  try {
    if (value === null) window[storage].removeItem(key);
    else window[storage].setItem(key, value);
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

// Text size, one knob for terminals and views, kept across visits: a
// speaker sets it once for the projector.
const FONT_KEY = "nslab.fontSize";
const FONT_MIN = 10;
const FONT_MAX = 40;
let fontSize = clampFont(Number(load("localStorage", FONT_KEY)) || 17);

function clampFont(n) {
  return Math.min(FONT_MAX, Math.max(FONT_MIN, Math.round(n)));
}

function setFontSize(n) {
  fontSize = clampFont(n);
  save("localStorage", FONT_KEY, String(fontSize));
  document.documentElement.style.setProperty("font-size", `${fontSize + 1}px`);
  for (const p of panes) {
    if (!p) continue;
    p.term.options.fontSize = fontSize;
    presenter.adopt(p.term); // presenter mode keeps its own size
    p.refit();
  }
}

/** Output bytes processed by xterm are acknowledged at least this often. */
const ACK_BYTES = 16 * 1024;
const ACK_DELAY_MS = 20;

// For people and browser tests poking at the page: the terminals' text
// and how long the first prompt took.
const metrics = {};
window.nslab = {
  metrics,
  termText: (n) => panes[n]?.text() ?? "",
  cursor: (n) => panes[n]?.cursor() ?? null,
  size: (n) => (panes[n] ? { rows: panes[n].term.rows, cols: panes[n].term.cols } : null),
  fontSize: () => fontSize,
  termFontSize: (n) => panes[n]?.term.options.fontSize ?? null,
  // Drops the connection as a network hiccup would; the page reconnects.
  dropConnection: () => transport?.ws?.close(),
  selected: () => selected,
};

let selected = "";
let ended = false;
// firstPrompt resolves once the first terminal's first prompt has been
// drawn (promptShown), or a second after its first output.
let promptShown;
const firstPrompt = new Promise((resolve) => { promptShown = resolve; });
const panes = [];
let transport;
let share = null; // the owner's audience controls, live labs only

function message(text, kind = "error") {
  const div = document.createElement("div");
  div.className = "message " + kind;
  div.textContent = text;
  messagesEl.append(div);
  while (messagesEl.children.length > 3) messagesEl.firstElementChild.remove();
}

function status(text) {
  connEl.textContent = text;
  connEl.dataset.state = text.split(" ")[0];
}

// The simulator's loading, shown over the first terminal until its first
// prompt: the wasm's download (a bar, and bytes when the total is known),
// its compilation, then the simulator's start. data-phase says which
// (download, compile, start, done, failed), for people and tests.
const MB = 1e6;
const loadingText = {
  compile: "Compiling the simulator…",
  start: "Starting the simulator…",
};

function showProgress({ phase, loaded, total }) {
  if (!loadingEl || loadingEl.dataset.phase === "done") return;
  const now = Math.round(performance.now());
  if (phase === "download") metrics.wasmResponseMs ??= now;
  if (phase === "compile") metrics.wasmLoadedMs ??= now;
  if (phase === "start") {
    metrics.wasmLoadedMs ??= now;
    metrics.wasmCompiledMs ??= now;
  }
  if (loadingEl.dataset.phase !== phase) status(phase === "start" ? "starting…" : "loading…");
  loadingEl.dataset.phase = phase;
  const bar = loadingEl.querySelector("progress");
  const text = loadingEl.querySelector(".loading-text");
  if (phase !== "download") {
    bar.value = 1;
    text.textContent = loadingText[phase];
    return;
  }
  if (total > 0) {
    // A size the page was told may be off by a build; never claim 100%
    // before the last byte.
    const f = Math.min(loaded / total, 0.99);
    bar.value = f;
    text.textContent = `Downloading the simulator: ${(loaded / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB (${Math.floor(f * 100)}%)`;
  } else {
    bar.removeAttribute("value"); // indeterminate
    text.textContent = `Downloading the simulator: ${(loaded / MB).toFixed(1)} MB`;
  }
}

function endProgress(phase) {
  if (!loadingEl || loadingEl.dataset.phase === "done") return;
  loadingEl.dataset.phase = phase;
  loadingEl.hidden = true;
}

// hasWebGL2 checks before the WebGL renderer is even downloaded; without
// it (or when it fails) xterm's DOM renderer is used, silently.
function hasWebGL2() {
  try {
    return !!document.createElement("canvas").getContext("webgl2");
  } catch {
    return false;
  }
}

// The WebGL renderer draws faster once running, but starting it (even the
// check above makes a context) holds the main thread for tens of
// milliseconds, far more on a machine without a GPU. The first prompt
// does not wait for it: the DOM renderer draws it, and the terminals
// switch to WebGL once it is on screen (or after WEBGL_AT_THE_LATEST_MS).
const WEBGL_AT_THE_LATEST_MS = 2000;
let webgl = null; // the addon's module, once wanted
function enableWebGL() {
  if (webgl) return;
  webgl = hasWebGL2() ? import("../dist/addon-webgl.mjs").catch(() => null) : Promise.resolve(null);
  for (const p of panes) p?.useWebGL();
}
setTimeout(enableWebGL, WEBGL_AT_THE_LATEST_MS);

class Pane {
  constructor(n) {
    this.n = n;
    this.el = document.querySelector(`.term-pane[data-term="${n}"]`);
    this.state = "closed"; // closed → opening → open → exited
    this.wanted = false; // whether it should be open when connected
    this.unacked = 0;
    this.ackTimer = 0;
    this.term = new Terminal({
      fontSize,
      fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
      cursorBlink: true,
      scrollback: 5000,
      theme: { background: "#0b1020", foreground: "#e6e9ef", cursor: "#ffcc66", selectionBackground: "#3a4a6b" },
    });
    // Line feeds so far: a position in the output that keeps growing even
    // when the scrollback is full (the cursor's row then stands still).
    this.lineFeeds = 0;
    this.lastOutput = 0; // when output last came, for typing a lesson's lines
    this.term.onLineFeed(() => this.lineFeeds++);
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open(this.el.querySelector(".term"));
    if (webgl) this.useWebGL();
    presenter.adopt(this.term);
    const enc = new TextEncoder();
    this.term.onData((s) => {
      if (this.state === "exited") {
        if (s.includes("\r")) this.open(true);
        return;
      }
      if (this.state === "open") transport.sendInput(this.n, enc.encode(s));
    });
    this.term.onBinary((s) => {
      if (this.state !== "open") return;
      const b = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
      transport.sendInput(this.n, b);
    });
    // The server takes resizes only for a terminal it has opened on this
    // connection; a resize while opening is sent once "opened" arrives.
    this.term.onResize(() => {
      if (this.state === "open") this.sendSize();
    });
  }

  useWebGL() {
    if (this.webgl) return;
    this.webgl = true;
    webgl.then((m) => {
      if (!m) return;
      try {
        const addon = new m.WebglAddon();
        addon.onContextLoss(() => addon.dispose());
        this.term.loadAddon(addon);
      } catch {
        // No WebGL after all: the DOM renderer stays.
      }
    });
  }

  /** Ask the lab for this terminal; fresh clears the screen first (the server replays recent output). */
  open(fresh) {
    this.wanted = true;
    this.state = "opening";
    if (fresh) this.term.reset();
    this.refit();
    this.unacked = 0;
    clearTimeout(this.ackTimer);
    this.ackTimer = 0;
    this.sent = { rows: this.term.rows, cols: this.term.cols };
    transport.send({ type: "open", term: this.n, ...this.sent });
  }

  opened() {
    this.state = "open";
    if (this.sent.rows !== this.term.rows || this.sent.cols !== this.term.cols) this.sendSize();
  }

  sendSize() {
    this.sent = { rows: this.term.rows, cols: this.term.cols };
    transport.send({ type: "resize", term: this.n, ...this.sent });
  }

  close() {
    this.wanted = false;
    this.state = "closed";
    transport.send({ type: "close", term: this.n });
  }

  refit() {
    if (this.el.hidden) return;
    try {
      this.fit.fit();
    } catch {
      // Not laid out yet; the next resize fits it.
    }
  }

  output(bytes) {
    // Every frame arrives in a buffer of its own, so xterm may keep it.
    const n = bytes.length;
    this.lastOutput = performance.now();
    this.term.write(bytes, () => {
      this.unacked += n;
      this.scheduleAck();
      if (this.n === 0) endProgress("done"); // the shell speaks: loaded
      if (this.n === 0 && metrics.promptMs === undefined) this.checkPrompt();
    });
  }

  // Acknowledge what xterm has drawn, so the server keeps sending: it
  // pauses the PTY while too much is unacknowledged, which is what keeps
  // `yes` from flooding the browser and Ctrl-C prompt.
  scheduleAck() {
    if (this.unacked >= ACK_BYTES) {
      this.flushAck();
    } else if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => this.flushAck(), ACK_DELAY_MS);
    }
  }

  flushAck() {
    clearTimeout(this.ackTimer);
    this.ackTimer = 0;
    if (this.unacked > 0) {
      transport.send({ type: "ack", term: this.n, bytes: this.unacked });
      this.unacked = 0;
    }
  }

  checkPrompt() {
    const buf = this.term.buffer.active;
    const line = buf.getLine(buf.baseY + buf.cursorY)?.translateToString(true) ?? "";
    if (!/[#$>%]\s*$/.test(line)) return;
    metrics.promptMs = -1; // found; measured after the next paint
    requestAnimationFrame(() => {
      const now = performance.timeOrigin + performance.now();
      metrics.pageToPromptMs = Math.round(performance.now());
      promptShown();
      const clickedAt = Number(load("sessionStorage", "nslab.clickedAt"));
      save("sessionStorage", "nslab.clickedAt", null);
      metrics.promptMs = clickedAt > 0 ? Math.round(now - clickedAt) : null;
      console.info("nslab: first prompt", metrics);
      enableWebGL();
    });
  }

  /** cursor is the cursor's absolute row, the line feeds so far and the text of the cursor's line. */
  cursor() {
    const buf = this.term.buffer.active;
    const row = buf.baseY + buf.cursorY;
    return { row, feeds: this.lineFeeds, line: buf.getLine(row)?.translateToString(true) ?? "" };
  }

  text() {
    const buf = this.term.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n").replace(/\n+$/, "");
  }
}

function handle(msg) {
  embed?.message(msg);
  switch (msg.type) {
    case "hello":
      metrics.helloMs ??= Math.round(performance.now());
      break;
    case "opened": {
      if (msg.term === 0) metrics.openedMs ??= Math.round(performance.now());
      panes[msg.term]?.opened();
      break;
    }
    case "exit": {
      const p = panes[msg.term];
      if (!p) break;
      p.state = "exited";
      p.term.write(`\r\n\x1b[2m[shell exited with status ${msg.status}; press Enter for a new one]\x1b[0m\r\n`);
      break;
    }
    case "views":
      presenter.views(msg.html);
      break;
    case "lesson":
      lesson.show(msg);
      restorer?.shown();
      refitSoon();
      break;
    case "progress":
      lesson.progress(msg);
      restorer?.progress(msg);
      lesson.highlight(viewsEl);
      break;
    case "error":
      message(msg.message || "The lab reported an error.");
      break;
    case "ended":
      ended = true;
      status("lab ended");
      message(`This lab has ended${msg.reason ? ": " + msg.reason : ""}. Start a new one from the front page.`, "ended");
      root.classList.add("ended");
      for (const p of panes) {
        if (!p) continue;
        p.state = "closed";
        p.term.options.disableStdin = true;
        p.term.options.cursorBlink = false;
      }
      addTermBtn.disabled = true;
      break;
    case "audience":
      share?.count(msg);
      break;
    case "pong":
    case "state":
    case "diff":
      break;
  }
}

const handlers = {
  onopen() {
    metrics.connectedMs ??= Math.round(performance.now());
    // Nothing is open on a new connection, whatever the old one had.
    for (const p of panes) if (p) p.state = "closed";
    // The simulator works on this page's own thread: it should not
    // snapshot the lab for a state stream the page does not read (on by
    // default) while the first terminal opens.
    if (mode === "sim") transport.send({ type: "subscribe", state: false });
    // Terminals first: a prompt matters more than the views' first
    // drawing. A reconnect re-opens every terminal; the server replays
    // its recent output, so the screen is cleared first.
    for (const p of panes) if (p?.wanted) p.open(true);
    if (selected) transport.send({ type: "select", set: selected });
    const subscribe = () => transport.send({ type: "subscribe", state: false, views: true });
    // The simulator renders the views on this thread too: they wait
    // until the first prompt is on the screen.
    if (mode === "sim") firstPrompt.then(subscribe);
    else subscribe();
  },
  onmessage: handle,
  onoutput(term, bytes) {
    if (term === 0 && metrics.firstOutputMs === undefined) {
      metrics.firstOutputMs = Math.round(performance.now());
      // A prompt the page does not recognise holds nothing up for long.
      setTimeout(promptShown, 1000);
    }
    panes[term]?.output(bytes);
  },
  onstatus(text) {
    if (!ended) status(text);
  },
  onprogress: showProgress,
  onfatal(text) {
    endProgress("failed");
    status("disconnected");
    message(text);
  },
};

// typeLesson types a lesson's {{exec}} block into the first terminal,
// line by line: each line waits until the terminal has been quiet a moment,
// since a line typed while the previous one starts a shell can be lost as
// that shell sets the terminal up. Clicks queue behind each other.
// Without enter, the last line is typed without pressing Enter.
let typing = Promise.resolve();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function typeLesson(text, interrupt, enter = true) {
  typing = typing.then(async () => {
    const p = panes[0];
    if (!p || p.state !== "open") {
      message("The terminal is not open: the command was not run.");
      return;
    }
    p.term.focus();
    const enc = new TextEncoder();
    if (interrupt) transport.sendInput(0, enc.encode("\x03"));
    const lines = text.split("\n");
    for (const [i, line] of lines.entries()) {
      transport.sendInput(0, enc.encode(enter || i < lines.length - 1 ? line + "\r" : line));
      await sleep(50);
      const deadline = performance.now() + 10000;
      while (performance.now() - p.lastOutput < 150 && performance.now() < deadline) await sleep(25);
    }
  });
}
const lesson = new Lesson(lessonPane, typeLesson);
window.nslab.lessonIdle = () => typing;
// In the simulator, a reload rebuilds the lab's lesson progress by
// replaying the steps done (restore.js); live, the server keeps it.
const restorer = mode === "sim"
  ? new Restorer(lesson, {
    get: (key) => load("sessionStorage", key),
    set: (key, value) => save("sessionStorage", key, value),
  }, firstPrompt, () => typing, (text) => message(text))
  : null;

let refitQueued = false;
function refitSoon() {
  if (refitQueued) return;
  refitQueued = true;
  requestAnimationFrame(() => {
    refitQueued = false;
    for (const p of panes) p?.refit();
  });
}

// Presenter mode (presenter.js): every views update passes through it.
const presenter = new Presenter({
  views: viewsEl,
  lessonPane,
  terminals: () => panes.filter(Boolean).map((p) => p.term),
  normalFontSize: () => fontSize,
  refit: refitSoon,
  draw(html) {
    swapViews(viewsEl, html);
    lesson.highlight(viewsEl);
  },
});

// lessonJSON fetches the lesson the simulator's address names
// (?lesson=NAME): lessons/NAME.json beside the page, which the server
// serves and `nslab export` writes. null when the address names none.
async function lessonJSON() {
  const name = new URLSearchParams(location.search).get("lesson");
  if (!name) return null;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    message(`There is no lesson named "${name}".`);
    return null;
  }
  try {
    const res = await fetch(new URL(`lessons/${name}.json`, location.href));
    if (!res.ok) {
      message(res.status === 404 ? `There is no lesson named "${name}".` : `Could not load the lesson ${name}: HTTP ${res.status}.`);
      return null;
    }
    return await res.text();
  } catch (err) {
    message(`Could not load the lesson ${name}: ${err.message}.`);
    return null;
  }
}

function readToken() {
  const key = "nslab.token." + labID;
  const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]);
    save("sessionStorage", key, token);
    // Out of the address bar, so it is not shared by a copied link or
    // shown on a projector.
    history.replaceState(null, "", location.pathname + location.search);
    return token;
  }
  return load("sessionStorage", key);
}

// endHere ends the lab on this page: its terminals close and the page
// shows it ended (the simulator's lab, which no server can end).
function endHere(reason) {
  for (const p of panes) if (p && p.state !== "closed") p.close();
  handle({ type: "ended", reason });
}

function start() {
  metrics.scriptMs = Math.round(performance.now());
  let token = null;
  if (mode === "sim") {
    transport = new SimTransport(handlers, new URL("../dist/", import.meta.url).href, lessonJSON(), Number(root.dataset.wasmBytes) || 0);
  } else {
    token = readToken();
    if (!token) {
      status("no token");
      message("This page's link has no lab token. Open the lab from the link you were given, or start a new lab from the front page.");
      return;
    }
    transport = new WebSocketTransport(labID, token, handlers);
    share = new Share(labID, token, message);
  }
  // Connect first: the handshake overlaps with setting up the terminal,
  // which is ready long before the connection's open event can run.
  transport.start();
  embed?.start({ mode, labID, token, firstPrompt, type: (text, enter) => typeLesson(text, false, enter), endHere });

  panes[0] = new Pane(0);
  panes[0].wanted = true;
  panes[0].term.focus();

  setFontSize(fontSize);
  document.getElementById("font-down").addEventListener("click", () => setFontSize(fontSize - 2));
  document.getElementById("font-up").addEventListener("click", () => setFontSize(fontSize + 2));
  document.getElementById("download-recording")?.addEventListener("click", () => {
    downloadRecording(transport, labID).catch((err) => message(`Could not get the recording: ${err.message}`));
  });

  addTermBtn.addEventListener("click", () => {
    const pane = document.querySelector('.term-pane[data-term="1"]');
    pane.hidden = false;
    addTermBtn.hidden = true;
    if (!panes[1]) panes[1] = new Pane(1);
    panes[0].refit();
    panes[1].open(true);
    panes[1].term.focus();
  });
  document.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-close-term]");
    if (!btn) return;
    const p = panes[Number(btn.dataset.closeTerm)];
    if (!p) return;
    p.close();
    p.el.hidden = true;
    addTermBtn.hidden = false;
    panes[0].refit();
  });

  const pick = (ev) => {
    const el = ev.target.closest("[data-set]");
    if (!el || !viewsEl.contains(el)) return false;
    selected = el.dataset.set;
    transport.send({ type: "select", set: selected });
    return true;
  };
  viewsEl.addEventListener("click", pick);
  viewsEl.addEventListener("keydown", (ev) => {
    if ((ev.key === "Enter" || ev.key === " ") && pick(ev)) ev.preventDefault();
  });

  let queued = false;
  const refitAll = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      for (const p of panes) p?.refit();
    });
  };
  window.addEventListener("resize", refitAll);
  new ResizeObserver(refitAll).observe(document.getElementById("terms"));
}

start();
