/**
 * The vulnerability DB file: feeds written in batches, looked up by
 * (ecosystem, package), replaced whole on re-import, merged within one
 * import, and refused with the command that fixes it when it is missing,
 * unreadable or of another schema. The advisories are real records of the
 * shared corpus, parsed as the importer parses them.
 */
import { strict as assert } from "node:assert";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { InputError } from "../common/index.js";
import type { Advisory } from "./model.js";
import { parseAlpineSecdb } from "./sources/alpine-secdb.js";
import { parseOsv } from "./sources/osv.js";
import { SCHEMA_VERSION, VulnStore } from "./store.js";

const corpus = fileURLToPath(new URL("../../../shared/vulndata/", import.meta.url));

function ghsa(id: string): Advisory {
  const parsed = parseOsv(readFileSync(join(corpus, "npm-ghsa", `${id}.json`), "utf8"), `${id}.json`, "json");
  assert.deepEqual(parsed.warnings, []);
  return parsed.advisories[0]!;
}

function alpine(branch: string, pkg: string): Advisory[] {
  return parseAlpineSecdb(readFileSync(join(corpus, "alpine", branch, "main", `${pkg}.json`), "utf8"), `${pkg}.json`).advisories;
}

/** Lodash advisories of GitHub's database: each affects lodash (and some lodash-es and others). */
const LODASH = ["GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm", "GHSA-29mw-wpgm-hmr9", "GHSA-4xc9-xhrj-v574"];

let work: string;
let n = 0;
/** A new DB file in the test's folder. */
const fresh = () => join(work, `db-${++n}`, "vulns.db");

before(() => {
  work = mkdtempSync(join(tmpdir(), "pcs-store-"));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

function importFeed(store: VulnStore, feed: string, advisories: Advisory[]): void {
  const batch = store.importBatch(feed);
  for (const a of advisories) batch.add(a);
  batch.commit();
}

const ids = (store: VulnStore, ecosystem: string, pkg: string) => store.lookup(ecosystem, pkg).map((c) => c.advisory.id).sort();

describe("a DB written by one feed", () => {
  it("is created with its folder by openForWrite and answers lookups by ecosystem and package", () => {
    const file = fresh();
    const store = VulnStore.openForWrite(file);
    importFeed(store, "osv:npm", LODASH.map(ghsa));
    store.close();

    const reader = VulnStore.open(file);
    try {
      assert.deepEqual(ids(reader, "npm", "lodash"), [...LODASH].sort());
      assert.deepEqual(ids(reader, "npm", "lodash-es"), ["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "GHSA-p6mc-m468-83gw"]);
      assert.deepEqual(ids(reader, "npm", "lodash.trim"), ["GHSA-29mw-wpgm-hmr9"]);
      assert.deepEqual(reader.lookup("npm", "underscore"), [], "a package no record names");
      assert.deepEqual(reader.lookup("PyPI", "lodash"), [], "the same name in another ecosystem");
    } finally {
      reader.close();
    }
  });

  it("gives each candidate the advisory without its other packages, and the one affected entry that matched", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      const record = ghsa("GHSA-p6mc-m468-83gw");
      importFeed(store, "osv:npm", [record]);
      const [candidate, ...rest] = store.lookup("npm", "lodash-es");
      assert.equal(rest.length, 0);
      const { affected, ...advisory } = record;
      assert.deepEqual(candidate!.advisory, JSON.parse(JSON.stringify(advisory)));
      assert.deepEqual(candidate!.affected, affected.find((a) => a.package === "lodash-es"));
      assert.deepEqual(candidate!.affected.ranges, [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "4.17.20" }] }]);
    } finally {
      store.close();
    }
  });

  it("keeps nothing of an import until it is committed, and nothing at all when it is rolled back", () => {
    const file = fresh();
    const store = VulnStore.openForWrite(file);
    try {
      const batch = store.importBatch("osv:npm");
      for (const a of LODASH.map(ghsa)) batch.add(a);
      const reader = VulnStore.open(file);
      assert.deepEqual(reader.lookup("npm", "lodash"), [], "another reader sees nothing while the batch is open");
      reader.close();
      batch.rollback();
      assert.deepEqual(store.lookup("npm", "lodash"), []);
      const status = store.status();
      assert.deepEqual([status.advisories, status.affected, status.sources, status.ecosystems], [0, 0, [], {}]);
      assert.throws(() => batch.add(ghsa(LODASH[0]!)), /already finished/, "a finished batch takes no more records");
    } finally {
      store.close();
    }
  });

  it("loses nothing of the earlier import when a re-import is rolled back", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      importFeed(store, "osv:npm", LODASH.map(ghsa));
      const batch = store.importBatch("osv:npm");
      batch.add(ghsa(LODASH[0]!));
      batch.rollback();
      assert.deepEqual(ids(store, "npm", "lodash"), [...LODASH].sort());
    } finally {
      store.close();
    }
  });
});

