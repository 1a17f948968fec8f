/** Which files are text: NUL bytes and invalid UTF-8 in the first few KB make a file binary. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { BINARY_SNIFF_BYTES, MAX_TEXT_BYTES, looksBinary } from "./binary.js";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("looksBinary", () => {
  it("takes text, empty files and UTF-8 beyond ASCII as text", () => {
    assert.equal(looksBinary(bytes("PASSWORD=x\n")), false);
    assert.equal(looksBinary(new Uint8Array()), false);
    assert.equal(looksBinary(bytes("Grüße, 日本語, emoji 🔑\n")), false);
  });

  it("takes a NUL byte as binary", () => {
    assert.equal(looksBinary(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])), true);
    assert.equal(looksBinary(new Uint8Array(Buffer.from("text", "utf16le"))), true, "UTF-16 has NUL bytes");
  });

  it("takes invalid UTF-8 as binary", () => {
    assert.equal(looksBinary(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe])), true);
    assert.equal(looksBinary(Uint8Array.from(Buffer.from("caf\xe9", "latin1"))), true, "Latin-1 is not UTF-8");
  });

  it("reads only the start of the file", () => {
    const late = new Uint8Array(BINARY_SNIFF_BYTES + 10).fill(0x61);
    late[BINARY_SNIFF_BYTES + 5] = 0;
    assert.equal(looksBinary(late), false);
  });

  it("does not hold a character cut by the end of the sniffed part against the file", () => {
    const text = bytes("a".repeat(BINARY_SNIFF_BYTES - 1) + "é and more");
    assert.equal(looksBinary(text), false);
    assert.equal(looksBinary(text.subarray(0, BINARY_SNIFF_BYTES)), true, "but a file that ends mid-character is not valid UTF-8");
  });

  it("suggests a 1 MiB cap", () => {
    assert.equal(MAX_TEXT_BYTES, 1_048_576);
  });
});
