// sim-load measures how long the simulator page takes to become usable:
// from the start of the navigation to /sim to the first prompt in its
// terminal, then a typed command's output, in the system's headless
// Chromium, over a link throttled with the DevTools protocol
// (Network.emulateNetworkConditions) and over the loopback unthrottled.
// Every run is a fresh browser with an empty cache, as a first visit is.
// It prints each run, where the time went (the page's own marks, see
// window.nslab.metrics in assets/js/lab.js) and the medians. It is a
// measurement, not a test: it asserts nothing (docs/BENCHMARKS.md).
//
//   node e2e/bench/sim-load.mjs [-v] [RUNS] [SITE…]
//
// -v also prints, per run, when each file was asked for and arrived.
// A SITE is where the page comes from: "server" (`nslab serve`, the wasm
// sent gzipped), "export" (`nslab export` on a static file server that
// sends the precompressed nslab.wasm.gz, as nginx's gzip_static does) or
// "naive" (the export on a static server that sends the wasm as it is,
// as application/octet-stream). The default is "server export". Each
// site is measured at 10 Mbit/s with 40 ms of latency and unthrottled.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import { exportSite, launch, requirements, startServer, staticServer } from "../support.mjs";

const args = process.argv.slice(2);
const verbose = args[0] === "-v" && args.shift() !== undefined;
const runs = Number(args[0] ?? 5);
const siteNames = args.length > 1 ? args.slice(1) : ["server", "export"];

// The link: 10 Mbit/s each way (in bytes per second), 40 ms of latency
// added to every request's round trip.
const link10 = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const links = { "10 Mbit/s": link10, unthrottled: null };

const PREFIX = "/course/nslab/";
const sites = {
  async server() {
    const s = await startServer();
    return { url: s.url + "/sim", stop: () => s.stop() };
  },
  async export() {
    const dir = await exportSite();
    const files = await staticServer(dir, PREFIX);
    return { url: files.url + PREFIX, stop: async () => { await files.stop(); rmSync(dir, { recursive: true, force: true }); } };
  },
  async naive() {
    const dir = await exportSite();
    const files = await staticServer(dir, PREFIX, { plain: true });
    return { url: files.url + PREFIX, stop: async () => { await files.stop(); rmSync(dir, { recursive: true, force: true }); } };
  },
};

const req = await requirements();
if (!req.pw) {
  console.error(`needs ${req.missing.join(": ")}`);
  process.exit(2);
}
for (const name of siteNames) {
  if (!sites[name]) {
    console.error(`unknown site ${JSON.stringify(name)}: want server, export or naive`);
    process.exit(2);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// measure loads the page once in a fresh browser over link and returns
// the page's marks (ms since the navigation started), the time until a
// typed command's output was on the screen, and what the wasm cost on
// the wire.
async function measure(url, link) {
  const browser = await launch(req.pw);
  try {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (link) await cdp.send("Network.emulateNetworkConditions", link);
    const wasm = { requests: 0, wireBytes: 0, encoding: "none" };
    const wasmIDs = new Set();
    cdp.on("Network.responseReceived", (ev) => {
      if (!ev.response.url.endsWith("/nslab.wasm")) return;
      wasmIDs.add(ev.requestId);
      wasm.requests++;
      wasm.encoding = ev.response.headers["content-encoding"] ?? ev.response.headers["Content-Encoding"] ?? "none";
    });
    cdp.on("Network.loadingFinished", (ev) => {
      if (wasmIDs.has(ev.requestId)) wasm.wireBytes += ev.encodedDataLength;
    });
    await page.goto(url, { waitUntil: "commit" });
    await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 60000, polling: 10 });
    // Typing works: a command typed now comes back with its output.
    await page.focus("#term-0 .xterm-helper-textarea");
    await page.keyboard.type("echo typed-$((6*7))");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /^typed-42$/m.test(window.nslab.termText(0)), null, { timeout: 30000, polling: 10 });
    const typedMs = await page.evaluate(() => Math.round(performance.now()));
    const m = await page.evaluate(() => window.nslab.metrics);
    // When each file's request went out and its last byte came, as the
    // browser's resource timing saw it.
    const files = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => ({
      name: new URL(e.name).pathname.split("/").pop(), start: Math.round(e.startTime),
      first: Math.round(e.responseStart), end: Math.round(e.responseEnd), bytes: e.encodedBodySize,
    })));
    return { ...m, typedMs, wasm, files };
  } finally {
    await browser.close();
  }
}

