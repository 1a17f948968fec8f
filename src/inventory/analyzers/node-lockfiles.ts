/**
 * npm, yarn and pnpm lockfiles: what a project will install. Lockfiles are
 * claimed anywhere outside node_modules (npm's hidden node_modules/.package-lock.json
 * repeats what the installed package.json files already say).
 *
 * Choices:
 * - Workspace packages, `link:`/`file:` dependencies and the root project are
 *   the project's own code, not dependencies: they are skipped.
 * - npm v1 git and tarball dependencies carry a URL instead of a version and
 *   are skipped: no advisory can match them.
 * - A name@version listed more than once (nested copies) is one package; it is
 *   `dev` only when every copy is.
 *
 * yarn v1 lockfiles have their own format and no maintained npm library reads
 * it without pulling in yarn itself, so the small reader here is our own.
 * yarn berry and pnpm lockfiles are YAML, read with `yaml` (failsafe schema:
 * every scalar stays a string, so "1.10" is never the number 1.1).
 */
import { LineCounter, parseDocument } from "yaml";
import { InputError } from "../../common/index.js";
import type { Package } from "../model.js";
import { lockfileAnalyzer, type LockfileParser } from "./lockfile.js";
import { npmLicenses, npmPackage, parseJsonObject } from "./node.js";

/** Real lockfiles use no YAML aliases; a few are tolerated, an alias bomb is not. */
const MAX_YAML_ALIASES = 100;
/** yarn v1 nests at most two levels (entry, then `dependencies:`); deeper input is not a lockfile. */
const MAX_YARN_INDENT = 8;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Collects packages once per name@version; a copy needed outside dev makes the package non-dev. */
class Collector {
  private readonly byKey = new Map<string, Package>();
  constructor(private readonly path: string) {}
  add(name: string, version: string, dev = false, licenses: string[] = []): void {
    const key = `${name}@${version}`;
    const seen = this.byKey.get(key);
    if (!seen) {
      this.byKey.set(key, npmPackage(name, version, this.path, licenses, dev));
      return;
    }
    if (!dev) delete seen.dev;
    if (seen.licenses.length === 0 && licenses.length > 0) seen.licenses = licenses;
  }
  packages(): Package[] {
    return [...this.byKey.values()];
  }
}

/** "name@range" → [name, range]; the name may be scoped ("@types/node@^20"). */
function splitSpec(spec: string): [string, string] {
  const at = spec.indexOf("@", 1);
  return at < 0 ? [spec, ""] : [spec.slice(0, at), spec.slice(at + 1)];
}

/** Versions that name a place rather than a release (git, tarball URL, local folder). */
function isLocation(version: string): boolean {
  return version.includes(":") || version.includes("/");
}

// ---------------------------------------------------------------- package-lock.json

