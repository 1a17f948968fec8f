/**
 * Go module versions, ordered as golang.org/x/mod/semver orders them, and the
 * Go release names that the Go vulnerability database files under "stdlib".
 *
 * Written here rather than on npm's `semver` package, because the rules
 * differ: x/mod/semver accepts the shorthands `v1` and `v1.2` (= v1.0.0 and
 * v1.2.0), compares numbers of any length (npm's parser refuses anything past
 * 2^53) and has no loose forms (npm's loose mode reads `1.2.3beta`).
 *
 * Spellings read as the same version:
 *   v1.2.3, 1.2.3        OSV's Go data writes versions without the "v"
 *   v1, v1.2             x/mod/semver shorthands for v1.0.0, v1.2.0
 *   go1.21.3, go1.21     Go releases, normalised as the Go vulnerability
 *   go1.22rc2, go1       database does: v1.21.3, v1.21.0, v1.22.0-rc.2, v1.0.0
 *
 * Build metadata (`+incompatible`) does not take part in the order.
 * Pseudo-versions need no special case: `v0.0.0-20191109021931-daa7c04131f5`
 * and `v1.2.4-0.20191109021931-daa7c04131f5` are prereleases (of v0.0.0 and
 * v1.2.4), and their timestamp identifiers order them by commit time.
 *
 * Ranges are comparator lists (see comparator-range.ts), e.g.
 * `>= 1.21.0-0, < 1.21.3 || >= 1.22.0-0, < 1.22.1`.
 */
import { parseComparatorRange, satisfiesComparators } from "./comparator-range.js";
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";
import { memo } from "./memo.js";

interface GoVersion {
  /** Decimal digit strings without leading zeros, so any length compares exactly. */
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Prerelease identifiers; empty for a release. */
  readonly prerelease: readonly string[];
  /** Whether each prerelease identifier is numeric (numbers order below words). */
  readonly numeric: readonly boolean[];
}

const GO_RELEASE = /^go(?:1|(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:(beta|rc)(0|[1-9][0-9]*))?)$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const NUMBER = /^[0-9]+$/;

/** A version, or why the string is none. */
const lookUp = memo(read);
/** True, or why the range is none. */
const rangeCheck = memo(checkRange);

export const go: VersionScheme = {
  name: "go",
  valid(version) {
    return typeof lookUp(version) !== "string";
  },
  compare(a, b) {
    return compareVersions(parse(a), parse(b));
  },
  satisfies(version, range) {
    parse(version);
    const checked = rangeCheck(range);
    if (checked !== true) throw new InvalidRangeError("go", range, checked);
    return satisfiesComparators(go, version, range);
  },
};

function parse(version: string): GoVersion {
  const parsed = lookUp(version);
  if (typeof parsed === "string") throw new InvalidVersionError("go", version, parsed);
  return parsed;
}


/** A version, or why `text` is none. */
function read(text: string): GoVersion | string {
  if (text === "") return "empty";
  if (text.startsWith("go")) {
    const m = GO_RELEASE.exec(text);
    if (m === null) return "not a Go release name (go1.21.3, go1.21, go1.22rc2)";
    const [, major = "1", minor = "0", patch = "0", stage, number] = m;
    return stage === undefined ? goVersion(major, minor, patch, []) : goVersion(major, minor, patch, [stage, number!]);
  }
  return readSemver(text, text.startsWith("v") ? 1 : 0);
}

function readSemver(text: string, start: number): GoVersion | string {
  const numbers: string[] = [];
  let at = start;
  for (;;) {
    const end = digitsEnd(text, at);
    if (end === at) return at === text.length ? `expected a number at the end` : `expected a number at offset ${at}`;
    if (end - at > 1 && text[at] === "0") return `leading zero in ${text.slice(at, end)}`;
    numbers.push(text.slice(at, end));
    at = end;
    if (numbers.length === 3 || text[at] !== ".") break;
    at++;
  }
  const [major, minor = "0", patch = "0"] = numbers as [string, ...string[]];
  if (at === text.length) return goVersion(major, minor, patch, []);
  if (numbers.length < 3 && (text[at] === "-" || text[at] === "+")) {
    return `a prerelease or build needs all three numbers (v${numbers.join(".")}${".0".repeat(3 - numbers.length)}${text.slice(at)})`;
  }
  let prerelease: string[] = [];
  if (text[at] === "-") {
    const plus = text.indexOf("+", at);
    const end = plus < 0 ? text.length : plus;
    prerelease = text.slice(at + 1, end).split(".");
    const bad = badIdentifiers(prerelease, true);
    if (bad !== undefined) return `prerelease ${bad}`;
    at = end;
  }
  if (text[at] === "+") {
    const bad = badIdentifiers(text.slice(at + 1).split("."), false);
    if (bad !== undefined) return `build metadata ${bad}`;
    at = text.length;
  }
  if (at < text.length) return `unexpected ${JSON.stringify(text[at])} at offset ${at}`;
  return goVersion(major, minor, patch, prerelease);
}

function goVersion(major: string, minor: string, patch: string, prerelease: string[]): GoVersion {
  return { major, minor, patch, prerelease, numeric: prerelease.map((id) => NUMBER.test(id)) };
}

function digitsEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end;
}

/** What is wrong with dot-separated identifiers, if anything. */
function badIdentifiers(identifiers: readonly string[], noLeadingZeros: boolean): string | undefined {
  for (const id of identifiers) {
    if (id === "") return "has an empty identifier";
    if (!IDENTIFIER.test(id)) return `identifier ${JSON.stringify(id)} has a character other than [0-9A-Za-z-]`;
    if (noLeadingZeros && id.length > 1 && id[0] === "0" && NUMBER.test(id)) return `identifier ${id} has a leading zero`;
  }
  return undefined;
}

function compareVersions(a: GoVersion, b: GoVersion): number {
  return compareNumbers(a.major, b.major) || compareNumbers(a.minor, b.minor) || compareNumbers(a.patch, b.patch) || comparePrereleases(a, b);
}

function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semver 2.0: a release above its prereleases; numbers below words; a longer list above its prefix. */
function comparePrereleases(a: GoVersion, b: GoVersion): number {
  const x = a.prerelease;
  const y = b.prerelease;
  if (x.length === 0 || y.length === 0) return x.length === y.length ? 0 : x.length === 0 ? 1 : -1;
  const shared = Math.min(x.length, y.length);
  for (let i = 0; i < shared; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pNumeric = a.numeric[i]!;
    if (pNumeric !== b.numeric[i]) return pNumeric ? -1 : 1;
    return pNumeric ? compareNumbers(p, q) : p < q ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/**
 * True when every bound of `range` is a version, or what is wrong: a bad
 * bound is the range's fault, found even where matching would not reach it.
 */
function checkRange(range: string): true | string {
  let bounds: string[];
  try {
    bounds = parseComparatorRange("go", range).flatMap((comparators) => comparators.map(({ version }) => version));
  } catch (err) {
    if (err instanceof InvalidRangeError) return err.reason;
    throw err;
  }
  for (const version of bounds) {
    const parsed = lookUp(version);
    if (typeof parsed === "string") return `bound ${JSON.stringify(version)}: ${parsed}`;
  }
  return true;
}
