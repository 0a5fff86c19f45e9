// Browser tests of recording and replay: a lab is recorded (a live one
// through the page's "Download recording" button, which asks the server;
// a simulated one from the simulator in the page), the server is gone,
// and the recording is replayed from the static site `nslab export`
// writes, served by a plain static file server: the terminal and the
// PID view must show what the lab showed at each moment, with seek,
// pause and speed.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  endLab, exportSite, launch, liveOnly, ready, requirements, runAndWait, shot, startLab, startServer, staticServer, waitTerm,
} from "./support.mjs";

const PREFIX = "/talk/";

/** download clicks the lab page's Download recording button and returns the file's text. */
async function download(page) {
  const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 15000 }), page.click("#download-recording")]);
  assert.match(dl.suggestedFilename(), /^nslab-.*\.cast$/);
  return readFileSync(await dl.path(), "utf8");
}

/** stateTime is the time of the first state event that brings process pid (a sleep). */
function stateTime(cast, pid) {
  for (const line of cast.split("\n").slice(1)) {
    if (!line.startsWith("[")) continue;
    const [t, type, data] = JSON.parse(line);
    if (type === "s" && data.includes(`"pid":${pid},`) && data.includes('"comm":"sleep"')) return t;
  }
  throw new Error(`no state event brings pid ${pid}`);
}

/** checkCast checks the asciicast v2 shape asciinema's tools read. */
function checkCast(cast) {
  const [first, ...rest] = cast.trimEnd().split("\n");
  const h = JSON.parse(first);
  assert.equal(h.version, 2);
  assert.ok(Number.isInteger(h.width) && Number.isInteger(h.height) && Number.isInteger(h.timestamp), `header ${first}`);
  for (const line of rest) {
    const ev = JSON.parse(line);
    assert.ok(ev.length === 3 && typeof ev[0] === "number" && typeof ev[1] === "string" && typeof ev[2] === "string", `event ${line.slice(0, 80)}`);
  }
}

/** sleepRow is the replayed PID view's row of host PID pid, null when there is none. */
function sleepRow(page, pid) {
  return page.evaluate((pid) => {
    const row = document.querySelector(`#v-pids tr[data-host-pid="${pid}"]`);
    return row ? row.querySelector("td.cmd").textContent.trim() : null;
  }, pid);
}

/** seekAndSettle seeks the replay to t and waits until xterm has drawn it. */
async function seekAndSettle(page, t) {
  await page.evaluate((t) => window.nslabReplay.seek(t), t);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
}

/**
 * replayOffline serves an exported site with cast in it as demo.cast,
 * opens its replay page in a fresh browser (by ?src= or by the file
 * input) and runs body(page); every request must go to the static server.
 */
