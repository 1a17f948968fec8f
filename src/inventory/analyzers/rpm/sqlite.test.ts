import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { InputError } from "../../../common/index.js";
import { isSqliteRpmdb, readSqliteRpmdb } from "./sqlite.js";

const testdata = new URL("./testdata/", import.meta.url);
const fixture = readFileSync(new URL("rpmdb.sqlite", testdata));
const expectedKeys = readFileSync(new URL("expected.tsv", testdata), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => Number(line.split("\t")[0]))
  .sort((a, b) => a - b);

/** A real SQLite file made by SQLite itself from `sql`. */
function sqliteFile(sql: string): Buffer {
  const db = new Database(":memory:");
  db.exec(sql);
  const bytes = db.serialize();
  db.close();
  return bytes;
}

function rejects(bytes: Uint8Array, location: string | undefined, detail: RegExp): void {
  assert.throws(
    () => readSqliteRpmdb(bytes, "/var/lib/rpm/rpmdb.sqlite"),
    (err: unknown) => err instanceof InputError && err.source === "/var/lib/rpm/rpmdb.sqlite" && err.location === location && detail.test(err.detail),
  );
}

describe("readSqliteRpmdb", () => {
  it("reads every header of rpm's rpmdb.sqlite (a WAL-mode file) with rpm's header numbers", () => {
    assert.equal(fixture[18], 2, "the fixture is in WAL mode, as rpm leaves it");
    const records = readSqliteRpmdb(fixture, "rpmdb.sqlite");
    assert.deepEqual(
      records.map((r) => r.key),
      expectedKeys,
    );
    for (const r of records) {
      const blob = Buffer.from(r.blob);
      assert.equal(blob.length, 8 + 16 * blob.readUInt32BE(0) + blob.readUInt32BE(4), `record ${r.key} is one whole header blob`);
    }
  });

  it("leaves the caller's bytes as they were", () => {
    const copy = Buffer.from(fixture);
    readSqliteRpmdb(copy, "rpmdb.sqlite");
    assert.ok(copy.equals(fixture));
  });

  it("tells SQLite files by their magic", () => {
    assert.equal(isSqliteRpmdb(fixture), true);
    assert.equal(isSqliteRpmdb(readFileSync(new URL("Packages", testdata))), false);
  });

  it("rejects a file that is not SQLite at offset 0", () => {
    rejects(Buffer.from("not a database at all, just text that is long enough to be mistaken for one if we did not check"), "offset 0", /SQLite magic/);
  });

  it("rejects a SQLite database without a Packages table", () => {
    rejects(sqliteFile("CREATE TABLE Other (x)"), undefined, /no "Packages" table/);
  });

  it("refuses a Packages view: SQL from an untrusted file is not run", () => {
    rejects(sqliteFile("CREATE TABLE t (hnum, blob); CREATE VIEW Packages AS SELECT * FROM t"), undefined, /no "Packages" table/);
  });

  it("rejects a Packages row whose blob is not a BLOB, naming its hnum", () => {
    rejects(sqliteFile("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob); INSERT INTO Packages VALUES (7, 'text')"), "table Packages hnum 7", /should be a BLOB/);
  });

  it("rejects a truncated SQLite file as malformed", () => {
    rejects(fixture.subarray(0, 8192), "table Packages", /malformed/);
  });
});
