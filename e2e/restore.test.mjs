// Browser tests of a simulated lesson's progress across a reload: the
// simulated lab lives in the page, so a reload starts a fresh one; the
// page replays the {{exec}} blocks of the steps done and the lesson's
// checks tick them again by themselves, with the lab's state rebuilt.
// "Start over" forgets the progress. From `nslab serve` at
// /sim?lesson=uts and from an exported site at index.html?lesson=uts.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  endLab, exportSite, launch, liveOnly, ready, requirements, runAndWait, shot, startServer, staticServer, termText, waitTerm,
} from "./support.mjs";

const LESSON = "uts";
const panel = `[data-lesson="${LESSON}"]`;
const step = (n) => `${panel} [data-step="${n}"]`;

/** clickStep clicks every {{exec}} block of step n and waits for it to tick. */
async function clickStep(page, n) {
  const count = await page.locator(`${step(n)} [data-action="exec"]`).count();
  assert.ok(count > 0, `step ${n} has no {{exec}} block`);
  for (let i = 0; i < count; i++) {
    await page.evaluate((sel) => {
      for (const d of document.querySelector(sel).querySelectorAll("details")) d.open = true;
    }, step(n));
    await page.locator(`${step(n)} [data-action="exec"]`).nth(i).click();
    await page.evaluate(() => window.nslab.lessonIdle());
  }
  await page.waitForSelector(`${step(n)}[data-done="true"]`, { timeout: 30000 });
}

/** doneSteps is the steps the panel shows done. */
function doneSteps(page) {
  return page.evaluate((sel) => [...document.querySelectorAll(`${sel} [data-step][data-done="true"]`)].map((s) => Number(s.dataset.step)), panel);
}

