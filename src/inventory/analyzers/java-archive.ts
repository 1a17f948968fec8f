/**
 * Java archives (jar, war, ear, Jenkins plugins jpi/hpi) → Maven packages.
 *
 * Coordinates come from every META-INF/maven/<groupId>/<artifactId>/pom.properties
 * (Maven writes one for the artifact it builds; shading keeps those of the
 * artifacts merged in). An archive without any falls back to its
 * META-INF/MANIFEST.MF and then its file name. Archives nested inside
 * (WEB-INF/lib, BOOT-INF/lib, an ear's modules) are opened in memory,
 * recursively, within a depth limit and one budget of uncompressed bytes for
 * the whole file, so a zip bomb cannot exhaust memory.
 *
 * Package names are "groupId:artifactId", the key Maven advisories use.
 *
 * The zip container is read with yauzl. MANIFEST.MF (JAR spec: "Name: value"
 * lines, continuations start with one space) and pom.properties (a subset of
 * java.util.Properties written by Maven) are tiny formats of which we need a
 * few keys with line numbers for errors, so their readers are ours.
 */
import type { Entry, ZipFile } from "yauzl";
import yauzl from "yauzl";
import { InputError, messageOf } from "../../common/index.js";
import type { Package } from "../model.js";
import { purl } from "../purl.js";

export interface JavaArchiveLimits {
  /** Bytes of the archive file itself (checked by the analyzer before reading it). */
  maxArchiveBytes: number;
  /** Levels of archives opened inside the file (a war's jars are level 1). */
  maxDepth: number;
  /** Uncompressed bytes read out of one file, all nesting levels together. */
  maxTotalBytes: number;
  /** Entries of one archive. */
  maxEntries: number;
  /** Bytes of one MANIFEST.MF or pom.properties. */
  maxMetadataBytes: number;
}

export const DEFAULT_JAVA_ARCHIVE_LIMITS: JavaArchiveLimits = {
  maxArchiveBytes: 128 * 1024 * 1024,
  maxDepth: 4,
  maxTotalBytes: 512 * 1024 * 1024,
  // Large Spring Boot fat jars have ~30,000 entries.
  maxEntries: 500_000,
  maxMetadataBytes: 1024 * 1024,
};

export interface JavaArchiveResult {
  packages: Package[];
  /** Nested archives or metadata files skipped as unreadable, each naming its nested path. */
  warnings: string[];
}

const ARCHIVE_NAME = /\.(jar|war|ear|jpi|hpi)$/i;
const POM_PROPERTIES = /^META-INF\/maven\/([^/]+)\/([^/]+)\/pom\.properties$/;
const MANIFEST = "META-INF/MANIFEST.MF";
/** A Maven coordinate or version: no whitespace, and no unfiltered "${…}" placeholder. */
const COORDINATE = /^[^\s$]+$/;

export function isJavaArchiveName(path: string): boolean {
  return ARCHIVE_NAME.test(path);
}

/** An exceeded budget aborts the whole file, where a merely corrupt nested archive is skipped. */
class LimitError extends InputError {}

interface Walk {
  readonly limits: JavaArchiveLimits;
  readonly root: string;
  used: number;
  readonly packages: Package[];
  readonly warnings: string[];
}

/**
 * Read a Java archive's bytes. `path` is the file's absolute path in the
 * image; packages of nested archives get paths like
 * "/app/app.war!/WEB-INF/lib/foo.jar". Throws an InputError when the file
 * is not a readable zip or a limit is exceeded.
 */
export async function parseJavaArchive(
  bytes: Buffer,
  path: string,
  limits?: Partial<JavaArchiveLimits>,
): Promise<JavaArchiveResult> {
  const walk: Walk = { limits: { ...DEFAULT_JAVA_ARCHIVE_LIMITS, ...limits }, root: path, used: 0, packages: [], warnings: [] };
  await readArchive(bytes, path, 0, walk);
  return { packages: walk.packages, warnings: walk.warnings };
}

/** Entry names as stored: UTF-8 when flagged (bit 11), else CP437, whose ASCII range is all we match on. */
function entryName(entry: Entry): string {
  const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
  return entry.fileNameRaw.toString(utf8 ? "utf8" : "latin1").replace(/\\/g, "/");
}

async function openZip(bytes: Buffer, path: string, walk: Walk): Promise<{ zip: ZipFile; entries: Entry[] }> {
  let zip: ZipFile;
  try {
    // decodeStrings off: yauzl would reject the whole archive for one "../" entry name, which a
    // scanner that extracts nothing can read past.
    zip = await yauzl.fromBufferPromise(bytes, { decodeStrings: false, validateEntrySizes: true, lazyEntries: true });
  } catch (err) {
    throw new InputError(path, undefined, `not a readable zip archive: ${messageOf(err)}`, { cause: err });
  }
  if (zip.entryCount > walk.limits.maxEntries) {
    throw new LimitError(path, undefined, `has ${zip.entryCount} entries, more than the limit of ${walk.limits.maxEntries}`);
  }
  const entries: Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (err) {
    throw new InputError(path, `entry ${entries.length + 1}`, `corrupt zip central directory: ${messageOf(err)}`, { cause: err });
  }
  return { zip, entries };
}

