/**
 * `db update` against a real HTTP server on loopback serving the shared
 * corpus as the public feeds lay it out: OSV zips per ecosystem, the Debian
 * tracker JSON, Alpine secdb branch files. Conditional requests, a changed
 * feed, and failures in the middle of a download.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { VulnStore } from "./store.js";
import { updateDb, type UpdateConfig } from "./update.js";

const corpus = fileURLToPath(new URL("../../../shared/vulndata/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "pcs-update-"));

/** What the server serves, by URL path; tests swap bodies and break downloads. */
const files = new Map<string, Buffer>();
const requests: { path: string; conditional: boolean }[] = [];
let breakNext: string | undefined;
let server: Server;
let base: string;

function zipOf(dir: string, names: string[], out: string): Buffer {
  execFileSync("zip", ["-q", "-j", out, ...names.map((n) => join(dir, n))]);
  return readFileSync(out);
}

function etagOf(body: Buffer): string {
  return `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
}

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  const body = files.get(path);
  if (path.includes("/Broken/")) {
    res.writeHead(500).end("internal error");
    return;
  }
  requests.push({ path, conditional: !!(req.headers["if-none-match"] || req.headers["if-modified-since"]) });
  if (!body) {
    res.writeHead(404).end("not found");
    return;
  }
  const etag = etagOf(body);
  if (req.headers["if-none-match"] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { etag, "content-length": body.length, "last-modified": new Date(0).toUTCString() });
  if (breakNext === path) {
    breakNext = undefined;
    // Half the bytes, then the connection drops: a transfer cut short.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}

const config = (): UpdateConfig => ({
  osvBase: `${base}/osv`,
  osvEcosystems: ["Go", "npm"],
  debianTracker: `${base}/debian/json`,
  alpineBase: `${base}/alpine`,
  alpineBranches: ["v3.20"],
});

before(async () => {
  const goFiles = readdirSync(join(corpus, "go")).filter((f) => f.endsWith(".json")).slice(0, 300);
  files.set("/osv/Go/all.zip", zipOf(join(corpus, "go"), goFiles, join(work, "go.zip")));
  const ghsa = readdirSync(join(corpus, "npm-ghsa")).filter((f) => f.endsWith(".json"));
  files.set("/osv/npm/all.zip", zipOf(join(corpus, "npm-ghsa"), ghsa, join(work, "npm.zip")));
  files.set("/debian/json", readFileSync(join(corpus, "debian/tracker-subset.json")));
  // The published branch file: every package's secfixes in one document.
  const dir = join(corpus, "alpine/v3.20/main");
  const packages = readdirSync(dir).map((f) => {
    const doc = JSON.parse(readFileSync(join(dir, f), "utf8")) as { name: string; secfixes: unknown };
    return { pkg: { name: doc.name, secfixes: doc.secfixes } };
  });
  files.set("/alpine/v3.20/main.json", Buffer.from(JSON.stringify({ distroversion: "v3.20", reponame: "main", packages })));
  files.set("/alpine/v3.20/community.json", Buffer.from(JSON.stringify({ distroversion: "v3.20", reponame: "community", packages: [] })));
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

function counts(db: string): { advisories: number; ecosystems: Record<string, number> } {
  const store = VulnStore.open(db);
  try {
    const s = store.status();
    return { advisories: s.advisories, ecosystems: s.ecosystems };
  } finally {
    store.close();
  }
}

describe("db update", () => {
  const db = join(work, "db", "vulns.db");

  it("creates the DB from every feed when there is none", async () => {
    const { outcomes, report } = await updateDb(db, config());
    assert.deepEqual(
      outcomes.map((o) => `${o.feed} ${o.outcome}`),
      ["osv:Go updated", "osv:npm updated", "debian-tracker updated", "alpine:v3.20/main updated", "alpine:v3.20/community updated"],
    );
    assert.deepEqual(report.warnings, []);
    const c = counts(db);
    assert.equal(c.ecosystems["Alpine:v3.20"], 317);
    assert.equal(c.ecosystems["Debian:12"], 101);
    assert.ok(c.ecosystems.Go! > 300 && c.ecosystems.npm! > 60);
  });

  it("asks again with the validators it was given, and an unchanged feed costs one request and changes nothing", async () => {
    const before = counts(db);
    requests.length = 0;
    const { outcomes } = await updateDb(db, config());
    assert.ok(outcomes.every((o) => o.outcome === "unchanged"));
    assert.ok(requests.length === 5 && requests.every((r) => r.conditional), JSON.stringify(requests));
    assert.deepEqual(counts(db), before);
  });

  it("re-imports only the feed that changed, replacing what it gave before", async () => {
    const tracker = JSON.parse(files.get("/debian/json")!.toString("utf8")) as Record<string, unknown>;
    const [first] = Object.keys(tracker);
    files.set("/debian/json", Buffer.from(JSON.stringify({ [first!]: tracker[first!] })));
    const { outcomes } = await updateDb(db, config());
    assert.deepEqual(outcomes.filter((o) => o.outcome === "updated").map((o) => o.feed), ["debian-tracker"]);
    const c = counts(db);
    assert.ok(c.ecosystems["Debian:12"]! < 101, "the records the feed dropped are gone");
    assert.equal(c.ecosystems["Alpine:v3.20"], 317, "the other feeds are as they were");
  });

  it("leaves the old DB exactly as it was when a download breaks off half way, and says which feed and URL", async () => {
    // A new body (so no 304) whose transfer will be cut.
    const ghsa = readdirSync(join(corpus, "npm-ghsa")).filter((f) => f.endsWith(".json")).slice(0, 10);
    files.set("/osv/npm/all.zip", zipOf(join(corpus, "npm-ghsa"), ghsa, join(work, "npm-small.zip")));
    breakNext = "/osv/npm/all.zip";
    const before = readFileSync(db);
    await assert.rejects(updateDb(db, config()), (err: Error) => {
      assert.match(err.message, /^feed osv:npm http:\/\/127\.0\.0\.1:\d+\/osv\/npm\/all\.zip: download (failed|incomplete)/);
      return true;
    });
    assert.ok(readFileSync(db).equals(before), "byte for byte the old DB");
    assert.ok(counts(db).ecosystems.npm! > 60, "and it still opens with its records");
    assert.deepEqual(readdirSync(join(work, "db")).filter((f) => f !== "vulns.db"), [], "nothing left beside it");
  });

  it("leaves the old DB as it was when a feed is missing or the server fails", async () => {
    const before = readFileSync(db);
    await assert.rejects(updateDb(db, { ...config(), osvEcosystems: ["Go", "Hex"] }), /feed osv:Hex .*HTTP 404/);
    assert.ok(readFileSync(db).equals(before));
    await assert.rejects(updateDb(db, { ...config(), osvEcosystems: ["Broken"] }), /feed osv:Broken .*HTTP 500/);
    assert.ok(readFileSync(db).equals(before));
    assert.ok(existsSync(db) && statSync(db).size === before.length);
  });

  it("stamps the DB as fresh after a successful check even when no feed changed", async () => {
    const store = VulnStore.openForWrite(db);
    store.markChecked("2000-01-01T00:00:00.000Z");
    store.close();
    await updateDb(db, config());
    const updatedAt = Date.parse(VulnStore.open(db).status().updatedAt!);
    assert.ok(Date.now() - updatedAt < 60_000, new Date(updatedAt).toISOString());
  });
});

describe("db update on a machine that never had a DB", () => {
  it("makes the folder it lives in", async () => {
    const nested = join(work, "fresh", "a", "b", "vulns.db");
    mkdirSync(join(work, "fresh"), { recursive: true });
    await updateDb(nested, { ...config(), osvEcosystems: ["Go"], alpineBase: "", debianTracker: "" });
    assert.ok(counts(nested).ecosystems.Go! > 300);
  });
});