function jsonKey(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

/** lockfileVersion 2 and 3: the flat `packages` map keyed by install path. */
function fromPackagesMap(packages: Json, path: string, out: Collector): void {
  for (const [key, entry] of Object.entries(packages)) {
    if (key === "") continue; // the root project
    if (!isObject(entry)) throw new InputError(path, `$.packages${jsonKey(key)}`, "expected an object");
    if (entry.link === true) continue; // a symlink to a workspace folder
    const at = key.lastIndexOf("node_modules/");
    if (at < 0) continue; // a workspace's own folder ("packages/app")
    const version = entry.version;
    if (version === undefined) continue;
    if (typeof version !== "string") throw new InputError(path, `$.packages${jsonKey(key)}.version`, "expected a string");
    // Aliases ("my-ms": "npm:ms@2") keep the real name in `name`.
    const name = typeof entry.name === "string" ? entry.name : key.slice(at + "node_modules/".length);
    if (!name || !version) continue;
    out.add(name, version, entry.dev === true, npmLicenses(entry));
  }
}

/** lockfileVersion 1: the nested `dependencies` tree, walked without recursion. */
function fromDependencyTree(dependencies: Json, path: string, out: Collector): void {
  const stack: [Json, string][] = [[dependencies, "$.dependencies"]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [deps, where] = top;
    for (const [key, entry] of Object.entries(deps)) {
      const at = `${where}${jsonKey(key)}`;
      if (!isObject(entry)) throw new InputError(path, at, "expected an object");
      if (entry.dependencies !== undefined) {
        if (!isObject(entry.dependencies)) throw new InputError(path, `${at}.dependencies`, "expected an object");
        stack.push([entry.dependencies, `${at}.dependencies`]);
      }
      if (typeof entry.version !== "string") throw new InputError(path, `${at}.version`, "expected a string");
      // Aliases ("my-ms": "npm:ms@2.1.2") record the real name in the version.
      const [name, version] = entry.version.startsWith("npm:") ? splitSpec(entry.version.slice(4)) : [key, entry.version];
      if (!version || isLocation(version)) continue;
      out.add(name, version, entry.dev === true);
    }
  }
}

/** package-lock.json / npm-shrinkwrap.json, lockfileVersion 1, 2 or 3. */
export function parsePackageLock(text: string, path: string): Package[] {
  const doc = parseJsonObject(text, path);
  const out = new Collector(path);
  if (doc.packages !== undefined) {
    if (!isObject(doc.packages)) throw new InputError(path, "$.packages", "expected an object");
    fromPackagesMap(doc.packages, path, out);
  } else if (doc.dependencies !== undefined) {
    if (!isObject(doc.dependencies)) throw new InputError(path, "$.dependencies", "expected an object");
    fromDependencyTree(doc.dependencies, path, out);
  }
  return out.packages();
}

// ---------------------------------------------------------------- yarn.lock v1

interface YarnEntry {
  specs: string[];
  version?: string;
  line: number;
}

type Fail = (detail: string) => never;

/** A double-quoted token as yarn writes it (JSON string syntax); returns the string and the index after it. */
function quoted(text: string, start: number, fail: Fail): [string, number] {
  let i = start + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
  if (i >= text.length) fail("unterminated string");
  try {
    return [JSON.parse(text.slice(start, i + 1)) as string, i + 1];
  } catch {
    return fail(`bad string ${text.slice(start, i + 1)}`);
  }
}

/** `"a@^1", a@1.2.0` → ["a@^1", "a@1.2.0"]. */
function yarnSpecs(text: string, fail: Fail): string[] {
  const specs: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === " ") i++;
    let spec: string;
    if (text[i] === '"') {
      [spec, i] = quoted(text, i, fail);
    } else {
      const comma = text.indexOf(",", i);
      const end = comma < 0 ? text.length : comma;
      spec = text.slice(i, end).trim();
      i = end;
    }
    if (spec === "") fail("empty package spec");
    specs.push(spec);
    while (text[i] === " ") i++;
    if (i < text.length && text[i++] !== ",") fail('expected "," between package specs');
  }
  return specs;
}

/** `key value` or `key "value"` → [key, value]. */
function yarnField(text: string, fail: Fail): [string, string] {
  let key: string;
  let i: number;
  if (text.startsWith('"')) {
    [key, i] = quoted(text, 0, fail);
  } else {
    const space = text.indexOf(" ");
    if (space < 0) fail(`expected "key value", got "${text.slice(0, 80)}"`);
    key = text.slice(0, space);
    i = space;
  }
  const rest = text.slice(i).trim();
  return [key, rest.startsWith('"') ? quoted(rest, 0, fail)[0] : rest];
}

