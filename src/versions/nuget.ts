/**
 * NuGet package versions, ordered as the NuGet client orders them
 * (NuGet.Versioning's NuGetVersion and VersionComparer.Default), and NuGet
 * version ranges as package references and advisories write them.
 *
 * Versions, in short (NuGet's SemVer 2.0.0 rules plus its legacy forms):
 * - one to four numbers joined by dots, missing ones are zero: `1` = `1.0` =
 *   `1.0.0` = `1.0.0.0`; leading zeros are allowed and ignored (`1.01` = `1.1`);
 *   each number fits a 32-bit signed integer (at most 2147483647);
 * - an optional prerelease after `-`: dot-separated labels of ASCII letters,
 *   digits and hyphens, none empty, no all-digit label with a leading zero
 *   (`1.0.0-beta.01` is invalid); a prerelease sorts below its release;
 * - labels compare one by one: two numeric labels by value, a numeric label
 *   below a text one, text labels ordinally ignoring case (`-BETA` = `-beta`);
 *   with all labels equal, fewer labels sort first (`-beta` < `-beta.1`). As
 *   in the NuGet client, a label is numeric when it reads as a 32-bit signed
 *   integer, so `-1` inside a prerelease (`1.0.0-rc.-1`) is minus one and a
 *   number past 2147483647 is compared as text;
 * - build metadata after `+` (dot-separated, same characters, leading zeros
 *   allowed) is checked and then ignored: `1.0.7+r3456` = `1.0.7`;
 * - surrounding spaces, tabs and line breaks are ignored. NuGet reads the
 *   numbers with .NET's integer parser, which also lets a sign or spaces sit
 *   inside a number (`1. 2`, `1.+2`); we refuse those, as no published
 *   package has them.
 *
 * Ranges (satisfies), chosen by the first character of the trimmed text:
 * - `[` or `(`: NuGet's interval notation, one interval as NuGet reads it:
 *   `[1.0,2.0)`, `(,1.0]`, `(1.0,)`, `[1.0]` (exactly 1.0), whitespace around
 *   bounds allowed. Like NuGet we refuse `(1.0)`, `[1.0)`, a lower bound
 *   above the upper one and `(1.0,1.0]`; unlike NuGet we also refuse an
 *   interval without any bound written (`( , )`), which NuGet reads as every
 *   version. Prereleases are compared like any version (`2.0.0-beta` is in
 *   `[1.0,2.0)`), as NuGet's VersionRange.Satisfies does.
 * - a bare version: NuGet's meaning, the minimum inclusive (`1.0` is x ≥ 1.0);
 * - anything else: the comparator language of comparator-range.ts, for
 *   advisory data written as comparators: `>= 1.0, < 2.0 || = 3.1` (`=` is
 *   exact there). Unions of intervals (`[1,2) || [3,4)`) are not read.
 * Floating versions (`1.0.*`, `*`) pick a version to install; they are no
 * range of affected versions, and are refused.
 */
import { orderHolds, parseComparatorRange, type Op } from "./comparator-range.js";
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";

interface Label {
  /** The label's value when it reads as a 32-bit signed integer, else null. */
  readonly number: number | null;
  /** Upper-cased, for ordinal comparison ignoring case (ASCII only can occur). */
  readonly text: string;
}

interface NuGetVersion {
  readonly numbers: readonly [number, number, number, number];
  /** Null for a release. */
  readonly labels: readonly Label[] | null;
}

interface Bound {
  readonly op: Op;
  readonly version: NuGetVersion;
}

const INT32_MAX = 2147483647;
const CACHE_LIMIT = 4096;
const parsedVersions = new Map<string, NuGetVersion>();
const parsedRanges = new Map<string, Bound[][]>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isLabelChar = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const NUMERIC_LABEL = /^-?\d+$/;
const ALL_DIGITS = /^\d+$/;

