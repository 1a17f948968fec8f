/**
 * `db import` on the real shared corpus: each folder's records land in the DB
 * in the numbers the files themselves give, a zip imports like the folder it
 * was made from, each real format is recognised from its content, and bad
 * input is a warning (one record) or an InputError (the whole path) that says
 * where.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { InputError } from "../common/index.js";
import { detectFeed, importFeeds, type ImportReport } from "./import.js";
import { VulnStore, type DbStatus } from "./store.js";

const corpus = fileURLToPath(new URL("../../../shared/vulndata/", import.meta.url));
const at = (...parts: string[]) => join(corpus, ...parts);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** An OSV record as the files spell it, for counting what they hold. */
interface OsvDoc {
  id: string;
  affected?: { package?: { ecosystem: string; name: string }; ranges?: { type: string }[]; versions?: string[] }[];
}

/**
 * The affected entries of an OSV record a package version can be checked
 * against: those with a package and an ECOSYSTEM or SEMVER range, enumerated
 * versions, or no ranges at all. An entry with only GIT ranges names commits.
 */
function comparable(doc: OsvDoc): { ecosystem: string; name: string }[] {
  return (doc.affected ?? [])
    .filter((a) => a.package && (!a.ranges?.length || a.ranges.some((r) => r.type !== "GIT") || (a.versions?.length ?? 0) > 0))
    .map((a) => a.package!);
}

/** Affected rows per ecosystem that a set of OSV records gives. */
function ecosystemsOf(docs: OsvDoc[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of docs.flatMap(comparable)) out[p.ecosystem] = (out[p.ecosystem] ?? 0) + 1;
  return out;
}

const pep503 = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

let work: string;
/** The first 300 Go records and the PYSEC records of 40 packages, copied out with their layout. */
let goSample: string;
let pypiSample: string;
let goDocs: OsvDoc[];
let pypiDocs: OsvDoc[];
let ghsaDocs: OsvDoc[];
let n = 0;
const freshDb = () => join(work, `db-${++n}`, "vulns.db");

