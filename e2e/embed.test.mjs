// Browser tests of embed mode (docs/embedding.md): a course page on
// another origin (another loopback port: docs/embed-example.html, served
// as a plain static file) shows a lab in an iframe (?embed=1), simulated
// and live, and drives it with postMessage: the lab says "ready", a
// lesson step's commands sent with "type" run in its terminal and tick
// the step ("step-completed"), "end" ends it ("exited"). A page of a
// third origin in a frame beside it posts "type" too: the lab refuses it
// (logs it, and its terminal never gets the text). The pages' CSP
// frame-ancestors is checked with and without --frame-ancestors.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { binary, launch, liveOnly, ready, repo, requirements, shot, startServer, staticServer } from "./support.mjs";

// The third origin's page: it finds the lab's frame beside it (the host
// page's first frame) and types into it, as a hostile ad or widget would.
const attackerPage = `<!DOCTYPE html><meta charset="utf-8"><title>other</title><script>
parent.frames[0].postMessage({ nslab: 1, type: "type", text: "echo PWNED-$((6*7))\\n" }, "*");
document.title = "sent";
</script>`;

/** received waits for a message of the lab's (as the host page got it) that matches want's fields. */
async function received(page, want, timeout = 30000) {
  try {
    const h = await page.waitForFunction(
      (want) => window.received.find((m) => Object.entries(want).every(([k, v]) => m[k] === v)),
      want, { timeout, polling: 50 },
    );
    return h.jsonValue();
  } catch (err) {
    const got = await page.evaluate(() => window.received).catch(() => "?");
    throw new Error(`the host page never got ${JSON.stringify(want)}; it got ${JSON.stringify(got)}\n(${err.message.split("\n")[0]})`);
  }
}

/** tell posts msg to the lab's frame from the host page, to the lab's origin. */
function tell(page, msg) {
  return page.evaluate((msg) => document.getElementById("lab").contentWindow.postMessage({ nslab: 1, ...msg }, new URL(document.getElementById("lab").src).origin), msg);
}

/** labFrame is the lab's frame in the host page. */
function labFrame(page, labURL) {
  const f = page.frames().find((f) => f.url().startsWith(labURL + "/"));
  assert.ok(f, `no frame of ${labURL} in the host page: ${page.frames().map((f) => f.url())}`);
  return f;
}

async function frameWaitTerm(frame, re, timeout = 20000) {
  try {
    await frame.waitForFunction(([src, flags]) => new RegExp(src, flags).test(window.nslab.termText(0)), [re.source, re.flags], { timeout, polling: 50 });
  } catch (err) {
    throw new Error(`the embedded terminal never showed ${re}; it reads:\n${await frame.evaluate(() => window.nslab.termText(0)).catch(() => "?")}\n(${err.message.split("\n")[0]})`);
  }
}

/**
 * exercise runs the common part on the host page, once the lab in it is
 * ready: the third origin's message is refused, a typed line runs, the
 * uts lesson's first step typed with "type" ticks.
 */
