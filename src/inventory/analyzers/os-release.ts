/**
 * Which OS an image is: os-release(5) first, then the distribution release
 * files (/etc/debian_version, /etc/alpine-release, /etc/redhat-release) that
 * add the point release or stand in when os-release is missing. Each file
 * gives a partial fact; `mergeOsFacts` combines them.
 *
 * os-release is a shell-style KEY=value file. No npm library parses its
 * quoting (single and double quotes, backslash escapes, concatenated words)
 * with line-numbered errors, so the small tokenizer here is our own.
 */
import { InputError } from "../../common/index.js";
import type { AnalysisResult, Analyzer } from "../analyzer.js";
import type { OsInfo } from "../model.js";

export type OsFact = NonNullable<AnalysisResult["os"]>;

/** Real os-release files have a dozen or two lines; more is not an os-release file. */
const MAX_LINES = 10_000;
const MAX_VALUE_LENGTH = 4096;

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The value of one assignment, with the quoting rules of os-release(5). Like
 * systemd's own reader, unquoted whitespace inside a value is kept
 * (`NAME=Foo Linux` is "Foo Linux"); the line is trimmed before.
 */
function shellWord(text: string, path: string, line: number): string {
  const fail = (detail: string): InputError => new InputError(path, `line ${line}`, detail);
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw fail("unterminated single quote");
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw fail("unterminated double quote");
        const d = text[i]!;
        if (d === '"') break;
        // Inside double quotes a backslash only escapes these characters.
        if (d === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) {
          out += text[i + 1];
          i += 2;
        } else {
          out += d;
          i++;
        }
      }
      i++;
    } else if (c === "\\") {
      if (i + 1 >= text.length) throw fail("backslash at end of line");
      out += text[i + 1];
      i += 2;
    } else {
      out += c;
      i++;
    }
    if (out.length > MAX_VALUE_LENGTH) throw fail(`value longer than ${MAX_VALUE_LENGTH} characters`);
  }
  return out;
}

/** All assignments of an os-release file, in order; a later one of the same key wins. */
function parseShellAssignments(text: string, path: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split("\n");
  if (lines.length > MAX_LINES) throw new InputError(path, undefined, `more than ${MAX_LINES} lines`);
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    const key = eq < 0 ? "" : line.slice(0, eq);
    if (!KEY.test(key)) throw new InputError(path, `line ${index + 1}`, `expected KEY=value, got "${line.slice(0, 80)}"`);
    vars.set(key, shellWord(line.slice(eq + 1), path, index + 1));
  });
  return vars;
}

/** os-release(5) text → OS fact. ID defaults to "linux" as the spec says; a missing VERSION_ID stays missing (rolling releases). */
export function parseOsRelease(text: string, path = "/etc/os-release"): OsFact {
  const vars = parseShellAssignments(text, path);
  const fact: OsFact = { from: "os-release", family: (vars.get("ID") || "linux").toLowerCase() };
  const version = vars.get("VERSION_ID");
  if (version) fact.version = version;
  const codename = vars.get("VERSION_CODENAME");
  if (codename) fact.codename = codename;
  const pretty = vars.get("PRETTY_NAME");
  if (pretty) fact.prettyName = pretty;
  return fact;
}

function firstLine(text: string, path: string): string {
  const line = (text.split("\n", 1)[0] ?? "").trim();
  if (line === "") throw new InputError(path, "line 1", "empty file");
  if (line.length > 256) throw new InputError(path, "line 1", "longer than 256 characters");
  return line;
}

/** /etc/debian_version: "12.7", or "trixie/sid" on testing and on Ubuntu. */
export function parseDebianVersion(text: string, path = "/etc/debian_version"): OsFact {
  const release = firstLine(text, path);
  const major = /^(\d+)(\.\d+)*$/.exec(release)?.[1];
  return major ? { from: "debian_version", family: "debian", version: major, release } : { from: "debian_version", family: "debian", release };
}

