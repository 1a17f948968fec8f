/**
 * `db update`: download every configured feed and rebuild the DB aside. Each
 * feed is fetched conditionally (ETag / If-Modified-Since), so an unchanged
 * feed costs one request; the new DB is a copy of the old one with the
 * changed feeds replaced, renamed over the old file only when every feed
 * succeeded. A failed or interrupted update leaves the old DB as it was.
 */
import { createWriteStream } from "node:fs";
import { copyFile, mkdtemp, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { InputError, messageOf } from "../common/index.js";
import { importDownloadedFeed, type ImportReport } from "./import.js";
import { SchemaMismatchError, VulnStore } from "./store.js";

export const DEFAULT_OSV_BASE = "https://osv-vulnerabilities.storage.googleapis.com";
export const DEFAULT_DEBIAN_TRACKER = "https://security-tracker.debian.org/tracker/data/json";
export const DEFAULT_ALPINE_BASE = "https://secdb.alpinelinux.org";
export const DEFAULT_OSV_ECOSYSTEMS = ["Debian", "Alpine", "npm", "PyPI", "Go", "Maven", "RubyGems", "crates.io", "NuGet", "Packagist", "Rocky Linux", "AlmaLinux"];
export const DEFAULT_ALPINE_BRANCHES = ["v3.19", "v3.20", "v3.21", "v3.22"];
/** The largest feed (the Debian tracker JSON, OSV's Debian zip) is a few hundred MB. */
export const MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024;

export interface UpdateConfig {
  osvBase: string;
  osvEcosystems: string[];
  /** Empty to leave the Debian tracker out. */
  debianTracker: string;
  /** Empty to leave Alpine secdb out. */
  alpineBase: string;
  alpineBranches: string[];
}

export const DEFAULT_UPDATE_CONFIG: UpdateConfig = {
  osvBase: DEFAULT_OSV_BASE,
  osvEcosystems: DEFAULT_OSV_ECOSYSTEMS,
  debianTracker: DEFAULT_DEBIAN_TRACKER,
  alpineBase: DEFAULT_ALPINE_BASE,
  alpineBranches: DEFAULT_ALPINE_BRANCHES,
};

export interface FeedSpec {
  name: string;
  url: string;
  /** File name for the download: its extension tells the importer what it holds. */
  file: string;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

export function feedsOf(config: UpdateConfig): FeedSpec[] {
  const feeds: FeedSpec[] = config.osvEcosystems.map((e) => ({
    name: `osv:${e}`,
    url: `${trimSlash(config.osvBase)}/${encodeURIComponent(e)}/all.zip`,
    file: `osv-${e.replace(/[^A-Za-z0-9.-]/g, "_")}.zip`,
  }));
  if (config.debianTracker) feeds.push({ name: "debian-tracker", url: config.debianTracker, file: "debian-tracker.json" });
  if (config.alpineBase) {
    for (const branch of config.alpineBranches) {
      for (const repo of ["main", "community"]) {
        feeds.push({ name: `alpine:${branch}/${repo}`, url: `${trimSlash(config.alpineBase)}/${branch}/${repo}.json`, file: `alpine-${branch}-${repo}.json` });
      }
    }
  }
  return feeds;
}

export type FeedOutcome = { feed: string; outcome: "unchanged" } | { feed: string; outcome: "updated"; bytes: number; advisories: number };

/** Downloads `url` to `file`, conditionally; null when the server says it has not changed. */
async function download(spec: FeedSpec, file: string, previous: { etag?: string; lastModified?: string } | undefined) {
  const headers: Record<string, string> = { "user-agent": "portcullis" };
  if (previous?.etag) headers["if-none-match"] = previous.etag;
  if (previous?.lastModified) headers["if-modified-since"] = previous.lastModified;
  let response: Response;
  try {
    response = await fetch(spec.url, { headers, redirect: "follow" });
  } catch (err) {
    throw new InputError(`feed ${spec.name}`, spec.url, `download failed: ${messageOf((err as Error).cause ?? err)}`);
  }
  if (response.status === 304) return null;
  if (!response.ok || !response.body) throw new InputError(`feed ${spec.name}`, spec.url, `download failed: HTTP ${response.status} ${response.statusText}`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_DOWNLOAD_BYTES) return done(new Error(`more than ${MAX_DOWNLOAD_BYTES} bytes`));
      done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), limit, createWriteStream(file));
  } catch (err) {
    throw new InputError(`feed ${spec.name}`, spec.url, `download failed after ${bytes} bytes: ${messageOf((err as Error).cause ?? err)}`);
  }
  const expected = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(expected) && expected !== bytes && !response.headers.get("content-encoding")) {
    throw new InputError(`feed ${spec.name}`, spec.url, `download incomplete: ${bytes} of ${expected} bytes`);
  }
  return { bytes, etag: response.headers.get("etag") ?? undefined, lastModified: response.headers.get("last-modified") ?? undefined };
}