async function exercise(page, labURL, consoleLines, name) {
  const frame = labFrame(page, labURL);
  // No chrome: the header bar is not shown, the terminal and views are.
  assert.equal(await frame.locator(".bar").isVisible(), false, "the header bar shows in embed mode");
  assert.equal(await frame.locator("#term-0").isVisible(), true);
  assert.equal(await frame.locator("#views").isVisible(), true);
  assert.equal(await frame.locator('[data-lesson="uts"]').isVisible(), true, "the lesson panel is not shown");

  // A third origin types into the lab: refused, and said so.
  await page.evaluate((src) => {
    const f = document.createElement("iframe");
    f.src = src;
    f.id = "other";
    f.style.height = "2rem";
    document.body.append(f);
  }, thirdURL + "/attacker.html");
  await waitFor(() => consoleLines.some((l) => l.includes(`ignored a message from ${thirdURL}`)), "the lab's log of the refused message", consoleLines);

  // The host page's own controls: typed text runs.
  await page.fill("#text", "echo typed-$((20+22))");
  await page.click("#type");
  await frameWaitTerm(frame, /^typed-42$/m);

  // The lesson's first step, typed by the host page: it ticks.
  await tell(page, { type: "type", text: "unshare --uts sh\nhostname container1\nhostname\n" });
  const done = await received(page, { type: "step-completed", step: 1 });
  assert.equal(done.lesson, "uts");
  // hostname's answer (after a prompt, when the lines were typed ahead
  // of sh's first one), not the typed command's echo.
  await frameWaitTerm(frame, /(^|# )container1$/m);
  const text = await frame.evaluate(() => window.nslab.termText(0));
  assert.doesNotMatch(text, /PWNED/, "the third origin's text reached the terminal");
  await shot(page, `embed-${name}`);

  // The rest of the lesson, a step at a time (a step's check runs while
  // the lab is in that step's state): each ticks once, then the lesson.
  const rest = [
    "domainname lessons.example\ndomainname\nuname -n\n",
    "exit\nhostname\n",
    "touch /root/uts-kept\nunshare --uts=/root/uts-kept hostname kept\nnsenter --uts=/root/uts-kept hostname\n",
  ];
  for (const [i, text] of rest.entries()) {
    await tell(page, { type: "type", text });
    await received(page, { type: "step-completed", step: i + 2 });
  }
  const fin = await received(page, { type: "lesson-completed" });
  assert.deepEqual(fin, { nslab: 1, type: "lesson-completed", lesson: "uts", steps: 4 });
  const steps = await page.evaluate(() => window.received.filter((m) => m.type === "step-completed").map((m) => m.step));
  assert.deepEqual(steps, [1, 2, 3, 4], "each step is reported once, in order");
  return frame;
}

let thirdURL;

async function waitFor(cond, what, lines, timeout = 20000) {
  const end = Date.now() + timeout;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`never saw ${what}; console:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("embed mode", () => {
  let req, server, plain, host, third, thirdDir, site, siteDir, setupErr;
  before(async () => {
    req = await requirements();
    if (!req.pw) return;
    try {
      // The course's page and a third site, each on a port (origin) of its own.
      host = await staticServer(join(repo, "docs"), "/");
      thirdDir = mkdtempSync(join(tmpdir(), "nslab-e2e-third-"));
      writeFileSync(join(thirdDir, "attacker.html"), attackerPage);
      third = await staticServer(thirdDir, "/");
      thirdURL = third.url;
      server = await startServer(["--frame-ancestors", host.url, "--embed-origins", host.url]);
      plain = await startServer();
      // The simulator as a static site, which names the course's origin
      // in its static/embed.json.
      siteDir = mkdtempSync(join(tmpdir(), "nslab-e2e-embed-export-"));
      execFileSync(binary, ["export", "--force", "--embed-origins", host.url, siteDir], { stdio: "ignore" });
      site = await staticServer(siteDir, "/course/nslab/");
    } catch (err) {
      setupErr = err;
    }
  });
  after(async () => {
    await server?.stop();
    await plain?.stop();
    await host?.stop();
    await third?.stop();
    await site?.stop();
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
    if (thirdDir) rmSync(thirdDir, { recursive: true, force: true });
  });

  test("the pages' frame-ancestors: 'none' without --frame-ancestors, the origins given with it", async (t) => {
    if (!ready(t, req)) return;
    if (setupErr) throw setupErr;
    for (const path of ["/sim", "/lab/abcdefghijkl", "/"]) {
      const without = await fetch(plain.url + path);
      assert.match(without.headers.get("content-security-policy"), /frame-ancestors 'none'$/, `${path} without the flag`);
      assert.equal(without.headers.get("x-frame-options"), "DENY");
      const with_ = await fetch(server.url + path);
      assert.match(with_.headers.get("content-security-policy"), new RegExp(`frame-ancestors ${host.url}$`), `${path} with the flag`);
      assert.equal(with_.headers.get("x-frame-options"), null);
    }
    assert.deepEqual(await (await fetch(server.url + "/static/embed.json")).json(), { nslab: 1, origins: [host.url] });
    assert.deepEqual(await (await fetch(plain.url + "/static/embed.json")).json(), { nslab: 1, origins: [] });
  });

  const simTargets = {
    server: () => [server.url, `${server.url}/sim?lesson=uts&embed=1`],
    export: () => [site.url, `${site.url}/course/nslab/index.html?lesson=uts&embed=1`],
  };
  for (const [where, target] of Object.entries(simTargets)) test(`a simulated lab (${where}) in another origin's page: ready, type, step-completed, a third origin refused, start-lesson, end`, async (t) => {
    if (!ready(t, req)) return;
    if (setupErr) throw setupErr;
    const b = await launch(req.pw);
    try {
      const { page, problems } = b;
      const consoleLines = [];
      page.on("console", (m) => consoleLines.push(m.text()));
      const [labURL, src] = target();
      await page.goto(`${host.url}/embed-example.html?src=${encodeURIComponent(src)}`);
      const r = await received(page, { type: "ready" });
      assert.deepEqual(r, { nslab: 1, type: "ready", mode: "sim", lesson: "uts" });
      const frame = await exercise(page, labURL, consoleLines, `sim-${where}`);

      // The lab fits its frame: a narrow one stacks the lesson, the
      // terminal and the views (the frame scrolls), and the terminal is
      // refitted to its new width.
      const wide = await frame.evaluate(() => window.nslab.size(0).cols);
      await page.evaluate(() => { document.getElementById("lab").style.width = "560px"; });
      await frame.waitForFunction((wide) => window.nslab.size(0).cols !== wide, wide, { timeout: 10000 }).catch(async (err) => {
        await shot(page, `embed-sim-${where}-narrow`);
        throw new Error(`the terminal kept ${wide} columns in a narrow frame: ${JSON.stringify(await frame.evaluate(() => [window.nslab.size(0), innerWidth, document.getElementById("term-0").getBoundingClientRect().width]))}\n${err.message}`);
      });
      const box = await frame.evaluate(() => document.getElementById("term-0").getBoundingClientRect().toJSON());
      assert.ok(box && box.x >= 0 && box.x + box.width <= 560, `the terminal spans ${box?.x}–${box?.x + box?.width} px in a 560 px frame`);
      await shot(page, `embed-sim-${where}-narrow`);
      await page.evaluate(() => { document.getElementById("lab").style.width = "900px"; });
      await frame.waitForFunction(() => document.querySelector("#views").getBoundingClientRect().top > document.querySelector("#term-0").getBoundingClientRect().bottom, null, { timeout: 10000 });
      await shot(page, `embed-sim-${where}-medium`);
      await page.evaluate(() => { document.getElementById("lab").style.width = ""; });

      // Another lesson, in the same frame.
      await page.fill("#lesson-name", "pid");
      await page.click("#start-lesson");
      await received(page, { type: "ready", lesson: "pid" });
      await frame.waitForSelector('[data-lesson="pid"]');

      await page.click("#end");
      const ex = await received(page, { type: "exited", what: "lab" });
      assert.match(ex.reason, /ended by the page around it/);
      assert.match(await frame.locator("#messages").innerText(), /This lab has ended/);
      assert.deepEqual(problems, []);
    } finally {
      await b.close();
    }
  });

  test("a live lab in another origin's page: ready, type, step-completed, a third origin refused, end", async (t) => {
    if (!ready(t, req)) return;
    if (setupErr) throw setupErr;
    if (!ready(t, liveOnly(req, server))) return;
    const b = await launch(req.pw);
    const res = await fetch(server.url + "/api/labs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lesson: "uts" }) });
    assert.equal(res.status, 201, await res.clone().text());
    const lab = await res.json();
    try {
      const { page, problems } = b;
      const consoleLines = [];
      page.on("console", (m) => consoleLines.push(m.text()));
      const [path, fragment] = lab.url.split("#");
      const src = `${server.url}${path}?embed=1#${fragment}`;
      await page.goto(`${host.url}/embed-example.html?src=${encodeURIComponent(src)}`);
      const r = await received(page, { type: "ready" });
      assert.deepEqual(r, { nslab: 1, type: "ready", mode: "live", lesson: "uts" });
      await exercise(page, server.url, consoleLines, "live");

      // The terminal's shell ends: "exited" for the terminal.
      await tell(page, { type: "type", text: "exit 3\n" });
      const ex = await received(page, { type: "exited", what: "terminal" });
      assert.deepEqual(ex, { nslab: 1, type: "exited", what: "terminal", term: 0, status: 3 });

      await page.click("#end");
      await received(page, { type: "exited", what: "lab" });
      const gone = await fetch(`${server.url}/api/labs/${lab.id}/state`, { headers: { Authorization: "Bearer " + lab.token } });
      assert.equal(gone.status, 404, "the lab is still there after end");
      assert.deepEqual(problems.filter((p) => !/HTTP 404 GET \/api\//.test(p)), []);
    } finally {
      await b.close();
      await fetch(`${server.url}/api/labs/${lab.id}`, { method: "DELETE", headers: { Authorization: "Bearer " + lab.token } }).catch(() => {});
    }
  });
});
