/**
 * `db import`: load advisories from directories, zips of OSV files, or single
 * files into the store. Each file's feed is recognised from its content, so
 * a mixed folder (OSV JSON and YAML, the Debian tracker JSON, Alpine secdb
 * files) imports in one go. A bad record is a warning naming the file and
 * field; it never stops the import.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import yauzl from "yauzl";
import { InputError, messageOf } from "../common/index.js";
import { schemeForEcosystem } from "../versions/index.js";
import type { ParsedFeed } from "./model.js";
import { severityFromVector } from "./cvss.js";
import { parseAlpineSecdb } from "./sources/alpine-secdb.js";
import { parseDebianTracker } from "./sources/debian-tracker.js";
import { parseNodejsWg } from "./sources/nodejs-wg.js";
import { parseOsv } from "./sources/osv.js";
import type { ImportBatch, VulnStore } from "./store.js";

/** One advisory file is small; the Debian tracker's whole JSON is the largest feed (~100 MB). */
export const MAX_FEED_FILE_BYTES = 512 * 1024 * 1024;
const MAX_ZIP_ENTRY_BYTES = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 2_000_000;

export type FeedKind = "osv-json" | "osv-yaml" | "debian-tracker" | "alpine-secdb" | "nodejs-wg";

export interface ImportProgress {
  files: number;
  advisories: number;
}

export interface ImportReport {
  files: number;
  /** Distinct records stored: an id a feed gives in several files (an Alpine CVE on two branches) counts once. */
  advisories: number;
  /** Problems with single records or fields, each naming file and field. */
  warnings: string[];
  /** Files that are not advisories in a format we read (README, provenance tables, other feeds). */
  skipped: string[];
  /** Ecosystems with no version scheme here: stored, but nothing can match them. */
  unknownEcosystems: string[];
}

/** Recognises a feed from a file's name and first bytes; undefined when it is none we read. */
export function detectFeed(name: string, head: string): FeedKind | undefined {
  if (/\.ya?ml$/i.test(name)) return /^\s*(id|schema_version|modified)\s*:/m.test(head) ? "osv-yaml" : undefined;
  if (!/\.json$/i.test(name)) return undefined;
  if (/"secfixes"\s*:/.test(head)) return "alpine-secdb";
  if (/"module_name"\s*:/.test(head) && /"vulnerable_versions"\s*:/.test(head)) return "nodejs-wg";
  if (/^\s*\{\s*"[^"]+"\s*:\s*\{\s*"(CVE|TEMP)-[^"]*"\s*:\s*\{/.test(head)) return "debian-tracker";
  if (/"id"\s*:\s*"/.test(head) && /"(affected|modified|schema_version)"\s*:/.test(head)) return "osv-json";
  return undefined;
}

function parse(kind: FeedKind, text: string, file: string): ParsedFeed {
  switch (kind) {
    case "osv-json":
      return parseOsv(text, file, "json");
    case "osv-yaml":
      return parseOsv(text, file, "yaml");
    case "debian-tracker":
      return parseDebianTracker(text, file);
    case "alpine-secdb":
      return parseAlpineSecdb(text, file);
    case "nodejs-wg":
      return parseNodejsWg(text, file, severityFromVector);
  }
}

/** A file to import: its name (whose extension tells its format), how messages show it, and a way to read it. */
interface FeedFile {
  name: string;
  shown: string;
  size: number;
  /** A zip member, held to the smaller limit of one advisory file. */
  inZip: boolean;
  read(): Promise<Buffer>;
}

async function* filesUnder(dir: string): AsyncGenerator<FeedFile> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) {
      if (/\.zip$/i.test(entry.name)) yield* zipEntries(full, full);
      else yield { name: full, shown: full, inZip: false, size: (await stat(full)).size, read: () => readFile(full) };
    }
  }
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

/** The members of an OSV zip (the public `all.zip` per ecosystem), read one at a time; `shown` names the zip in messages. */
async function* zipEntries(file: string, shown: string): AsyncGenerator<FeedFile> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (err) {
    throw new InputError(`zip ${shown}`, undefined, `not a readable zip (${messageOf(err)})`);
  }
  try {
    let count = 0;
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        zip.once("entry", resolve);
        zip.once("end", () => resolve(null));
        zip.once("error", reject);
        zip.readEntry();
      });
      zip.removeAllListeners("entry");
      zip.removeAllListeners("end");
      zip.removeAllListeners("error");
      if (entry === null) return;
      if (++count > MAX_ZIP_ENTRIES) throw new InputError(`zip ${shown}`, undefined, `more than ${MAX_ZIP_ENTRIES} entries`);
      if (entry.fileName.endsWith("/")) continue;
      yield {
        name: `${file}!${entry.fileName}`,
        shown: `${shown}!${entry.fileName}`,
        inZip: true,
        size: entry.uncompressedSize,
        read: () =>
          new Promise<Buffer>((resolve, reject) =>
            zip.openReadStream(entry, (err, stream) => {
              if (err) return reject(err);
              const chunks: Buffer[] = [];
              stream.on("data", (c: Buffer) => chunks.push(c));
              stream.on("end", () => resolve(Buffer.concat(chunks)));
              stream.on("error", reject);
            }),
          ),
      };
    }
  } finally {
    zip.close();
  }
}

