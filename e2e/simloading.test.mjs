// Browser tests of the simulator page's loading progress: while the wasm
// downloads, compiles and starts, the first terminal shows what is
// happening (#loading: a bar, bytes and a percentage, then "Compiling",
// then "Starting"), and the first output of the shell takes it away.
// The link is throttled (as sim-load.mjs does) only so that a download
// lasts long enough to be seen; nothing here asserts on time.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  exportSite, launch, needs, ready, requirements, runAndWait, shot, startServer, staticServer, waitTerm,
} from "./support.mjs";

const PREFIX = "/course/nslab/";

// 4 Mbit/s: a 2 MB wasm takes four seconds or so to arrive.
const slowLink = { offline: false, latency: 40, downloadThroughput: 4e6 / 8, uploadThroughput: 4e6 / 8 };

// watchLoading records, from before the page's scripts run, every phase
// #loading goes through with the text it showed and its bar's value.
function watchLoading() {
  window.nslabLoading = [];
  const record = () => {
    const el = document.getElementById("loading");
    if (!el) return;
    const bar = el.querySelector("progress");
    const last = window.nslabLoading.at(-1);
    const now = {
      phase: el.dataset.phase, text: el.querySelector(".loading-text")?.textContent ?? "",
      value: bar?.hasAttribute("value") ? bar.value : null, hidden: el.hidden,
    };
    if (!last || last.phase !== now.phase || last.text !== now.text || last.hidden !== now.hidden) window.nslabLoading.push(now);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

const targets = {
  async server() {
    const server = await startServer();
    const wasm = await fetch(server.url + "/static/dist/nslab.wasm", { method: "HEAD" });
    return { url: server.url + "/sim", built: wasm.ok, stop: () => server.stop() };
  },
  async export() {
    const dir = await exportSite();
    const files = await staticServer(dir, PREFIX);
    return {
      url: files.url + PREFIX,
      built: true,
      async stop() {
        await files.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

for (const [where, setup] of Object.entries(targets)) {
  describe(`simulator loading from ${where}`, () => {
    let req, site, setupErr;
    before(async () => {
      req = await requirements();
      if (!req.pw) return;
      try {
        site = await setup();
      } catch (err) {
        setupErr = err;
      }
    });
    after(async () => {
      await site?.stop();
    });

    test("the page shows the download's progress, then compiling and starting, until the first output", async (t) => {
      if (!ready(t, req)) return;
      if (setupErr) throw setupErr;
      if (!needs(t, site.built, "the simulator in the binary (assets/dist/nslab.wasm)",
        "build it with `go run ./wasm/build`, then rebuild bin/nslab")) return;
      const browser = await launch(req.pw);
      const { page } = browser;
      try {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send("Network.enable");
        await cdp.send("Network.emulateNetworkConditions", slowLink);
        await page.addInitScript(watchLoading);
        await page.goto(site.url, { waitUntil: "commit" });

        // Part of the way through the download: the bar and the text say
        // how far it got.
        await page.waitForFunction(() => {
          const el = document.getElementById("loading");
          return el?.dataset.phase === "download" && el.querySelector("progress").value >= 0.2;
        }, null, { timeout: 60000, polling: 20 });
        const during = await page.evaluate(() => {
          const el = document.getElementById("loading");
          const r = el.getBoundingClientRect();
          return { text: el.querySelector(".loading-text").textContent, visible: !el.hidden && r.width > 100 && r.height > 50 };
        });
        await shot(page, `sim-loading-${where}-download`);
        assert.ok(during.visible, "the loading element covers the terminal while the wasm downloads");
        assert.match(during.text, /^Downloading the simulator: \d+\.\d of \d+\.\d MB \(\d+%\)$/);

        await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 60000, polling: 20 });
        // The page is usable: a command typed now runs.
        await runAndWait(page, 0, 'echo "LOADED""OK $((6*7))"');
        await waitTerm(page, 0, /^LOADEDOK 42$/m);
        await shot(page, `sim-loading-${where}-done`);

        const seen = await page.evaluate(() => window.nslabLoading);
        const phases = seen.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1]);
        const pct = (s) => `${Math.round((s.value ?? 0) * 100)}%`;
        const dl = seen.filter((s) => s.phase === "download");
        t.diagnostic(`phases: ${phases.join(", ")}; the download was reported ${dl.length} times, ${pct(dl[0] ?? {})} to ${pct(dl.at(-1) ?? {})}`);
        // "compile" may pass too quickly to be seen when compiling kept up
        // with the download.
        const want = phases.includes("compile") ? ["wait", "download", "compile", "start", "done"] : ["wait", "download", "start", "done"];
        assert.deepEqual(phases, want, "the loading element's phases, in order");
        const downloads = seen.filter((s) => s.phase === "download").map((s) => s.value);
        assert.ok(downloads.length >= 3, `the download reported its progress only ${downloads.length} times`);
        for (let i = 1; i < downloads.length; i++) assert.ok(downloads[i] >= downloads[i - 1], `the bar went back: ${downloads}`);
        assert.ok(seen.some((s) => s.phase === "start" && s.text === "Starting the simulator…"), "the page said it was starting the simulator");
        const last = seen.at(-1);
        assert.equal(last.phase, "done");
        assert.equal(last.hidden, true, "the loading element is gone once the shell has spoken");
        assert.equal(await page.locator("#loading").isVisible(), false);
      } catch (err) {
        await shot(page, `sim-loading-${where}-failed`).catch(() => {});
        throw err;
      } finally {
        await browser.close();
      }
      assert.deepEqual(browser.problems, [], "the page logged errors or had failed requests");
    });
  });
}
