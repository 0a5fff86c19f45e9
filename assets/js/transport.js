// Transports carry the live protocol's messages between the page and a
// lab: WebSocketTransport to a server, SimTransport to the simulator
// compiled to WebAssembly. Both offer the same small surface, so the page
// does not care which one it has:
//
//   t.start()                    connect (and reconnect, for the websocket)
//   t.send(obj)                  a JSON message ({type: "open", ...})
//   t.sendInput(term, bytes)     keyboard input for terminal term
//   t.stop()                     hang up for good
//
// and calls the handlers it was given: onopen(), onmessage(obj),
// onoutput(term, bytes), onstatus(text), onfatal(text); SimTransport
// also onprogress({phase, loaded, total}) while the simulator loads.

/** Bytes of input per binary frame; the server takes at most 64 KiB. */
const MAX_INPUT = 32 * 1024;

/** How long to wait before reconnect attempt n (0, 1, …): 0.5 s doubling to 10 s, with jitter. */
export function backoff(n) {
  const base = Math.min(10000, 500 * 2 ** n);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** Split bytes into binary frames of [term, ...at most MAX_INPUT bytes]. */
export function inputFrames(term, bytes) {
  const frames = [];
  for (let off = 0; off < bytes.length; off += MAX_INPUT) {
    const chunk = bytes.subarray(off, off + MAX_INPUT);
    const frame = new Uint8Array(chunk.length + 1);
    frame[0] = term;
    frame.set(chunk, 1);
    frames.push(frame);
  }
  return frames;
}

export class WebSocketTransport {
  constructor(labID, token, handlers) {
    this.labID = labID;
    this.token = token;
    this.h = handlers;
    this.ws = null;
    this.attempt = 0;
    this.stopped = false;
    this.timer = 0;
    this.refusals = []; // times the server closed for a refused message
  }

  url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/api/labs/${encodeURIComponent(this.labID)}/ws`;
  }

  start() {
    if (this.stopped) return;
    let ws;
    try {
      // The browser's WebSocket cannot send an Authorization header, so
      // the token travels as a second subprotocol; the server answers with
      // "nslab.v1" alone.
      ws = new WebSocket(this.url(), ["nslab.v1", "bearer." + this.token]);
    } catch (err) {
      this.stop();
      this.h.onfatal(`Cannot connect to the lab: ${err.message}`);
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.h.onstatus("connected");
      this.h.onopen();
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === "string") {
        let msg;
        try {
          msg = JSON.parse(ev.data);
        } catch {
          return; // the server only sends JSON text; ignore what is not
        }
        if (msg.type === "ended") this.stop();
        this.h.onmessage(msg);
        return;
      }
      const b = new Uint8Array(ev.data);
      if (b.length > 0) this.h.onoutput(b[0], b.subarray(1));
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (ev.code === 1008 || ev.code === 1009) {
        // The server refused a message (it said why in an error message).
        // Some refusals are races the page cannot avoid, such as a key
        // typed while the shell was exiting, so reconnect, but not in a
        // loop: a page that keeps breaking the protocol gives up.
        const now = Date.now();
        this.refusals = this.refusals.filter((t) => now - t < 60000);
        this.refusals.push(now);
        if (this.refusals.length > 3) {
          this.stop();
          this.h.onfatal("The server keeps closing the connection: " + (ev.reason || "protocol error") + ". Reload the page to try again.");
          return;
        }
      }
      if (!opened) {
        this.probe();
        return;
      }
      this.retry();
    };
  }

  /** After a failed connect: ask over HTTP whether the lab is there at all. */
  async probe() {
    try {
      const res = await fetch(`/api/labs/${encodeURIComponent(this.labID)}/state`, {
        headers: { Authorization: "Bearer " + this.token },
      });
      if (res.status === 404) {
        const body = await res.json().catch(() => ({}));
        this.stop();
        this.h.onfatal(`This lab is gone or its link is wrong (${body.error || "not found"}). Start a new lab from the front page.`);
        return;
      }
    } catch {
      // The server is unreachable: keep trying.
    }
    this.retry();
  }

  retry() {
    if (this.stopped) return;
    const wait = backoff(this.attempt++);
    this.h.onstatus(`reconnecting in ${Math.ceil(wait / 1000)} s…`);
    this.timer = setTimeout(() => this.start(), wait);
  }

  send(obj) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(obj));
  }

  sendInput(term, bytes) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    for (const f of inputFrames(term, bytes)) this.ws.send(f);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000);
    }
  }
}

// SimTransport talks to the simulator compiled to WebAssembly. The wasm
// module, once started, registers globalThis.nslabSim with
// connect(onText, onBinary, lessonJSON) returning {sendText(string), sendBinary(Uint8Array)}:
// the same messages as the websocket, without a network. lessonJSON, when
// not null, is a lesson as lesson.Render makes it (a promise of it here).
//
// Loading it is most of the page's wait, so it reports its progress
// through handlers.onprogress({phase, loaded, total}): phase "download"
// (loaded of total bytes of the wasm; total 0 when unknown), "compile"
// (all bytes are in, the compiler is finishing), "start" (Go's runtime
// starts the simulator). The page's first prompt ends the wait.
export class SimTransport {
  /**
   * base is the address of the folder of nslab.wasm and wasm_exec.js;
   * wasmBytes, when not 0, is nslab.wasm's size as the page was told it,
   * which is the progress's total when the server sends the wasm
   * compressed (Content-Length then counts the compressed bytes, while a
   * response's body yields the decompressed ones).
   */
  constructor(handlers, base, lesson = null, wasmBytes = 0) {
    this.h = handlers;
    this.base = base;
    this.lesson = lesson;
    this.wasmBytes = wasmBytes;
    this.conn = null;
  }

  async start() {
    let lesson = null;
    try {
      [, lesson] = await Promise.all([globalThis.nslabSim ? null : this.load(), this.lesson]);
    } catch (err) {
      this.h.onfatal(`The simulator is not available: ${err.message}`);
      return;
    }
    this.conn = globalThis.nslabSim.connect(
      (text) => this.h.onmessage(JSON.parse(text)),
      (bytes) => bytes.length > 0 && this.h.onoutput(bytes[0], bytes.subarray(1)),
      lesson ?? "",
    );
    this.h.onstatus("simulator running");
    this.h.onopen();
  }

  progress(phase, loaded = 0, total = 0) {
    this.h.onprogress?.({ phase, loaded, total });
  }

  // The page starts both downloads itself (a deferred wasm_exec.js and a
  // preload of nslab.wasm), so load usually finds Go defined and the wasm
  // on its way; it asks for them only once each, from static files alone.
  async load() {
    const goDefined = globalThis.Go ? null : new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = this.base + "wasm_exec.js";
      s.onload = resolve;
      s.onerror = () => reject(new Error("simulator not built (no wasm_exec.js in this build)"));
      document.head.append(s);
    });
    goDefined?.catch(() => {}); // reported when awaited below
    const res = await fetch(this.base + "nslab.wasm");
    if (!res.ok) {
      throw new Error(res.status === 404 ? "simulator not built (no nslab.wasm in this build)" : `nslab.wasm: HTTP ${res.status}`);
    }
    await goDefined;
    const go = new globalThis.Go();
    // Compiling while downloading needs the wasm media type; a static
    // server that does not know .wasm gets the slower path.
    const streaming = (res.headers.get("Content-Type") || "").startsWith("application/wasm");
    const body = this.counted(res);
    const { instance } = streaming
      ? await WebAssembly.instantiateStreaming(new Response(body, { headers: { "Content-Type": "application/wasm" } }), go.importObject)
      : await WebAssembly.instantiate(await new Response(body).arrayBuffer(), go.importObject);
    this.progress("start");
    // go.run holds the main thread until the simulator has registered
    // itself: let the page show "starting" first.
    await nextPaint();
    go.run(instance);
    if (!globalThis.nslabSim) throw new Error("the simulator did not register itself");
  }

  // counted passes res's body through, reporting its bytes as they come,
  // then "compile" once the last one is in.
  counted(res) {
    const encoded = (res.headers.get("Content-Encoding") || "identity") !== "identity";
    const length = Number(res.headers.get("Content-Length")) || 0;
    const total = this.wasmBytes > 0 ? this.wasmBytes : encoded ? 0 : length;
    let loaded = 0;
    this.progress("download", 0, total);
    if (!res.body) return res.body;
    const reader = res.body.getReader();
    return new ReadableStream({
      pull: async (controller) => {
        const { done, value } = await reader.read();
        if (done) {
          this.progress("compile", loaded, total);
          controller.close();
          return;
        }
        loaded += value.byteLength;
        this.progress("download", loaded, total);
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }

  send(obj) {
    this.conn?.sendText(JSON.stringify(obj));
  }

  sendInput(term, bytes) {
    for (const f of inputFrames(term, bytes)) this.conn?.sendBinary(f);
  }

  stop() {}
}

/** nextPaint resolves once the browser has had a chance to paint (or after 100 ms, in a page not shown). */
function nextPaint() {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => {
      clearTimeout(timer);
      resolve();
    }, 0));
  });
}