/** The files of a path; a downloaded file is `shown` by where it came from rather than its temporary name. */
async function* feedFiles(path: string, shown = path): AsyncGenerator<FeedFile> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new InputError(shown, undefined, `cannot read (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`);
  }
  if (info.isDirectory()) yield* filesUnder(path);
  else if (/\.zip$/i.test(path)) yield* zipEntries(path, shown);
  else yield { name: path, shown, inZip: false, size: info.size, read: () => readFile(path) };
}

/**
 * Imports every advisory under `paths` in one transaction: all or nothing
 * for the DB, record by record for warnings.
 */
export async function importFeeds(store: VulnStore, paths: readonly string[], onProgress?: (p: ImportProgress) => void): Promise<ImportReport> {
  const report: ImportReport = { files: 0, advisories: 0, warnings: [], skipped: [], unknownEcosystems: [] };
  const unknown = new Set<string>();
  await store.atomically(async () => {
    for (const path of paths) {
      const location = resolve(path);
      await importFeed(store, `import:${location}`, location, feedFiles(path), report, unknown, onProgress);
    }
  });
  report.unknownEcosystems = [...unknown].sort();
  return report;
}

/** Imports one downloaded file as a feed (used by `db update`); messages name it by `location`, its URL. */
export async function importDownloadedFeed(
  store: VulnStore,
  feed: string,
  location: string,
  file: string,
  extra: { etag?: string; lastModified?: string },
  report: ImportReport,
): Promise<void> {
  const unknown = new Set(report.unknownEcosystems);
  await importFeed(store, feed, location, feedFiles(file, location), report, unknown, undefined, extra);
  report.unknownEcosystems = [...unknown].sort();
}

async function importFeed(
  store: VulnStore,
  feed: string,
  location: string,
  files: AsyncIterable<FeedFile>,
  report: ImportReport,
  unknown: Set<string>,
  onProgress?: (p: ImportProgress) => void,
  extra: { etag?: string; lastModified?: string } = {},
): Promise<void> {
  const warningsBefore = report.warnings.length;
  const batch: ImportBatch = store.importBatch(feed);
  try {
    for await (const file of files) {
      const shown = file.shown;
      if (file.size > (file.inZip ? MAX_ZIP_ENTRY_BYTES : MAX_FEED_FILE_BYTES)) {
        report.warnings.push(`${shown}: skipped: ${file.size} bytes is more than an advisory file may hold`);
        continue;
      }
      const text = (await file.read()).toString("utf8");
      const kind = detectFeed(file.name, text.slice(0, 4096));
      if (!kind) {
        report.skipped.push(shown);
        continue;
      }
      let parsed: ParsedFeed;
      try {
        parsed = parse(kind, text, shown);
      } catch (err) {
        report.warnings.push(`${shown}: skipped: ${messageOf(err)}`);
        continue;
      }
      report.files++;
      report.warnings.push(...parsed.warnings);
      for (const advisory of parsed.advisories) {
        for (const a of advisory.affected) if (!schemeForEcosystem(a.ecosystem)) unknown.add(a.ecosystem.split(":")[0]!);
        batch.add(advisory);
      }
      if (report.files % 500 === 0) onProgress?.({ files: report.files, advisories: report.advisories + batch.records });
    }
    // Records, not records read: an id the feed gives in several files was merged into one.
    report.advisories += batch.records;
    store.recordSource({
      name: feed,
      location,
      importedAt: new Date().toISOString(),
      records: batch.records,
      warnings: report.warnings.length - warningsBefore,
      ...extra,
    });
    batch.commit();
  } catch (err) {
    batch.rollback();
    throw err;
  }
}