// The page's marks, in the order they happen, named for the report.
const marks = [
  ["script", "scriptMs"], ["wasm response", "wasmResponseMs"], ["wasm downloaded", "wasmLoadedMs"],
  ["compiled", "wasmCompiledMs"], ["simulator running", "connectedMs"], ["first output", "firstOutputMs"],
  ["first prompt", "pageToPromptMs"], ["typed command's output", "typedMs"],
];

// linkCheck downloads 2 MB of random bytes (which no encoding shrinks)
// over link from a local server and returns how long it took: on a busy
// machine the throttling itself falls behind, and this says by how much.
async function linkCheck(link) {
  const data = randomBytes(2_000_000);
  const server = createServer((req, res) => {
    if (req.url === "/") {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end("<!DOCTYPE html><title>link check</title>");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": data.length, "Cache-Control": "no-store" });
    res.end(data);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const browser = await launch(req.pw);
  try {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", link);
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    return await page.evaluate(async () => {
      const t = performance.now();
      await (await fetch("data")).arrayBuffer();
      return Math.round(performance.now() - t);
    });
  } finally {
    await browser.close();
    server.close();
  }
}

for (const [linkName, link] of Object.entries(links)) {
  if (!link) continue;
  const ideal = Math.round(2e6 / link.downloadThroughput * 1000 + link.latency);
  console.log(`link check, ${linkName}: 2 MB in ${await linkCheck(link)} ms (${ideal} ms if the throttling kept up)`);
}

const results = [];
for (const name of siteNames) {
  const site = await sites[name]();
  try {
    for (const [linkName, link] of Object.entries(links)) {
      const r = { site: name, link: linkName, prompt: [], marks: {}, failed: 0 };
      results.push(r);
      for (let i = 0; i < runs; i++) {
        try {
          const m = await measure(site.url, link);
          r.prompt.push(m.pageToPromptMs);
          for (const [label, key] of marks) if (m[key] !== undefined) (r.marks[label] ??= []).push(m[key]);
          r.wasm = m.wasm;
          console.log(`${name}, ${linkName}, run ${i + 1}: first prompt ${m.pageToPromptMs} ms; ` +
            marks.filter(([, k]) => m[k] !== undefined).map(([l, k]) => `${l} ${m[k]}`).join(", ") +
            `; wasm ${m.wasm.requests} request(s), ${m.wasm.wireBytes} bytes on the wire, encoding ${m.wasm.encoding}`);
          if (verbose) {
            for (const f of m.files) console.log(`    ${f.name}: requested ${f.start}, first byte ${f.first}, last byte ${f.end} ms; ${f.bytes} bytes`);
          }
        } catch (err) {
          r.failed++;
          console.log(`${name}, ${linkName}, run ${i + 1}: FAILED: ${err.message.split("\n")[0]}`);
        }
      }
    }
  } finally {
    await site.stop();
  }
}
console.log("");
for (const r of results) {
  if (r.prompt.length === 0) {
    console.log(`[${r.site}, ${r.link}] every run failed`);
    continue;
  }
  console.log(`[${r.site}, ${r.link}] ${r.prompt.length} runs: median first prompt ${median(r.prompt)} ms ` +
    `(min ${Math.min(...r.prompt)}, max ${Math.max(...r.prompt)}); ${r.failed} failed; target 3000 ms at 10 Mbit/s`);
  console.log(`  medians since the navigation started: ${Object.entries(r.marks).map(([k, v]) => `${k} ${median(v)} ms`).join(", ")}`);
  console.log(`  wasm: ${r.wasm.wireBytes} bytes on the wire (${r.wasm.encoding}), ${r.wasm.requests} request(s)`);
}
