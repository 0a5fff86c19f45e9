// Browser tests of presenter mode (assets/js/presenter.js), on a live lab
// and on the simulator: at a projector's 1280×720, at 1920×1080 and at a
// 4:3 projector's 1024×768 the terminal and the chosen view lie inside
// the window (element geometry, and screenshots to look at); the choice
// follows a key, never a key the terminal receives, and survives a
// reload; freeze holds the views while a command runs and unfreeze draws
// the latest at once; blank hides them; "?" lists the shortcuts and
// Escape closes the list. In the simulator with a lesson, the view
// follows the current step.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  endLab, launch, liveOnly, ready, requirements, runAndWait, shot, startLab, startServer, waitTerm,
} from "./support.mjs";

// A projector's 720p, full HD, and a 4:3 projector.
const SIZES = [[1280, 720], [1920, 1080], [1024, 768]];
const VIEWS = { 1: "pids", 2: "users", 3: "mounts", 4: "map" };

/** body is <body>'s data attributes, where presenter mode keeps its state. */
const body = (page) => page.evaluate(() => ({ ...document.body.dataset }));

/** key presses key with the keyboard away from the terminal (as after a click beside it). */
async function key(page, k) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press(k);
}

/**
 * geometry is where the first terminal and the view NAME are, with the
 * window's size, whether the document scrolls, and the text sizes.
 */
function geometry(page, name) {
  return page.evaluate((name) => {
    const rect = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
    };
    const shown = [...document.querySelectorAll("#views > .view")].filter((v) => v.getClientRects().length > 0).map((v) => v.id);
    const cell = document.querySelector(`#v-${name} tbody td`);
    return {
      w: window.innerWidth,
      h: window.innerHeight,
      scrollW: document.documentElement.scrollWidth,
      scrollH: document.documentElement.scrollHeight,
      term: rect(document.querySelector('.term-pane[data-term="0"]')),
      view: rect(document.getElementById("v-" + name)),
      shown,
      cellFont: cell ? parseFloat(getComputedStyle(cell).fontSize) : null,
      size: window.nslab.size(0),
    };
  }, name);
}

/** inside asserts that rect r lies wholly inside a w×h window and is at least minW×minH. */
function inside(r, g, what, minW, minH) {
  assert.ok(r, `${what} is on the page`);
  assert.ok(r.left >= 0 && r.top >= 0 && r.right <= g.w && r.bottom <= g.h,
    `${what} must lie inside the ${g.w}×${g.h} window; it is at (${r.left}, ${r.top})–(${r.right}, ${r.bottom})`);
  assert.ok(r.width >= minW && r.height >= minH, `${what} is only ${r.width}×${r.height} in a ${g.w}×${g.h} window`);
}

/** pidRows is the commands of the PID view's rows. */
const pidRows = (page) => page.evaluate(() =>
  [...document.querySelectorAll("#v-pids tbody tr")].map((r) => r.querySelector("td.cmd")?.textContent.trim() ?? ""));

const targets = {
  async live(page, server) {
    await startLab(page, server.url);
  },
  async sim(page, server) {
    await page.goto(server.url + "/sim");
    await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 30000, polling: 20 });
  },
};

