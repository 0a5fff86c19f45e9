// start-timing measures the live lab page's click-to-first-prompt: it
// starts `nslab serve` once per configuration, then, RUNS times for each
// (interleaved, so that the machine's load falls on both alike), opens the
// landing page in a fresh headless Chromium, clicks "Start a live lab" and
// reads the page's own measure (window.nslab.metrics). It prints every run
// and the medians. It is a measurement, not a test: it asserts nothing.
//
//   node e2e/start-timing.mjs [RUNS] [CONFIG…]
//
// A CONFIG is the extra `nslab serve` flags of one server, space-separated
// in one argument; the default compares "--warm 0" with "--warm 2".
import { endLab, launch, requirements, startLab, startServer } from "./support.mjs";

const runs = Number(process.argv[2] ?? 10);
const configs = process.argv.length > 3 ? process.argv.slice(3) : ["--warm 0", "--warm 2"];

const req = await requirements();
if (!req.pw) {
  console.error(`needs ${req.missing.join(": ")}`);
  process.exit(2);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Every run makes a lab from the same address: lift the per-client limits.
const servers = [];
for (const c of configs) {
  const args = ["--creates-per-minute", "-1", "--max-labs-per-client", "-1", ...c.split(/\s+/).filter(Boolean)];
  const server = await startServer(args);
  if (server.mode !== "live") {
    console.error("nslab serve makes no live labs here (run as root on Linux with namespaces)");
    process.exit(2);
  }
  servers.push({ config: c, server, prompt: [], steps: {} });
}
try {
  for (let i = 0; i < runs; i++) {
    for (const s of servers) {
      const browser = await launch(req.pw);
      try {
        const m = await startLab(browser.page, s.server.url);
        s.prompt.push(m.promptMs);
        // Where the time goes: from the click to the lab page's start
        // (the POST and the navigation), then the page's own steps.
        for (const [k, v] of Object.entries({
          "click to lab page": m.promptMs - m.pageToPromptMs, script: m.scriptMs, connected: m.connectedMs,
          hello: m.helloMs, "terminal opened": m.openedMs, "first output": m.firstOutputMs, prompt: m.pageToPromptMs,
        })) (s.steps[k] ??= []).push(v);
        console.log(`run ${i + 1} [${s.config}]: click to first prompt ${m.promptMs} ms`);
        await endLab(browser.page);
      } catch (err) {
        // A failed start is reported, not measured; the others go on.
        s.failed = (s.failed ?? 0) + 1;
        console.log(`run ${i + 1} [${s.config}]: FAILED: ${err.message}\nserver log (last lines):\n${s.server.log.slice(-15).join("\n")}`);
      } finally {
        await browser.close();
      }
      // Let the pool refill, as it would between two visitors.
      await new Promise((r) => setTimeout(r, 500));
    }
  }
} finally {
  for (const s of servers) await s.server.stop();
}
for (const s of servers) {
  console.log(`[${s.config}] ${s.prompt.length} runs: median click to first prompt ${median(s.prompt)} ms ` +
    `(min ${Math.min(...s.prompt)}, max ${Math.max(...s.prompt)}); ${s.failed ?? 0} failed; target 300 ms`);
  console.log(`  medians: ${Object.entries(s.steps).map(([k, v]) => `${k} ${median(v)} ms`).join(", ")} (after "click to lab page": since the lab page's start)`);
}
