// Unit tests of the page's transport helpers; they need no browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backoff, inputFrames } from "../assets/js/transport.js";

test("input frames carry the terminal number and stay under the server's 64 KiB", () => {
  const cases = [
    { len: 0, frames: 0 },
    { len: 1, frames: 1 },
    { len: 32 * 1024, frames: 1 },
    { len: 32 * 1024 + 1, frames: 2 },
    { len: 200 * 1024, frames: 7 },
  ];
  for (const { len, frames } of cases) {
    const bytes = new Uint8Array(len).map((_, i) => i & 0xff);
    const out = inputFrames(3, bytes);
    assert.equal(out.length, frames, `${len} bytes`);
    let joined = [];
    for (const f of out) {
      assert.equal(f[0], 3);
      assert.ok(f.length <= 64 * 1024, `frame of ${f.length} bytes`);
      joined = joined.concat([...f.subarray(1)]);
    }
    assert.deepEqual(joined, [...bytes], `${len} bytes survive the split`);
  }
});

test("reconnect backoff grows from about half a second to at most about ten", () => {
  for (let n = 0; n < 12; n++) {
    const base = Math.min(10000, 500 * 2 ** n);
    const d = backoff(n);
    assert.ok(d >= base * 0.75 && d <= base * 1.25, `attempt ${n}: ${d} ms`);
  }
});
