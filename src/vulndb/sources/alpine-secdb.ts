/**
 * Alpine's secdb: for each origin package, `secfixes` maps the apk version
 * that fixed something to the ids it fixed; the key "0" lists ids that never
 * affected the package. Read in both shapes: the published branch file
 * (`{distroversion, reponame, packages: [{pkg: {name, secfixes}}]}`) and the
 * one-package file (`{name, secfixes, distroversion, reponame}`).
 *
 * One advisory per id (CVE-, ALPINE-, GHSA-, XSA-), with one affected entry
 * per package: ecosystem "Alpine:v3.20" from distroversion, state "fixed" at
 * the key's version, or "not-affected" under "0".
 *
 * An entry is sometimes more than one id ("CVE-2021-1234 CVE-2021-5678") or
 * carries a remark: every id-shaped word is taken, and the other words are
 * named in a warning.
 */
import type { JsonPath } from "../../common/index.js";
import type { Advisory, Affected, ParsedFeed } from "../model.js";
import { FeedWarnings, isObject, kindOf, shown } from "./warnings.js";

/** A branch's main.json is about a megabyte; community's a few. */
export const MAX_SECDB_CHARS = 64 * 1024 * 1024;

const ADVISORY_ID = /^(CVE-\d{4}-\d{4,}|ALPINE-\d+|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|XSA-\d+)$/i;
/** An apk version as secfixes keys write them: "1.2.12-r2", "8.9.1-r0", "2.9.14_p1-r0". */
const APK_VERSION = /^\d[\w.+~-]*$/;
const BRANCH = /^(v\d+\.\d+|edge)$/;

/** Ids as their issuers spell them: "CVE-2021-1234", "GHSA-xxxx-xxxx-xxxx". */
function canonicalId(word: string): string {
  return /^ghsa-/i.test(word) ? `GHSA-${word.slice(5).toLowerCase()}` : word.toUpperCase();
}

interface PackageFixes {
  name: string;
  secfixes: Record<string, unknown>;
  /** The JSON path of `secfixes`. */
  at: JsonPath;
}

/** The packages of either shape, each with its secfixes; a package that cannot be read is skipped with a warning. */
function packagesOf(doc: Record<string, unknown>, w: FeedWarnings): PackageFixes[] | undefined {
  const out: PackageFixes[] = [];
  const take = (name: unknown, secfixes: unknown, at: JsonPath) => {
    if (typeof name !== "string" || name.trim() === "") return w.skipped([...at, "name"], `expected a package name, got ${kindOf(name)}`);
    // A package without secfixes has nothing to say.
    if (secfixes === undefined || secfixes === null) return;
    if (!isObject(secfixes)) return w.skipped([...at, "secfixes"], `expected an object of fixed versions, got ${kindOf(secfixes)}`);
    out.push({ name, secfixes, at: [...at, "secfixes"] });
  };
  if (Array.isArray(doc.packages)) {
    doc.packages.forEach((entry: unknown, i) => {
      if (isObject(entry) && isObject(entry.pkg)) take(entry.pkg.name, entry.pkg.secfixes, ["packages", i, "pkg"]);
      else w.skipped(["packages", i, "pkg"], `expected an object, got ${kindOf(isObject(entry) ? entry.pkg : entry)}`);
    });
    return out;
  }
  if ("name" in doc || "secfixes" in doc) {
    take(doc.name, doc.secfixes, []);
    return out;
  }
  w.skipped([], "expected packages[] (a branch file) or name and secfixes (a package file)");
  return undefined;
}

/** `maxChars` lowers the size limit (for tests). */
export function parseAlpineSecdb(text: string, file: string, { maxChars = MAX_SECDB_CHARS }: { maxChars?: number } = {}): ParsedFeed {
  const w = new FeedWarnings(file);
  const byId = new Map<string, Advisory>();
  const done = (): ParsedFeed => ({ advisories: [...byId.values()], warnings: w.lines });
  if (text.length > maxChars) {
    w.skipped(undefined, `${text.length} characters is more than a secdb file may hold (${maxChars})`);
    return done();
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    w.skipped(undefined, `not valid JSON (${(err as Error).message})`);
    return done();
  }
  if (!isObject(doc)) {
    w.skipped([], `expected an object, got ${kindOf(doc)}`);
    return done();
  }
  const branch = doc.distroversion;
  if (typeof branch !== "string" || !BRANCH.test(branch)) {
    w.skipped(["distroversion"], `expected a branch such as "v3.20", got ${shown(branch)}`);
    return done();
  }
  const ecosystem = `Alpine:${branch}`;
  for (const { name, secfixes, at } of packagesOf(doc, w) ?? []) {
    for (const version in secfixes) {
      const ids = secfixes[version];
      if (version !== "0" && !APK_VERSION.test(version)) {
        w.skipped([...at, version], "not an apk version");
        continue;
      }
      if (!Array.isArray(ids)) {
        w.skipped([...at, version], `expected a list of ids, got ${kindOf(ids)}`);
        continue;
      }
      ids.forEach((entry: unknown, i) => {
        if (typeof entry !== "string") return w.ignored([...at, version, i], `expected an id, got ${kindOf(entry)}`);
        const words = entry.split(/[\s,;]+/).filter((word) => word !== "");
        const found = words.filter((word) => ADVISORY_ID.test(word));
        if (found.length === 0) return w.ignored([...at, version, i], `no advisory id in ${shown(entry)}`);
        if (found.length < words.length) {
          const rest = words.filter((word) => !ADVISORY_ID.test(word)).join(" ");
          w.ignored([...at, version, i], `${shown(rest)} beside ${found.join(", ")} is no advisory id`);
        }
        for (const id of found.map(canonicalId)) {
          let advisory = byId.get(id);
          if (!advisory) {
            advisory = { id, aliases: [], source: "alpine-secdb", severities: [], cwes: [], references: [], affected: [] };
            byId.set(id, advisory);
          }
          const row: Affected =
            version === "0"
              ? { ecosystem, package: name, ranges: [], versions: [], state: "not-affected" }
              : { ecosystem, package: name, ranges: [], versions: [], state: "fixed", fixedVersion: version };
          // The same id twice under one version is one row.
          if (!advisory.affected.some((a) => a.package === name && a.state === row.state && a.fixedVersion === row.fixedVersion)) advisory.affected.push(row);
        }
      });
    }
  }
  return done();
}
