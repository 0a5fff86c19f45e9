// The view checks every lab page must pass, live or simulated: one UI, so
// one set of checks. Each types the lesson's commands into terminal 1,
// then asserts that the views agree with what the terminals print.
import assert from "node:assert/strict";
import { runAndWait, waitTerm } from "./support.mjs";

/** openSecondTerminal opens terminal 2 (on the lab host) and waits for its prompt. */
export async function openSecondTerminal(page) {
  await page.click("#add-term");
  await page.waitForFunction(() => /[#$]$/.test(window.nslab.cursor(1)?.line.trimEnd() ?? ""), null, { timeout: 15000, polling: 50 });
}

/**
 * checkPIDView: after `enter` (a command that starts a shell in a new PID
 * namespace), a sleep shows in the PID view with its container PID and its
 * host PID, the host PID being what ps prints in a second terminal.
 */
export async function checkPIDView(page, enter) {
  await runAndWait(page, 0, enter);
  await runAndWait(page, 0, "sleep 1000 &");
  await runAndWait(page, 0, 'echo "CPID=$!"');
  const ctrPID = (await waitTerm(page, 0, /^CPID=(\d+)/m))[1];

  // The views show the sleep with its container PID and its host PID.
  const row = page.locator(`#v-pids tr[data-container-pid="${ctrPID}"]`);
  await row.waitFor({ timeout: 15000 });
  assert.match(await row.locator("td.cmd").innerText(), /sleep 1000/);
  const hostPID = await row.getAttribute("data-host-pid");
  assert.notEqual(hostPID, ctrPID, "a process in a new pid namespace has a different PID on the host");

  // A second terminal on the lab host: ps there prints the host PID.
  await openSecondTerminal(page);
  await runAndWait(page, 1, "ps -eo pid=,args= | grep '[s]leep 1000'");
  const psPID = (await waitTerm(page, 1, /^\s*(\d+) sleep 1000\s*$/m))[1];
  assert.equal(hostPID, psPID, "the view's host PID is what ps prints on the lab host");

  // Processes the container cannot see have no container PID.
  const invisible = await page.locator("#v-pids tr[data-host-pid]:not([data-container-pid])").count();
  assert.ok(invisible > 0, "lab host processes appear on the host side only");
  return "#v-pids";
}

/**
 * checkUserView: after `enter` (a shell in a new user namespace), its
 * uid_map is drawn for that namespace, and a sleep's uid on both sides is
 * what id -u says inside and ps says on the lab host. Returns the user
 * namespace's id.
 */
export async function checkUserView(page, enter) {
  await runAndWait(page, 0, enter);
  await runAndWait(page, 0, 'echo "USERNS=$(readlink /proc/self/ns/user) UID=$(id -u)"');
  const [, userns, innerUID] = await waitTerm(page, 0, /^USERNS=(user:\[\d+\]) UID=(\d+)/m);
  await runAndWait(page, 0, "sleep 1001 &");
  await runAndWait(page, 0, 'echo "PID=$!"; cat /proc/self/uid_map');
  const pid = (await waitTerm(page, 0, /^PID=(\d+)/m))[1];
  const [, inside, outside, count] = await waitTerm(page, 0, /^\s*(\d+)\s+(\d+)\s+(\d+)\s*$/m);
  const range = (first) => `${first}–${Number(first) + Number(count) - 1}`;

  // The container's user namespace is drawn with its uid_map.
  const map = page.locator(`#v-users .userns[data-userns="${userns}"] .maprow[data-map="uid"]`).first();
  await map.waitFor({ timeout: 15000 });
  assert.equal(await map.getAttribute("data-inside"), range(inside));
  assert.equal(await map.getAttribute("data-outside"), range(outside));

  // The sleep's uid as both sides see it: the container's matches id -u
  // inside, the host's matches ps on the lab host.
  const row = page.locator(`#v-users tr[data-pid="${pid}"]`);
  await row.waitFor({ timeout: 15000 });
  assert.equal(await row.getAttribute("data-container-uid"), innerUID, "the container's uid is what id -u says inside");
  await openSecondTerminal(page);
  await runAndWait(page, 1, `echo "HUID=$(ps -o uid= -p ${pid})"`);
  const hostUID = (await waitTerm(page, 1, /^HUID=\s*(\d+)/m))[1];
  assert.equal(await row.getAttribute("data-host-uid"), hostUID, "the host's uid is what ps says on the lab host");
  return userns;
}

/**
 * checkMountView: after `enter` (a shell in a new mount namespace), a tmpfs
 * on /mnt shows on the container's side only, with the propagation its
 * mountinfo line gives.
 */
export async function checkMountView(page, enter) {
  await runAndWait(page, 0, enter);
  await runAndWait(page, 0, "mount -t tmpfs tmpfs /mnt");
  await runAndWait(page, 0, `grep ' /mnt ' /proc/self/mountinfo | sed 's/^/M''I: /'`);
  const mi = (await waitTerm(page, 0, /^MI: (.*)$/m))[1].trim().split(/\s+/);
  // mountinfo: id parent maj:min root point options optional… - type source super
  const optional = mi.slice(6, mi.indexOf("-"));
  const want = optional.length ? optional : ["private"];

  const ctr = page.locator('#v-mounts tr[data-mountpoint="/mnt"][data-side="container"]');
  await ctr.waitFor({ timeout: 15000 });
  assert.match(await ctr.getAttribute("class"), /\bonly\b/, "the container's /mnt is marked as only on its side");
  assert.deepEqual(await ctr.locator(".prop").allInnerTexts(), want, "propagation as mountinfo says");
  assert.match(await ctr.innerText(), /tmpfs/);
  const hostTmpfs = await page.locator('#v-mounts tr[data-mountpoint="/mnt"][data-side="host"]').filter({ hasText: "tmpfs" }).count();
  assert.equal(hostTmpfs, 0, "the lab host does not see the container's tmpfs");
  return '#v-mounts tr[data-mountpoint="/mnt"][data-side="container"]';
}
