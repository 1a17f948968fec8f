import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, it } from "node:test";
import { HashTap } from "./hash-tap.js";

const bytes = Buffer.from(Array.from({ length: 11 * 1024 * 1024 + 17 }, (_, i) => (i * 31) % 256));
const expected = "sha256:" + createHash("sha256").update(bytes).digest("hex");

function chunks(size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** A consumer that keeps every chunk, to check nothing is lost or reordered on the way. */
function collector(into: Buffer[]): Writable {
  return new Writable({
    write: (c: Buffer, _e, done) => {
      into.push(c);
      done();
    },
  });
}

describe("the hashing tap", () => {
  it("gives the same digest on the hashing thread as in place, for chunks smaller and larger than its ring slots", async () => {
    for (const offThread of [false, true]) {
      for (const size of [65536, 3 * 1024 * 1024 + 5]) {
        const tap = new HashTap(true, Number.POSITIVE_INFINITY, undefined, offThread);
        const seen: Buffer[] = [];
        await pipeline(Readable.from(chunks(size)), tap, collector(seen));
        assert.equal(await tap.digest(), expected, `offThread ${offThread}, chunks of ${size}`);
        assert.equal(tap.bytes, bytes.length);
        assert.ok(Buffer.concat(seen).equals(bytes), "the bytes pass through unchanged");
      }
    }
  });

  it("keeps several digests apart when they are computed at once", async () => {
    const taps = [new HashTap(true, Infinity, undefined, true), new HashTap(true, Infinity, undefined, true), new HashTap(true, Infinity, undefined, true)];
    await Promise.all(taps.map((tap, i) => pipeline(Readable.from(chunks(65536 * (i + 1))), tap, collector([]))));
    assert.deepEqual(await Promise.all(taps.map((t) => t.digest())), [expected, expected, expected]);
  });

  it("stops at its size limit with the caller's error, and an abandoned digest does not keep the process alive", async () => {
    const tap = new HashTap(true, 1024 * 1024, () => new Error("too big"), true);
    await assert.rejects(pipeline(Readable.from(chunks(65536)), tap, collector([])), /too big/);
  });
});
