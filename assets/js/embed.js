// Embed mode: the lab page in another site's iframe (?embed=1). The page
// shows no chrome (the header bar; css/nslab.css under html.embed) and
// talks with the page around it through a small postMessage API,
// version 1 (docs/embedding.md):
//
//   frame → host  {nslab: 1, type: "ready", mode, lesson}
//                 {nslab: 1, type: "step-completed", lesson, step}
//                 {nslab: 1, type: "lesson-completed", lesson, steps}
//                 {nslab: 1, type: "exited", what: "terminal", term, status}
//                 {nslab: 1, type: "exited", what: "lab", reason}
//                 {nslab: 1, type: "error", request, message}
//   host → frame  {nslab: 1, type: "start-lesson", name}
//                 {nslab: 1, type: "type", text}
//                 {nslab: 1, type: "end"}
//
// Only the origins of the site's embedding configuration (embed.json
// beside the static files: `nslab serve --embed-origins`, or the file an
// export writes) are listened to; a message from any other origin is
// logged and dropped, never acted on. Events go to those origins only.

export const EMBED_VERSION = 1;

/** The most text one "type" message may carry. */
const MAX_TYPE = 16 * 1024;

/** The names lessons have (as lab.js checks ?lesson=NAME). */
const LESSON_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** An origin as browsers serialize it: scheme://host[:port]. */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/;

/**
 * embedFromLocation returns the page's Embed when its address asks for
 * embed mode (?embed=1), else null. It hides the chrome at once, before
 * the terminals are laid out.
 */
export function embedFromLocation() {
  if (new URLSearchParams(location.search).get("embed") !== "1") return null;
  document.documentElement.classList.add("embed");
  return new Embed(loadOrigins());
}