/** Thrown inside the parsers with the offset of the trouble; the scheme turns it into the right error. */
class Unreadable extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {
    super(reason);
  }
}

function trimmedBounds(text: string, from: number, to: number): [number, number] {
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  return [from, to];
}

/** Checks dot-separated parts text[from, to); returns them. */
function parts(text: string, from: number, to: number, what: string, leadingZeros: boolean): string[] {
  const out: string[] = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i < to && text.charCodeAt(i) !== 0x2e) {
      if (!isLabelChar(text.charCodeAt(i))) throw new Unreadable(`${JSON.stringify(text[i])} cannot stand in ${what}`, i);
      continue;
    }
    const part = text.slice(start, i);
    if (part === "") throw new Unreadable(`empty ${what} part`, i);
    if (!leadingZeros && part.length > 1 && part[0] === "0" && ALL_DIGITS.test(part)) {
      throw new Unreadable(`numeric ${what} part ${JSON.stringify(part)} has a leading zero`, start);
    }
    out.push(part);
    start = i + 1;
  }
  return out;
}

function label(part: string): Label {
  const value = NUMERIC_LABEL.test(part) ? Number(part) : NaN;
  const number = value >= -INT32_MAX - 1 && value <= INT32_MAX ? value || 0 : null;
  return { number, text: part.toUpperCase() };
}

/** Reads the version in text[from, to), surrounding whitespace allowed; throws Unreadable. */
function read(text: string, from: number, to: number): NuGetVersion {
  [from, to] = trimmedBounds(text, from, to);
  if (from === to) throw new Unreadable("expected a version", from);
  let end = from;
  while (end < to && text[end] !== "-" && text[end] !== "+") end++;

  const numbers: [number, number, number, number] = [0, 0, 0, 0];
  let count = 0;
  let start = from;
  for (let i = from; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 0x2e) {
      if (!isDigit(text.charCodeAt(i))) throw new Unreadable(`${JSON.stringify(text[i])} cannot stand in a version number`, i);
      continue;
    }
    if (i === start) throw new Unreadable("expected a number", i);
    if (count === 4) throw new Unreadable("more than four numbers", start);
    const value = Number(text.slice(start, i));
    if (value > INT32_MAX) throw new Unreadable(`${text.slice(start, i)} is above 2147483647`, start);
    numbers[count++] = value;
    start = i + 1;
  }

  let labels: Label[] | null = null;
  let plus = end;
  if (text[end] === "-") {
    plus = text.indexOf("+", end + 1);
    if (plus < 0 || plus > to) plus = to;
    if (plus === end + 1) throw new Unreadable("empty prerelease", plus);
    labels = parts(text, end + 1, plus, "a prerelease", false).map(label);
  }
  if (plus < to) {
    if (plus + 1 === to) throw new Unreadable("empty build metadata", to);
    parts(text, plus + 1, to, "build metadata", true);
  }
  return { numbers, labels };
}

function parse(version: string): NuGetVersion {
  const known = parsedVersions.get(version);
  if (known !== undefined) return known;
  try {
    return remember(parsedVersions, version, read(version, 0, version.length));
  } catch (err) {
    if (err instanceof Unreadable) throw new InvalidVersionError("nuget", version, `${err.reason} at offset ${err.at}`);
    throw err;
  }
}

function compareLabels(a: readonly Label[], b: readonly Label[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i]!;
    const right = b[i]!;
    if (left.number !== null && right.number !== null) {
      if (left.number !== right.number) return left.number < right.number ? -1 : 1;
    } else if (left.number !== null || right.number !== null) {
      return left.number !== null ? -1 : 1;
    } else if (left.text !== right.text) {
      return left.text < right.text ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    if (a.numbers[i] !== b.numbers[i]) return a.numbers[i]! < b.numbers[i]! ? -1 : 1;
  }
  if (a.labels === null || b.labels === null) return a.labels === b.labels ? 0 : a.labels === null ? 1 : -1;
  return compareLabels(a.labels, b.labels);
}