/**
 * Whether the DB at `file` can be built on. One of another schema cannot:
 * the update rebuilds it from every feed, as the message refusing it says.
 * Anything that is no vulnerability DB is refused: better a clear error than
 * overwriting a file given by mistake.
 */
function isCurrentDb(file: string): boolean {
  try {
    VulnStore.open(file).close();
    return true;
  } catch (err) {
    if (err instanceof SchemaMismatchError) return false;
    throw err;
  }
}

/**
 * Refreshes every feed of `config` into `dbFile`, atomically. Returns what
 * happened to each feed and the import report of the changed ones.
 */
export async function updateDb(
  dbFile: string,
  config: UpdateConfig,
  onFeed?: (outcome: FeedOutcome) => void,
): Promise<{ outcomes: FeedOutcome[]; report: ImportReport }> {
  const report: ImportReport = { files: 0, advisories: 0, warnings: [], skipped: [], unknownEcosystems: [] };
  const outcomes: FeedOutcome[] = [];
  const aside = `${dbFile}.update-${process.pid}`;
  const downloads = await mkdtemp(join(tmpdir(), "portcullis-feeds-"));
  const exists = await stat(dbFile).then(
    () => true,
    () => false,
  );
  let store: VulnStore | undefined;
  try {
    // A stale copy of an update that was killed (same pid), or its journal, must not be built on.
    await rm(aside, { force: true });
    await rm(`${aside}-journal`, { force: true });
    if (exists && isCurrentDb(dbFile)) await copyFile(dbFile, aside);
    store = VulnStore.openForWrite(aside);
    for (const spec of feedsOf(config)) {
      const previous = store.source(spec.name);
      const file = join(downloads, spec.file);
      const got = await download(spec, file, previous?.location === spec.url ? previous : undefined);
      let outcome: FeedOutcome;
      if (!got) {
        outcome = { feed: spec.name, outcome: "unchanged" };
      } else {
        const before = report.advisories;
        try {
          await importDownloadedFeed(store, spec.name, spec.url, file, { etag: got.etag, lastModified: got.lastModified }, report);
        } catch (err) {
          // What was downloaded is not the feed (an error page, a broken zip): say which feed and URL.
          if (!(err instanceof InputError)) throw err;
          throw new InputError(`feed ${spec.name}`, spec.url, `import failed: ${err.message}`, { cause: err });
        }
        outcome = { feed: spec.name, outcome: "updated", bytes: got.bytes, advisories: report.advisories - before };
        await rm(file, { force: true });
      }
      outcomes.push(outcome);
      onFeed?.(outcome);
    }
    store.markChecked(new Date().toISOString());
    store.close();
    store = undefined;
    await rename(aside, dbFile);
  } catch (err) {
    store?.close();
    await rm(aside, { force: true });
    throw err;
  } finally {
    await rm(downloads, { recursive: true, force: true });
  }
  return { outcomes, report };
}
