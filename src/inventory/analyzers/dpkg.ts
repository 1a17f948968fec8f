/**
 * Debian packages: the dpkg database (/var/lib/dpkg/status), distroless
 * images' one-paragraph files in /var/lib/dpkg/status.d/, and the file lists
 * in /var/lib/dpkg/info/*.list that say which paths dpkg owns.
 *
 * The status file is deb822 (RFC 822-like paragraphs). The npm parsers for it
 * are unmaintained or lose line numbers, and we only need a handful of
 * single-line fields, so the reader here is our own.
 */
import { InputError } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import { OS_PACKAGE_TYPES, type OsInfo, type Package } from "../model.js";
import { parsePurl, purl } from "../purl.js";

/** Far above any real image (a full Debian desktop has ~5,000); a bound for hostile input. */
const MAX_PARAGRAPHS = 200_000;

/** The fields we read; every other field (Description, Conffiles, …) is skipped with its continuation lines. */
const WANTED = new Set(["package", "version", "architecture", "source", "status"]);

/**
 * dpkg states in which the package's files are on disk. "config-files",
 * "half-installed" and "not-installed" leave (at most) conffiles behind.
 */
const PRESENT_STATES = new Set(["installed", "triggers-pending", "triggers-awaiting", "half-configured", "unpacked"]);
const ABSENT_STATES = new Set(["config-files", "half-installed", "not-installed"]);

interface Paragraph {
  /** 1-based line of the paragraph's first field. */
  line: number;
  fields: Map<string, string>;
}

/** deb822 paragraphs with the WANTED fields (lower-cased names, trimmed single-line values). */
function* paragraphs(text: string, path: string): Generator<Paragraph> {
  let current: Paragraph | undefined;
  let count = 0;
  let lineNo = 0;
  let inField = false;
  for (const raw of text.split("\n")) {
    lineNo++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") {
      if (current) yield current;
      current = undefined;
      inField = false;
      continue;
    }
    if (line.startsWith(" ") || line.startsWith("\t")) {
      // Continuation of a multi-line field (Description, Conffiles): nothing we read.
      if (!inField) throw new InputError(path, `line ${lineNo}`, "continuation line without a field before it");
      continue;
    }
    if (line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new InputError(path, `line ${lineNo}`, `expected "Field: value", got "${line.slice(0, 80)}"`);
    if (!current) {
      if (++count > MAX_PARAGRAPHS) throw new InputError(path, `line ${lineNo}`, `more than ${MAX_PARAGRAPHS} paragraphs`);
      current = { line: lineNo, fields: new Map() };
    }
    const name = line.slice(0, colon).toLowerCase();
    if (WANTED.has(name)) current.fields.set(name, line.slice(colon + 1).trim());
    inField = true;
  }
  if (current) yield current;
}

/** Whether the paragraph's package has its files on disk. No Status field (distroless status.d) means installed. */
function isPresent(p: Paragraph, path: string): boolean {
  const status = p.fields.get("status");
  if (status === undefined) return true;
  const state = status.split(/\s+/)[2];
  if (state !== undefined && PRESENT_STATES.has(state)) return true;
  if (state !== undefined && ABSENT_STATES.has(state)) return false;
  throw new InputError(path, `line ${p.line}`, `field "Status" should be "<want> <flag> <state>", got "${status}"`);
}

/** `Source: glibc (2.36-9+deb12u4)` → name and version; the source version defaults to the binary version. */
function sourceOf(field: string | undefined, name: string, version: string, path: string, line: number): Package["source"] {
  if (field === undefined || field === "") return { name, version };
  const m = /^(\S+)(?:\s+\(\s*(\S+)\s*\))?$/.exec(field);
  if (!m) throw new InputError(path, `line ${line}`, `field "Source" should be "name" or "name (version)", got "${field}"`);
  return { name: m[1]!, version: m[2] ?? version };
}

/**
 * A dpkg status file (or one distroless status.d file) → the packages whose
 * files are installed. The purl uses namespace "debian" and no distro
 * qualifier: the distribution is only known after OS detection (see `withDistro`).
 */
export function parseDpkgStatus(text: string, path: string): Package[] {
  const packages: Package[] = [];
  for (const p of paragraphs(text, path)) {
    const name = p.fields.get("package");
    if (!name) throw new InputError(path, `line ${p.line}`, 'paragraph has no "Package" field');
    if (/\s/.test(name)) throw new InputError(path, `line ${p.line}`, `field "Package" has whitespace: "${name}"`);
    if (!isPresent(p, path)) continue;
    const version = p.fields.get("version");
    if (!version) throw new InputError(path, `line ${p.line}`, `package "${name}" has no "Version" field`);
    const arch = p.fields.get("architecture") || undefined;
    packages.push({
      name,
      version,
      type: "deb",
      purl: purl("deb", "debian", name, version, { arch }),
      source: sourceOf(p.fields.get("source"), name, version, path, p.line),
      // dpkg does not record licenses; they live in /usr/share/doc/<pkg>/copyright, free text.
      licenses: [],
      ...(arch ? { arch } : {}),
      paths: [path],
    });
  }
  return packages;
}

/** A /var/lib/dpkg/info/<pkg>.list file → the absolute paths the package owns ("/." is dpkg's root marker, dropped). */
export function parseDpkgFileList(text: string, path: string): string[] {
  const owned: string[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "" || line === "/.") return;
    if (!line.startsWith("/")) throw new InputError(path, `line ${index + 1}`, `expected an absolute path, got "${line.slice(0, 80)}"`);
    owned.push(line);
  });
  return owned;
}

/**
 * The purl of an OS package once the OS is known: namespace = OS family,
 * qualifier distro=<family>-<version> (other qualifiers kept). Packages of
 * language ecosystems are returned unchanged.
 */
export function withDistro(pkg: Package, os: OsInfo): Package {
  if (!OS_PACKAGE_TYPES.has(pkg.type)) return pkg;
  const p = parsePurl(pkg.purl);
  const distro = os.version ? `${os.family}-${os.version}` : os.family;
  return { ...pkg, purl: purl(p.type, os.family, p.name, p.version, { ...p.qualifiers, distro }) };
}

const STATUS = "/var/lib/dpkg/status";
const STATUS_D = "/var/lib/dpkg/status.d/";
const INFO = "/var/lib/dpkg/info/";

function isDirectChild(path: string, dir: string): boolean {
  return path.startsWith(dir) && path.length > dir.length && !path.includes("/", dir.length);
}

export const dpkgStatusAnalyzer: Analyzer = {
  name: "dpkg-status",
  version: 1,
  wants: (path) => path === STATUS || (isDirectChild(path, STATUS_D) && !path.endsWith(".md5sums")),
  async analyze(file) {
    return { packages: parseDpkgStatus((await file.bytes()).toString("utf8"), file.path) };
  },
};

export const dpkgFilesAnalyzer: Analyzer = {
  name: "dpkg-files",
  version: 1,
  wants: (path) => isDirectChild(path, INFO) && path.endsWith(".list"),
  async analyze(file) {
    return { ownedFiles: parseDpkgFileList((await file.bytes()).toString("utf8"), file.path) };
  },
};
