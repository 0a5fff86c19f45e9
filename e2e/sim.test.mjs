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

/** openSecondTerminal opens terminal 2 (on the lab host) and waits for its prompt. */
async function openSecondTerminal(page) {
  await page.click("#add-term");
  await page.waitForFunction(() => /[#$]$/.test(window.nslab.cursor(1)?.line.trimEnd() ?? ""), null, { timeout: 15000, polling: 50 });
}

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
        if (focus) await page.locator(focus).scrollIntoViewIfNeeded();
        await shot(page, `sim-${where}-${name}`);
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
        await runAndWait(page, 0, "sudo unshare --pid --mount-proc --fork sh");
        await runAndWait(page, 0, "sleep 1000 &");
        await runAndWait(page, 0, 'echo "CPID=$!"');
        const ctrPID = (await waitTerm(page, 0, /^CPID=(\d+)/m))[1];
        const row = page.locator(`#v-pids tr[data-container-pid="${ctrPID}"]`);
        await row.waitFor({ timeout: 15000 });
        assert.match(await row.locator("td.cmd").innerText(), /sleep 1000/);
        const hostPID = await row.getAttribute("data-host-pid");
        assert.notEqual(hostPID, ctrPID, "a process in a new pid namespace has a different PID on the host");

        // The lab host's own shell prints the host PID.
        await openSecondTerminal(page);
        await runAndWait(page, 1, "ps -e -o pid=,args= | grep '[s]leep 1000'");
        const psPID = (await waitTerm(page, 1, /^\s*(\d+) sleep 1000\s*$/m))[1];
        assert.equal(hostPID, psPID, "the view's host PID is what ps prints on the lab host");
        const hostOnly = await page.locator("#v-pids tr[data-host-pid]:not([data-container-pid])").count();
        assert.ok(hostOnly > 0, "lab host processes appear on the host side only");
        return "#v-pids";
      }));

    test("user view: unshare --user --map-root-user", (t) =>
      withSim(t, "users", async (page) => {
        await runAndWait(page, 0, 'echo "HOSTUSERNS=$(readlink /proc/self/ns/user)"');
        const hostNS = (await waitTerm(page, 0, /^HOSTUSERNS=(user:\[\d+\])/m))[1];
        await runAndWait(page, 0, "unshare --user --map-root-user");
        await runAndWait(page, 0, 'echo "USERNS=$(readlink /proc/self/ns/user) UID=$(id -u)"');
        const [, userns, innerUID] = await waitTerm(page, 0, /^USERNS=(user:\[\d+\]) UID=(\d+)/m);
        assert.notEqual(userns, hostNS, "the shell is in a new user namespace");
        await runAndWait(page, 0, "sleep 1001 &");
        await runAndWait(page, 0, 'echo "PID=$!"; cat /proc/self/uid_map');
        const pid = (await waitTerm(page, 0, /^PID=(\d+)/m))[1];
        const [, inside, outside, count] = await waitTerm(page, 0, /^\s*(\d+)\s+(\d+)\s+(\d+)\s*$/m);
        const range = (first) => `${first}–${Number(first) + Number(count) - 1}`;

        const map = page.locator(`#v-users .userns[data-userns="${userns}"] .maprow[data-map="uid"]`).first();
        await map.waitFor({ timeout: 15000 });
        assert.equal(await map.getAttribute("data-inside"), range(inside));
        assert.equal(await map.getAttribute("data-outside"), range(outside));

        const row = page.locator(`#v-users tr[data-pid="${pid}"]`);
        await row.waitFor({ timeout: 15000 });
        assert.equal(await row.getAttribute("data-container-uid"), innerUID, "the container's uid is what id -u says inside");
        await openSecondTerminal(page);
        await runAndWait(page, 1, `echo "HUID=$(ps -o uid= -p ${pid})"`);
        const hostUID = (await waitTerm(page, 1, /^HUID=\s*(\d+)/m))[1];
        assert.equal(await row.getAttribute("data-host-uid"), hostUID, "the host's uid is what ps says on the lab host");
        return "#v-users";
      }));

    test("mount view: unshare -m, then mount -t tmpfs tmpfs /mnt", (t) =>
      withSim(t, "mounts", async (page) => {
        await runAndWait(page, 0, "unshare -m");
        await runAndWait(page, 0, "mount -t tmpfs tmpfs /mnt");
        await runAndWait(page, 0, `grep ' /mnt ' /proc/self/mountinfo | sed 's/^/M''I: /'`);
        const mi = (await waitTerm(page, 0, /^MI: (.*)$/m))[1].trim().split(/\s+/);
        const optional = mi.slice(6, mi.indexOf("-"));
        const want = optional.length ? optional : ["private"];

        const ctr = page.locator('#v-mounts tr[data-mountpoint="/mnt"][data-side="container"]');
        await ctr.waitFor({ timeout: 15000 });
        assert.match(await ctr.getAttribute("class"), /\bonly\b/, "the container's /mnt is marked as only on its side");
        assert.deepEqual(await ctr.locator(".prop").allInnerTexts(), want, "propagation as mountinfo says");
        assert.match(await ctr.innerText(), /tmpfs/);
        const hostTmpfs = await page.locator('#v-mounts tr[data-mountpoint="/mnt"][data-side="host"]').filter({ hasText: "tmpfs" }).count();
        assert.equal(hostTmpfs, 0, "the lab host does not see the container's tmpfs");

        // And the lab host's own terminal agrees.
        await openSecondTerminal(page);
        await runAndWait(page, 1, `grep -c ' /mnt ' /proc/self/mountinfo | sed 's/^/HOSTMNT=/'`);
        assert.equal((await waitTerm(page, 1, /^HOSTMNT=(\d+)/m))[1], "0", "no /mnt mount on the lab host");
        return '#v-mounts tr[data-mountpoint="/mnt"][data-side="container"]';
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
