// Browser tests of the live lab: a real `nslab serve`, a real headless
// Chromium, real namespaces made by typing into the page's terminal. Each
// test checks that the views agree with what commands in the terminals
// print. Run with `node --test e2e/` after building bin/nslab and the
// assets.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  endLab, launch, liveOnly, needs, ready, requirements, run, runAndWait, shot, startLab, startServer, termText, waitTerm,
} from "./support.mjs";
import { checkMountView, checkPIDView, checkUserView } from "./views.mjs";

/** sudoIfPresent is "sudo " when the lab has sudo: lessons type it, a root shell does not need it. */
async function sudoIfPresent(t, page) {
  // The quotes split the markers, so the echoed command line cannot match.
  await runAndWait(page, 0, 'command -v sudo >/dev/null && echo "HAS""SUDO" || echo "NO""SUDO"');
  const m = await waitTerm(page, 0, /^(HAS|NO)SUDO$/m);
  if (m[1] === "NO") t.diagnostic("the lab has no sudo; typing the commands without it");
  return m[1] === "HAS" ? "sudo " : "";
}

describe("live lab", () => {
  let req, pw, server, browser;

  before(async () => {
    req = await requirements();
    pw = req.pw;
    if (pw) server = await startServer();
    req = liveOnly(req, server);
  });

  after(async () => {
    await server?.stop();
  });

  // Each test gets its own browser (a fresh profile) and its own lab.
  async function withLab(t, name, body, flags = []) {
    if (!ready(t, req)) return;
    browser = await launch(pw, flags);
    const { page } = browser;
    try {
      const m = await startLab(page, server.url);
      const timing = `click to first prompt ${m.promptMs} ms (target 300 ms); since page load: script ${m.scriptMs} ms, ` +
        `connected ${m.connectedMs} ms, hello ${m.helloMs} ms, ` +
        `terminal opened ${m.openedMs} ms, first output ${m.firstOutputMs} ms, prompt ${m.pageToPromptMs} ms`;
      t.diagnostic(timing);
      console.log(`${name}: ${timing}`);
      assert.doesNotMatch(m.href, /token=/, "the token must leave the address bar");
      const focus = await body(page);
      await shot(page, name, focus);
    } catch (err) {
      await shot(page, name + "-failed").catch(() => {});
      err.message += `\nserver log (last lines):\n${server.log.slice(-15).join("\n")}`;
      throw err;
    } finally {
      await endLab(page);
      const problems = browser.problems;
      await browser.close();
      assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), [], "the page logged errors");
    }
  }

  test("PID view: a sleep in a new pid namespace, seen from both sides", (t) =>
    withLab(t, "pids", async (page) => {
      const sudo = await sudoIfPresent(t, page);
      await checkPIDView(page, `${sudo}unshare --pid --mount-proc --fork sh`);
    }));

  test("user view: the uid map after unshare --user --map-root-user", (t) =>
    withLab(t, "users", async (page) => {
      await checkUserView(page, "unshare --user --map-root-user sh");
      return "#v-users";
    }));

  test("mount view: a tmpfs mounted in a new mount namespace", (t) =>
    withLab(t, "mounts", async (page) => {
      const sudo = await sudoIfPresent(t, page);
      return checkMountView(page, `${sudo}unshare -m sh`);
    }));

  test("views: clicking a set selects it; updates keep scroll positions", (t) =>
    withLab(t, "select", async (page) => {
      await runAndWait(page, 0, "unshare --uts sh");
      await runAndWait(page, 0, "hostname box");
      const ctr = page.locator('#v-compact tr[data-ns="uts"] td.ctr');
      await page.waitForFunction(() => document.querySelector('#v-compact tr[data-ns="uts"] td.ctr')?.textContent.trim() === "box", null, { timeout: 15000 });

      // Pick the lab host's own column: the container side becomes the host.
      await page.click("#v-map th.set.host");
      await page.waitForFunction(() => document.querySelector('#v-compact tr[data-ns="uts"] td.ctr')?.textContent.trim() === "lab", null, { timeout: 15000 })
        .catch(async () => assert.fail(`container hostname after picking the lab host: ${await ctr.innerText()}`));
      // And back to the container by clicking one of its processes.
      await page.locator("#v-pids tr[data-set]", { has: page.locator("td.cmd", { hasText: /^\s*sh\s*$/ }) }).last().click();
      await page.waitForFunction(() => document.querySelector('#v-compact tr[data-ns="uts"] td.ctr')?.textContent.trim() === "box", null, { timeout: 15000 });

      // Fill the PID view past its height and scroll it, then change the
      // lab: the PID section is replaced and keeps its place.
      await runAndWait(page, 0, "for i in $(seq 25); do sleep 1000 & done");
      await page.waitForFunction(() => document.querySelectorAll("#v-pids tr[data-host-pid]").length > 25, null, { timeout: 15000 });
      const scroller = page.locator("#v-pids-scroll");
      await scroller.evaluate((el) => { el.scrollTop = 80; });
      const before = await scroller.evaluate((el) => el.scrollTop);
      assert.ok(before > 0, `the PID view scrolls: ${await scroller.evaluate((el) => `scrollHeight ${el.scrollHeight} clientHeight ${el.clientHeight}`)}`);
      const rows = await page.locator("#v-pids tr[data-host-pid]").count();
      // Tag the sections; a section the update does not change must stay
      // the very same element (no redraw, no flicker).
      // (A property, not an attribute: an attribute would make it differ.)
      await page.evaluate(() => { for (const s of document.querySelectorAll("#views > section")) s.nslabTag = "old"; });
      await runAndWait(page, 0, "sleep 1002 &");
      await page.waitForFunction((n) => document.querySelectorAll("#v-pids tr[data-host-pid]").length > n, rows, { timeout: 15000 });
      assert.equal(await scroller.evaluate((el) => el.scrollTop), before, "scroll position kept across an update");
      const tag = (id) => page.evaluate((id) => document.getElementById(id).nslabTag ?? null, id);
      assert.equal(await tag("v-pids"), null, "the PID view was replaced");
      assert.equal(await tag("v-compact"), "old", "the unchanged section stayed in place");
      return "#v-compact";
    }));

  test("lab ended: deleting the lab shows a message and stops the terminals", (t) =>
    withLab(t, "ended", async (page) => {
      await endLab(page);
      const msg = page.locator("#messages .message.ended");
      await msg.waitFor({ timeout: 15000 });
      assert.match(await msg.innerText(), /ended/);
      assert.equal(await page.locator("#conn").innerText(), "lab ended");
    }));

  test("flow control: yes floods the terminal, Ctrl-C stops it", (t) =>
    withLab(t, "flow", async (page) => {
      await run(page, 0, "yes nslab-flood");
      await waitTerm(page, 0, /(nslab-flood\n){20}/);
      // Keep it running while xterm.js draws and acknowledges output; a
      // page that never acknowledged would stall the PTY here for good.
      await page.waitForTimeout(1500);
      await page.keyboard.press("Control+C");
      await page.waitForFunction(() => /[#$]$/.test(window.nslab.cursor(0).line.trimEnd()), null, { timeout: 15000, polling: 100 })
        .catch(async () => assert.fail(`no prompt after Ctrl-C; the cursor line reads ${JSON.stringify((await page.evaluate(() => window.nslab.cursor(0))).line)}`));
      await runAndWait(page, 0, 'echo "AFTER""FLOOD"');
      await waitTerm(page, 0, /^AFTERFLOOD$/m);
    }));

  test("exit: a shell that exits can be started again with Enter", (t) =>
    withLab(t, "exit", async (page) => {
      await run(page, 0, "exit 3");
      await waitTerm(page, 0, /shell exited with status 3/);
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => /[#$]$/.test(window.nslab.cursor(0).line.trimEnd()), null, { timeout: 15000, polling: 50 });
      await runAndWait(page, 0, 'echo "AGAIN""OK"');
      await waitTerm(page, 0, /^AGAINOK$/m);
    }));

  test("resize: the shell learns the terminal's new size", (t) =>
    withLab(t, "resize", async (page) => {
      const stty = async () => {
        await runAndWait(page, 0, 'echo "SIZE=$(stty size)"');
        const all = [...(await termText(page, 0)).matchAll(/^SIZE=(\d+) (\d+)$/gm)];
        const [, rows, cols] = all.at(-1);
        return { rows: Number(rows), cols: Number(cols) };
      };
      assert.deepEqual(await stty(), await page.evaluate(() => window.nslab.size(0)), "the first size reached the PTY");
      const before = await page.evaluate(() => window.nslab.size(0));
      await page.setViewportSize({ width: 1300, height: 700 });
      await page.waitForFunction((b) => {
        const s = window.nslab.size(0);
        return s.rows !== b.rows || s.cols !== b.cols;
      }, before, { timeout: 5000 });
      assert.deepEqual(await stty(), await page.evaluate(() => window.nslab.size(0)), "the new size reached the PTY");

      // Larger text for a projector: fewer columns, and the shell is told.
      const small = await page.evaluate(() => window.nslab.size(0));
      await page.click("#font-up");
      await page.click("#font-up");
      await page.waitForFunction((b) => window.nslab.size(0).cols < b.cols, small, { timeout: 5000 });
      assert.deepEqual(await stty(), await page.evaluate(() => window.nslab.size(0)), "the size after A+ reached the PTY");
      assert.equal(await page.evaluate(() => localStorage.getItem("nslab.fontSize")), "21", "the text size is kept for the next visit");
    }));

  test("without WebGL the terminal draws with the DOM renderer", (t) =>
    withLab(t, "no-webgl", async (page) => {
      assert.equal(await page.evaluate(() => !!document.createElement("canvas").getContext("webgl2")), false, "WebGL is off in this browser");
      await runAndWait(page, 0, 'echo "DOM""DRAWN"');
      await page.waitForFunction(() => /DOMDRAWN/.test(document.querySelector("#term-0 .xterm-rows")?.textContent ?? ""), null, { timeout: 10000 });
    }, ["--disable-webgl"]));

  test("a lab link with a wrong token says so", async (t) => {
    if (!ready(t, req)) return;
    const b = await launch(pw);
    try {
      await b.page.goto(`${server.url}/lab/abcdefabcdef#token=wrong`);
      const msg = b.page.locator("#messages .message.error");
      await msg.waitFor({ timeout: 15000 });
      assert.match(await msg.innerText(), /gone or its link is wrong/);
      assert.doesNotMatch(b.page.url(), /token=/, "the token left the address bar");
      await shot(b.page, "wrong-token");
    } finally {
      await b.close();
    }
  });

  test("reconnect: the terminal comes back with its output and works", (t) =>
    withLab(t, "reconnect", async (page) => {
      await runAndWait(page, 0, 'echo "BEFORE=$((6*7))"');
      await waitTerm(page, 0, /^BEFORE=42/m);
      await page.evaluate(() => window.nslab.dropConnection());
      await page.waitForFunction(() => document.getElementById("conn").textContent !== "connected", null, { timeout: 5000 });
      await page.waitForFunction(() => document.getElementById("conn").textContent === "connected", null, { timeout: 15000 });
      // The server replays recent output into the cleared terminal.
      await waitTerm(page, 0, /^BEFORE=42/m);
      await page.waitForFunction(() => /[#$]$/.test(window.nslab.cursor(0).line.trimEnd()), null, { timeout: 10000 });
      await runAndWait(page, 0, 'echo "AFTER=$((6*9))"');
      await waitTerm(page, 0, /^AFTER=54/m);
      await page.locator("#v-pids tr[data-host-pid]").first().waitFor({ timeout: 10000 });
    }));
});

describe("a full server", () => {
  let req, pw, server;
  before(async () => {
    req = await requirements();
    pw = req.pw;
    if (pw) server = await startServer(["--max-labs", "1"]);
    req = liveOnly(req, server);
  });
  after(async () => {
    await server?.stop();
  });

  test("503 when full is shown on the page with its Retry-After", async (t) => {
    if (!ready(t, req)) return;
    // Take the only place from outside the browser.
    const first = await fetch(server.url + "/api/labs", { method: "POST" });
    assert.equal(first.status, 201, "the first lab starts");
    const { id, token } = await first.json();

    const browser = await launch(pw);
    const { page } = browser;
    try {
      await page.goto(server.url + "/");
      const answer = page.waitForResponse((r) => r.url().endsWith("/api/labs"));
      await page.click("#start");
      const res = await answer;
      assert.equal(res.status(), 503);
      const retry = res.headers()["retry-after"];
      const msg = page.locator("#start-message");
      await msg.waitFor({ state: "visible" });
      const text = await msg.innerText();
      const { error } = await res.json();
      assert.ok(text.toLowerCase().includes(error.toLowerCase().replace(/\.$/, "")), `message ${JSON.stringify(text)} shows the server's error ${JSON.stringify(error)}`);
      if (retry) assert.match(text, new RegExp(`again in ${retry} s`), "the wait the server asked for is shown");
      assert.equal(await page.locator("#start").isDisabled(), true, "the button waits out Retry-After");
      await shot(page, "full");
    } finally {
      await browser.close();
      await fetch(`${server.url}/api/labs/${id}`, { method: "DELETE", headers: { Authorization: "Bearer " + token } });
    }
  });
});
