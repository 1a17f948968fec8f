/**
 * The vulnerability DB: one SQLite file. Advisories are stored whole (JSON)
 * and each affected package once more as a row indexed by (ecosystem,
 * package), the only question matching asks. Every record belongs to a feed
 * (a download or an imported path): importing a feed again replaces all of
 * its records, and a record that a feed splits over several files (an Alpine
 * CVE fixed in two packages) is merged. Two feeds may both carry a record
 * (a GHSA in the npm and the PyPI zip); matching merges them by id.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { InputError } from "../common/index.js";
import type { Advisory, Affected } from "./model.js";

/** Bump when the tables change: an older file is refused with the command that rebuilds it. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  location TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  records INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  etag TEXT,
  last_modified TEXT
);
CREATE TABLE advisories (
  n INTEGER PRIMARY KEY,
  feed TEXT NOT NULL,
  source TEXT NOT NULL,
  id TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (feed, source, id)
);
CREATE TABLE affected (
  ecosystem TEXT NOT NULL,
  package TEXT NOT NULL,
  advisory INTEGER NOT NULL REFERENCES advisories (n) ON DELETE CASCADE,
  body TEXT NOT NULL
);
CREATE INDEX affected_by_package ON affected (ecosystem, package);
CREATE INDEX affected_by_advisory ON affected (advisory);
CREATE INDEX advisories_by_feed ON advisories (feed);
`;

/** A feed as recorded in the DB: where it came from, when, and what it gave. */
export interface SourceRecord {
  name: string;
  location: string;
  importedAt: string;
  records: number;
  warnings: number;
  etag?: string;
  lastModified?: string;
}

/** One affected package with the advisory it belongs to (without its other affected entries). */
export interface Candidate {
  advisory: Omit<Advisory, "affected">;
  affected: Affected;
}

export interface DbStatus {
  file: string;
  schemaVersion: number;
  /** When the newest import finished (ISO time). */
  updatedAt?: string;
  sources: SourceRecord[];
  advisories: number;
  affected: number;
  /** Affected rows per ecosystem. */
  ecosystems: Record<string, number>;
}

const NOT_FOUND = "not found; create it with: portcullis db update (or offline: portcullis db import PATH)";
const NOT_OURS = "not a portcullis vulnerability DB";

/** A DB written for another schema: reading it is refused, `db update` rebuilds it. */
export class SchemaMismatchError extends InputError {
  constructor(
    readonly file: string,
    /** The schema the file says it has (undefined when it says none). */
    readonly found: string | undefined,
    detail: string,
  ) {
    super(`vulnerability DB ${file}`, undefined, detail);
  }
}

/** The schema version a DB file records; a file that is no SQLite DB, or has no meta table, is not ours. */
function schemaVersionOf(db: Database.Database, file: string): string | undefined {
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined)?.value;
  } catch (err) {
    throw new InputError(`vulnerability DB ${file}`, undefined, `${NOT_OURS} (${(err as Error).message})`);
  }
}

