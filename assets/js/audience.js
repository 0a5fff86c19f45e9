// The audience page: a lab's terminals and views, read-only, for people
// following a speaker through a viewer link (/watch/{id}#viewer=TOKEN).
// Nothing typed here goes anywhere: the terminals take no input, and the
// server refuses anything but a ping on this websocket anyway.
import { Terminal } from "../dist/xterm.mjs";
import { FitAddon } from "../dist/addon-fit.mjs";
import { WebSocketTransport } from "./transport.js";
import { swapViews } from "./views.js";
import { Presenter } from "./presenter.js";

const root = document.getElementById("lab");
const labID = root.dataset.lab;
const viewsEl = document.getElementById("views");
const connEl = document.getElementById("conn");
const messagesEl = document.getElementById("messages");

const FONT_KEY = "nslab.fontSize";
let fontSize = clampFont(Number(load(FONT_KEY)) || 15);
const terms = [];
let transport;
let ended = false;

function load(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function clampFont(n) {
  return Math.min(40, Math.max(8, Math.round(n)));
}

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

// FollowTransport is the websocket of a follower: another path, and no
// probe of the lab's state after a failed connect (a viewer token opens
// nothing but this websocket).
class FollowTransport extends WebSocketTransport {
  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/api/labs/${encodeURIComponent(this.labID)}/follow`;
  }

  probe() {
    if (++this.failures > 5) {
      this.stop();
      this.h.onfatal("Cannot follow this lab: the link was revoked, the lab has ended, or it has as many followers as it may have.");
      return;
    }
    this.retry();
  }
}

/** A read-only terminal pane, made when the server first opens it. */
function pane(n) {
  if (terms[n]) return terms[n];
  const el = document.querySelector(`.term-pane[data-term="${n}"]`);
  if (!el) return null;
  el.hidden = false;
  const term = new Terminal({
    fontSize,
    fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
    disableStdin: true,
    cursorBlink: false,
    scrollback: 5000,
    theme: { background: "#0b1020", foreground: "#e6e9ef", cursor: "#ffcc66" },
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(el.querySelector(".term"));
  presenter.adopt(term);
  terms[n] = { el, term, fit, size: null };
  return terms[n];
}

// The terminal keeps the owner's size, so lines wrap where they wrap for
// the speaker; without one (yet) it fits its pane.
function size(p, rows, cols) {
  if (rows > 0 && cols > 0) {
    p.size = { rows, cols };
    p.term.resize(cols, rows);
  } else {
    try {
      p.fit.fit();
    } catch {
      // Not laid out yet.
    }
  }
}

function handle(msg) {
  switch (msg.type) {
    case "opened": {
      // A catch-up: the screen starts again and the replay follows.
      const p = pane(msg.term);
      if (!p) break;
      p.term.reset();
      size(p, msg.rows, msg.cols);
      break;
    }
    case "size": {
      const p = terms[msg.term];
      if (p) size(p, msg.rows, msg.cols);
      break;
    }
    case "views":
      presenter.views(msg.html);
      break;
    case "error":
      message(msg.message || "The server reported an error.");
      break;
    case "ended":
      ended = true;
      status("ended");
      message(`No longer following: ${msg.reason || "the lab has ended"}.`, "ended");
      root.classList.add("ended");
      break;
  }
}

// Presenter mode (presenter.js), as on the lab page: a follower on a
// projector gets the large type and one view too. The terminals keep the
// owner's size, so a refit only redraws them at the new font size.
const presenter = new Presenter({
  views: viewsEl,
  lessonPane: null,
  terminals: () => terms.filter(Boolean).map((p) => p.term),
  normalFontSize: () => fontSize,
  refit: () => {
    for (const p of terms.filter(Boolean)) size(p, p.size?.rows, p.size?.cols);
  },
  draw: (html) => swapViews(viewsEl, html),
});

function readToken() {
  const key = "nslab.viewer." + labID;
  const m = /(?:^#|&)viewer=([^&]*)/.exec(location.hash);
  let token = null;
  try {
    if (m) {
      token = decodeURIComponent(m[1]);
      window.sessionStorage.setItem(key, token);
    } else {
      token = window.sessionStorage.getItem(key);
    }
  } catch {
    // No storage: the token is kept for this load only.
  }
  if (m) history.replaceState(null, "", location.pathname + location.search);
  return token;
}

function setFontSize(n) {
  fontSize = clampFont(n);
  try {
    window.localStorage.setItem(FONT_KEY, String(fontSize));
  } catch {
    // Not remembered.
  }
  document.documentElement.style.setProperty("font-size", `${fontSize + 1}px`);
  for (const p of terms) {
    if (!p) continue;
    p.term.options.fontSize = fontSize;
    presenter.adopt(p.term); // presenter mode keeps its own size
    size(p, p.size?.rows, p.size?.cols);
  }
}

function start() {
  const token = readToken();
  if (!token) {
    status("no link");
    message("This page's address has no viewer token. Open it from the link the speaker shared.");
    return;
  }
  transport = new FollowTransport(labID, token, {
    onopen() {
      transport.failures = 0;
    },
    onmessage: handle,
    onoutput(term, bytes) {
      pane(term)?.term.write(bytes);
    },
    onstatus(text) {
      if (!ended) status(text === "connected" ? "following" : text);
    },
    onfatal(text) {
      status("disconnected");
      message(text);
    },
  });
  transport.failures = 0;
  transport.start();
  pane(0);
  setFontSize(fontSize);
  document.getElementById("font-down").addEventListener("click", () => setFontSize(fontSize - 2));
  document.getElementById("font-up").addEventListener("click", () => setFontSize(fontSize + 2));
}

// For people and browser tests: the terminals' text and the websocket,
// on which a test sends by hand what this page never sends.
window.nslab = {
  termText(n) {
    const p = terms[n];
    if (!p) return "";
    const buf = p.term.buffer.active;
    const lines = [];
    for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? "");
    return lines.join("\n").replace(/\n+$/, "");
  },
  socket: () => transport?.ws ?? null,
};

start();
