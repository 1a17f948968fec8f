import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../../common/index.js";
import { HEADER_LIMITS, parseRpmHeader, TAG, type RpmHeader } from "./header.js";
import { readSqliteRpmdb } from "./sqlite.js";

const testdata = new URL("./testdata/", import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, testdata));
const lines = (name: string): string[] => read(name).toString("utf8").split("\n").filter(Boolean);

/** The real headers rpm 4.18 stored for the fixture packages (see testdata/README.md). */
const records = readSqliteRpmdb(read("rpmdb.sqlite"), "rpmdb.sqlite");
const blobOf = (name: string): Buffer => {
  const record = records.find((r) => parseRpmHeader(r.blob, "rpmdb.sqlite").name === name);
  assert.ok(record, `fixture has ${name}`);
  return Buffer.from(record.blob);
};

/** The line `rpm -qa --qf '%{DBINSTANCE}\t%{NAME}\t%{EPOCHNUM}…'` prints for a header. */
function qaLine(key: number, h: RpmHeader): string {
  return [key, h.name, h.epoch ?? 0, h.version, h.release, h.arch ?? "(none)", h.sourceRpm ?? "(none)", h.license ?? "(none)"].join("\t");
}

/** The index entry of `tag` in a header blob: its offset in the blob and its data's offset. */
function entryOf(blob: Buffer, tag: number): { at: number; data: number } {
  const il = blob.readUInt32BE(0);
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    if (blob.readUInt32BE(at) === tag) return { at, data: 8 + il * 16 + blob.readInt32BE(at + 8) };
  }
  throw new Error(`no tag ${tag}`);
}

function rejects(blob: Uint8Array, location: string, detail: RegExp): void {
  assert.throws(
    () => parseRpmHeader(blob, "/var/lib/rpm/rpmdb.sqlite", "package 3"),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.source, "/var/lib/rpm/rpmdb.sqlite");
      assert.equal(err.location, `package 3, ${location}`);
      assert.match(err.detail, detail);
      return true;
    },
  );
}

describe("parseRpmHeader on real rpmdb headers", () => {
  it("reads the same NAME, EPOCH, VERSION, RELEASE, ARCH, SOURCERPM and LICENSE as rpm -qa", () => {
    const ours = records.map((r) => qaLine(r.key, parseRpmHeader(r.blob, "rpmdb.sqlite"))).sort();
    assert.deepEqual(ours, lines("expected.tsv"));
  });

  it("joins DIRNAMES, BASENAMES and DIRINDEXES into the paths rpm lists as FILENAMES", () => {
    const ours = records
      .map((r) => parseRpmHeader(r.blob, "rpmdb.sqlite"))
      .flatMap((h) => h.files.map((f) => `${h.name}\t${f}`))
      .sort();
    assert.deepEqual(ours, lines("expected-files.tsv"));
  });

  it("leaves epoch out when the package has no EPOCH tag, and keeps it when it has one", () => {
    assert.equal(parseRpmHeader(blobOf("hello-tool"), "x").epoch, undefined);
    assert.equal(parseRpmHeader(blobOf("sample-data"), "x").epoch, 2);
  });

  it("reads an old-style header whose file list is one FILENAMES array", () => {
    const h = parseRpmHeader(read("oldstyle-filenames.hdr"), "oldstyle-filenames.hdr");
    assert.equal(h.name, "sample-data");
    assert.deepEqual(h.files, lines("oldstyle-filenames.txt"));
    assert.ok(h.files.includes("/usr/share/sample-data/asia/zone-7.dat"));
  });
});

describe("parseRpmHeader on corrupt headers", () => {
  const good = blobOf("hello-tool");
  const il = good.readUInt32BE(0);
  const dl = good.readUInt32BE(4);

  it("rejects a blob shorter than the 8-byte intro at offset 0", () => {
    rejects(good.subarray(0, 5), "header offset 0", /shorter than its 8-byte intro/);
  });

  it("rejects a truncated blob at the offset where it ends", () => {
    rejects(good.subarray(0, good.length - 100), `header offset ${good.length - 100}`, /truncated/);
    rejects(good.subarray(0, 8 + 16 * 3), `header offset ${8 + 16 * 3}`, /truncated/);
  });

  it("rejects bytes after the data store", () => {
    rejects(Buffer.concat([good, Buffer.alloc(4)]), `header offset ${good.length}`, /4 bytes after/);
  });

  it("rejects index counts outside 1..0xffff and data lengths above 256 MiB", () => {
    const zero = Buffer.from(good);
    zero.writeUInt32BE(0, 0);
    rejects(zero, "header offset 0", /index count 0/);
    const many = Buffer.from(good);
    many.writeUInt32BE(HEADER_LIMITS.maxEntries + 1, 0);
    rejects(many, "header offset 0", /index count 65536/);
    const huge = Buffer.from(good);
    huge.writeUInt32BE(HEADER_LIMITS.maxDataLength + 1, 4);
    rejects(huge, "header offset 4", /data length/);
  });

  it("rejects an entry whose offset is outside the data store, at that entry's offset field", () => {
    const bad = Buffer.from(good);
    const { at } = entryOf(bad, TAG.RELEASE);
    bad.writeInt32BE(dl + 16, at + 8);
    rejects(bad, `header offset ${at + 8}`, /offset \d+ outside the \d+-byte data store/);
    bad.writeInt32BE(-4, at + 8);
    rejects(bad, `header offset ${at + 8}`, /offset -4 outside/);
  });

  it("rejects an entry with count 0, an unknown type or a misaligned INT32", () => {
    const count = Buffer.from(good);
    const name = entryOf(count, TAG.NAME);
    count.writeUInt32BE(0, name.at + 12);
    rejects(count, `header offset ${name.at + 12}`, /count 0/);
    const type = Buffer.from(good);
    type.writeUInt32BE(42, name.at + 4);
    rejects(type, `header offset ${name.at + 4}`, /unknown type 42/);
    const align = Buffer.from(good);
    const dirindexes = entryOf(align, TAG.DIRINDEXES);
    align.writeInt32BE(align.readInt32BE(dirindexes.at + 8) + 1, dirindexes.at + 8);
    rejects(align, `header offset ${dirindexes.at + 8}`, /not aligned to 4 bytes/);
  });

  it("rejects a string that runs past the end of the data store, where the string starts", () => {
    const bad = Buffer.from(good);
    const { at } = entryOf(bad, TAG.NAME);
    bad.writeInt32BE(dl, at + 8);
    rejects(bad, `header offset ${8 + il * 16 + dl}`, /string 1 of 1 of tag 1000 runs past the end/);
  });

  it("rejects a DIRINDEXES value that names no directory, at that value", () => {
    const bad = Buffer.from(good);
    const { data } = entryOf(bad, TAG.DIRINDEXES);
    bad.writeUInt32BE(9999, data + 4);
    rejects(bad, `header offset ${data + 4}`, /DIRINDEXES\[1\] is 9999/);
  });

  it("rejects a header without a NAME", () => {
    const bad = Buffer.from(good);
    const { at } = entryOf(bad, TAG.NAME);
    bad.writeUInt32BE(999, at); // still sorted before VERSION (1001), now an unknown tag
    rejects(bad, "header offset 0", /no NAME/);
  });
});