export class VulnStore {
  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
  ) {}

  /** Opens an existing DB for reading; a missing, foreign or outdated one is an error that says how to get one. */
  static open(file: string): VulnStore {
    const source = `vulnerability DB ${file}`;
    // A first run on a new machine has neither the file nor its folder: both are "not found".
    if (!existsSync(file)) throw new InputError(source, undefined, NOT_FOUND);
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (err) {
      const missing = (err as { code?: string }).code === "SQLITE_CANTOPEN";
      throw new InputError(source, undefined, missing ? NOT_FOUND : `cannot open: ${(err as Error).message}`);
    }
    let version: string | undefined;
    try {
      version = schemaVersionOf(db, file);
    } catch (err) {
      db.close();
      throw err;
    }
    if (version !== String(SCHEMA_VERSION)) {
      db.close();
      throw new SchemaMismatchError(file, version, `schema ${version ?? "unknown"}, this portcullis needs ${SCHEMA_VERSION}; rebuild it with: portcullis db update`);
    }
    return new VulnStore(file, db);
  }

  /** Opens the DB for writing, creating it (and its folder) when missing; never writes into a file that is not one. */
  static openForWrite(file: string): VulnStore {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    let version: string | undefined;
    try {
      db.pragma("journal_mode = DELETE");
      db.pragma("foreign_keys = ON");
      // A new (empty) file gets the tables; a file with other tables is some other program's DB.
      const empty = !db.prepare("SELECT 1 FROM sqlite_master").get();
      if (empty) {
        db.transaction(() => {
          db.exec(SCHEMA);
          db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
        })();
      }
      version = schemaVersionOf(db, file);
    } catch (err) {
      db.close();
      throw err instanceof InputError ? err : new InputError(`vulnerability DB ${file}`, undefined, `${NOT_OURS} (${(err as Error).message})`);
    }
    if (version !== String(SCHEMA_VERSION)) {
      db.close();
      throw new SchemaMismatchError(file, version, `schema ${version ?? "unknown"}, this portcullis writes ${SCHEMA_VERSION}; remove the file or choose another with --db`);
    }
    return new VulnStore(file, db);
  }

  /**
   * Runs `work` as one transaction: the batches it commits become visible
   * together when it resolves, and are all undone when it throws.
   */
  async atomically<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec("SAVEPOINT atomically");
    let result: T;
    try {
      result = await work();
    } catch (err) {
      // An error that aborted the whole transaction has already undone it.
      if (this.db.inTransaction) this.db.exec("ROLLBACK TO atomically; RELEASE atomically");
      throw err;
    }
    this.db.exec("RELEASE atomically");
    return result;
  }

  private meta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  /**
   * Writes the advisories of one feed: its earlier records go, records
   * repeated within the import are merged. Nothing is visible (or lost)
   * until `commit()`, and inside `atomically` until that finishes.
   */
  importBatch(feed: string): ImportBatch {
    return new ImportBatch(this.db, feed);
  }

  private lookupStatement: Database.Statement | undefined;

  /** Every affected entry for a package in an ecosystem. */
  lookup(ecosystem: string, pkg: string): Candidate[] {
    this.lookupStatement ??= this.db.prepare(
      "SELECT a.body AS advisory, f.body AS affected FROM affected f JOIN advisories a ON a.n = f.advisory WHERE f.ecosystem = ? AND f.package = ?",
    );
    const rows = this.lookupStatement.all(ecosystem, pkg) as { advisory: string; affected: string }[];
    return rows.map((r) => ({ advisory: JSON.parse(r.advisory) as Candidate["advisory"], affected: JSON.parse(r.affected) as Affected }));
  }

  /** The distinct ecosystems the DB has data for. */
  ecosystems(): string[] {
    return (this.db.prepare("SELECT DISTINCT ecosystem FROM affected ORDER BY ecosystem").all() as { ecosystem: string }[]).map((r) => r.ecosystem);
  }

  status(): DbStatus {
    const sources = (this.db.prepare("SELECT * FROM sources ORDER BY name").all() as Record<string, string | number | null>[]).map(
      (r): SourceRecord => ({
        name: String(r.name),
        location: String(r.location),
        importedAt: String(r.imported_at),
        records: Number(r.records),
        warnings: Number(r.warnings),
        ...(r.etag ? { etag: String(r.etag) } : {}),
        ...(r.last_modified ? { lastModified: String(r.last_modified) } : {}),
      }),
    );
    const count = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    const ecosystems: Record<string, number> = {};
    for (const r of this.db.prepare("SELECT ecosystem, COUNT(*) AS n FROM affected GROUP BY ecosystem ORDER BY ecosystem").all() as { ecosystem: string; n: number }[]) {
      ecosystems[r.ecosystem] = r.n;
    }
    const updatedAt = this.meta("updated_at");
    return {
      file: this.file,
      schemaVersion: SCHEMA_VERSION,
      ...(updatedAt ? { updatedAt } : {}),
      sources,
      advisories: count("SELECT COUNT(*) AS n FROM advisories"),
      affected: count("SELECT COUNT(*) AS n FROM affected"),
      ecosystems,
    };
  }

  /** Forgets a feed and its records (a feed no longer configured). */
  dropFeed(name: string): void {
    this.db.prepare("DELETE FROM advisories WHERE feed = ?").run(name);
    this.db.prepare("DELETE FROM sources WHERE name = ?").run(name);
  }

  /** Records a feed's import (or refresh) and stamps the DB's update time. */
  recordSource(source: SourceRecord): void {
    this.db
      .prepare(
        "INSERT INTO sources (name, location, imported_at, records, warnings, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?) " +
          "ON CONFLICT (name) DO UPDATE SET location = excluded.location, imported_at = excluded.imported_at, records = excluded.records, " +
          "warnings = excluded.warnings, etag = excluded.etag, last_modified = excluded.last_modified",
      )
      .run(source.name, source.location, source.importedAt, source.records, source.warnings, source.etag ?? null, source.lastModified ?? null);
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('updated_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(source.importedAt);
  }

  /** Records that every feed was checked now, even when none had changed: the DB is as fresh as its last check. */
  markChecked(at: string): void {
    this.db.prepare("INSERT INTO meta (key, value) VALUES ('updated_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(at);
  }

  /** A feed's record, for conditional downloads. */
  source(name: string): SourceRecord | undefined {
    return this.status().sources.find((s) => s.name === name);
  }

  close(): void {
    this.db.close();
  }
}

/** Advisories written as they come, committed together by `commit()`. */
export class ImportBatch {
  private readonly seen = new Set<string>();
  private readonly select: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly insertAffected: Database.Statement;
  private open = true;
  /** Distinct (source, id) records written. */
  records = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly feed: string,
  ) {
    this.select = db.prepare("SELECT n, body FROM advisories WHERE feed = ? AND source = ? AND id = ?");
    this.insert = db.prepare("INSERT INTO advisories (feed, source, id, body) VALUES (?, ?, ?, ?)");
    this.update = db.prepare("UPDATE advisories SET body = ? WHERE n = ?");
    this.insertAffected = db.prepare("INSERT INTO affected (ecosystem, package, advisory, body) VALUES (?, ?, ?, ?)");
    // A savepoint, so that a batch may be part of a larger transaction (`VulnStore.atomically`).
    db.exec("SAVEPOINT import_batch");
    try {
      db.prepare("DELETE FROM advisories WHERE feed = ?").run(feed);
    } catch (err) {
      this.rollback();
      throw err;
    }
  }

  add(advisory: Advisory): void {
    if (!this.open) throw new Error("import batch already finished");
    const key = `${advisory.source}\u0000${advisory.id}`;
    const { affected, ...body } = advisory;
    let n: number;
    if (this.seen.has(key)) {
      const row = this.select.get(this.feed, advisory.source, advisory.id) as { n: number; body: string };
      n = row.n;
      this.update.run(JSON.stringify(mergeBodies(JSON.parse(row.body) as Omit<Advisory, "affected">, body)), n);
    } else {
      this.seen.add(key);
      n = Number(this.insert.run(this.feed, advisory.source, advisory.id, JSON.stringify(body)).lastInsertRowid);
      this.records++;
    }
    for (const a of affected) this.insertAffected.run(a.ecosystem, a.package, n, JSON.stringify(a));
  }

  commit(): void {
    if (!this.open) return;
    this.open = false;
    this.db.exec("RELEASE import_batch");
  }

  rollback(): void {
    if (!this.open) return;
    this.open = false;
    if (this.db.inTransaction) this.db.exec("ROLLBACK TO import_batch; RELEASE import_batch");
  }
}

/** The same record from two files of one feed: keep every alias, rating, CWE and reference once. */
function mergeBodies(a: Omit<Advisory, "affected">, b: Omit<Advisory, "affected">): Omit<Advisory, "affected"> {
  const union = <T>(x: T[], y: T[], key: (v: T) => string = (v) => JSON.stringify(v)) => {
    const seen = new Set(x.map(key));
    return [...x, ...y.filter((v) => !seen.has(key(v)))];
  };
  return {
    ...a,
    summary: a.summary || b.summary,
    details: a.details || b.details,
    aliases: union(a.aliases, b.aliases),
    severities: union(a.severities, b.severities),
    cwes: union(a.cwes, b.cwes),
    references: union(a.references, b.references),
  };
}
