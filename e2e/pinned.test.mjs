// Browser tests of namespaces no process is in: after `ip netns add blue`
// the network namespace that only the bind mount on /run/netns/blue holds
// must show in the views, with where it is pinned — in a live lab and in
// the simulator. Run with `node --test e2e/`.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  endLab, launch, liveOnly, needs, ready, requirements, runAndWait, shot, startLab, startServer, waitTerm,
} from "./support.mjs";

/**
 * checkPinned types `ip netns add blue`, reads the namespace's id in the
 * terminal, and waits for the views' pinned row of that id, which must be
 * a network namespace with no process, pinned on /run/netns/blue.
 */
async function checkPinned(page) {
  await runAndWait(page, 0, "ip netns add blue");
  // The quotes split the marker, so the echoed command line cannot match.
  await runAndWait(page, 0, 'echo "BLUE""NS=$(ip netns exec blue readlink /proc/self/ns/net)"');
  const id = (await waitTerm(page, 0, /^BLUENS=(net:\[\d+\])$/m))[1];
  // `ip netns exec` ran a process in it a moment ago: a snapshot taken
  // then shows the namespace with that process, so wait for the one after.
  const row = page.locator(`#v-pinned tr[data-ns-id="${id}"][data-empty="true"]`);
  await row.waitFor({ timeout: 15000 }).catch(async () => {
    const any = page.locator(`#v-pinned tr[data-ns-id="${id}"]`);
    assert.fail(`no row for ${id} without processes; rows of it: ${await any.count()}, ` +
      `data-empty ${await any.first().getAttribute("data-empty", { timeout: 1000 }).catch(() => "none")}`);
  });
  assert.equal(await row.getAttribute("data-ns"), "net");
  const pin = row.locator('[data-pin-where="/run/netns/blue"]');
  assert.equal(await pin.count(), 1, "the row says where the namespace is pinned, once");
  assert.equal(await pin.getAttribute("data-pin-how"), "mount");
  assert.match(await row.innerText(), /bind mount\s+\/run\/netns\/blue/);
  assert.match(await row.innerText(), /interfaces: lo down/);

  // Deleted, it leaves the views.
  await runAndWait(page, 0, "ip netns delete blue");
  await page.locator(`#v-pinned tr[data-ns-id="${id}"]`).waitFor({ state: "detached", timeout: 15000 });
  await runAndWait(page, 0, "ip netns add blue");
  await page.locator('#v-pinned [data-pin-where="/run/netns/blue"]').waitFor({ timeout: 15000 });
  return "#v-pinned";
}

describe("pinned namespaces", () => {
  let req, pw, server;

  before(async () => {
    req = await requirements();
    pw = req.pw;
    if (pw) server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  test("live: ip netns add blue shows in the views with /run/netns/blue", async (t) => {
    const live = liveOnly(req, server);
    if (!ready(t, live)) return;
    const browser = await launch(pw);
    const { page } = browser;
    try {
      await startLab(page, server.url);
      const focus = await checkPinned(page);
      await shot(page, "pinned-live", focus);
    } catch (err) {
      await shot(page, "pinned-live-failed").catch(() => {});
      err.message += `\nserver log (last lines):\n${server.log.slice(-15).join("\n")}`;
      throw err;
    } finally {
      await endLab(page);
      const problems = browser.problems;
      await browser.close();
      assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), [], "the page logged errors");
    }
  });

  test("simulated: ip netns add blue shows in the views with /run/netns/blue", async (t) => {
    if (!ready(t, req)) return;
    const wasm = await fetch(server.url + "/static/dist/nslab.wasm", { method: "HEAD" });
    if (!needs(t, wasm.ok, "the simulator in the binary (assets/dist/nslab.wasm)",
      "build it with `go run ./wasm/build`, then rebuild bin/nslab")) return;
    const browser = await launch(pw);
    const { page } = browser;
    try {
      await page.goto(server.url + "/sim");
      await page.waitForFunction(() => window.nslab?.metrics.pageToPromptMs > 0, null, { timeout: 20000, polling: 20 });
      const focus = await checkPinned(page);
      await shot(page, "pinned-sim", focus);
    } catch (err) {
      await shot(page, "pinned-sim-failed").catch(() => {});
      throw err;
    } finally {
      const problems = browser.problems;
      await browser.close();
      assert.deepEqual(problems, [], "the page logged errors or had failed requests");
    }
  });
});