// ---------------------------------------------------------------------------
// Ranges.

/** One NuGet interval, text[from, to) already trimmed and starting with [ or (. */
function readInterval(text: string, from: number, to: number): Bound[] {
  const close = text[to - 1];
  if (to - from < 2 || (close !== "]" && close !== ")")) throw new Unreadable("expected ']' or ')' to close the range", to);
  const minInclusive = text[from] === "[";
  const maxInclusive = close === "]";
  const comma = text.indexOf(",", from + 1);
  const inner = comma < 0 || comma >= to - 1 ? -1 : comma;
  if (inner >= 0) {
    const second = text.indexOf(",", inner + 1);
    if (second >= 0 && second < to - 1) throw new Unreadable("a range has at most one comma", second);
  }
  const bound = (start: number, end: number) => {
    const [s, e] = trimmedBounds(text, start, end);
    return s === e ? null : { at: s, version: read(text, s, e) };
  };
  if (inner < 0) {
    if (!minInclusive || !maxInclusive) throw new Unreadable("a single version must be written [version]", from);
    const exact = bound(from + 1, to - 1);
    if (exact === null) throw new Unreadable("expected a version", from + 1);
    return [{ op: "=", version: exact.version }];
  }
  const min = bound(from + 1, inner);
  const max = bound(inner + 1, to - 1);
  if (min === null && max === null) throw new Unreadable("a range needs a lower or an upper bound", from);
  if (min !== null && max !== null) {
    const order = compareVersions(min.version, max.version);
    if (order > 0) throw new Unreadable("the lower bound is above the upper bound", from);
    if (order === 0 && minInclusive !== maxInclusive) throw new Unreadable("a bound cannot be both in and out of the range", from);
  }
  const bounds: Bound[] = [];
  if (min !== null) bounds.push({ op: minInclusive ? ">=" : ">", version: min.version });
  if (max !== null) bounds.push({ op: maxInclusive ? "<=" : "<", version: max.version });
  return bounds;
}

function readRange(range: string): Bound[][] {
  const [from, to] = trimmedBounds(range, 0, range.length);
  if (from === to) throw new Unreadable("empty", from);
  const star = range.indexOf("*");
  if (star >= 0) throw new Unreadable("floating versions (with '*') choose what to install; they are no range", star);
  if (range[from] === "[" || range[from] === "(") {
    const bars = range.indexOf("||", from);
    if (bars >= 0) throw new Unreadable("a NuGet range is one interval; unions with '||' are not read", bars);
    return [readInterval(range, from, to)];
  }
  try {
    return [[{ op: ">=", version: read(range, from, to) }]];
  } catch (err) {
    if (!(err instanceof Unreadable)) throw err;
  }
  let offset = 0;
  return parseComparatorRange("nuget", range).map((alternative) =>
    alternative.map(({ op, version }) => {
      const at = range.indexOf(version, offset);
      offset = at + version.length;
      return { op, version: read(range, at, offset) };
    }),
  );
}

function parseRange(range: string): Bound[][] {
  const known = parsedRanges.get(range);
  if (known !== undefined) return known;
  try {
    return remember(parsedRanges, range, readRange(range));
  } catch (err) {
    if (err instanceof Unreadable) throw new InvalidRangeError("nuget", range, `${err.reason} at offset ${err.at}`);
    throw err;
  }
}

function holds({ op, version: bound }: Bound, version: NuGetVersion): boolean {
  return orderHolds(op, compareVersions(version, bound));
}

export const nuget: VersionScheme = {
  name: "nuget",
  valid(version) {
    try {
      parse(version);
      return true;
    } catch {
      return false;
    }
  },
  compare(a, b) {
    return compareVersions(parse(a), parse(b));
  },
  satisfies(version, range) {
    const parsed = parse(version);
    return parseRange(range).some((bounds) => bounds.every((bound) => holds(bound, parsed)));
  },
};
