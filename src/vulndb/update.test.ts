/**
 * `db update` against a real HTTP server on loopback that serves the shared
 * corpus as the public feeds lay it out (OSV `<Ecosystem>/all.zip`, the
 * Debian tracker JSON, Alpine secdb `<branch>/<repo>.json`) with ETag and
 * Last-Modified, and answers conditional requests with 304. What is
 * specified: first download, unchanged feeds, one changed feed, and every
 * way a download can fail, after which the old DB is exactly as it was.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { InputError } from "../common/index.js";
import { portcullis } from "../../test/support/cli.js";
import { SCHEMA_VERSION, VulnStore } from "./store.js";
import { updateDb, type FeedOutcome, type UpdateConfig } from "./update.js";

const corpus = fileURLToPath(new URL("../../../shared/vulndata/", import.meta.url));
const at = (...parts: string[]) => join(corpus, ...parts);

// ---------------------------------------------------------------- the server

interface Published {
  body: Buffer;
  etag?: string;
  lastModified: string;
}

/** What the server holds, by URL path. */
const published = new Map<string, Published>();
/** Paths the server answers with an error status, or cuts off half way ("cut"). */
const failing = new Map<string, number | "cut">();
/** Every request, with the validators it carried and the status it got. */
const requests: { path: string; ifNoneMatch?: string; ifModifiedSince?: string; status: number }[] = [];
let clock = Date.UTC(2026, 0, 1);

