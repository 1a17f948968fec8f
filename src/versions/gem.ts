/**
 * RubyGems versions, ordered as Gem::Version orders them, and requirements as
 * Gem::Requirement reads them (`>= 1.0, < 2`, `~> 2.1`, `!= 1.3`, `= 1.0`).
 *
 * Why our own: @renovatebot/ruby-semver orders versions and reads comma lists
 * as RubyGems does (no disagreement on ~50,000 advisory-derived checks), but it
 * answers `false` for a requirement or version it cannot read instead of
 * failing (for a scanner, a silent "not affected"), has no `||`, and its
 * current major wants Node 22. The tests compare every verdict here with the
 * `ruby` on the machine (Gem::Version#<=>, Gem::Version.correct?,
 * Gem::Requirement#satisfied_by?).
 *
 * Versions, in short:
 * - valid when Gem::Version's pattern matches: digits, then `.`-separated runs
 *   of letters and digits, then optionally `-` and `.`/`-`-separated runs
 *   (`1.0`, `1.0.rc1`, `2.0.0-beta.2`); surrounding whitespace is ignored and
 *   an empty or blank string is version 0, exactly as RubyGems does;
 * - `-` reads as `.pre.`, so `1.0-rc1` = `1.0.pre.rc1`;
 * - segments are runs of digits (integers of any size) or of letters
 *   (compared case-sensitively, byte by byte, as Ruby does);
 * - a letter segment makes a prerelease: `1.0.a` < `1.0`; letters sort before
 *   numbers at the same position;
 * - trailing zeros are ignored, both in the release part and in the
 *   prerelease part: `1.0` = `1`, `1.0.0.a.0` = `1.a`.
 *
 * Requirements: operators `=` (the default), `!=`, `>`, `<`, `>=`, `<=` and
 * `~>` (pessimistic: `~> 2.1` is `>= 2.1, < 3`; `~> 2.1.3` is
 * `>= 2.1.3, < 2.2`; a prerelease version is judged by its release part against
 * the upper bound, so `3.0.a` is not `~> 2.1`). Requirements joined by commas
 * must all hold, as in a gemspec. Advisory databases list alternatives
 * (ruby-advisory-db's patched_versions is a list of such strings, any of which
 * may hold); we read them joined by `||`: `~> 5.2.8 || ~> 6.1.7, >= 6.1.7.1`.
 * Gem::Requirement itself takes neither commas nor `||` inside one string.
 */
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";

type Segment = number | bigint | string;

interface GemVersion {
  /** Segments with trailing zeros dropped from the release and prerelease parts (Gem's canonical_segments). */
  readonly canonical: readonly Segment[];
  /** The numeric segments before the first letter segment, as written. */
  readonly release: readonly Segment[];
}

type Op = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~>";
interface Requirement {
  readonly op: Op;
  readonly version: GemVersion;
  /** For `~>`: the canonical segments of the bumped version the release must stay below. */
  readonly below: readonly Segment[] | null;
}

const CACHE_LIMIT = 4096;
const parsedVersions = new Map<string, GemVersion>();
const parsedRanges = new Map<string, Requirement[][]>();

/** Caches `value`; a full cache starts over, which is cheaper than evicting one by one. */
function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAlnum = (c: number) => isDigit(c) || isLetter(c);
const isAlnumOrHyphen = (c: number) => isAlnum(c) || c === 0x2d;
// Ruby's \s: space, \t, \n, \v, \f, \r.
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Scans Gem::Version's VERSION_PATTERN from `at`; returns where it stops, or
 * the negated offset of the first character that breaks it.
 */
function scanVersion(text: string, at: number, end: number): number {
  if (at >= end || !isDigit(text.charCodeAt(at))) return -at - 1;
  while (at < end && isDigit(text.charCodeAt(at))) at++;
  while (at < end && text.charCodeAt(at) === 0x2e /* . */) {
    at++;
    if (at >= end || !isAlnum(text.charCodeAt(at))) return -at - 1;
    while (at < end && isAlnum(text.charCodeAt(at))) at++;
  }
  if (at < end && text.charCodeAt(at) === 0x2d /* - */) {
    at++;
    for (;;) {
      if (at >= end || !isAlnumOrHyphen(text.charCodeAt(at))) return -at - 1;
      while (at < end && isAlnumOrHyphen(text.charCodeAt(at))) at++;
      if (at < end && text.charCodeAt(at) === 0x2e) at++;
      else break;
    }
  }
  return at;
}

