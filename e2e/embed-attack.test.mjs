// Attacks on embed mode (docs/embedding.md) by a hostile page that may
// frame the lab (it is in --frame-ancestors) but is NOT an embedding origin
// (not in --embed-origins): it frames a live lab, listens for every
// message, and keeps posting "type" and "end" to the frame with "*". The
// lab must tell it nothing (no "ready", no event), act on none of its
// messages (the text never reaches the terminal, the lab is not ended),
// and say so in its console.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { launch, liveOnly, ready, requirements, startServer, staticServer } from "./support.mjs";

const evilPage = `<!DOCTYPE html><meta charset="utf-8"><title>evil</title>
<iframe id="lab" style="width: 900px; height: 500px"></iframe>
<script>
window.received = [];
addEventListener("message", (ev) => { window.received.push({ origin: ev.origin, data: ev.data }); });
const frame = document.getElementById("lab");
frame.src = new URLSearchParams(location.search).get("src");
setInterval(() => {
  frame.contentWindow.postMessage({ nslab: 1, type: "type", text: "echo PWNED-$((6*7))\\n" }, "*");
  frame.contentWindow.postMessage({ nslab: 1, type: "end" }, "*");
}, 200);
</script>`;

describe("embed mode against a page that may frame but not talk", () => {
  let req, server, evil, evilDir, setupErr;
  before(async () => {
    req = await requirements();
    if (!req.pw) return;
    try {
      evilDir = mkdtempSync(join(tmpdir(), "nslab-e2e-evil-"));
      writeFileSync(join(evilDir, "evil.html"), evilPage);
      evil = await staticServer(evilDir, "/");
      // The course's origin is some other site; the evil one may frame.
      server = await startServer(["--frame-ancestors", evil.url, "--embed-origins", "https://course.example"]);
    } catch (err) {
      setupErr = err;
    }
  });
  after(async () => {
    await server?.stop();
    await evil?.stop();
    if (evilDir) rmSync(evilDir, { recursive: true, force: true });
  });

  test("a live lab in a page of an unlisted origin: told nothing, and its messages are not acted on", async (t) => {
    if (!ready(t, req)) return;
    if (setupErr) throw setupErr;
    if (!ready(t, liveOnly(req, server))) return;
    const b = await launch(req.pw);
    const res = await fetch(server.url + "/api/labs", { method: "POST" });
    assert.equal(res.status, 201, await res.clone().text());
    const lab = await res.json();
    try {
      const { page } = b;
      const consoleLines = [];
      page.on("console", (m) => consoleLines.push(m.text()));
      const [path, fragment] = lab.url.split("#");
      await page.goto(`${evil.url}/evil.html?src=${encodeURIComponent(`${server.url}${path}?embed=1#${fragment}`)}`);
      // The frame gets to its first prompt, when it would say "ready",
      // while the evil page keeps posting.
      let frame;
      const end = Date.now() + 30000;
      while (!(frame = page.frames().find((f) => f.url().startsWith(server.url + "/")))) {
        if (Date.now() > end) throw new Error(`no lab frame in the evil page: ${page.frames().map((f) => f.url())}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await frame.waitForFunction(() => window.nslab && /[#$] *$/m.test(window.nslab.termText(0)), null, { timeout: 30000, polling: 100 });
      await new Promise((r) => setTimeout(r, 2000));
      const told = async () => {
        const got = await page.evaluate(() => window.received);
        assert.deepEqual(got, [], `ATTACK WORKED: the unlisted page got the lab's messages: ${JSON.stringify(got)}`);
      };
      await told();
      assert.doesNotMatch(await frame.evaluate(() => window.nslab.termText(0)), /PWNED/, "ATTACK WORKED: the unlisted page's text reached the terminal");
      // Events of the lab after that: a shell that exits.
      await frame.click("#term-0");
      await page.keyboard.type("exit 3\n");
      await frame.waitForFunction(() => /exit 3/.test(window.nslab.termText(0)), null, { timeout: 20000 });
      await new Promise((r) => setTimeout(r, 2000));
      await told();
      assert.doesNotMatch(await frame.evaluate(() => window.nslab.termText(0)), /PWNED/, "ATTACK WORKED: the unlisted page's text reached the terminal");
      // And the frame says why, in its console.
      for (const want of ["is not an embedding origin: it is told nothing", `ignored a message from ${evil.url}`]) {
        assert.ok(consoleLines.some((l) => l.includes(want)), `the frame never logged "${want}"; console:\n${consoleLines.join("\n")}`);
      }
      const state = await fetch(`${server.url}/api/labs/${lab.id}/state`, { headers: { Authorization: "Bearer " + lab.token } });
      assert.equal(state.status, 200, "ATTACK WORKED: the unlisted page's \"end\" ended the lab");
    } finally {
      await b.close();
      await fetch(`${server.url}/api/labs/${lab.id}`, { method: "DELETE", headers: { Authorization: "Bearer " + lab.token } }).catch(() => {});
    }
  });
});