/** /etc/alpine-release: "3.20.3"; Alpine's own os-release VERSION_ID is the same full release. */
export function parseAlpineRelease(text: string, path = "/etc/alpine-release"): OsFact {
  const release = firstLine(text, path);
  if (!/^\d+\.\d+(\.\d+)?([._-][0-9A-Za-z]+)*$/.test(release)) {
    throw new InputError(path, "line 1", `expected a release like "3.20.3", got "${release}"`);
  }
  return { from: "alpine-release", family: "alpine", version: release, release };
}

/** Names in "<name> release <version> (<codename>)" → os-release IDs. */
const REDHAT_FAMILIES: readonly [RegExp, string][] = [
  [/^Red Hat Enterprise Linux/i, "rhel"],
  [/^CentOS Stream/i, "centos"],
  [/^CentOS/i, "centos"],
  [/^Rocky Linux/i, "rocky"],
  [/^AlmaLinux/i, "almalinux"],
  [/^Fedora/i, "fedora"],
  [/^Oracle Linux/i, "ol"],
];

/** /etc/redhat-release or /etc/centos-release: "CentOS Linux release 7.9.2009 (Core)". */
export function parseRedhatRelease(text: string, path = "/etc/redhat-release"): OsFact {
  const line = firstLine(text, path);
  const m = /^(.*?)\s+release\s+(\d+(?:\.\d+)*)\s*(?:\((.*)\))?/.exec(line);
  if (!m) throw new InputError(path, "line 1", `expected "<name> release <version> (<codename>)", got "${line}"`);
  const [, name = "", release = ""] = m;
  const family = REDHAT_FAMILIES.find(([re]) => re.test(name))?.[1];
  if (!family) throw new InputError(path, "line 1", `unknown distribution "${name}"`);
  // os-release of CentOS 7 says VERSION_ID="7"; RHEL and the rebuilds say "8.10": keep the major only for CentOS.
  const version = family === "centos" ? release.split(".")[0]! : release;
  return { from: "redhat-release", family, version, release, prettyName: line };
}

/**
 * Combine partial facts. The first os-release fact wins for family, version,
 * codename and pretty name (pass /etc/os-release before /usr/lib/os-release);
 * a release file adds `release` only when it belongs to the same family (Ubuntu
 * has a debian_version saying "trixie/sid"), and stands in for os-release when
 * there is none. Returns undefined when nothing says which OS this is.
 */
export function mergeOsFacts(facts: readonly AnalysisResult["os"][]): OsInfo | undefined {
  const present = facts.filter((f): f is OsFact => f !== undefined);
  const osRelease = present.find((f) => f.from === "os-release");
  const others = present.filter((f) => f.from !== "os-release");
  const base = osRelease ?? others.find((f) => f.family !== undefined);
  if (!base?.family) return undefined;
  const family = base.family;
  const os: OsInfo = { family, version: base.version ?? "" };
  if (base.codename) os.codename = base.codename;
  if (base.prettyName) os.prettyName = base.prettyName;
  const sameFamily = others.filter((f) => f.family === family);
  const release = sameFamily.find((f) => f.release)?.release;
  if (release) os.release = release;
  if (!os.version) {
    const version = sameFamily.find((f) => f.version)?.version;
    if (version) os.version = version;
  }
  return os;
}

const OS_RELEASE = new Set(["/etc/os-release", "/usr/lib/os-release"]);
// A Map, not an object: asked about every path of a layer, and an object lookup by a fresh string interns it first.
const RELEASE_FILES = new Map<string, (text: string, path: string) => OsFact>([
  ["/etc/debian_version", parseDebianVersion],
  ["/etc/alpine-release", parseAlpineRelease],
  ["/etc/redhat-release", parseRedhatRelease],
  ["/etc/centos-release", parseRedhatRelease],
]);

export const osReleaseAnalyzer: Analyzer = {
  name: "os-release",
  version: 1,
  wants: (path) => OS_RELEASE.has(path) || RELEASE_FILES.has(path),
  async analyze(file) {
    const text = (await file.bytes()).toString("utf8");
    const parse = OS_RELEASE.has(file.path) ? parseOsRelease : RELEASE_FILES.get(file.path);
    return parse ? { os: parse(text, file.path) } : null;
  },
};