/** The entries of a yarn v1 lockfile with their specs and version. */
function readYarnV1(text: string, path: string): YarnEntry[] {
  const entries: YarnEntry[] = [];
  let current: YarnEntry | undefined;
  let inBlock = false; // inside a nested block such as `dependencies:`
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, "");
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const fail: Fail = (detail) => {
      throw new InputError(path, `line ${n + 1}`, detail);
    };
    const indent = line.length - line.trimStart().length;
    if (line.slice(0, indent).includes("\t")) fail("tab in indentation");
    if (indent % 2 !== 0 || indent > MAX_YARN_INDENT) fail(`unexpected indentation of ${indent}`);
    if (indent === 0) {
      if (!trimmed.endsWith(":")) fail('expected "<package specs>:"');
      current = { specs: yarnSpecs(trimmed.slice(0, -1), fail), line: n + 1 };
      entries.push(current);
      inBlock = false;
    } else if (!current) {
      fail("indented line outside an entry");
    } else if (indent === 2) {
      inBlock = trimmed.endsWith(":");
      if (inBlock) continue;
      const [key, value] = yarnField(trimmed, fail);
      if (key === "version") current.version = value;
    } else if (!inBlock) {
      fail("nested line outside a block");
    }
  }
  return entries;
}

function fromYarnV1(text: string, path: string, out: Collector): void {
  for (const entry of readYarnV1(text, path)) {
    const [key, range] = splitSpec(entry.specs[0]!);
    if (/^(file|link|portal|workspace):/.test(range)) continue;
    const name = range.startsWith("npm:") ? splitSpec(range.slice(4))[0] : key;
    if (entry.version === undefined) throw new InputError(path, `line ${entry.line}`, `entry "${entry.specs[0]}" has no "version"`);
    out.add(name, entry.version);
  }
}

// ---------------------------------------------------------------- YAML lockfiles

function parseYaml(text: string, path: string): Json {
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: "failsafe", prettyErrors: false, lineCounter: lines });
  const err = doc.errors[0];
  if (err) {
    const { line, col } = lines.linePos(err.pos[0]);
    throw new InputError(path, `line ${line}, column ${col}`, `invalid YAML: ${err.message}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    throw new InputError(path, undefined, `invalid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(value)) throw new InputError(path, "line 1", "expected a YAML mapping");
  return value;
}

/** yarn berry: `resolution: "name@npm:1.2.3"`; workspaces, patches, git and folders are not registry packages. */
function fromYarnBerry(doc: Json, path: string, out: Collector): void {
  for (const [key, entry] of Object.entries(doc)) {
    if (key === "__metadata") continue;
    if (!isObject(entry)) throw new InputError(path, `entry "${key}"`, "expected a mapping");
    const resolution = entry.resolution;
    if (typeof resolution !== "string") throw new InputError(path, `entry "${key}"`, 'expected a "resolution" string');
    const [name, reference] = splitSpec(resolution);
    if (!reference.startsWith("npm:")) continue;
    const version = reference.slice(4);
    if (!name || !version) throw new InputError(path, `entry "${key}"`, `bad resolution "${resolution}"`);
    out.add(name, version);
  }
}

/** "/@scope/name@1.2.3(peer@1)" (v6, v9) or "/@scope/name/1.2.3_peer@1" (v5) → name and version. */
function pnpmKey(key: string, v5: boolean): [string, string] | undefined {
  const bare = key.startsWith("/") ? key.slice(1) : key;
  if (v5) {
    const parts = bare.split("/");
    const nameParts = bare.startsWith("@") ? 2 : 1;
    if (parts.length !== nameParts + 1) return undefined;
    return [parts.slice(0, nameParts).join("/"), parts[nameParts]!.split("_")[0]!];
  }
  const paren = bare.indexOf("(");
  const [name, version] = splitSpec(paren < 0 ? bare : bare.slice(0, paren));
  return name && version ? [name, version] : undefined;
}

/** pnpm v9 snapshot key of a dependency: "1.2.3(peer@1)" under `name`, or an alias's own "real@1.2.3". */
function snapshotKey(name: string, version: string): string | undefined {
  if (version.startsWith("link:") || version.startsWith("file:")) return undefined;
  const paren = version.indexOf("(");
  const base = paren < 0 ? version : version.slice(0, paren);
  return base.includes("@") ? version : `${name}@${version}`;
}

/** Names → version references of one dependency map of an importer or snapshot (v6+ importers nest `version`). */
function depRefs(deps: unknown): [string, string][] {
  if (!isObject(deps)) return [];
  const refs: [string, string][] = [];
  for (const [name, value] of Object.entries(deps)) {
    const version = isObject(value) ? value.version : value;
    if (typeof version === "string") refs.push([name, version]);
  }
  return refs;
}

