// Browser tests of lessons: a lesson opened live (from the landing page's
// lesson picker), in the simulator at /sim?lesson=NAME, and in an exported
// static site at index.html?lesson=NAME. Each is completed the way a
// learner does it: by clicking every {{exec}} block of each step in turn,
// while the steps tick by themselves (data-done="true").
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  binary, endLab, exportSite, launch, liveOnly, ready, requirements, shot, startServer, staticServer, termText, waitTerm,
} from "./support.mjs";

// Every built-in lesson, as `nslab lessons list` names them (the binary is
// checked by requirements() in each test).
const builtinLessons = existsSync(binary)
  ? execFileSync(binary, ["lessons", "list"]).toString().trim().split("\n")
  : ["namespaces"];

/**
 * completeLesson clicks the {{exec}} blocks of every step of the open
 * lesson, step by step, waiting for each step to tick before the next.
 * Solution sections (<details>) are opened first, as a learner would.
 */
async function completeLesson(page, name, afterStep = async () => {}) {
  const panel = `[data-lesson="${name}"]`;
  await page.waitForSelector(panel, { timeout: 20000 });
  const steps = await page.locator(`${panel} [data-step]`).count();
  assert.ok(steps >= 4, `lesson ${name} has ${steps} steps`);
  const ticked = [];
  for (let n = 1; n <= steps; n++) {
    const step = `${panel} [data-step="${n}"]`;
    const count = await page.evaluate((sel) => {
      const s = document.querySelector(sel);
      for (const d of s.querySelectorAll("details")) d.open = true;
      return s.querySelectorAll('[data-action="exec"]').length;
    }, step);
    assert.ok(count > 0, `step ${n} of ${name} has no {{exec}} block to click`);
    for (let i = 0; i < count; i++) {
      // A step may tick before its last block ran (its check already
      // holds) and fold: the learner opens it again to go on.
      await page.evaluate((sel) => {
        for (const d of document.querySelector(sel).querySelectorAll("details")) d.open = true;
      }, step);
      await page.locator(`${step} [data-action="exec"]`).nth(i).click();
      await page.evaluate(() => window.nslab.lessonIdle());
    }
    const t0 = Date.now();
    await page.waitForSelector(`${step}[data-done="true"]`, { timeout: 30000 }).catch(async (err) => {
      throw new Error(`step ${n} of ${name} did not tick; the terminal reads:\n${(await termText(page, 0)).slice(-1500)}\n(${err.message.split("\n")[0]})`);
    });
    ticked.push(Date.now() - t0);
    await afterStep(n, step);
  }
  // Every step ticked, none was marked twice, and the finish page shows.
  assert.equal(await page.locator(`${panel} [data-step][data-done="true"]`).count(), steps);
  assert.equal(await page.locator(`${panel} #lesson-finish:not([hidden])`).count(), 1, "the finish page is not shown");
  return ticked;
}

/** waitPrompt waits for the first terminal's prompt. */
async function waitPrompt(page) {
  await waitTerm(page, 0, /[#$] ?$/m, 20000);
}

describe("lessons, live", () => {
  let req, server, setupErr;
  before(async () => {
    req = await requirements();
    if (!req.pw) return;
    try {
      server = await startServer();
      req = liveOnly(req, server);
    } catch (err) {
      setupErr = err;
    }
  });
  after(async () => {
    await server?.stop();
  });

  for (const name of builtinLessons) {
    test(`the ${name} lesson, started from the landing page's picker, ticks every step`, async (t) => {
      if (!ready(t, req)) return;
      if (setupErr) throw setupErr;
      const b = await launch(req.pw);
      try {
        const { page, problems } = b;
        await page.goto(server.url + "/");
        if (name === "namespaces") await shot(page, "lesson-landing");
        await page.click(`[data-start-lesson="${name}"]`);
        await page.waitForURL(/\/lab\//, { timeout: 15000 });
        await waitPrompt(page);
        await page.waitForSelector(`[data-lesson="${name}"]`, { timeout: 20000 });
        await shot(page, `lesson-live-${name}-start`);
        // The article's user-namespace step, as student: the users view
        // shows the same process as uid 0 in the container and uid 1000
        // on the lab host (the step's own verify only reads uid_map).
        const ticked = await completeLesson(page, name, async (n, step) => {
          const text = await page.locator(step).innerText();
          if (name !== "namespaces" || !text.includes("--map-root-user")) return;
          const row = '#v-users [data-host-uid="1000"][data-container-uid="0"]';
          await page.waitForSelector(row, { timeout: 15000 });
          // The same process is in the PID view, with both uids.
          const pid = await page.locator(row).first().getAttribute("data-pid");
          const cells = await page.locator(`#v-pids [data-host-pid="${pid}"] td`).allInnerTexts();
          assert.deepEqual(cells.slice(-2).map((c) => c.trim()), ["1000", "0"], `the PID view's row of ${pid}: ${cells}`);
        });
        console.log(`live ${name}: steps ticked ${ticked.map((ms) => ms + " ms").join(", ")} after their last command`);
        await shot(page, `lesson-live-${name}`);
        // Progress is the server's: a reload shows every step done.
        await page.reload();
        await page.waitForSelector(`[data-lesson="${name}"]`, { timeout: 20000 });
        const steps = await page.locator("[data-step]").count();
        assert.equal(await page.locator('[data-step][data-done="true"]').count(), steps, "progress lost on reload");
        // The views never showed a check's process: no bash -c of a
        // verify script in the PID view.
        const pidView = await page.locator("#v-pids").innerText();
        assert.doesNotMatch(pidView, /verify|bash -c/, "a check shows in the PID view");
        assert.deepEqual(problems, []);
        await endLab(page);
      } finally {
        await b.close();
      }
    });
  }
});

const simTargets = {
  async server() {
    const server = await startServer();
    return { url: (name) => `${server.url}/sim?lesson=${name}`, stop: () => server.stop() };
  },
  async export() {
    const dir = await exportSite();
    const files = await staticServer(dir, "/course/nslab/");
    return {
      url: (name) => `${files.url}/course/nslab/index.html?lesson=${name}`,
      requests: files.requests,
      async stop() {
        await files.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

for (const [where, setup] of Object.entries(simTargets)) {
  describe(`lessons, simulated, from ${where}`, () => {
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
    const names = builtinLessons;
    for (const name of names) {
      test(`the ${name} lesson at ?lesson=${name} ticks every step`, async (t) => {
        if (!ready(t, req)) return;
        if (setupErr) throw setupErr;
        const b = await launch(req.pw);
        try {
          const { page, problems } = b;
          await page.goto(site.url(name));
          await waitPrompt(page);
          const ticked = await completeLesson(page, name);
          console.log(`sim (${where}) ${name}: steps ticked ${ticked.map((ms) => ms + " ms").join(", ")} after their last command`);
          await shot(page, `lesson-sim-${where}-${name}`);
          assert.deepEqual(problems, []);
          if (site.requests) {
            const other = site.requests.filter((r) => !r.includes("/course/nslab/"));
            assert.deepEqual(other, [], "the exported site's page asked for something outside it");
          }
        } finally {
          await b.close();
        }
      });
    }
  });
}
