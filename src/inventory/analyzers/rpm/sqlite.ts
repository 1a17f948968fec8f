/**
 * rpmdb.sqlite (rpm ≥ 4.16: Fedora ≥ 33, RHEL ≥ 9): the `Packages` table
 * holds one header blob per installed package, keyed by its header number.
 * better-sqlite3 opens the file's bytes in memory; nothing touches the disk.
 */
import Database from "better-sqlite3";
import { InputError, messageOf } from "../../../common/index.js";
import type { RpmdbRecord } from "./record.js";

const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

export function isSqliteRpmdb(bytes: Uint8Array): boolean {
  return bytes.length >= 100 && SQLITE_MAGIC.equals(bytes.subarray(0, 16));
}

/**
 * The header blobs of an rpmdb.sqlite, in header-number order.
 *
 * rpm keeps the database in WAL mode, and SQLite refuses to open a WAL-mode
 * image from memory; the two "file format" bytes are set back to the
 * rollback-journal value in a copy. An uncheckpointed rpmdb.sqlite-wal
 * beside it is not read (rpm checkpoints when it closes the database).
 */
export function readSqliteRpmdb(bytes: Uint8Array, source: string): RpmdbRecord[] {
  if (!isSqliteRpmdb(bytes)) throw new InputError(source, "offset 0", 'expected the SQLite magic "SQLite format 3"');
  const copy = Buffer.from(bytes);
  copy[18] = 1;
  copy[19] = 1;
  let db: Database.Database;
  try {
    db = new Database(copy, { readonly: true });
  } catch (err) {
    throw new InputError(source, undefined, `not a readable SQLite database: ${messageOf(err)}`, { cause: err });
  }
  try {
    const table = db.prepare("SELECT type FROM sqlite_master WHERE name = 'Packages'").get() as { type: string } | undefined;
    // A view or trigger in an untrusted file could run SQL of its author's choosing; read plain tables only.
    if (table?.type !== "table") throw new InputError(source, undefined, 'no "Packages" table: not an rpm database');
    const records: RpmdbRecord[] = [];
    for (const row of db.prepare("SELECT hnum, blob FROM Packages ORDER BY hnum").iterate() as Iterable<{ hnum: unknown; blob: unknown }>) {
      if (typeof row.hnum !== "number" || !Number.isSafeInteger(row.hnum)) {
        throw new InputError(source, `table Packages row ${records.length + 1}`, `hnum should be an integer, is ${typeof row.hnum}`);
      }
      if (!(row.blob instanceof Uint8Array)) throw new InputError(source, `table Packages hnum ${row.hnum}`, `blob should be a BLOB, is ${typeof row.blob}`);
      records.push({ key: row.hnum, blob: row.blob });
    }
    return records;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(source, "table Packages", `cannot be read: ${messageOf(err)}`, { cause: err });
  } finally {
    db.close();
  }
}