async function waitPrompt(page) {
  await waitTerm(page, 0, /[#$] ?$/m, 20000);
}

const targets = {
  async server() {
    const server = await startServer();
    return { url: `${server.url}/sim?lesson=${LESSON}`, stop: () => server.stop() };
  },
  async export() {
    const dir = await exportSite();
    const files = await staticServer(dir, "/course/nslab/");
    return {
      url: `${files.url}/course/nslab/index.html?lesson=${LESSON}`,
      async stop() {
        await files.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

for (const [where, setup] of Object.entries(targets)) {
  describe(`simulated lesson progress across a reload, from ${where}`, () => {
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

    test("steps 1 and 2 done, reloaded: replayed and ticked without a click; Start over starts afresh", async (t) => {
      if (!ready(t, req)) return;
      if (setupErr) throw setupErr;
      const b = await launch(req.pw);
      const { page, problems } = b;
      try {
        await page.goto(site.url);
        await waitPrompt(page);
        await page.waitForSelector(panel, { timeout: 20000 });
        await clickStep(page, 1);
        await clickStep(page, 2);
        assert.deepEqual(await doneSteps(page), [1, 2]);
        const key = `nslab.sim.progress.${LESSON}`;
        assert.deepEqual(JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), key)), [1, 2], "progress not remembered");

        // Reload: a fresh simulated lab. From here on nothing is clicked.
        await page.reload();
        await page.waitForSelector(panel, { timeout: 20000 });
        const notice = await page.waitForSelector("#lesson-restoring", { timeout: 20000 });
        assert.equal(await notice.innerText(), "Restoring your progress: replaying steps 1–2…");
        await shot(page, `restore-${where}-notice`);
        await page.waitForSelector(`${step(1)}[data-done="true"]`, { timeout: 60000 });
        // Step 1's tick scrolled the panel to step 2; the notice, while
        // step 2 replays, stays in sight at the top of the panel.
        const inSight = await page.evaluate(() => {
          const n = document.getElementById("lesson-restoring");
          if (!n) return null; // step 2 ticked already
          const a = n.getBoundingClientRect();
          const p = document.getElementById("lesson-pane").getBoundingClientRect();
          return a.height > 0 && a.top >= p.top - 1 && a.bottom <= p.bottom + 1;
        });
        if (inSight !== null) {
          await shot(page, `restore-${where}-notice-step2`);
          assert.ok(inSight, "the notice scrolled out of the lesson panel's sight");
        }
        await page.waitForSelector(`${step(2)}[data-done="true"]`, { timeout: 60000 });
        await page.waitForSelector("#lesson-restoring", { state: "detached", timeout: 30000 });
        assert.deepEqual(await doneSteps(page), [1, 2], "only the steps done before the reload are done");
        assert.match(await page.locator(`${panel} #lesson-progress-text`).innerText(), /^2 of 4 steps done$/);

        // The lab's state is rebuilt: the shell the learner now types in
        // is in a new UTS namespace named container1, domain lessons.example,
        // and the namespace view shows that new UTS namespace.
        await runAndWait(page, 0, 'echo "NAMES=$(hostname)/$(domainname)"');
        assert.equal((await waitTerm(page, 0, /^NAMES=(\S+)$/m))[1], "container1/lessons.example");
        await page.waitForFunction(() => {
          for (const tr of document.querySelectorAll("#v-map table.nsmap tbody tr")) {
            if (tr.querySelector("th")?.textContent.trim() === "uts" && tr.querySelector("td.new")) return true;
          }
          return false;
        }, null, { timeout: 15000 });
        await shot(page, `restore-${where}-restored`);
        assert.deepEqual(JSON.parse(await page.evaluate((k) => sessionStorage.getItem(k), key)), [1, 2], "progress not remembered after the replay");

        // Start over: progress forgotten, a fresh lab and lesson.
        await Promise.all([page.waitForNavigation(), page.click(`${panel} [data-start-over]`)]);
        await page.waitForSelector(panel, { timeout: 20000 });
        await waitPrompt(page);
        assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), key), null, "Start over left progress behind");
        assert.equal(await page.locator("#lesson-restoring").count(), 0, "Start over replayed something");
        await runAndWait(page, 0, 'echo "NAMES=$(hostname)"');
        assert.equal((await waitTerm(page, 0, /^NAMES=(\S+)$/m))[1], "lab", "Start over kept the old lab");
        assert.doesNotMatch(await termText(page, 0), /container1/, "Start over typed the old steps");
        assert.deepEqual(await doneSteps(page), [], "Start over kept ticked steps");
        assert.match(await page.locator(`${panel} #lesson-progress-text`).innerText(), /^0 of 4 steps done$/);
        assert.deepEqual(problems, []);
      } catch (err) {
        await shot(page, `restore-${where}-failed`).catch(() => {});
        throw err;
      } finally {
        await b.close();
      }
    });
  });
}

// Live, progress is the server's: the page neither remembers nor replays
// anything, and offers no "Start over".
describe("live lesson: no replay, no Start over", () => {
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

  test("a step done in a live lab is kept by the server, not the page", async (t) => {
    if (!ready(t, req)) return;
    if (setupErr) throw setupErr;
    const b = await launch(req.pw);
    const { page, problems } = b;
    try {
      await page.goto(server.url + "/");
      await page.click(`[data-start-lesson="${LESSON}"]`);
      await page.waitForURL(/\/lab\//, { timeout: 15000 });
      await waitPrompt(page);
      await page.waitForSelector(panel, { timeout: 20000 });
      await clickStep(page, 1);
      assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), `nslab.sim.progress.${LESSON}`), null, "a live lab's progress was kept in the page");
      await page.reload();
      await page.waitForSelector(`${step(1)}[data-done="true"]`, { timeout: 20000 });
      assert.equal(await page.locator("#lesson-restoring").count(), 0, "a live lab replayed steps");
      assert.equal(await page.locator("[data-start-over]").count(), 0, "a live lab offers Start over");
      assert.deepEqual(problems, []);
      await endLab(page);
    } finally {
      await b.close();
    }
  });
});
