// view-lag measures how far the views trail the terminal: from pressing
// Enter on `sleep N &` to that process's row in the PID view, in the
// system's headless Chromium, for a live lab and for the simulator. The
// page measures it itself: a keydown listener notes when Enter went down
// and a MutationObserver on the views notes when a row of the PID view
// first reads `sleep N` (the DOM holds it; it paints in the next frame).
// Each command waits for the shell's prompt and a quiet moment before the
// next, as a person typing would. It prints each mode's p50, p95 and
// maximum. It is a measurement, not a test: it asserts nothing
// (docs/BENCHMARKS.md).
//
//   node e2e/bench/view-lag.mjs [COMMANDS] [MODE…]
//
// COMMANDS is how many `sleep N &` to time in each mode (default 30);
// a MODE is "live" or "sim" (default both). NSLAB_BIN picks the binary.
import { launch, requirements, runAndWait, startLab, startServer, waitTerm } from "../support.mjs";

const args = process.argv.slice(2);
const count = Number(args[0] ?? 30);
const modes = args.length > 1 ? args.slice(1) : ["live", "sim"];

const req = await requirements();
if (!req.pw) {
  console.error(`needs ${req.missing.join(": ")}`);
  process.exit(2);
}

// quietMs is the pause between one command's row and the next command:
// each command starts from a lab where nothing happens.
const quietMs = 300;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** lagOnce types `sleep n &`, presses Enter and returns the page's measure of Enter → row, in ms. */
async function lagOnce(page, n) {
  await page.focus("#term-0 .xterm-helper-textarea");
  await page.keyboard.type(`sleep ${n} &`);
  await page.evaluate((want) => {
    window.__lag = new Promise((resolve) => {
      let t0 = 0;
      const views = document.getElementById("views");
      const seen = () => [...views.querySelectorAll("tr[data-host-pid] td.cmd")].some((td) => td.textContent.trim() === want);
      const obs = new MutationObserver(() => {
        if (t0 > 0 && seen()) {
          obs.disconnect();
          resolve(performance.now() - t0);
        }
      });
      obs.observe(views, { childList: true, subtree: true, characterData: true });
      document.addEventListener("keydown", (e) => {
        if (e.key === "Enter") t0 = performance.now();
      }, { capture: true, once: true });
      setTimeout(() => resolve(-1), 10000);
    });
  }, `sleep ${n}`);
  // runAndWait presses Enter and waits for the next prompt.
  const { feeds } = await page.evaluate(() => window.nslab.cursor(0));
  await page.keyboard.press("Enter");
  const ms = await page.evaluate(() => window.__lag);
  await page.waitForFunction((feeds) => {
    const c = window.nslab.cursor(0);
    return c.feeds > feeds && /[#$]$/.test(c.line.trimEnd());
  }, feeds, { timeout: 15000, polling: 20 });
  return ms;
}

async function measure(mode, server) {
  const b = await launch(req.pw);
  try {
    const { page } = b;
    if (mode === "live") {
      await startLab(page, server.url);
    } else {
      await page.goto(server.url + "/sim");
      await waitTerm(page, 0, /[#$] $/, 60000);
    }
    await page.waitForSelector("tr[data-host-pid]", { timeout: 20000 });
    await runAndWait(page, 0, "true");
    const lags = [];
    for (let i = 0; i < count; i++) {
      await new Promise((r) => setTimeout(r, quietMs));
      const ms = await lagOnce(page, 1000 + i);
      if (ms < 0) throw new Error(`${mode}: no row for sleep ${1000 + i} within 10 s`);
      lags.push(ms);
    }
    await runAndWait(page, 0, "kill $(jobs -p)");
    return lags;
  } finally {
    await b.close();
  }
}

const server = await startServer();
try {
  if (modes.includes("live") && server.mode !== "live") {
    console.error("live: nslab serve makes no live labs here (run as root on Linux with namespaces)");
    process.exitCode = 2;
  }
  for (const mode of modes) {
    if (mode === "live" && server.mode !== "live") continue;
    const lags = await measure(mode, server);
    const sorted = [...lags].sort((a, b) => a - b);
    const f = (x) => x.toFixed(1);
    console.log(`${mode}: Enter → row in the PID view over ${lags.length} commands: p50 ${f(percentile(sorted, 50))} ms, p95 ${f(percentile(sorted, 95))} ms, max ${f(sorted.at(-1))} ms`);
    console.log(`${mode}: each: ${lags.map(f).join(" ")}`);
  }
} finally {
  await server.stop();
}