/**
 * pnpm v9 no longer marks packages `dev`: a package is dev when only the
 * importers' devDependencies reach it through the snapshots graph.
 */
function pnpmV9DevKeys(doc: Json): Set<string> {
  const snapshots = isObject(doc.snapshots) ? doc.snapshots : {};
  const importers = isObject(doc.importers) ? Object.values(doc.importers).filter(isObject) : [];
  const reach = (fields: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue: string[] = [];
    const visit = (refs: [string, string][]): void => {
      for (const [name, version] of refs) {
        const key = snapshotKey(name, version);
        if (key && !seen.has(key)) {
          seen.add(key);
          queue.push(key);
        }
      }
    };
    for (const importer of importers) for (const field of fields) visit(depRefs(importer[field]));
    for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
      const snap = snapshots[key];
      if (isObject(snap)) for (const field of ["dependencies", "optionalDependencies"]) visit(depRefs(snap[field]));
    }
    return seen;
  };
  const withoutPeers = (keys: Set<string>): Set<string> => new Set([...keys].map((k) => k.replace(/\(.*$/, "")));
  const prod = withoutPeers(reach(["dependencies", "optionalDependencies"]));
  const dev = withoutPeers(reach(["devDependencies"]));
  return new Set([...dev].filter((k) => !prod.has(k)));
}

function fromPnpm(doc: Json, path: string, out: Collector): void {
  const lockVersion = String(doc.lockfileVersion ?? "");
  const major = Number.parseInt(lockVersion, 10);
  if (!Number.isFinite(major)) throw new InputError(path, "lockfileVersion", `expected a number, got "${lockVersion}"`);
  if (doc.packages === undefined) return;
  if (!isObject(doc.packages)) throw new InputError(path, "packages", "expected a mapping");
  const devKeys = major >= 9 ? pnpmV9DevKeys(doc) : new Set<string>();
  for (const [key, raw] of Object.entries(doc.packages)) {
    const entry = isObject(raw) ? raw : {};
    let parsed = pnpmKey(key, major < 6);
    // Tarball and git dependencies are keyed by URL and carry their own name and version.
    if (!parsed || isLocation(parsed[1])) {
      if (key.startsWith("file:") || key.startsWith("link:")) continue;
      if (typeof entry.name !== "string" || typeof entry.version !== "string") continue;
      parsed = [entry.name, entry.version];
    }
    const [name, version] = parsed;
    const dev = major >= 9 ? devKeys.has(`${name}@${version}`) : entry.dev === "true";
    out.add(name, version, dev);
  }
}

/** yarn.lock, either format: yarn v1's own, or yarn berry's YAML (it has `__metadata`). */
export function parseYarnLock(text: string, path: string): Package[] {
  const out = new Collector(path);
  if (/^__metadata:/m.test(text)) fromYarnBerry(parseYaml(text, path), path, out);
  else fromYarnV1(text, path, out);
  return out.packages();
}

/** pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. */
export function parsePnpmLock(text: string, path: string): Package[] {
  const out = new Collector(path);
  fromPnpm(parseYaml(text, path), path, out);
  return out.packages();
}

const LOCKFILES: Record<string, (text: string, path: string) => Package[]> = {
  "package-lock.json": parsePackageLock,
  "npm-shrinkwrap.json": parsePackageLock,
  "yarn.lock": parseYarnLock,
  "pnpm-lock.yaml": parsePnpmLock,
};

function lockfileParser(path: string): LockfileParser | undefined {
  if (path.includes("/node_modules/")) return undefined;
  const base = path.slice(path.lastIndexOf("/") + 1);
  return Object.hasOwn(LOCKFILES, base) ? LOCKFILES[base] : undefined;
}

export const nodeLockfileAnalyzer = lockfileAnalyzer("node-lockfile", 1, lockfileParser);
