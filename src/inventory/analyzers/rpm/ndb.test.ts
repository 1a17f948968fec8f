import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../../common/index.js";
import { parseRpmHeader } from "./header.js";
import { isNdbRpmdb, readNdbRpmdb } from "./ndb.js";

const testdata = new URL("./testdata/", import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, testdata));
/** rpm 4.16's ndb Packages.db. */
const ndb = read("Packages.db");
const expected = read("expected.tsv").toString("utf8").split("\n").filter(Boolean);

function rejects(bytes: Uint8Array, offset: number, detail: RegExp): void {
  assert.throws(
    () => readNdbRpmdb(bytes, "/usr/lib/sysimage/rpm/Packages.db"),
    (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.source, "/usr/lib/sysimage/rpm/Packages.db");
      assert.equal(err.location, `offset ${offset}`);
      assert.match(err.detail, detail);
      return true;
    },
  );
}

/** The first used slot: its file offset and the file offset of its blob. */
function firstSlot(bytes: Buffer): { slot: number; blob: number; blocks: number } {
  for (let at = 32; ; at += 16) {
    if (bytes.readUInt32LE(at + 8) !== 0) return { slot: at, blob: bytes.readUInt32LE(at + 8) * 16, blocks: bytes.readUInt32LE(at + 12) };
  }
}

describe("readNdbRpmdb", () => {
  it("reads the packages rpm reads from its ndb database, with rpm's header numbers", () => {
    const ours = readNdbRpmdb(ndb, "Packages.db")
      .map((r) => {
        const h = parseRpmHeader(r.blob, "Packages.db");
        return [r.key, h.name, h.epoch ?? 0, h.version, h.release, h.arch ?? "(none)", h.sourceRpm ?? "(none)", h.license ?? "(none)"].join("\t");
      })
      .sort();
    assert.deepEqual(ours, expected);
  });

  it("tells ndb files by their magic", () => {
    assert.equal(isNdbRpmdb(ndb), true);
    assert.equal(isNdbRpmdb(read("Packages")), false);
  });

  const { slot, blob, blocks } = firstSlot(ndb);
  const edit = (f: (b: Buffer) => void): Buffer => {
    const copy = Buffer.from(ndb);
    f(copy);
    return copy;
  };

  it("rejects a file without the magic, and an unknown version", () => {
    rejects(Buffer.from("RpmQ" + "\0".repeat(60)), 0, /magic "RpmP"/);
    rejects(
      edit((b) => b.writeUInt32LE(1, 4)),
      4,
      /version 1/,
    );
  });

  it("rejects a slot whose blob lies outside the file", () => {
    rejects(
      edit((b) => b.writeUInt32LE(1_000_000, slot + 8)),
      slot + 8,
      /outside the blob area/,
    );
    rejects(ndb.subarray(0, blob + 64), slot + 8, /outside the blob area/);
  });

  it("rejects a blob whose bytes no longer match its Adler-32, at the checksum", () => {
    const tail = blob + blocks * 16 - 12;
    rejects(
      edit((b) => (b[blob + 100] = b[blob + 100]! ^ 0xff)),
      tail,
      /Adler-32/,
    );
  });

  it("rejects a blob that belongs to another package or has no trailer", () => {
    rejects(
      edit((b) => b.writeUInt32LE(77, blob + 4)),
      blob + 4,
      /belongs to package 77/,
    );
    rejects(
      edit((b) => b.writeUInt32LE(0, blob + blocks * 16 - 4)),
      blob + blocks * 16 - 4,
      /trailer \("BlbE"\)/,
    );
  });

  it("rejects a slot page that is not made of slots", () => {
    rejects(
      edit((b) => b.write("Junk", 48, "latin1")),
      48,
      /expected a slot/,
    );
  });
});