describe("importing a feed again", () => {
  it("replaces every record the feed gave before: a record dropped upstream disappears", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      importFeed(store, "osv:npm", LODASH.map(ghsa));
      importFeed(store, "osv:npm", LODASH.slice(1).map(ghsa));
      assert.deepEqual(ids(store, "npm", "lodash"), LODASH.slice(1).sort());
      assert.deepEqual(ids(store, "npm", "lodash-es"), ["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm"]);
      assert.equal(store.status().advisories, 3);
      assert.equal(store.status().affected, 2 + 4 + 1, "no affected row of the replaced records is left");
    } finally {
      store.close();
    }
  });

  it("leaves the other feeds alone", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      importFeed(store, "osv:npm", LODASH.map(ghsa));
      importFeed(store, "alpine:v3.20/main", alpine("v3.20", "zlib"));
      importFeed(store, "osv:npm", []);
      assert.deepEqual(store.lookup("npm", "lodash"), []);
      assert.ok(store.lookup("Alpine:v3.20", "zlib").length > 0);
    } finally {
      store.close();
    }
  });
});

describe("the same record twice", () => {
  it("from two feeds is kept once per feed", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      const record = ghsa("GHSA-p6mc-m468-83gw");
      importFeed(store, "osv:npm", [record]);
      importFeed(store, "import:/data/ghsa", [record]);
      assert.deepEqual(ids(store, "npm", "lodash"), ["GHSA-p6mc-m468-83gw", "GHSA-p6mc-m468-83gw"]);
      assert.equal(store.status().advisories, 2);
      importFeed(store, "import:/data/ghsa", []);
      assert.deepEqual(ids(store, "npm", "lodash"), ["GHSA-p6mc-m468-83gw"], "and each feed's copy goes with its feed");
    } finally {
      store.close();
    }
  });

  it("within one import is merged into one record: affected entries appended, aliases, references and ratings kept once", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      // GHSA-f2jv-r9rf-7988 names npm handlebars and three Maven webjars: the npm and
      // Maven zips each carry it, here with the aliases one of them had not yet got.
      const whole = ghsa("GHSA-f2jv-r9rf-7988");
      const npmCopy: Advisory = { ...whole, aliases: [], references: whole.references.slice(0, 1), affected: whole.affected.filter((a) => a.ecosystem === "npm") };
      const mavenCopy: Advisory = { ...whole, affected: whole.affected.filter((a) => a.ecosystem === "Maven") };
      importFeed(store, "import:/data/mixed", [npmCopy, mavenCopy]);
      const status = store.status();
      assert.equal(status.advisories, 1);
      assert.deepEqual(status.ecosystems, { Maven: 3, npm: 1 });
      const [npm] = store.lookup("npm", "handlebars");
      const [maven] = store.lookup("Maven", "org.webjars.npm:handlebars");
      assert.deepEqual(npm!.advisory, maven!.advisory, "one record behind both packages");
      assert.deepEqual(npm!.advisory.aliases, ["CVE-2021-23369"]);
      assert.deepEqual(npm!.advisory.references, whole.references);
      assert.deepEqual(npm!.advisory.severities, whole.severities);
    } finally {
      store.close();
    }
  });

  it("as Alpine writes it, one CVE in the files of two branches, is one advisory with both fixes", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      importFeed(store, "import:/data/alpine", [...alpine("v3.18", "curl"), ...alpine("v3.20", "curl")]);
      const [v318] = store.lookup("Alpine:v3.18", "curl").filter((c) => c.advisory.id === "CVE-2023-38545");
      const [v320] = store.lookup("Alpine:v3.20", "curl").filter((c) => c.advisory.id === "CVE-2023-38545");
      assert.deepEqual([v318!.affected.fixedVersion, v320!.affected.fixedVersion], ["8.4.0-r0", "8.4.0-r0"]);
      const distinct = new Set([...alpine("v3.18", "curl"), ...alpine("v3.20", "curl")].map((a) => a.id));
      assert.equal(store.status().advisories, distinct.size);
    } finally {
      store.close();
    }
  });
});