/** Publishes a new version of a file; every version is an hour newer than the one before. */
function publish(path: string, body: Buffer, validators: { etag: boolean } = { etag: true }): void {
  clock += 3_600_000;
  published.set(path, {
    body,
    ...(validators.etag ? { etag: `"${createHash("sha256").update(body).digest("hex").slice(0, 20)}"` } : {}),
    lastModified: new Date(clock).toUTCString(),
  });
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
  const ifNoneMatch = req.headers["if-none-match"];
  const ifModifiedSince = req.headers["if-modified-since"];
  const send = (status: number, headers: Record<string, string | number> = {}, body?: Buffer) => {
    requests.push({ path, ...(ifNoneMatch ? { ifNoneMatch } : {}), ...(ifModifiedSince ? { ifModifiedSince } : {}), status });
    res.writeHead(status, headers);
    return body;
  };
  const failure = failing.get(path);
  if (typeof failure === "number") return void res.end(send(failure, {}, Buffer.from("the server failed\n")));
  const file = published.get(path);
  if (!file) return void res.end(send(404, {}, Buffer.from("not found\n")));
  const validators = { "last-modified": file.lastModified, ...(file.etag ? { etag: file.etag } : {}) };
  // If-None-Match decides when present (RFC 9110 13.2.2); else If-Modified-Since.
  const notModified = ifNoneMatch !== undefined ? ifNoneMatch === file.etag : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(file.lastModified);
  if (notModified) return void res.end(send(304, validators));
  send(200, { ...validators, "content-type": "application/octet-stream", "content-length": file.body.length });
  if (failure === "cut") {
    // Half the promised bytes, then the connection drops.
    res.write(file.body.subarray(0, Math.floor(file.body.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(file.body);
}

// ---------------------------------------------------------------- the feeds

let work: string;
let server: Server;
let base: string;

const config = (): UpdateConfig => ({
  osvBase: `${base}/osv/`,
  osvEcosystems: ["Go", "npm"],
  debianTracker: `${base}/tracker/data/json`,
  alpineBase: `${base}/alpine`,
  alpineBranches: ["v3.18", "v3.20"],
});

const FEEDS = ["osv:Go", "osv:npm", "debian-tracker", "alpine:v3.18/main", "alpine:v3.18/community", "alpine:v3.20/main", "alpine:v3.20/community"];

/** A zip of some files of a corpus folder, made with the real zip command, as OSV publishes `all.zip`. */
function zipOf(folder: string, names: string[]): Buffer {
  const out = join(work, `zip-${createHash("sha256").update(folder + names.join()).digest("hex").slice(0, 12)}.zip`);
  rmSync(out, { force: true });
  execFileSync("zip", ["-q", "-j", out, ...names.map((n) => join(folder, n))]);
  return readFileSync(out);
}

const goFiles = () => readdirSync(at("go")).filter((f) => f.endsWith(".json")).sort();
const ghsaFiles = () => readdirSync(at("npm-ghsa")).filter((f) => /^GHSA-.*\.json$/.test(f)).sort();

/** Affected rows per ecosystem the given OSV files hold (each of these names a package with a SEMVER or ECOSYSTEM range). */
function rowsOf(folder: string, names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) {
    const doc = JSON.parse(readFileSync(join(folder, n), "utf8")) as { affected?: { package?: { ecosystem: string } }[] };
    for (const a of doc.affected ?? []) if (a.package) out[a.package.ecosystem] = (out[a.package.ecosystem] ?? 0) + 1;
  }
  return out;
}

/** The Alpine branch file as secdb.alpinelinux.org serves it: every package of the branch in one document. */
function alpineBranch(branch: string, repo: string, files: string[]): Buffer {
  const packages = files.map((f) => {
    const doc = JSON.parse(readFileSync(at("alpine", branch, repo, f), "utf8")) as { name: string; secfixes: unknown };
    return { pkg: { name: doc.name, secfixes: doc.secfixes } };
  });
  return Buffer.from(JSON.stringify({ apkurl: "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk", archs: ["x86_64", "aarch64"], reponame: repo, urlprefix: "https://dl-cdn.alpinelinux.org/alpine", distroversion: branch, packages }));
}

/** Every id in the secfixes of Alpine package files of a branch, once per mention. */
const secfixIds = (branch: string, files: string[]) =>
  files.flatMap((f) => Object.values((JSON.parse(readFileSync(at("alpine", branch, "main", f), "utf8")) as { secfixes: Record<string, string[]> }).secfixes).flat());

before(async () => {
  work = mkdtempSync(join(tmpdir(), "pcs-update-spec-"));
  publish("/osv/Go/all.zip", zipOf(at("go"), goFiles().slice(0, 200)));
  publish("/osv/npm/all.zip", zipOf(at("npm-ghsa"), ghsaFiles()));
  // The tracker sends Last-Modified only: it is asked again with If-Modified-Since alone.
  publish("/tracker/data/json", readFileSync(at("debian", "tracker-subset.json")), { etag: false });
  // v3.18 main as one package's file, served as stored; v3.20 main as the published branch file.
  publish("/alpine/v3.18/main.json", readFileSync(at("alpine", "v3.18", "main", "openssl.json")));
  publish("/alpine/v3.20/main.json", alpineBranch("v3.20", "main", readdirSync(at("alpine", "v3.20", "main"))));
  for (const branch of ["v3.18", "v3.20"]) publish(`/alpine/${branch}/community.json`, alpineBranch(branch, "community", []));
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------- reading the DB

/** Every record, affected row and source of a DB file, in a stable order. */
function contents(file: string): { advisories: string[]; affected: string[]; sources: string[] } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = (sql: string) => db.prepare(sql).all().map((r) => JSON.stringify(r));
    return {
      advisories: rows("SELECT feed, source, id, body FROM advisories ORDER BY feed, source, id"),
      affected: rows("SELECT a.feed, a.id, f.ecosystem, f.package, f.body FROM affected f JOIN advisories a ON a.n = f.advisory ORDER BY 1, 2, 3, 4, 5"),
      sources: rows("SELECT * FROM sources ORDER BY name"),
    };
  } finally {
    db.close();
  }
}

function statusOf(file: string) {
  const store = VulnStore.open(file);
  try {
    return store.status();
  } finally {
    store.close();
  }
}

const summary = (outcomes: FeedOutcome[]) => outcomes.map((o) => `${o.feed} ${o.outcome}`);

/** The rejection of an update, checked to be an InputError that names the feed and its URL. */
async function failure(run: Promise<unknown>, feed: string, path: string): Promise<string> {
  let caught: unknown;
  await run.catch((err: unknown) => (caught = err));
  assert.ok(caught instanceof InputError, `an InputError, not ${String(caught)}`);
  assert.ok(caught.message.startsWith(`feed ${feed} ${base}${path}: `), caught.message);
  return caught.message;
}

/** The DB file and nothing else in its folder: no `.update-*` copy, no journal. */
function assertAlone(file: string): void {
  assert.deepEqual(readdirSync(dirname(file)), [file.slice(dirname(file).length + 1)]);
}

// ---------------------------------------------------------------- the specification

describe("db update against the feeds' servers", () => {
  const db = () => join(work, "cache", "portcullis", "vulns.db");
  const alpine320 = () => readdirSync(at("alpine", "v3.20", "main"));
  /** Affected rows per ecosystem once every feed is imported as first published (Debian's as its README counts them). */
  const expected = (): Record<string, number> => ({
    ...rowsOf(at("go"), goFiles().slice(0, 200)),
    ...rowsOf(at("npm-ghsa"), ghsaFiles()),
    "Debian:11": 68,
    "Debian:12": 101,
    "Alpine:v3.18": secfixIds("v3.18", ["openssl.json"]).length,
    "Alpine:v3.20": secfixIds("v3.20", alpine320()).length,
  });

  it("with no DB yet (nor its folder), downloads every feed, imports it, and writes the DB", async () => {
    assert.equal(existsSync(dirname(db())), false);
    requests.length = 0;
    const seen: FeedOutcome[] = [];
    const { outcomes, report } = await updateDb(db(), config(), (o) => seen.push(o));
    assert.deepEqual(summary(outcomes), FEEDS.map((f) => `${f} updated`));
    assert.deepEqual(seen, outcomes, "each outcome is reported as it happens");
    assert.deepEqual(report.warnings, []);
    assert.ok(requests.every((r) => r.status === 200 && !r.ifNoneMatch && !r.ifModifiedSince), "nothing to ask conditionally the first time");
    const bytes = Object.fromEntries(outcomes.map((o) => [o.feed, o.outcome === "updated" ? o.bytes : -1]));
    assert.equal(bytes["osv:Go"], published.get("/osv/Go/all.zip")!.body.length);
    assert.equal(bytes["debian-tracker"], published.get("/tracker/data/json")!.body.length);

    const status = statusOf(db());
    assert.deepEqual(status.ecosystems, expected());
    const alpineRecords = new Set(secfixIds("v3.20", alpine320())).size + new Set(secfixIds("v3.18", ["openssl.json"])).size;
    assert.equal(status.advisories, 200 + 64 + 100 + alpineRecords, "Go, GHSA, Debian CVEs, Alpine ids per branch feed");
    const go = status.sources.find((s) => s.name === "osv:Go")!;
    assert.deepEqual([go.location, go.records, go.etag, go.lastModified], [`${base}/osv/Go/all.zip`, 200, published.get("/osv/Go/all.zip")!.etag, published.get("/osv/Go/all.zip")!.lastModified]);
    const tracker = status.sources.find((s) => s.name === "debian-tracker")!;
    assert.deepEqual([tracker.location, tracker.etag, tracker.lastModified], [`${base}/tracker/data/json`, undefined, published.get("/tracker/data/json")!.lastModified]);
    assertAlone(db());
  });

  it("asks every feed again with the validators it got; 304 everywhere leaves every record as it was", async () => {
    const before = contents(db());
    requests.length = 0;
    const { outcomes, report } = await updateDb(db(), config());
    assert.deepEqual(summary(outcomes), FEEDS.map((f) => `${f} unchanged`));
    assert.equal(report.advisories, 0);
    assert.equal(requests.length, FEEDS.length, "one request per feed");
    for (const r of requests) {
      const file = published.get(r.path)!;
      assert.equal(r.status, 304, r.path);
      assert.equal(r.ifNoneMatch, file.etag, `${r.path} If-None-Match`);
      assert.equal(r.ifModifiedSince, file.lastModified, `${r.path} If-Modified-Since`);
    }
    assert.ok(requests.some((r) => r.path === "/tracker/data/json" && !r.ifNoneMatch), "a feed without an ETag is asked by date alone");
    assert.deepEqual(contents(db()), before);
    assert.ok(Date.now() - Date.parse(statusOf(db()).updatedAt!) < 60_000, "the DB is stamped as checked now");
    assertAlone(db());
  });

  it("downloads and re-imports only the feed that changed: the records it dropped go, the other feeds stay as they were", async () => {
    const before = contents(db());
    const kept = ghsaFiles().slice(0, 10);
    publish("/osv/npm/all.zip", zipOf(at("npm-ghsa"), kept));
    const { outcomes } = await updateDb(db(), config());
    assert.deepEqual(summary(outcomes), FEEDS.map((f) => `${f} ${f === "osv:npm" ? "updated" : "unchanged"}`));
    assert.deepEqual(outcomes.find((o) => o.feed === "osv:npm"), { feed: "osv:npm", outcome: "updated", bytes: published.get("/osv/npm/all.zip")!.body.length, advisories: 10 });

    const after = contents(db());
    const others = (rows: string[]) => rows.filter((r) => !r.includes('"osv:npm"'));
    assert.deepEqual(others(after.advisories), others(before.advisories));
    assert.deepEqual(others(after.affected), others(before.affected));
    assert.deepEqual(others(after.sources), others(before.sources), "not even their import time moved");
    const status = statusOf(db());
    const { npm: _npm, Maven: _maven, NuGet: _nuget, "GitHub Actions": _actions, ...fromOthers } = expected();
    assert.deepEqual(status.ecosystems, { ...fromOthers, ...rowsOf(at("npm-ghsa"), kept) });
    const store = VulnStore.open(db());
    try {
      for (const f of ghsaFiles().slice(10)) {
        const doc = JSON.parse(readFileSync(at("npm-ghsa", f), "utf8")) as { id: string; affected: { package: { ecosystem: string; name: string } }[] };
        for (const { package: p } of doc.affected) {
          assert.ok(!store.lookup(p.ecosystem, p.name).some((c) => c.advisory.id === doc.id), `${doc.id} was dropped upstream`);
        }
      }
      assert.equal(store.source("osv:npm")!.etag, published.get("/osv/npm/all.zip")!.etag);
    } finally {
      store.close();
    }
  });

  it("re-fetches a feed without an ETag once its Last-Modified moves on", async () => {
    const tracker = JSON.parse(readFileSync(at("debian", "tracker-subset.json"), "utf8")) as Record<string, unknown>;
    publish("/tracker/data/json", Buffer.from(JSON.stringify({ "xz-utils": tracker["xz-utils"] })), { etag: false });
    const { outcomes } = await updateDb(db(), config());
    assert.deepEqual(outcomes.filter((o) => o.outcome === "updated").map((o) => o.feed), ["debian-tracker"]);
    const store = VulnStore.open(db());
    try {
      assert.deepEqual(store.lookup("Debian:12", "glibc"), []);
      assert.ok(store.lookup("Debian:12", "xz-utils").length > 0);
    } finally {
      store.close();
    }
  });

  it("when a download breaks off half way, rejects naming the feed and URL and leaves the old DB byte for byte", async () => {
    const bytes = readFileSync(db());
    const before = contents(db());
    // Both change; Go imports into the new copy, then npm's transfer is cut.
    publish("/osv/Go/all.zip", zipOf(at("go"), goFiles().slice(200, 260)));
    publish("/osv/npm/all.zip", zipOf(at("npm-ghsa"), ghsaFiles().slice(10, 30)));
    failing.set("/osv/npm/all.zip", "cut");
    try {
      const message = await failure(updateDb(db(), config()), "osv:npm", "/osv/npm/all.zip");
      assert.match(message, /download (failed|incomplete)/);
    } finally {
      failing.delete("/osv/npm/all.zip");
    }
    assert.ok(readFileSync(db()).equals(bytes), "the DB file is byte for byte the old one");
    assert.deepEqual(contents(db()), before, "and still opens with the old records");
    assertAlone(db());

    const { outcomes } = await updateDb(db(), config());
    assert.deepEqual(outcomes.filter((o) => o.outcome === "updated").map((o) => o.feed), ["osv:Go", "osv:npm"], "the next update takes both");
    assert.equal(statusOf(db()).ecosystems.Go, rowsOf(at("go"), goFiles().slice(200, 260)).Go);
  });

  it("when the server fails (500) or a feed is not there (404), rejects naming the feed and URL and leaves the old DB byte for byte", async () => {
    const bytes = readFileSync(db());
    publish("/osv/Go/all.zip", zipOf(at("go"), goFiles().slice(0, 50)));
    failing.set("/alpine/v3.20/community.json", 500);
    try {
      const message = await failure(updateDb(db(), config()), "alpine:v3.20/community", "/alpine/v3.20/community.json");
      assert.match(message, /download failed: HTTP 500/);
    } finally {
      failing.delete("/alpine/v3.20/community.json");
    }
    assert.ok(readFileSync(db()).equals(bytes));
    assertAlone(db());

    const message = await failure(updateDb(db(), { ...config(), alpineBranches: ["v3.20", "v3.99"] }), "alpine:v3.99/main", "/alpine/v3.99/main.json");
    assert.match(message, /download failed: HTTP 404/);
    assert.ok(readFileSync(db()).equals(bytes));
    assertAlone(db());
  });

  it("when a feed downloads whole but is no zip, rejects naming the feed and URL, not a temporary file, and leaves the old DB", async () => {
    const bytes = readFileSync(db());
    publish("/osv/Go/all.zip", readFileSync(at("README.md")));
    try {
      const message = await failure(updateDb(db(), config()), "osv:Go", "/osv/Go/all.zip");
      assert.match(message, /not a readable zip/);
      assert.ok(!message.includes(tmpdir()), message);
    } finally {
      publish("/osv/Go/all.zip", zipOf(at("go"), goFiles().slice(0, 200)));
    }
    assert.ok(readFileSync(db()).equals(bytes));
    assertAlone(db());
  });

  it("names each record of a downloaded feed by URL in its warnings", async () => {
    const doc = JSON.parse(readFileSync(at("npm-ghsa", "GHSA-p6mc-m468-83gw.json"), "utf8")) as { aliases: unknown };
    doc.aliases = "CVE-2020-8203";
    const folder = join(work, "bad-ghsa");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "GHSA-p6mc-m468-83gw.json"), JSON.stringify(doc));
    publish("/osv/npm/all.zip", zipOf(folder, ["GHSA-p6mc-m468-83gw.json"]));
    const { report } = await updateDb(db(), config());
    assert.deepEqual(report.warnings.map((w) => w.replace(/: skipped: .*/, "")), [`${base}/osv/npm/all.zip!GHSA-p6mc-m468-83gw.json $.aliases`]);
  });

  it("rebuilds a DB of another schema version, as the message refusing it says", async () => {
    const old = join(work, "old", "vulns.db");
    VulnStore.openForWrite(old).close();
    const raw = new Database(old);
    raw.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION - 1));
    raw.close();
    assert.throws(() => VulnStore.open(old), /rebuild it with: portcullis db update/);
    const { outcomes } = await updateDb(old, { ...config(), osvEcosystems: ["Go"], debianTracker: "", alpineBase: "" });
    assert.deepEqual(summary(outcomes), ["osv:Go updated"]);
    const status = statusOf(old);
    assert.equal(status.schemaVersion, SCHEMA_VERSION);
    assert.deepEqual(status.ecosystems, { Go: rowsOf(at("go"), goFiles().slice(0, 200)).Go });
    assertAlone(old);
  });

  it("refuses to build on a file that is no vulnerability DB, and leaves it alone", async () => {
    const junk = join(work, "junk", "vulns.db");
    mkdirSync(dirname(junk), { recursive: true });
    writeFileSync(junk, readFileSync(at("README.md")));
    await assert.rejects(updateDb(junk, config()), (err: Error) => err instanceof InputError && /not a portcullis vulnerability DB/.test(err.message));
    assert.ok(readFileSync(junk).equals(readFileSync(at("README.md"))));
    assertAlone(junk);
  });
});