before(() => {
  work = mkdtempSync(join(tmpdir(), "pcs-import-"));
  goSample = join(work, "go");
  mkdirSync(goSample);
  const goFiles = readdirSync(at("go")).filter((f) => f.endsWith(".json")).sort().slice(0, 300);
  for (const f of goFiles) copyFileSync(at("go", f), join(goSample, f));
  goDocs = goFiles.map((f) => readJson<OsvDoc>(at("go", f)));

  pypiSample = join(work, "pypi");
  pypiDocs = [];
  for (const pkg of readdirSync(at("pypi", "vulns")).sort().slice(0, 40)) {
    mkdirSync(join(pypiSample, "vulns", pkg), { recursive: true });
    for (const f of readdirSync(at("pypi", "vulns", pkg))) {
      copyFileSync(at("pypi", "vulns", pkg, f), join(pypiSample, "vulns", pkg, f));
      pypiDocs.push(parseYaml(readFileSync(at("pypi", "vulns", pkg, f), "utf8")) as OsvDoc);
    }
  }
  ghsaDocs = readdirSync(at("npm-ghsa"))
    .filter((f) => /^GHSA-.*\.json$/.test(f))
    .map((f) => readJson<OsvDoc>(at("npm-ghsa", f)));
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

async function importInto(db: string, paths: string[]): Promise<{ report: ImportReport; status: DbStatus; store: VulnStore }> {
  const store = VulnStore.openForWrite(db);
  const report = await importFeeds(store, paths);
  return { report, status: store.status(), store };
}

describe("importing the real corpus folders", () => {
  it("debian/: one advisory per CVE of the tracker JSON and one row per package and release; the tables and notes beside it are skipped", async () => {
    const tracker = readJson<Record<string, Record<string, { releases: Record<string, unknown> }>>>(at("debian", "tracker-subset.json"));
    const cves = new Set(Object.values(tracker).flatMap((byCve) => Object.keys(byCve)));
    const releases: Record<string, number> = {};
    for (const entry of Object.values(tracker).flatMap((byCve) => Object.values(byCve))) {
      for (const codename of Object.keys(entry.releases)) releases[codename] = (releases[codename] ?? 0) + 1;
    }
    const { report, status, store } = await importInto(freshDb(), [at("debian")]);
    try {
      assert.deepEqual(report.warnings, []);
      assert.equal(report.files, 1);
      assert.equal(report.advisories, cves.size);
      assert.deepEqual(report.skipped.map((f) => relative(corpus, f)).sort(), ["debian/PROVENANCE.tsv", "debian/UNMAPPED.tsv", "debian/vuln-list-debian-annotations.jsonl", "debian/vuln-list-debian-dsa-annotations.jsonl"]);
      assert.equal(status.advisories, cves.size);
      assert.deepEqual(status.ecosystems, { "Debian:11": releases.bullseye, "Debian:12": releases.bookworm });
      assert.deepEqual(
        status.sources.map((s) => [s.name, s.location, s.records, s.warnings]),
        [[`import:${at("debian")}`, at("debian"), cves.size, 0]],
      );
      const xz = store.lookup("Debian:12", "xz-utils").find((c) => c.advisory.id === "CVE-2024-3094");
      assert.equal(xz?.affected.state, "not-affected");
    } finally {
      store.close();
    }
  });

  it("alpine/: one advisory per distinct secfixes id over both branches, one row per id, package and branch", async () => {
    const ids = new Set<string>();
    const rows: Record<string, number> = {};
    for (const branch of readdirSync(at("alpine")).filter((d) => d.startsWith("v"))) {
      for (const f of readdirSync(at("alpine", branch, "main"))) {
        const doc = readJson<{ secfixes: Record<string, string[]> }>(at("alpine", branch, "main", f));
        for (const list of Object.values(doc.secfixes)) {
          for (const id of list) ids.add(id);
          rows[`Alpine:${branch}`] = (rows[`Alpine:${branch}`] ?? 0) + list.length;
        }
      }
    }
    const { report, status, store } = await importInto(freshDb(), [at("alpine")]);
    store.close();
    assert.deepEqual(report.warnings, []);
    assert.equal(report.files, 18);
    assert.equal(ids.size, 318);
    assert.equal(report.advisories, ids.size, "the report counts records stored, not records read");
    assert.equal(status.advisories, ids.size);
    assert.equal(status.sources[0]!.records, ids.size);
    assert.deepEqual(status.ecosystems, rows);
    assert.deepEqual(report.skipped.map((f) => relative(corpus, f)), ["alpine/PROVENANCE.tsv"]);
  });

  it("npm-ghsa/: every GHSA record with each package it names, in every ecosystem it names", async () => {
    const { report, status, store } = await importInto(freshDb(), [at("npm-ghsa")]);
    try {
      assert.deepEqual(report.warnings, []);
      assert.equal(report.advisories, ghsaDocs.length);
      assert.equal(status.advisories, 64);
      assert.deepEqual(status.ecosystems, ecosystemsOf(ghsaDocs));
      assert.deepEqual(report.skipped.map((f) => relative(corpus, f)), ["npm-ghsa/PROVENANCE.tsv"]);
      const axios = store.lookup("npm", "Axios").map((c) => c.advisory.id);
      assert.deepEqual(axios, ["GHSA-8hc4-vh64-cxmj"], "a package name is kept as the record spells it");
    } finally {
      store.close();
    }
  });

  it("samples of go/ and pypi/ together: one source per path, every record, PyPI names in PEP 503 form", async () => {
    const { report, status, store } = await importInto(freshDb(), [goSample, pypiSample]);
    try {
      assert.deepEqual(report.warnings, []);
      assert.equal(report.files, goDocs.length + pypiDocs.length);
      assert.equal(report.advisories, goDocs.length + pypiDocs.length);
      assert.equal(status.advisories, goDocs.length + pypiDocs.length);
      assert.deepEqual(status.ecosystems, { ...ecosystemsOf(goDocs), PyPI: ecosystemsOf(pypiDocs).PyPI });
      assert.deepEqual(
        status.sources.map((s) => [s.name, s.records]),
        [
          [`import:${goSample}`, goDocs.length],
          [`import:${pypiSample}`, pypiDocs.length],
        ],
      );
      for (const doc of pypiDocs) {
        for (const p of comparable(doc)) {
          assert.ok(
            store.lookup("PyPI", pep503(p.name)).some((c) => c.advisory.id === doc.id),
            `${doc.id} under ${pep503(p.name)}`,
          );
        }
      }
    } finally {
      store.close();
    }
  });

  it("a second import of the same path replaces the first (the same path spelled relatively is the same feed)", async () => {
    const db = freshDb();
    const once = await importInto(db, [at("alpine")]);
    once.store.close();
    const twice = await importInto(db, [relative(process.cwd(), at("alpine"))]);
    twice.store.close();
    assert.deepEqual(
      { ...twice.status, sources: twice.status.sources.map((s) => ({ ...s, importedAt: "" })), updatedAt: "" },
      { ...once.status, sources: once.status.sources.map((s) => ({ ...s, importedAt: "" })), updatedAt: "" },
    );
  });
});

describe("a zip of OSV records", () => {
  let zip: string;
  let folder: string;

  before(() => {
    // The shape of OSV's <Ecosystem>/all.zip, with a sub-folder and its directory entry.
    folder = join(work, "zipped");
    mkdirSync(join(folder, "ghsa"), { recursive: true });
    for (const f of readdirSync(goSample)) copyFileSync(join(goSample, f), join(folder, f));
    for (const f of readdirSync(at("npm-ghsa"))) copyFileSync(at("npm-ghsa", f), join(folder, "ghsa", f));
    zip = join(work, "all.zip");
    execFileSync("zip", ["-q", "-r", zip, "."], { cwd: folder });
  });

  it("imports exactly as the folder it was made from", async () => {
    const fromFolder = await importInto(freshDb(), [folder]);
    const fromZip = await importInto(freshDb(), [zip]);
    try {
      assert.deepEqual(fromZip.report.warnings, []);
      assert.equal(fromZip.report.files, fromFolder.report.files);
      assert.equal(fromZip.report.advisories, goDocs.length + ghsaDocs.length);
      assert.deepEqual(fromZip.report.skipped.map((f) => f.slice(zip.length)), ["!ghsa/PROVENANCE.tsv"]);
      assert.equal(fromZip.status.advisories, fromFolder.status.advisories);
      assert.equal(fromZip.status.affected, fromFolder.status.affected);
      assert.deepEqual(fromZip.status.ecosystems, fromFolder.status.ecosystems);
      for (const p of [...goDocs, ...ghsaDocs].flatMap(comparable)) {
        const rows = (store: VulnStore) => store.lookup(p.ecosystem, p.name).map((c) => JSON.stringify(c)).sort();
        assert.deepEqual(rows(fromZip.store), rows(fromFolder.store), `${p.ecosystem} ${p.name}`);
      }
    } finally {
      fromFolder.store.close();
      fromZip.store.close();
    }
  });

  it("names the zip and the member in its warnings", async () => {
    const broken = join(work, "broken");
    mkdirSync(broken);
    const text = readFileSync(at("npm-ghsa", "GHSA-p6mc-m468-83gw.json"), "utf8");
    writeFileSync(join(broken, "GHSA-p6mc-m468-83gw.json"), text.replace(/"aliases": \[[^\]]*\]/, '"aliases": "CVE-2020-8203"'));
    const brokenZip = join(work, "broken.zip");
    execFileSync("zip", ["-q", "-j", brokenZip, join(broken, "GHSA-p6mc-m468-83gw.json")]);
    const { report, store } = await importInto(freshDb(), [brokenZip]);
    store.close();
    assert.equal(report.warnings.length, 1);
    assert.ok(report.warnings[0]!.startsWith(`${brokenZip}!GHSA-p6mc-m468-83gw.json $.aliases: skipped:`), report.warnings[0]);
  });

  it("that is no zip at all is an InputError naming the file, and nothing is imported", async () => {
    const fake = join(work, "fake.zip");
    copyFileSync(at("README.md"), fake);
    const store = VulnStore.openForWrite(freshDb());
    try {
      await assert.rejects(importFeeds(store, [fake]), (err: Error) => err instanceof InputError && err.message.startsWith(`zip ${fake}: not a readable zip`));
      assert.equal(store.status().advisories, 0);
      assert.deepEqual(store.status().sources, []);
    } finally {
      store.close();
    }
  });
});

describe("recognising a feed from its file", () => {
  const head = (file: string) => readFileSync(file, "utf8").slice(0, 4096);
  const kindOf = (file: string) => detectFeed(file, head(file));

  it("knows every record of the corpus by folder: OSV JSON, OSV YAML, the Debian tracker, Alpine secdb, the Node.js WG", () => {
    const kinds = new Map<string, Set<string | undefined>>();
    const note = (folder: string, kind: string | undefined) => {
      if (!kinds.has(folder)) kinds.set(folder, new Set());
      kinds.get(folder)!.add(kind);
    };
    for (const f of readdirSync(at("go"))) note("go", kindOf(at("go", f)));
    for (const f of readdirSync(at("npm-ghsa")).filter((x) => x.endsWith(".json"))) note("npm-ghsa", kindOf(at("npm-ghsa", f)));
    for (const pkg of readdirSync(at("pypi", "vulns"))) for (const f of readdirSync(at("pypi", "vulns", pkg))) note("pypi", kindOf(at("pypi", "vulns", pkg, f)));
    for (const f of readdirSync(at("npm-nodejs-wg"))) note("npm-nodejs-wg", kindOf(at("npm-nodejs-wg", f)));
    for (const b of ["v3.18", "v3.20"]) for (const f of readdirSync(at("alpine", b, "main"))) note("alpine", kindOf(at("alpine", b, "main", f)));
    note("debian", kindOf(at("debian", "tracker-subset.json")));
    assert.deepEqual(
      Object.fromEntries([...kinds].map(([folder, set]) => [folder, [...set]])),
      { go: ["osv-json"], "npm-ghsa": ["osv-json"], pypi: ["osv-yaml"], "npm-nodejs-wg": ["nodejs-wg"], alpine: ["alpine-secdb"], debian: ["debian-tracker"] },
    );
  });

  it("knows the published Alpine branch file, every package of the branch in one document", () => {
    const packages = readdirSync(at("alpine", "v3.20", "main")).map((f) => {
      const doc = readJson<{ name: string; secfixes: unknown }>(at("alpine", "v3.20", "main", f));
      return { pkg: { name: doc.name, secfixes: doc.secfixes } };
    });
    const branch = JSON.stringify({ apkurl: "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk", archs: ["x86_64"], reponame: "main", urlprefix: "https://dl-cdn.alpinelinux.org/alpine", distroversion: "v3.20", packages });
    assert.equal(detectFeed("main.json", branch.slice(0, 4096)), "alpine-secdb");
  });

  it("skips what holds no advisories: the README, provenance tables, JSON lines, the DSA list", () => {
    for (const file of [at("README.md"), at("debian", "PROVENANCE.tsv"), at("debian", "UNMAPPED.tsv"), at("debian", "vuln-list-debian-annotations.jsonl"), at("npm-ghsa", "PROVENANCE.tsv"), at("debian-dsa", "DSA", "list")]) {
      assert.equal(kindOf(file), undefined, relative(corpus, file));
    }
  });
});

describe("bad input", () => {
  let mixed: string;
  const GOOD = ["GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm", "GHSA-4xc9-xhrj-v574"];

  before(() => {
    mixed = join(work, "mixed");
    mkdirSync(mixed);
    for (const id of GOOD) copyFileSync(at("npm-ghsa", `${id}.json`), join(mixed, `${id}.json`));
    const text = (id: string) => readFileSync(at("npm-ghsa", `${id}.json`), "utf8");
    // Cut half way, as an interrupted copy leaves it.
    const cut = text("GHSA-29mw-wpgm-hmr9");
    writeFileSync(join(mixed, "GHSA-29mw-wpgm-hmr9.json"), cut.slice(0, Math.floor(cut.length / 2)));
    // A string where the schema has a list, and a number where it has a name.
    writeFileSync(join(mixed, "GHSA-8cf7-32gw-wr33.json"), text("GHSA-8cf7-32gw-wr33").replace(/"aliases": \[[^\]]*\]/, '"aliases": "CVE-2022-23539"'));
    const doc = readJson<{ affected: { package: { name: unknown } }[] }>(at("npm-ghsa", "GHSA-9c47-m6qq-7p4h.json"));
    doc.affected[0]!.package.name = 7;
    writeFileSync(join(mixed, "GHSA-9c47-m6qq-7p4h.json"), JSON.stringify(doc, null, 2));
  });

  it("a malformed record is a warning naming the file and the JSON path, and the rest of the import succeeds", async () => {
    const { report, status, store } = await importInto(freshDb(), [mixed]);
    try {
      assert.equal(report.advisories, GOOD.length);
      assert.equal(status.advisories, GOOD.length);
      assert.deepEqual(store.lookup("npm", "lodash").map((c) => c.advisory.id).sort(), [...GOOD].sort());
      const warnings = [...report.warnings].sort();
      assert.equal(warnings.length, 3, warnings.join("\n"));
      const expected = [
        `${join(mixed, "GHSA-29mw-wpgm-hmr9.json")}: skipped: not valid JSON`,
        `${join(mixed, "GHSA-8cf7-32gw-wr33.json")} $.aliases: skipped: `,
        `${join(mixed, "GHSA-9c47-m6qq-7p4h.json")} $.affected[0].package.name: skipped: `,
      ];
      expected.forEach((start, i) => assert.ok(warnings[i]!.startsWith(start), warnings[i]));
      assert.deepEqual(status.sources.map((s) => [s.records, s.warnings]), [[GOOD.length, 3]]);
    } finally {
      store.close();
    }
  });

  it("a missing path is an InputError naming it", async () => {
    const missing = join(work, "no-such-feed");
    const store = VulnStore.openForWrite(freshDb());
    try {
      await assert.rejects(importFeeds(store, [missing]), (err: Error) => err instanceof InputError && err.message === `${missing}: cannot read (ENOENT)`);
    } finally {
      store.close();
    }
  });

  it("a missing path among good ones imports none of them: an import is all or nothing", async () => {
    const db = freshDb();
    const store = VulnStore.openForWrite(db);
    try {
      await assert.rejects(importFeeds(store, [at("debian"), at("alpine"), join(work, "no-such-feed")]), InputError);
      const status = store.status();
      assert.deepEqual([status.advisories, status.sources, status.updatedAt], [0, [], undefined]);
    } finally {
      store.close();
    }
  });

  it("an ecosystem without a version scheme is reported once, however many feeds carry it", async () => {
    // GHSA-j8xg-fqg3-53r7 (word-wrap) names ecosystem "GitHub Actions" in the stored version.
    const copy = join(work, "word-wrap");
    mkdirSync(copy);
    copyFileSync(at("npm-ghsa", "GHSA-j8xg-fqg3-53r7.json"), join(copy, "GHSA-j8xg-fqg3-53r7.json"));
    const { report, status, store } = await importInto(freshDb(), [at("npm-ghsa"), copy, at("debian")]);
    store.close();
    assert.deepEqual(report.unknownEcosystems, ["GitHub Actions"]);
    assert.equal(status.ecosystems["GitHub Actions"], 2, "its records are stored all the same, once per feed");
  });
});