describe("status", () => {
  it("counts advisories, affected rows per ecosystem, and lists each recorded source with its validators", () => {
    const store = VulnStore.openForWrite(fresh());
    try {
      assert.equal(store.status().updatedAt, undefined, "a new DB was never updated");
      const npm = LODASH.map(ghsa);
      const zlib = alpine("v3.20", "zlib");
      let batch = store.importBatch("osv:npm");
      for (const a of npm) batch.add(a);
      store.recordSource({ name: "osv:npm", location: "https://example.org/npm/all.zip", importedAt: "2026-01-02T03:04:05.000Z", records: batch.records, warnings: 0, etag: '"abc"', lastModified: "Fri, 02 Jan 2026 03:04:05 GMT" });
      batch.commit();
      batch = store.importBatch("alpine:v3.20/main");
      for (const a of zlib) batch.add(a);
      store.recordSource({ name: "alpine:v3.20/main", location: "https://example.org/v3.20/main.json", importedAt: "2026-01-03T00:00:00.000Z", records: batch.records, warnings: 2 });
      batch.commit();

      const status = store.status();
      assert.equal(status.schemaVersion, SCHEMA_VERSION);
      assert.equal(status.advisories, LODASH.length + zlib.length);
      assert.equal(status.affected, 9 + zlib.length);
      assert.deepEqual(status.ecosystems, { "Alpine:v3.20": zlib.length, npm: 9 });
      assert.equal(status.updatedAt, "2026-01-03T00:00:00.000Z");
      assert.deepEqual(status.sources, [
        { name: "alpine:v3.20/main", location: "https://example.org/v3.20/main.json", importedAt: "2026-01-03T00:00:00.000Z", records: zlib.length, warnings: 2 },
        { name: "osv:npm", location: "https://example.org/npm/all.zip", importedAt: "2026-01-02T03:04:05.000Z", records: 4, warnings: 0, etag: '"abc"', lastModified: "Fri, 02 Jan 2026 03:04:05 GMT" },
      ]);
      assert.deepEqual(store.source("osv:npm"), status.sources[1]);
      assert.deepEqual(store.ecosystems(), ["Alpine:v3.20", "npm"]);

      store.markChecked("2026-02-01T00:00:00.000Z");
      assert.equal(store.status().updatedAt, "2026-02-01T00:00:00.000Z");
      store.dropFeed("osv:npm");
      assert.deepEqual(store.status().sources.map((s) => s.name), ["alpine:v3.20/main"]);
      assert.deepEqual(store.status().ecosystems, { "Alpine:v3.20": zlib.length });
    } finally {
      store.close();
    }
  });
});

describe("opening a DB for reading", () => {
  const refusal = (file: string) => {
    try {
      VulnStore.open(file).close();
    } catch (err) {
      assert.ok(err instanceof InputError, `an InputError, not ${String(err)}`);
      return err.message;
    }
    assert.fail(`${file} opened`);
  };

  it("refuses a missing file, naming the commands that create one", () => {
    const file = join(work, "missing.db");
    assert.match(refusal(file), /missing\.db: not found; create it with: portcullis db update .*portcullis db import/);
  });

  it("refuses a file in a folder that does not exist yet the same way (a first run on a new machine)", () => {
    const file = join(work, "no", "such", "folder", "vulns.db");
    assert.match(refusal(file), /vulns\.db: not found; create it with: portcullis db update .*portcullis db import/);
  });

  it("refuses a DB of another schema version, naming the command that rebuilds it", () => {
    for (const version of [String(SCHEMA_VERSION - 1), String(SCHEMA_VERSION + 1)]) {
      const file = fresh();
      VulnStore.openForWrite(file).close();
      const raw = new Database(file);
      raw.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(version);
      raw.close();
      assert.match(refusal(file), new RegExp(`schema ${version}, this portcullis needs ${SCHEMA_VERSION}; rebuild it with: portcullis db update`));
      assert.throws(() => VulnStore.openForWrite(file), (err: Error) => err instanceof InputError && /remove the file or choose another with --db/.test(err.message));
    }
  });

  it("refuses a file that is no SQLite DB, or a SQLite DB of something else, as bad input naming the file", () => {
    const junk = join(work, "junk.db");
    writeFileSync(junk, readFileSync(join(corpus, "README.md")));
    assert.match(refusal(junk), /junk\.db: not a portcullis vulnerability DB/);
    assert.throws(() => VulnStore.openForWrite(junk), (err: Error) => err instanceof InputError && /junk\.db: not a portcullis vulnerability DB/.test(err.message));

    mkdirSync(join(work, "other"));
    const other = join(work, "other", "app.db");
    const raw = new Database(other);
    raw.exec("CREATE TABLE users (name TEXT)");
    raw.close();
    assert.match(refusal(other), /app\.db: not a portcullis vulnerability DB/);
    assert.throws(() => VulnStore.openForWrite(other), (err: Error) => err instanceof InputError && /app\.db: not a portcullis vulnerability DB/.test(err.message));
    const check = new Database(other, { readonly: true });
    assert.deepEqual(check.prepare("SELECT name FROM sqlite_master").all(), [{ name: "users" }], "and no table of ours is written into it");
    check.close();
  });

  it("opens a DB only for reading", () => {
    const file = fresh();
    VulnStore.openForWrite(file).close();
    const reader = VulnStore.open(file);
    try {
      assert.throws(() => reader.importBatch("osv:npm"), /readonly/i);
    } finally {
      reader.close();
    }
  });
});
