import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../../common/index.js";
import { isBdbHash, readBdbHash, readBdbRpmdb } from "./bdb.js";
import { parseRpmHeader } from "./header.js";

const testdata = new URL("./testdata/", import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, testdata));
/** rpm 4.16's Berkeley DB Packages: little-endian, 4096-byte pages. */
const packages = read("Packages");
/** The same database reloaded by db_load as big-endian with 512-byte pages. */
const be512 = read("Packages.be512");
const expected = read("expected.tsv").toString("utf8").split("\n").filter(Boolean);

function qaLines(bytes: Buffer): string[] {
  return readBdbRpmdb(bytes, "Packages")
    .map((r) => {
      const h = parseRpmHeader(r.blob, "Packages");
      return [r.key, h.name, h.epoch ?? 0, h.version, h.release, h.arch ?? "(none)", h.sourceRpm ?? "(none)", h.license ?? "(none)"].join("\t");
    })
    .sort();
}

/** Page numbers of the pages of a given type (the type byte is at 25 in every page header). */
function pagesOfType(bytes: Buffer, pageSize: number, type: number): number[] {
  const out: number[] = [];
  for (let p = 1; p * pageSize < bytes.length; p++) if (bytes[p * pageSize + 25] === type) out.push(p);
  return out;
}

function rejects(bytes: Uint8Array, offset: number, detail: RegExp): void {
  assert.throws(
    () => readBdbRpmdb(bytes, "/var/lib/rpm/Packages"),
    (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.source, "/var/lib/rpm/Packages");
      assert.equal(err.location, `offset ${offset}`);
      assert.match(err.detail, detail);
      return true;
    },
  );
}

describe("readBdbRpmdb on real Berkeley DB Packages files", () => {
  it("reads the packages rpm reads, with rpm's header numbers", () => {
    assert.deepEqual(qaLines(packages), expected);
  });

  it("reads a big-endian database with 512-byte pages to the same header blobs", () => {
    const little = readBdbRpmdb(packages, "Packages");
    const big = readBdbRpmdb(be512, "Packages.be512");
    assert.equal(be512.readUInt32BE(12), 0x061561, "the fixture is big-endian");
    assert.ok(pagesOfType(be512, 512, 7).length > 60, "its large header spans a long overflow chain");
    assert.deepEqual(
      big.map((r) => r.key),
      little.map((r) => r.key),
    );
    big.forEach((r, i) => assert.ok(Buffer.from(r.blob).equals(Buffer.from(little[i]!.blob)), `header ${r.key}`));
  });

  it("leaves out key 0, where rpm counts the header numbers it handed out", () => {
    const all = readBdbHash(packages, "Packages");
    const counter = all.find((e) => Buffer.from(e.key).readUInt32LE(0) === 0);
    assert.ok(counter);
    assert.equal(Buffer.from(counter.value).readUInt32LE(0), Math.max(...readBdbRpmdb(packages, "Packages").map((r) => r.key)));
    assert.equal(readBdbRpmdb(packages, "Packages").length, all.length - 1);
  });

  it("tells Berkeley DB hash files by the magic of either byte order", () => {
    assert.equal(isBdbHash(packages), true);
    assert.equal(isBdbHash(be512), true);
    assert.equal(isBdbHash(read("Packages.db")), false);
  });
});

describe("readBdbRpmdb on corrupt files", () => {
  const ps = 4096;
  const overflow = pagesOfType(packages, ps, 7).find((p) => packages.readUInt32LE(p * ps + 16) !== 0)!;
  const bucket = pagesOfType(packages, ps, 13)[0]!;
  const edit = (f: (b: Buffer) => void): Buffer => {
    const copy = Buffer.from(packages);
    f(copy);
    return copy;
  };

  it("rejects a file without the hash magic, and unsupported page sizes and encryption", () => {
    rejects(
      edit((b) => b.writeUInt32LE(0x053162, 12)),
      12,
      /hash magic/,
    );
    rejects(
      edit((b) => b.writeUInt32LE(1000, 20)),
      20,
      /page size 1000/,
    );
    rejects(
      edit((b) => (b[24] = 1)),
      24,
      /encrypted/,
    );
  });

  it("rejects a file cut short of its last page", () => {
    rejects(packages.subarray(0, 3 * ps), 3 * ps, /truncated/);
  });

  it("rejects an overflow chain that loops back on itself", () => {
    rejects(
      edit((b) => b.writeUInt32LE(overflow, overflow * ps + 16)),
      overflow * ps + 16,
      new RegExp(`page ${overflow}, which is already part of another chain`),
    );
  });

  it("rejects an overflow chain that leaves the file", () => {
    rejects(
      edit((b) => b.writeUInt32LE(9999, overflow * ps + 16)),
      overflow * ps + 16,
      /points to page 9999, outside 1\.\.\d+/,
    );
  });

  it("rejects an overflow page that claims more bytes than a page holds", () => {
    rejects(
      edit((b) => b.writeUInt16LE(5000, overflow * ps + 22)),
      overflow * ps + 22,
      /holds 5000 bytes/,
    );
  });

  it("rejects a hash page chain that loops, an item offset outside the page and a page with the wrong number", () => {
    rejects(
      edit((b) => b.writeUInt32LE(bucket, bucket * ps + 16)),
      bucket * ps + 16,
      /already part of another chain/,
    );
    rejects(
      edit((b) => b.writeUInt16LE(5, bucket * ps + 26)),
      bucket * ps + 26,
      /item 0 is at 5/,
    );
    rejects(
      edit((b) => b.writeUInt32LE(bucket + 1, bucket * ps + 8)),
      bucket * ps + 8,
      new RegExp(`page ${bucket} says it is page ${bucket + 1}`),
    );
  });
});