describe("presenter mode", () => {
  let req, pw, server;

  before(async () => {
    req = await requirements();
    pw = req.pw;
    if (pw) server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  for (const [where, open] of Object.entries(targets)) {
    test(`${where}: layout at three sizes, keys, freeze, blank, shortcuts, reload`, async (t) => {
      if (!ready(t, where === "live" ? liveOnly(req, server) : req)) return;
      const browser = await launch(pw);
      const { page } = browser;
      try {
        await page.setViewportSize({ width: 1280, height: 720 });
        await open(page, server);
        await page.waitForSelector("#v-pids");
        assert.equal((await body(page)).presenter, "off", "presenter mode starts off");

        // The button turns it on; a container gives the views something to show.
        await page.click("#presenter-toggle");
        assert.equal((await body(page)).presenter, "on");
        assert.equal(await page.getAttribute("#presenter-toggle", "aria-pressed"), "true");
        await runAndWait(page, 0, "unshare --user --map-root-user --pid --fork --mount-proc sh");
        await runAndWait(page, 0, "mount -t tmpfs none /mnt");
        await page.waitForFunction(() => document.querySelectorAll("#v-pids tbody tr.in-ctr").length > 0, null, { timeout: 15000 });

        for (const [width, height] of SIZES) {
          await page.setViewportSize({ width, height });
          for (const [k, name] of Object.entries(VIEWS)) {
            await key(page, k);
            // A refit and a redraw later:
            await page.waitForFunction((n) => document.body.dataset.viewFocus === n, name);
            await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
            const g = await geometry(page, name);
            const at = `${where} at ${width}×${height}, view ${name}`;
            assert.equal(g.w, width);
            inside(g.term, g, `${at}: the terminal`, width * 0.4, height * 0.8);
            inside(g.view, g, `${at}: the view`, width * 0.35, height * 0.5);
            assert.deepEqual(g.shown, ["v-" + name], `${at}: the chosen view alone is shown`);
            assert.ok(g.scrollW <= width && g.scrollH <= height, `${at}: the page scrolls (${g.scrollW}×${g.scrollH})`);
            // Large type: a terminal line is about a 30th of the height,
            // the views' text about a 36th, unless the width bounds them
            // (presenter.js).
            const termPx = await page.evaluate(() => window.nslab.termFontSize(0));
            const wantTerm = Math.min(height / 32, width / 56);
            assert.ok(termPx >= wantTerm, `${at}: the terminal's text is ${termPx}px, want at least ${wantTerm}`);
            // A table cell is never under 0.85 of the views' text size.
            const wantCell = 0.85 * Math.min(height / 36, width / 64);
            if (g.cellFont !== null) assert.ok(g.cellFont >= wantCell, `${at}: the view's text is ${g.cellFont}px, want at least ${wantCell}`);
            assert.ok(g.size.cols >= 40 && g.size.rows >= 18, `${at}: the terminal is ${g.size.cols}×${g.size.rows}`);
          }
          await key(page, "1");
          await shot(page, `presenter-${where}-${width}x${height}`);
          await key(page, "3");
          await shot(page, `presenter-${where}-${width}x${height}-mounts`);
        }
        await page.setViewportSize({ width: 1280, height: 720 });

        // A key the terminal has goes to the shell, not to presenter mode.
        await key(page, "2");
        await page.focus("#term-0 .xterm-helper-textarea");
        await page.keyboard.type("3?p");
        const typed = await waitTerm(page, 0, /# 3\?p$/m);
        assert.ok(typed, "the keys reached the shell");
        const b = await body(page);
        assert.equal(b.viewFocus, "users", "a key typed in the terminal must not change the view");
        assert.equal(b.presenter, "on", "a key typed in the terminal must not leave presenter mode");
        assert.equal(await page.isVisible("#presenter-help"), false, "? typed in the terminal must not open the shortcuts");
        await page.keyboard.press("Control+U");

        // Freeze: the state keeps arriving, the PID view stays as it was.
        await key(page, "1");
        await key(page, "f");
        assert.equal((await body(page)).viewsFrozen, "true");
        const before = await pidRows(page);
        await runAndWait(page, 0, "sleep 4321 &");
        await page.waitForFunction(() => Number(document.getElementById("views").dataset.held) > 0, null, { timeout: 15000 })
          .catch(() => { throw new Error("no views update arrived while frozen"); });
        await page.waitForTimeout(1000); // more updates may come; none may show
        assert.deepEqual(await pidRows(page), before, "a frozen PID view changed");
        assert.equal(before.some((c) => c.includes("sleep 4321")), false);
        await shot(page, `presenter-${where}-frozen`);
        // Unfreeze draws the latest at once, with no new update needed.
        await key(page, "f");
        const now = await pidRows(page);
        assert.ok(now.some((c) => c.includes("sleep 4321")), `unfreezing did not show the latest views; rows: ${now.join(" | ")}`);
        assert.equal(await page.getAttribute("#views", "data-held"), null);

        // Blank hides the views and keeps the terminal; again shows them.
        await key(page, "b");
        assert.equal(await page.evaluate(() => document.getElementById("v-pids").checkVisibility({ visibilityProperty: true })), false, "blank left the view visible");
        assert.equal(await page.isVisible('.term-pane[data-term="0"]'), true);
        await shot(page, `presenter-${where}-blank`);
        await key(page, "b");
        assert.equal(await page.evaluate(() => document.getElementById("v-pids").checkVisibility({ visibilityProperty: true })), true);

        // "?" lists every shortcut; Escape closes the list.
        await key(page, "?");
        assert.equal(await page.isVisible("#presenter-help"), true, "? opened no shortcut list");
        const listed = await page.$$eval("#presenter-help [data-keys]", (rows) => rows.map((r) => r.dataset.keys.split(" ")).flat());
        for (const k of ["p", "1", "2", "3", "4", "f", "b", "?"]) assert.ok(listed.includes(k), `the shortcut list lacks ${k}: ${listed}`);
        assert.match(await page.textContent("#presenter-help"), /freeze/i);
        await shot(page, `presenter-${where}-help`);
        await page.keyboard.press("Escape");
        assert.equal(await page.isVisible("#presenter-help"), false, "Escape did not close the shortcut list");

        // The choice survives a reload, and so does the mode.
        await key(page, "3");
        await page.reload();
        await page.waitForSelector("#v-mounts");
        const after = await body(page);
        assert.equal(after.presenter, "on", "presenter mode was not remembered");
        assert.equal(after.viewFocus, "mounts", "the chosen view was not remembered");
        await page.waitForFunction(() => window.nslab.size(0)?.rows > 0);
        const g = await geometry(page, "mounts");
        inside(g.view, g, `${where} after a reload: the mounts view`, 1280 * 0.35, 720 * 0.5);

        // A second terminal opened in presenter mode gets its type, and
        // both stay inside the window.
        await page.click("#add-term");
        await page.waitForFunction(() => window.nslab.size(1)?.rows > 0);
        assert.equal(await page.evaluate(() => window.nslab.termFontSize(1)), await page.evaluate(() => window.nslab.termFontSize(0)));
        const second = await page.evaluate(() => document.querySelector('.term-pane[data-term="1"]').getBoundingClientRect().toJSON());
        inside(second, { w: 1280, h: 720 }, `${where}: the second terminal`, 1280 * 0.4, 720 * 0.3);

        // P leaves presenter mode: the terminals' own size is back.
        await key(page, "p");
        assert.equal((await body(page)).presenter, "off");
        const normal = await page.evaluate(() => window.nslab.fontSize());
        assert.equal(await page.evaluate(() => window.nslab.termFontSize(0)), normal);
        assert.equal(await page.evaluate(() => window.nslab.termFontSize(1)), normal);
      } catch (err) {
        await shot(page, `presenter-${where}-failed`).catch(() => {});
        throw err;
      } finally {
        if (where === "live") await endLab(page);
        await browser.close();
      }
      assert.deepEqual(browser.problems.filter((p) => !/favicon/.test(p)), [], "the page logged errors");
    });
  }

  test("sim with a lesson: the view follows the current step", async (t) => {
    if (!ready(t, req)) return;
    const browser = await launch(pw);
    const { page } = browser;
    try {
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(server.url + "/sim");
      await page.evaluate(() => {
        localStorage.setItem("nslab.presenter", "on");
        localStorage.setItem("nslab.viewFocus", "mounts");
      });
      await page.goto(server.url + "/sim?lesson=namespaces");
      await page.waitForSelector('[data-lesson="namespaces"] [data-step="1"][data-current="true"]', { state: "attached", timeout: 30000 });
      // Step 1 says <!-- nslab view=pids -->.
      await page.waitForFunction(() => document.body.dataset.viewFocus === "pids", null, { timeout: 5000 })
        .catch(async () => { throw new Error(`step 1 names pids; the view is ${(await body(page)).viewFocus}`); });
      await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 30000 });
      await runAndWait(page, 0, "unshare --pid --mount-proc --fork sh");
      // The step ticks; step 2 (view=map) becomes current and its view shows.
      await page.waitForSelector('[data-step="2"][data-current="true"]', { state: "attached", timeout: 20000 });
      await page.waitForFunction(() => document.body.dataset.viewFocus === "map", null, { timeout: 5000 });
      const g = await geometry(page, "map");
      inside(g.view, g, "the lesson's namespaces view", 1280 * 0.35, 720 * 0.5);
      await shot(page, "presenter-sim-lesson");
      // A key still picks another view until the next step.
      await key(page, "2");
      assert.equal((await body(page)).viewFocus, "users");
      // L shows the lesson beside them, still inside the window.
      await key(page, "l");
      const pane = await page.evaluate(() => document.getElementById("lesson-pane").getBoundingClientRect().toJSON());
      assert.ok(pane.width > 100 && pane.right <= 1280 && pane.bottom <= 720, `the lesson pane is at ${JSON.stringify(pane)}`);
      const g2 = await geometry(page, "users");
      inside(g2.term, g2, "the terminal beside the lesson", 1280 * 0.25, 720 * 0.8);
      inside(g2.view, g2, "the view beside the lesson", 1280 * 0.25, 720 * 0.5);
      await shot(page, "presenter-sim-lesson-shown");
    } catch (err) {
      await shot(page, "presenter-sim-lesson-failed").catch(() => {});
      throw err;
    } finally {
      await browser.close();
    }
    assert.deepEqual(browser.problems.filter((p) => !/favicon/.test(p)), [], "the page logged errors");
  });
});
