// Browser tests of the simulator: the lab runs in the page (nslab.wasm),
// served once by `nslab serve` at /sim and once as the static site
// `nslab export` writes, from a plain static file server under a path
// prefix. The article's commands are typed into the terminal and the
// views must follow, with no request beyond static files.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  exportSite, launch, needs, ready, requirements, runAndWait, shot, startServer, staticServer, waitTerm,
} from "./support.mjs";
import { checkMountView, checkPIDView, checkUserView, openSecondTerminal } from "./views.mjs";

const PREFIX = "/course/nslab/";

const targets = {
  // The server's /sim page; static files under /static/.
  async server() {
    const server = await startServer();
    const wasm = await fetch(server.url + "/static/dist/nslab.wasm", { method: "HEAD" });
    return {
      url: server.url + "/sim",
      built: wasm.ok,
      isStatic: (path) => path === "/sim" || path.startsWith("/static/"),
      stop: () => server.stop(),
    };
  },
  // An exported site under a prefix, served by a server that knows
  // nothing of nslab.
  async export() {
    const dir = await exportSite();
    const files = await staticServer(dir, PREFIX);
    return {
      url: files.url + PREFIX,
      built: true,
      isStatic: (path) => path.startsWith(PREFIX),
      gzip: true, // the export's nslab.wasm.gz, served as such
      async stop() {
        await files.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

for (const [where, setup] of Object.entries(targets)) {
  describe(`simulator from ${where}`, () => {
    let req, pw, site, setupErr;

    before(async () => {
      req = await requirements();
      pw = req.pw;
      if (!pw) return;
      try {
        site = await setup();
      } catch (err) {
        setupErr = err; // reported by each test: hooks cannot fail a test clearly
      }
    });

    after(async () => {
      await site?.stop();
    });

    // Each test loads the page in a fresh browser (a fresh simulated lab),
    // records every request and websocket, and checks them afterwards.
    async function withSim(t, name, body) {
      if (!ready(t, req)) return;
      if (setupErr) throw setupErr;
      if (!needs(t, site.built, "the simulator in the binary (assets/dist/nslab.wasm)",
        "build it with `go run ./wasm/build`, then rebuild bin/nslab")) return;
      const browser = await launch(pw);
      const { page } = browser;
      const requests = [];
      const sockets = [];
      page.on("request", (r) => requests.push(r));
      page.on("websocket", (ws) => sockets.push(ws.url()));
      let wasmEncoding;
      page.on("response", (r) => {
        if (r.url().endsWith("/dist/nslab.wasm")) wasmEncoding = r.headers()["content-encoding"] ?? "none";
      });
      try {
        await page.goto(site.url);
        await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 20000, polling: 20 });
        const m = await page.evaluate(() => window.nslab.metrics);
        const timing = `page load to first prompt ${m.pageToPromptMs} ms (target 1500 ms); script ${m.scriptMs} ms, ` +
          `simulator running ${m.connectedMs} ms, first output ${m.firstOutputMs} ms`;
        t.diagnostic(timing);
        console.log(`sim-${where}-${name}: ${timing}`);
        const focus = await body(page);
        await shot(page, `sim-${where}-${name}`, focus);
      } catch (err) {
        await shot(page, `sim-${where}-${name}-failed`).catch(() => {});
        throw err;
      } finally {
        await browser.close();
      }
      assert.deepEqual(browser.problems, [], "the page logged errors or had failed requests");
      assert.deepEqual(sockets, [], "the simulator opened a websocket");
      const origin = new URL(site.url).origin;
      const bad = requests
        .map((r) => ({ method: r.method(), url: new URL(r.url()) }))
        .filter(({ method, url }) => url.origin !== origin || method !== "GET" || !site.isStatic(url.pathname) || url.pathname.includes("/api/"))
        .map(({ method, url }) => `${method} ${url.href}`);
      assert.deepEqual(bad, [], "the page asked for something other than its static files");
      assert.ok(requests.some((r) => r.url().endsWith("/dist/nslab.wasm")), "the page loaded the wasm");
      assert.equal(requests.filter((r) => r.url().endsWith("/dist/nslab.wasm")).length, 1, "the wasm is fetched once (the preload is used)");
      if (site.gzip) assert.equal(wasmEncoding, "gzip", "the wasm came precompressed");
    }

    test("PID view: sudo unshare --pid --mount-proc --fork sh, then sleep 1000 &", (t) =>
      withSim(t, "pids", async (page) => {
        return checkPIDView(page, "sudo unshare --pid --mount-proc --fork sh");
      }));

    test("user view: unshare --user --map-root-user", (t) =>
      withSim(t, "users", async (page) => {
        await runAndWait(page, 0, 'echo "HOSTUSERNS=$(readlink /proc/self/ns/user)"');
        const hostNS = (await waitTerm(page, 0, /^HOSTUSERNS=(user:\[\d+\])/m))[1];
        const userns = await checkUserView(page, "unshare --user --map-root-user");
        assert.notEqual(userns, hostNS, "the shell is in a new user namespace");
        return "#v-users";
      }));

    test("mount view: unshare -m, then mount -t tmpfs tmpfs /mnt", (t) =>
      withSim(t, "mounts", async (page) => {
        const shown = await checkMountView(page, "unshare -m");

        // And the lab host's own terminal agrees.
        await openSecondTerminal(page);
        await runAndWait(page, 1, `grep -c ' /mnt ' /proc/self/mountinfo | sed 's/^/HOSTMNT=/'`);
        assert.equal((await waitTerm(page, 1, /^HOSTMNT=(\d+)/m))[1], "0", "no /mnt mount on the lab host");
        return shown;
      }));
  });
}

// Many static servers know nothing of .wasm or precompressed files: the
// page then compiles the wasm after downloading it, and still works.
describe("simulator from an exported site on a naive static server", () => {
  let req, pw, dir, files;
  before(async () => {
    req = await requirements();
    pw = req.pw;
    if (!pw) return;
    dir = await exportSite();
    files = await staticServer(dir, PREFIX, { plain: true });
  });
  after(async () => {
    await files?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("the lab starts and answers", async (t) => {
    if (!ready(t, req)) return;
    const browser = await launch(pw);
    const { page } = browser;
    try {
      const wasm = page.waitForResponse((r) => r.url().endsWith("/dist/nslab.wasm"));
      await page.goto(files.url + PREFIX);
      const res = await wasm;
      assert.equal(res.headers()["content-type"], "application/octet-stream");
      assert.equal(res.headers()["content-encoding"], undefined);
      await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 20000, polling: 20 });
      t.diagnostic(`page load to first prompt ${await page.evaluate(() => window.nslab.metrics.pageToPromptMs)} ms without streaming compilation or gzip`);
      await runAndWait(page, 0, 'echo "PLAIN""OK $((6*7))"');
      await waitTerm(page, 0, /^PLAINOK 42$/m);
      await shot(page, "sim-export-plain");
    } finally {
      await browser.close();
    }
    assert.deepEqual(browser.problems, [], "the page logged errors or had failed requests");
  });
});