async function replayOffline(pw, cast, name, how, body) {
  const dir = await exportSite();
  writeFileSync(join(dir, "demo.cast"), cast);
  const files = await staticServer(dir, PREFIX);
  const browser = await launch(pw);
  const { page } = browser;
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  try {
    if (how === "src") {
      await page.goto(files.url + PREFIX + "replay/?src=../demo.cast");
    } else {
      await page.goto(files.url + PREFIX + "replay/");
      await page.waitForFunction(() => window.nslabReplay, null, { timeout: 15000 });
      await page.setInputFiles("#replay-file", join(dir, "demo.cast"));
    }
    await page.waitForFunction(() => window.nslabReplay?.duration() > 0, null, { timeout: 30000, polling: 50 });
    await body(page);
    await shot(page, name, "#v-pids");
  } catch (err) {
    await shot(page, name + "-failed").catch(() => {});
    throw err;
  } finally {
    await browser.close();
    await files.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(browser.problems, [], "the replay page logged errors or had failed requests");
  const origin = files.url;
  const elsewhere = requests.filter((u) => !u.startsWith(origin + PREFIX));
  assert.deepEqual(elsewhere, [], "the replay page asked for something beyond the exported site");
  assert.ok(requests.some((u) => u.endsWith("/demo.cast") || how !== "src"), "the recording came from the site");
}

/** checkReplay: the PID view and the terminal at the right times, then pause and speed. */
async function checkReplay(page, cast, pid) {
  const tSleep = stateTime(cast, pid);
  const duration = await page.evaluate(() => window.nslabReplay.duration());
  assert.ok(tSleep > 0 && tSleep <= duration, `the sleep came at ${tSleep} s of ${duration} s`);

  // Just before the state that brought the sleep: no sleep in the PID
  // view (its PID may show already as the shell that forked to run it).
  await seekAndSettle(page, tSleep - 0.001);
  assert.doesNotMatch((await sleepRow(page, pid)) ?? "", /sleep/, `the PID view shows the sleep (pid ${pid}) before it started`);
  assert.doesNotMatch(await page.evaluate(() => window.nslabReplay.termText()), /AFTER-SLEEP/);
  await shot(page, "replay-before-sleep", "#v-pids");
  // From that state on: its row, with its command.
  await seekAndSettle(page, tSleep);
  assert.match((await sleepRow(page, pid)) ?? "", /sleep 1000/, `the PID view lacks pid ${pid} once it started`);
  // At the end: still there, and the terminal shows the last command.
  await seekAndSettle(page, duration);
  assert.match((await sleepRow(page, pid)) ?? "", /sleep 1000/);
  assert.match(await page.evaluate(() => window.nslabReplay.termText()), /^AFTER-SLEEP$/m);
  // Back to the start: the terminal is drawn again from nothing.
  await seekAndSettle(page, 0.001);
  assert.doesNotMatch((await sleepRow(page, pid)) ?? "", /sleep/, "seeking back left the sleep in the PID view");
  assert.doesNotMatch(await page.evaluate(() => window.nslabReplay.termText()), /SPID=/);

  // Speed: at 4× the recording's clock runs four times the page's. The
  // clock moves at its ticks, so the rate is taken between the start and
  // a tick half a second on (a loaded machine delays ticks, not the rate).
  await page.selectOption("#replay-speed", "4");
  const run = await page.evaluate(async () => {
    const r = window.nslabReplay;
    r.seek(0);
    document.getElementById("replay-play").click();
    const c0 = r.clock();
    await new Promise((res) => setTimeout(res, 500));
    let c1 = r.clock();
    while (c1.at - c0.at < 400) {
      await new Promise((res) => setTimeout(res, 20));
      c1 = r.clock();
    }
    return { rate: (c1.position - c0.position) / ((c1.at - c0.at) / 1000), moved: c1.position - c0.position, playing: r.playing(), speed: r.speed() };
  });
  assert.equal(run.speed, 4);
  assert.ok(run.playing, "playing after the play button");
  assert.ok(run.moved > 1, `at 4× the recording moved ${run.moved} s in half a second or more`);
  assert.ok(Math.abs(run.rate - 4) < 0.05, `at 4× the recording advanced ${run.rate.toFixed(2)} s a second of the page's`);

  // Pause: the position stands still.
  await page.click("#replay-play");
  const paused = await page.evaluate(async () => {
    const r = window.nslabReplay;
    const p0 = r.position();
    await new Promise((res) => setTimeout(res, 400));
    return { moved: r.position() - p0, playing: r.playing() };
  });
  assert.equal(paused.playing, false);
  assert.equal(paused.moved, 0, "the position moved while paused");

  // Playing through the sleep's start brings its row at its time.
  await page.evaluate((t) => window.nslabReplay.seek(Math.max(0, t - 1)), tSleep);
  await page.selectOption("#replay-speed", "2");
  await page.click("#replay-play");
  await page.waitForFunction((pid) => /sleep 1000/.test(document.querySelector(`#v-pids tr[data-host-pid="${pid}"] td.cmd`)?.textContent ?? ""),
    pid, { timeout: 15000, polling: 20 });
  const at = await page.evaluate(() => {
    window.nslabReplay.pause(); // the end may have paused it already: no toggle
    return window.nslabReplay.position();
  });
  assert.ok(at >= tSleep, `the row came at ${at} s, before the state that brought it (${tSleep} s)`);
}

describe("recording and replay", () => {
  let req, pw;
  before(async () => {
    req = await requirements();
    pw = req.pw;
  });

  test("a live lab's recording replays offline from an exported site", async (t) => {
    const server = req.pw ? await startServer() : null;
    let cast, pid;
    try {
      if (!ready(t, liveOnly(req, server))) return;
      const browser = await launch(pw);
      const { page } = browser;
      try {
        await startLab(page, server.url);
        await runAndWait(page, 0, "echo BEFORE-SLEEP");
        // The views stream while the page shows them, so the state
        // timeline has the lab without the sleep for a while.
        await page.waitForTimeout(1000);
        await runAndWait(page, 0, 'sleep 1000 & echo "SPID=$!"');
        pid = (await waitTerm(page, 0, /^SPID=(\d+)/m))[1];
        await page.locator(`#v-pids tr[data-host-pid="${pid}"]`).waitFor({ timeout: 15000 });
        await runAndWait(page, 0, "echo AFTER-SLEEP");
        cast = await download(page);
        await endLab(page);
      } finally {
        await browser.close();
      }
      assert.deepEqual(browser.problems, [], "the lab page logged errors or had failed requests");
    } finally {
      await server?.stop();
    }
    checkCast(cast);
    assert.match(cast, /AFTER-SLEEP/);
    // The server is gone: the replay has static files only.
    await replayOffline(pw, cast, "replay-live", "src", (page) => checkReplay(page, cast, pid));
  });

  test("a simulated lab's download replays from a file opened on the exported site", async (t) => {
    if (!ready(t, req)) return;
    const dir = await exportSite();
    const files = await staticServer(dir, PREFIX);
    let cast, pid;
    const browser = await launch(pw);
    const { page } = browser;
    try {
      await page.goto(files.url + PREFIX);
      await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 30000, polling: 20 });
      await runAndWait(page, 0, "echo BEFORE-SLEEP");
      await page.waitForTimeout(1000);
      await runAndWait(page, 0, 'sleep 1000 & echo "SPID=$!"');
      pid = (await waitTerm(page, 0, /^SPID=(\d+)/m))[1];
      await page.locator(`#v-pids tr[data-host-pid="${pid}"]`).waitFor({ timeout: 15000 });
      await runAndWait(page, 0, "echo AFTER-SLEEP");
      cast = await download(page);
    } finally {
      await browser.close();
      await files.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(browser.problems, [], "the simulator's page logged errors or had failed requests");
    checkCast(cast);
    assert.equal(JSON.parse(cast.split("\n")[0]).nslab.mode, "sim");
    await replayOffline(pw, cast, "replay-sim", "file", (page) => checkReplay(page, cast, pid));
  });
});
