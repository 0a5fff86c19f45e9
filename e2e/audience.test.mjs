// Browser test of audience links: the owner of a live lab makes a
// read-only link from the page; a second page opens it and follows the
// lab's terminal and views live; what that page sends by hand on its
// websocket (keys, a resize) is refused by the server; the owner's page
// counts the follower; revoking the links disconnects it.
// Run with `node --test e2e/audience.test.mjs`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  endLab, launch, liveOnly, ready, requirements, runAndWait, shot, startLab, startServer, termText, waitTerm,
} from "./support.mjs";

/** followerText waits until the follower page's terminal n matches re. */
async function followerWait(page, n, re, timeout = 15000) {
  try {
    await page.waitForFunction(
      ([n, src]) => new RegExp(src, "m").test(window.nslab.termText(n)),
      [n, re.source],
      { timeout, polling: 50 },
    );
  } catch (err) {
    throw new Error(`the follower's terminal ${n} never showed ${re}; it reads:\n${await termText(page, n)}\n(${err.message.split("\n")[0]})`);
  }
}

describe("audience links", () => {
  let req, pw, server;

  before(async () => {
    req = await requirements();
    pw = req.pw;
    if (pw) server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  test("live: a follower sees the lab's output and views, cannot type, and is counted", async (t) => {
    if (!ready(t, liveOnly(req, server))) return;
    const browser = await launch(pw);
    const { page } = browser;
    const follower = await page.context().newPage();
    const followerProblems = [];
    follower.on("pageerror", (e) => followerProblems.push(`page error: ${e.message}`));
    try {
      await startLab(page, server.url);
      await runAndWait(page, 0, 'echo "BEF""ORE-$((40+2))"');

      // The owner makes a link, as a speaker does, from the page.
      await page.click("#share-link");
      await page.waitForFunction(() => document.getElementById("share-url").value.includes("#viewer="), null, { timeout: 10000 });
      const link = await page.inputValue("#share-url");
      const labID = await page.evaluate(() => document.getElementById("lab").dataset.lab);
      assert.match(link, new RegExp(`/watch/${labID}#viewer=[A-Za-z0-9_-]{43}$`));
      const ownerToken = await page.evaluate((id) => sessionStorage.getItem("nslab.token." + id), labID);
      assert.ok(!link.includes(ownerToken), "the audience link does not carry the owner's token");

      // The follower catches up on what came before, then follows live.
      await follower.goto(link);
      await followerWait(follower, 0, /^BEFORE-42$/);
      assert.equal(new URL(follower.url()).hash, "", "the viewer token leaves the address bar");
      await page.locator('#followers[data-followers="1"]').waitFor({ timeout: 10000 });
      assert.match(await page.locator("#followers").innerText(), /1 following/);

      await runAndWait(page, 0, 'sleep 4242 & echo "LI""VE-$((6*7))"');
      await followerWait(follower, 0, /^LIVE-42$/);
      // The views follow too: the sleep's row shows in the follower's PID view.
      await follower.locator("#views [data-host-pid]", { hasText: "sleep 4242" }).first().waitFor({ timeout: 15000 });
      // A follower on a projector has presenter mode too (the key p with
      // the page, not a terminal, focused), and picks its view.
      await follower.locator("body").click({ position: { x: 2, y: 2 } });
      await follower.keyboard.press("p");
      await follower.waitForFunction(() => document.body.dataset.presenter === "on", null, { timeout: 5000 });
      await follower.keyboard.press("2");
      await follower.waitForFunction(() => document.body.dataset.viewFocus === "users", null, { timeout: 5000 });
      await follower.keyboard.press("p");
      await follower.waitForFunction(() => document.body.dataset.presenter !== "on", null, { timeout: 5000 });

      // By hand on the follower's websocket: keys and a resize. The
      // server answers each with an error and passes nothing on.
      await follower.evaluate(() => {
        const ws = window.nslab.socket();
        ws.send(new Uint8Array([0, ...new TextEncoder().encode("touch /tmp/audience-typed\r")]));
        ws.send(JSON.stringify({ type: "resize", term: 0, rows: 5, cols: 9 }));
      });
      await follower.locator("#messages .message", { hasText: "read-only audience connection" }).nth(1).waitFor({ timeout: 10000 });
      // Typing into the follower's terminal goes nowhere either.
      await follower.focus("#term-0 .xterm-helper-textarea").catch(() => {});
      await follower.keyboard.type("touch /tmp/audience-keys\n");
      await runAndWait(page, 0, 'ls /tmp/audience-typed /tmp/audience-keys 2>/dev/null; stty size; echo "CHE""CKED"');
      await waitTerm(page, 0, /^CHECKED$/m);
      const owner = await termText(page, 0);
      assert.doesNotMatch(owner, /^\/tmp\/audience-/m, "a file the follower tried to make exists");
      assert.doesNotMatch(owner, /^5 9$/m, "the follower resized the owner's terminal");
      await followerWait(follower, 0, /^CHECKED$/);

      await shot(follower, "audience-follower", "#views");
      await page.click("#share-link"); // the panel again, for the screenshot
      await page.waitForFunction(() => !document.getElementById("share-panel").hidden);
      await shot(page, "audience-owner");

      // Revoked: the follower is disconnected at once and told why.
      await page.click("#share-revoke");
      await follower.locator("#messages .message", { hasText: "revoked" }).waitFor({ timeout: 10000 });
      assert.equal(await follower.locator("#conn").innerText(), "ended");
      await page.locator('#followers[data-followers="0"]').waitFor({ state: "attached", timeout: 10000 });
    } catch (err) {
      await shot(page, "audience-owner-failed").catch(() => {});
      await shot(follower, "audience-follower-failed").catch(() => {});
      err.message += `\nserver log (last lines):\n${server.log.slice(-15).join("\n")}`;
      throw err;
    } finally {
      await endLab(page);
      const problems = [...browser.problems, ...followerProblems];
      await browser.close();
      assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), [], "the pages logged errors");
    }
  });
});
