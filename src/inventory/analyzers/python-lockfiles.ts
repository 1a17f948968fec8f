/**
 * What a Python project will install: requirements files (only exact pins,
 * `name==version`, say which release), poetry.lock (TOML, read with smol-toml)
 * and Pipfile.lock (JSON). Files inside site-packages, dist-packages or
 * node_modules belong to an installed package, not to the project, and are
 * not claimed. Local and VCS entries of poetry.lock keep their version and are
 * reported; Pipfile.lock entries without a `==` version (paths, VCS) are not.
 *
 * requirements.txt is pip's own line format; no npm library reads it, so the
 * small reader here is ours and follows pip's rules for continuation lines
 * and comments.
 */
import { InputError } from "../../common/index.js";
import type { Package } from "../model.js";
import { lockfileAnalyzer, tomlPackageTables, type LockfileParser } from "./lockfile.js";
import { normalizePythonName, pypiPackage } from "./python.js";

const MAX_REQUIREMENT_LINES = 100_000;

/** An exact pin: name, optional extras, `==` or `===`, one version without wildcards. */
const PIN = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s,;=<>!~*]+)$/;
/** Per-requirement options that may follow a requirement: `--hash=sha256:…`, `--config-settings k=v`. */
const OPTION = /\s--[a-z][a-z-]*(?:=|\s+)\S+/g;
/** pip: a "#" at the start of a line or after whitespace starts a comment. */
const COMMENT = /(^|\s)#.*$/;

/** requirements.txt → the exactly pinned requirements; options, includes, URLs and ranges are skipped. */
export function parseRequirementsTxt(text: string, path: string): Package[] {
  const lines = text.split("\n");
  if (lines.length > MAX_REQUIREMENT_LINES) throw new InputError(path, undefined, `more than ${MAX_REQUIREMENT_LINES} lines`);
  const byKey = new Map<string, Package>();
  let logical = "";
  for (const raw of lines) {
    const line = raw.replace(/\r$/, "").replace(COMMENT, "");
    if (line.endsWith("\\")) {
      logical += `${line.slice(0, -1)} `;
      continue;
    }
    logical += line;
    const requirement = logical.trim();
    logical = "";
    if (requirement === "" || requirement.startsWith("-")) continue; // -r, -c, -e, --index-url …
    const spec = ` ${requirement}`.replace(OPTION, "").split(";")[0]!.trim();
    const m = PIN.exec(spec);
    if (!m) continue;
    const [, name, version] = m as unknown as [string, string, string];
    const key = `${normalizePythonName(name)}@${version}`;
    if (!byKey.has(key)) byKey.set(key, pypiPackage(name, version, path));
  }
  return [...byKey.values()];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function parseJson(text: string, path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(path, undefined, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(doc)) throw new InputError(path, "$", "expected a JSON object");
  return doc;
}

/**
 * poetry.lock: every [[package]]. Dev comes from `category = "dev"` (Poetry
 * before 1.5) or `groups` without "main" (Poetry 2); lockfiles of Poetry 1.5
 * to 1.8 record neither, so their packages are not marked dev.
 */
export function parsePoetryLock(text: string, path: string): Package[] {
  const list = tomlPackageTables(text, path);
  return list.map((entry: unknown, i) => {
    if (!isObject(entry) || typeof entry.name !== "string" || typeof entry.version !== "string") {
      throw new InputError(path, `package[${i}]`, 'expected "name" and "version" strings');
    }
    const groups = Array.isArray(entry.groups) ? entry.groups : undefined;
    const dev = entry.category === "dev" || (groups !== undefined && groups.length > 0 && !groups.includes("main"));
    return pypiPackage(entry.name, entry.version, path, [], dev);
  });
}

/** Pipfile.lock: `default` (runtime) and `develop` (dev) sections of name → { version: "==1.2.3" }. */
export function parsePipfileLock(text: string, path: string): Package[] {
  const doc = parseJson(text, path);
  const byName = new Map<string, Package>();
  for (const section of ["default", "develop"] as const) {
    const deps = doc[section];
    if (deps === undefined) continue;
    if (!isObject(deps)) throw new InputError(path, `$.${section}`, "expected an object");
    for (const [name, entry] of Object.entries(deps)) {
      const where = `$.${section}[${JSON.stringify(name)}]`;
      if (!isObject(entry)) throw new InputError(path, where, "expected an object");
      if (entry.version === undefined) continue; // path, VCS or editable: no release to match
      if (typeof entry.version !== "string") throw new InputError(path, `${where}.version`, "expected a string");
      const m = /^===?\s*(\S+)$/.exec(entry.version.trim());
      if (!m) continue;
      // A package in both sections is needed at runtime: `default` comes first and wins.
      if (!byName.has(name)) byName.set(name, pypiPackage(name, m[1]!, path, [], section === "develop"));
    }
  }
  return [...byName.values()];
}

const INSTALLED_TREE = /\/(site-packages|dist-packages|node_modules)\//;

function lockfileParser(path: string): LockfileParser | undefined {
  if (INSTALLED_TREE.test(path)) return undefined;
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base === "poetry.lock") return parsePoetryLock;
  if (base === "Pipfile.lock") return parsePipfileLock;
  if (/^requirements[\w.-]*\.txt$/.test(base)) return parseRequirementsTxt;
  return undefined;
}

export const pythonLockfileAnalyzer = lockfileAnalyzer("python-lockfile", 1, lockfileParser);