/** The digits text[from, to) as a number, or a bigint past 15 digits. */
function integer(text: string, from: number, to: number): number | bigint {
  if (to - from > 15) return BigInt(text.slice(from, to));
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

function withoutTrailingZeros(segments: readonly Segment[], from: number, to: number): Segment[] {
  while (to > from && (segments[to - 1] === 0 || segments[to - 1] === 0n)) to--;
  return segments.slice(from, to);
}

/** Reads an already checked version from `start` to `end` (no surrounding space). */
function build(text: string, start: number, end: number): GemVersion {
  const segments: Segment[] = [];
  let firstWord = -1;
  let at = start;
  while (at < end) {
    const c = text.charCodeAt(at);
    let stop = at + 1;
    if (isDigit(c)) {
      while (stop < end && isDigit(text.charCodeAt(stop))) stop++;
      segments.push(integer(text, at, stop));
    } else if (isLetter(c)) {
      while (stop < end && isLetter(text.charCodeAt(stop))) stop++;
      if (firstWord < 0) firstWord = segments.length;
      segments.push(text.slice(at, stop));
    } else if (c === 0x2d) {
      // `-` reads as `.pre.`
      if (firstWord < 0) firstWord = segments.length;
      segments.push("pre");
    }
    at = stop;
  }
  if (firstWord < 0) firstWord = segments.length;
  const release = segments.slice(0, firstWord);
  const canonical = withoutTrailingZeros(segments, 0, firstWord).concat(withoutTrailingZeros(segments, firstWord, segments.length));
  return { canonical, release };
}

const ZERO: GemVersion = { canonical: [], release: [0] };

function parse(version: string): GemVersion {
  const known = parsedVersions.get(version);
  if (known !== undefined) return known;
  let start = 0;
  let end = version.length;
  while (start < end && isSpace(version.charCodeAt(start))) start++;
  while (end > start && isSpace(version.charCodeAt(end - 1))) end--;
  if (start === end) return remember(parsedVersions, version, ZERO);
  const stop = scanVersion(version, start, end);
  if (stop !== end) {
    let at = stop < 0 ? -stop - 1 : stop;
    if (stop >= 0) while (isSpace(version.charCodeAt(at))) at++;
    const reason = at < end ? `unexpected ${JSON.stringify(version[at])}` : "the version ends too soon";
    throw new InvalidVersionError("gem", version, `${reason} at offset ${at}`);
  }
  return remember(parsedVersions, version, build(version, start, end));
}

function compareSegments(a: readonly Segment[], b: readonly Segment[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i] ?? 0;
    const right = b[i] ?? 0;
    const leftWord = typeof left === "string";
    const rightWord = typeof right === "string";
    if (leftWord !== rightWord) return leftWord ? -1 : 1;
    if (left < right) return -1;
    if (left > right) return 1;
  }
  return 0;
}

/** Gem::Version#bump: drop letter segments and the last number, then add one to the new last number. */
function bump(version: GemVersion): Segment[] {
  const segments = version.release.slice(0, Math.max(1, version.release.length - 1));
  const last = segments[segments.length - 1] as number | bigint;
  segments[segments.length - 1] = typeof last === "bigint" ? last + 1n : Number.isSafeInteger(last + 1) ? last + 1 : BigInt(last) + 1n;
  return segments;
}

function holds(requirement: Requirement, version: GemVersion): boolean {
  const order = compareSegments(version.canonical, requirement.version.canonical);
  switch (requirement.op) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case ">":
      return order > 0;
    case "<":
      return order < 0;
    case ">=":
      return order >= 0;
    case "<=":
      return order <= 0;
    case "~>":
      return order >= 0 && compareSegments(withoutTrailingZeros(version.release, 0, version.release.length), requirement.below!) < 0;
  }
}

const OPERATOR = /(~>|!=|>=|<=|=|>|<)?/y;

function parseRequirement(range: string, start: number, end: number): Requirement {
  let at = start;
  while (at < end && isSpace(range.charCodeAt(at))) at++;
  OPERATOR.lastIndex = at;
  const op = (OPERATOR.exec(range)?.[1] ?? "=") as Op;
  at = OPERATOR.lastIndex;
  while (at < end && isSpace(range.charCodeAt(at))) at++;
  const versionStart = at;
  const stop = scanVersion(range, at, end);
  at = stop < 0 ? -stop - 1 : stop;
  if (stop >= 0) while (at < end && isSpace(range.charCodeAt(at))) at++;
  if (stop < 0 || at !== end) {
    const found = at < end ? JSON.stringify(range[at]) : null;
    const reason =
      at === versionStart
        ? `expected a version${found === null ? "" : ` but found ${found}`}`
        : found === null
          ? "the version ends too soon"
          : `unexpected ${found}`;
    throw new InvalidRangeError("gem", range, `${reason} at offset ${at}`);
  }
  const version = build(range, versionStart, stop);
  return { op, version, below: op === "~>" ? bump(version) : null };
}

function parseRange(range: string): Requirement[][] {
  const known = parsedRanges.get(range);
  if (known !== undefined) return known;
  const alternatives: Requirement[][] = [];
  let start = 0;
  for (;;) {
    const bar = range.indexOf("||", start);
    const end = bar < 0 ? range.length : bar;
    const requirements: Requirement[] = [];
    let from = start;
    for (;;) {
      const comma = range.indexOf(",", from);
      const to = comma < 0 || comma > end ? end : comma;
      requirements.push(parseRequirement(range, from, to));
      if (to === end) break;
      from = to + 1;
    }
    alternatives.push(requirements);
    if (bar < 0) break;
    start = bar + 2;
  }
  return remember(parsedRanges, range, alternatives);
}

export const gem: VersionScheme = {
  name: "gem",
  valid(version) {
    try {
      parse(version);
      return true;
    } catch {
      return false;
    }
  },
  compare(a, b) {
    return compareSegments(parse(a).canonical, parse(b).canonical);
  },
  satisfies(version, range) {
    const parsed = parse(version);
    return parseRange(range).some((requirements) => requirements.every((requirement) => holds(requirement, parsed)));
  },
};
