import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, it } from "node:test";
import { HashTap } from "./hash-tap.js";

const bytes = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 17 }, (_, i) => (i * 31) % 256));
const expected = "sha256:" + createHash("sha256").update(bytes).digest("hex");

function chunks(shared: boolean, size = 1024 * 1024): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const part = bytes.subarray(i, i + size);
    if (!shared) out.push(part);
    else {
      const copy = Buffer.from(new SharedArrayBuffer(part.length));
      part.copy(copy);
      out.push(copy);
    }
  }
  return out;
}

const discard = () => new Writable({ write: (_c, _e, done) => done() });

describe("the hashing tap", () => {
  it("gives the same digest for chunks in shared memory (hashed on another thread) and in plain buffers", async () => {
    for (const shared of [true, false]) {
      const tap = new HashTap();
      await pipeline(Readable.from(chunks(shared)), tap, discard());
      assert.equal(await tap.digest(), expected, shared ? "shared" : "plain");
      assert.equal(tap.bytes, bytes.length);
    }
  });

  it("keeps several digests apart when they are computed at once", async () => {
    const taps = [new HashTap(), new HashTap(), new HashTap()];
    await Promise.all(taps.map((tap, i) => pipeline(Readable.from(chunks(true, 65536 * (i + 1))), tap, discard())));
    assert.deepEqual(await Promise.all(taps.map((t) => t.digest())), [expected, expected, expected]);
  });

  it("stops at its size limit with the caller's error, and an abandoned digest does not keep the process alive", async () => {
    const tap = new HashTap(true, 1024 * 1024, () => new Error("too big"));
    await assert.rejects(pipeline(Readable.from(chunks(true)), tap, discard()), /too big/);
  });
});