// loadOrigins reads the embedding configuration. Without one, the page
// still shows without chrome but neither listens nor tells.
async function loadOrigins() {
  const url = new URL("../embed.json", import.meta.url);
  try {
    const res = await fetch(url, { cache: "no-cache" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const cfg = await res.json();
    if (cfg?.nslab !== EMBED_VERSION) throw new Error(`version ${cfg?.nslab}, this page speaks ${EMBED_VERSION}`);
    const origins = [];
    for (const o of Array.isArray(cfg.origins) ? cfg.origins : []) {
      // As browsers serialize an origin: lower case, no default port.
      const norm = typeof o === "string" ? o.toLowerCase().replace(/\/$/, "").replace(/^(https:\/\/.*):443$|^(http:\/\/.*):80$/, "$1$2") : "";
      if (ORIGIN.test(norm)) origins.push(norm);
      else console.warn(`nslab embed: ${JSON.stringify(o)} in ${url} is not an origin (scheme://host[:port]); left out`);
    }
    if (origins.length === 0) console.warn(`nslab embed: no embedding origin is configured (${url}): messages from the host page are ignored and none are sent`);
    return origins;
  } catch (err) {
    console.warn(`nslab embed: no embedding configuration (${url}: ${err.message}): messages from the host page are ignored and none are sent`);
    return [];
  }
}

class Embed {
  constructor(origins) {
    this.origins = origins; // a promise of the allowed origins
    this.lab = null;
    this.lesson = null; // {name, steps, done: Set, complete}
    this.leaving = false; // a new lab is being opened in this frame
    this.readySent = new Promise((resolve) => { this.sentReady = resolve; });
    window.addEventListener("message", (ev) => this.receive(ev));
  }

  /**
   * start is called by lab.js once its transport runs. lab is {mode,
   * labID, token, firstPrompt, type(text, enter), endHere(reason)}:
   * "ready" goes out once the first prompt is on the screen.
   */
  start(lab) {
    this.lab = lab;
    lab.firstPrompt.then(async () => {
      await this.send({ type: "ready", mode: lab.mode, lesson: this.lesson?.name ?? null });
      this.sentReady();
    });
  }

  /** message sees every message of the lab (the server's or the simulator's). */
  message(msg) {
    switch (msg.type) {
      case "lesson": {
        // Steps already done (a reload, a reconnect) were reported then.
        const done = new Set(msg.done || []);
        this.lesson = { name: msg.name, steps: msg.steps, done, complete: msg.steps > 0 && done.size >= msg.steps };
        break;
      }
      case "progress": {
        const l = this.lesson;
        if (!l || msg.lesson !== l.name) break;
        for (const step of msg.done || []) {
          if (l.done.has(step)) continue;
          l.done.add(step);
          this.send({ type: "step-completed", lesson: l.name, step });
        }
        if (!l.complete && l.done.size >= l.steps) {
          l.complete = true;
          this.send({ type: "lesson-completed", lesson: l.name, steps: l.steps });
        }
        break;
      }
      case "exit":
        this.send({ type: "exited", what: "terminal", term: msg.term, status: msg.status });
        break;
      case "ended":
        if (!this.leaving) this.send({ type: "exited", what: "lab", reason: msg.reason || "" });
        break;
    }
  }

  // targets are where events go: the parent's origin when the browser
  // says what it is (location.ancestorOrigins) and it is allowed, else
  // every allowed origin (postMessage delivers to the one that matches
  // the parent). Never "*": the lab's events are the learner's.
  async targets() {
    if (window.parent === window) return [];
    const origins = await this.origins;
    const parent = location.ancestorOrigins?.[0];
    if (parent === undefined) return origins;
    if (origins.includes(parent)) return [parent];
    if (!this.warnedParent) {
      this.warnedParent = true;
      console.warn(`nslab embed: the page around this frame (${parent}) is not an embedding origin: it is told nothing`);
    }
    return [];
  }

  async send(msg) {
    const full = { nslab: EMBED_VERSION, ...msg };
    for (const o of await this.targets()) window.parent.postMessage(full, o);
  }

  async receive(ev) {
    const origins = await this.origins;
    if (!origins.includes(ev.origin)) {
      console.warn(`nslab embed: ignored a message from ${ev.origin || "an unknown origin"}, which is not an embedding origin (${origins.join(" ") || "none is configured"})`);
      return;
    }
    const msg = ev.data;
    if (msg === null || typeof msg !== "object" || !("nslab" in msg)) return; // not for nslab
    const refuse = (message) => {
      console.warn(`nslab embed: refused ${JSON.stringify(String(msg.type)).slice(0, 80)} from ${ev.origin}: ${message}`);
      ev.source?.postMessage({ nslab: EMBED_VERSION, type: "error", request: typeof msg.type === "string" ? msg.type.slice(0, 40) : null, message }, ev.origin);
    };
    if (msg.nslab !== EMBED_VERSION) return refuse(`this lab speaks version ${EMBED_VERSION} of the embedding API, not ${String(msg.nslab).slice(0, 20)}`);
    // Requests wait until the lab is ready: its terminal is open then.
    await this.readySent;
    switch (msg.type) {
      case "type":
        if (typeof msg.text !== "string") return refuse("text must be a string");
        if (msg.text.length > MAX_TYPE) return refuse(`text of ${msg.text.length} characters: at most ${MAX_TYPE}`);
        this.type(msg.text);
        return;
      case "start-lesson":
        if (typeof msg.name !== "string" || !LESSON_NAME.test(msg.name)) return refuse("name must be a lesson's name");
        return this.startLesson(msg.name).catch((err) => refuse(err.message));
      case "end":
        return this.end().catch((err) => refuse(err.message));
      default:
        return refuse(`unknown type; this lab takes start-lesson, type and end`);
    }
  }

  // type types text into the first terminal as the learner would: each
  // "\n" is Enter, and each line waits for the terminal to be quiet (as a
  // lesson's {{exec}} block does), so a line is not lost while the one
  // before starts a shell.
  type(text) {
    text = text.replace(/\r\n?/g, "\n");
    const enter = text.endsWith("\n");
    if (enter) text = text.slice(0, -1);
    this.lab.type(text, enter);
  }

  // startLesson opens lesson name in this frame. The simulator reloads
  // with ?lesson=NAME; live, a new lab with the lesson replaces this one
  // (made first, so a refused one leaves this lab as it was).
  async startLesson(name) {
    const lab = this.lab;
    if (lab.mode === "sim") {
      const res = await fetch(new URL(`lessons/${name}.json`, location.href), { method: "HEAD" });
      if (!res.ok) throw new Error(res.status === 404 ? `there is no lesson named ${name}` : `could not load lesson ${name}: HTTP ${res.status}`);
      const u = new URL(location.href);
      u.searchParams.set("lesson", name);
      u.searchParams.set("embed", "1");
      this.leaving = true;
      location.replace(u);
      return;
    }
    const res = await fetch("/api/labs", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ lesson: name }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.error || `could not start a lab with lesson ${name}: HTTP ${res.status}`);
    this.leaving = true;
    await this.deleteLab().catch(() => {}); // ends by itself after its grace otherwise
    const u = new URL(body.url, location.href);
    u.searchParams.set("embed", "1");
    location.replace(u);
  }

  // end ends the lab: live, as DELETE /api/labs/{id} does (the server
  // then says "ended", reported as "exited"); the simulator ends here.
  async end() {
    if (this.lab.mode === "sim") {
      this.lab.endHere("ended by the page around it");
      return;
    }
    await this.deleteLab();
  }

  async deleteLab() {
    const { labID, token } = this.lab;
    const res = await fetch(`/api/labs/${encodeURIComponent(labID)}`, { method: "DELETE", headers: { Authorization: "Bearer " + token } });
    if (!res.ok && res.status !== 404) throw new Error(`could not end the lab: HTTP ${res.status}`);
  }
}