/** One entry's uncompressed bytes, counted against the file's budget before anything is inflated. */
async function readEntry(zip: ZipFile, entry: Entry, where: string, max: number, walk: Walk): Promise<Buffer> {
  const size = entry.uncompressedSize;
  if (size > max) throw new LimitError(where, undefined, `is ${size} bytes uncompressed, more than the limit of ${max}`);
  if (walk.used + size > walk.limits.maxTotalBytes) {
    throw new LimitError(
      where,
      undefined,
      `reading it would take the uncompressed bytes read from ${walk.root} past the limit of ${walk.limits.maxTotalBytes} (zip bomb?)`,
    );
  }
  walk.used += size;
  if (!entry.canDecodeFileData()) {
    throw new InputError(where, undefined, `cannot be read: encrypted or compression method ${entry.compressionMethod}`);
  }
  const chunks: Buffer[] = [];
  try {
    const stream = await zip.openReadStreamPromise(entry);
    // validateEntrySizes makes yauzl fail a stream that inflates to more or less than the declared size.
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (err) {
    throw new InputError(where, undefined, `corrupt zip entry: ${messageOf(err)}`, { cause: err });
  }
  return Buffer.concat(chunks);
}

async function readArchive(bytes: Buffer, path: string, depth: number, walk: Walk): Promise<void> {
  const { zip, entries } = await openZip(bytes, path, walk);
  try {
    const poms: { entry: Entry; name: string }[] = [];
    const nested: { entry: Entry; name: string }[] = [];
    let manifest: Entry | undefined;
    for (const entry of entries) {
      const name = entryName(entry);
      if (name.endsWith("/")) continue;
      if (POM_PROPERTIES.test(name)) poms.push({ entry, name });
      else if (name.toUpperCase() === MANIFEST) manifest = entry;
      else if (ARCHIVE_NAME.test(name)) nested.push({ entry, name });
    }

    const headers = manifest ? await metadata(zip, manifest, `${path}!/${MANIFEST}`, walk, parseManifest) : undefined;
    const licenses = headers ? manifestLicenses(headers.get("bundle-license")) : [];
    const found: Package[] = [];
    for (const { entry, name } of poms) {
      const where = `${path}!/${name}`;
      const props = await metadata(zip, entry, where, walk, parsePomProperties);
      if (!props) continue;
      const [, dirGroup, dirArtifact] = POM_PROPERTIES.exec(name)!;
      const group = props.get("groupId") || dirGroup!;
      const artifact = props.get("artifactId") || dirArtifact!;
      const version = props.get("version");
      const bad = [group, artifact, version].find((v) => !v || !COORDINATE.test(v));
      if (bad !== undefined || !version) {
        walk.warnings.push(`${where}: skipped: groupId, artifactId and version should be set without spaces or placeholders, got "${group}:${artifact}:${version ?? ""}"`);
        continue;
      }
      // The manifest speaks for the archive's own artifact: only certain when there is one.
      found.push(mavenPackage(group, artifact, version, path, poms.length === 1 ? licenses : []));
    }
    if (poms.length === 0) {
      const pkg = fromManifest(headers, path, licenses);
      if (pkg) found.push(pkg);
    }
    walk.packages.push(...found);

    for (const { entry, name } of nested) {
      const where = `${path}!/${name}`;
      if (depth >= walk.limits.maxDepth) {
        walk.warnings.push(`${where}: not opened: archives nested more than ${walk.limits.maxDepth} deep`);
        continue;
      }
      try {
        const inner = await readEntry(zip, entry, where, walk.limits.maxArchiveBytes, walk);
        await readArchive(inner, where, depth + 1, walk);
      } catch (err) {
        if (err instanceof LimitError || !(err instanceof InputError)) throw err;
        walk.warnings.push(`skipped: ${err.message}`);
      }
    }
  } finally {
    zip.close();
  }
}

/** Read and parse one metadata file; unreadable or malformed ones become a warning and undefined. */
async function metadata<T>(
  zip: ZipFile,
  entry: Entry,
  where: string,
  walk: Walk,
  parse: (text: string, source: string) => T,
): Promise<T | undefined> {
  try {
    const bytes = await readEntry(zip, entry, where, walk.limits.maxMetadataBytes, walk);
    // Manifests are UTF-8; pom.properties is ASCII in practice (Properties' own encoding is Latin-1).
    return parse(bytes.toString("utf8"), where);
  } catch (err) {
    if (err instanceof LimitError || !(err instanceof InputError)) throw err;
    walk.warnings.push(`skipped: ${err.message}`);
    return undefined;
  }
}

function mavenPackage(group: string, artifact: string, version: string, path: string, licenses: string[]): Package {
  return {
    name: `${group}:${artifact}`,
    version,
    type: "maven",
    purl: purl("maven", group, artifact, version),
    licenses,
    paths: [path],
  };
}

/** "commons-lang3-3.12.0.jar" → artifact "commons-lang3", version "3.12.0": the version starts at the first "-<digit>". */
export function nameFromFileName(path: string): { artifact: string; version?: string } {
  const base = path.slice(path.lastIndexOf("/") + 1).replace(ARCHIVE_NAME, "");
  const m = /^(.+?)-(\d.*)$/.exec(base);
  return m ? { artifact: m[1]!, version: m[2]! } : { artifact: base };
}

/**
 * An archive without pom.properties → one package from its manifest and file
 * name, or undefined when no version can be found.
 *  - artifact: Implementation-Title, else Bundle-SymbolicName, else the file name;
 *    a title with spaces ("Apache Commons Lang") is prose, not an artifact id, and is passed over;
 *  - version: Implementation-Version, else Bundle-Version, else the file name's;
 *  - group: Implementation-Vendor-Id; without one the artifact id stands in for it,
 *    as Maven does for old single-name artifacts ("junit:junit"), because a Maven purl needs one.
 */
function fromManifest(headers: Map<string, string> | undefined, path: string, licenses: string[]): Package | undefined {
  const file = nameFromFileName(path);
  const pick = (...values: (string | undefined)[]) => values.find((v) => v !== undefined && COORDINATE.test(v));
  const symbolic = headers?.get("bundle-symbolicname")?.split(";")[0]?.trim();
  const artifact = pick(headers?.get("implementation-title"), symbolic, file.artifact);
  const version = pick(headers?.get("implementation-version"), headers?.get("bundle-version"), file.version);
  if (!artifact || !version) return undefined;
  const group = pick(headers?.get("implementation-vendor-id")) ?? artifact;
  return mavenPackage(group, artifact, version, path, licenses);
}

/**
 * The main section of a JAR manifest → headers by lower-cased name (names are
 * case-insensitive). Continuation lines (starting with one space) are joined;
 * the main section ends at the first blank line.
 */
export function parseManifest(text: string, source: string): Map<string, string> {
  const headers = new Map<string, string>();
  let current: string | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") break;
    if (line.startsWith(" ")) {
      if (current === undefined) throw new InputError(source, `line ${i + 1}`, "continuation line without a header before it");
      headers.set(current, headers.get(current)! + line.slice(1));
      continue;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9_-]*):(.*)$/.exec(line);
    if (!m) throw new InputError(source, `line ${i + 1}`, `expected "Name: value", got "${line.slice(0, 80)}"`);
    current = m[1]!.toLowerCase();
    headers.set(current, m[2]!.replace(/^ /, ""));
  }
  for (const [k, v] of headers) headers.set(k, v.trim());
  return headers;
}

const ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescapeProperty(s: string, source: string, line: number): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|u|.)/g, (_, e: string) => {
    if (e.startsWith("u")) {
      if (e.length !== 5) throw new InputError(source, `line ${line}`, 'malformed "\\uXXXX" escape');
      return String.fromCharCode(parseInt(e.slice(1), 16));
    }
    return ESCAPES[e] ?? e;
  });
}

/**
 * A .properties file → values by key: "key=value", "key: value" or
 * "key value"; "#" and "!" comments; a line ending in an odd number of
 * backslashes continues on the next (whose leading blanks are dropped).
 */
export function parsePomProperties(text: string, source: string): Map<string, string> {
  const props = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const first = i + 1;
    let logical = lines[i]!.replace(/^[ \t\f]+/, "");
    if (logical === "" || logical.startsWith("#") || logical.startsWith("!")) continue;
    while (/(?:^|[^\\])(?:\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, "");
    }
    // The key ends at the first unescaped "=", ":" or blank.
    const m = /^((?:\\.|[^\\=:\s])*)[ \t\f]*[=:]?[ \t\f]*(.*)$/s.exec(logical)!;
    props.set(unescapeProperty(m[1]!, source, first), unescapeProperty(m[2]!, source, first));
  }
  return props;
}

/**
 * OSGi Bundle-License → license names: a comma-separated list of clauses
 * "name;link=…;description=…" (the name is an SPDX id or a URL). A value
 * with blanks outside quotes ("Apache License, Version 2.0") is not that
 * syntax and is kept whole.
 */
export function manifestLicenses(value: string | undefined): string[] {
  if (!value) return [];
  const clauses: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      clauses.push(current);
      current = "";
    } else current += ch;
  }
  clauses.push(current);
  const names = clauses.map((c) => c.split(";")[0]!.trim());
  if (names.some((n) => n === "" || /\s/.test(n))) return [value.trim()];
  return names;
}