describe("portcullis db update and db status, the built CLI (npm test builds it first)", () => {
  it("updates a DB from the server, then reports every feed unchanged, and status lists the sources", async () => {
    const file = join(work, "cli", "vulns.db");
    const args = ["db", "update", "--db", file, "--osv-url", `${base}/osv`, "--osv-ecosystems", "Go,npm", "--debian-url", `${base}/tracker/data/json`, "--alpine-url", `${base}/alpine`, "--alpine-branches", "v3.20"];
    const first = await portcullis(args);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /: 5 feed\(s\) changed, 0 unchanged/);
    const second = await portcullis(args);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /: 0 feed\(s\) changed, 5 unchanged/);
    assert.match(second.stderr, /^osv:Go: unchanged$/m);
    const status = await portcullis(["db", "status", "--db", file, "-f", "json"]);
    assert.equal(status.status, 0, status.stderr);
    const json = JSON.parse(status.stdout) as { sources: { name: string }[]; ecosystems: Record<string, number> };
    assert.deepEqual(json.sources.map((s) => s.name).sort(), ["alpine:v3.20/community", "alpine:v3.20/main", "debian-tracker", "osv:Go", "osv:npm"]);
    assert.ok((json.ecosystems.Go ?? 0) > 0 && (json.ecosystems["Alpine:v3.20"] ?? 0) > 0);

    const broken = await portcullis([...args.slice(0, 6), "--osv-ecosystems", "Hex", "--debian-url", "", "--alpine-url", ""]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, new RegExp(`feed osv:Hex ${base}/osv/Hex/all\\.zip: download failed: HTTP 404`));
  });
});
