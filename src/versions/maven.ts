/**
 * Maven versions, ordered as Maven 3.8's ComparableVersion orders them, and
 * Maven version ranges as VersionRange.createFromVersionSpec reads them.
 *
 * Why our own: npm has no maintained, faithful implementation. `mvncmp` (one
 * release, no ranges) ports the parser as it was before Maven 3.8 nested a
 * qualifier that follows a number, and disagrees with Maven 3.8.7 on about one
 * generated pair in eight; Renovate keeps its Maven scheme inside Renovate.
 * The tests compare every verdict here with Maven's own classes from Debian's
 * libmaven3-core-java (3.8.7).
 *
 * Ordering, in short:
 * - the lower-cased version splits into items at `.` and `-` and where digits
 *   meet non-digits; `-`, every digit/letter switch and a final qualifier
 *   open a nested list, so `1-1` reads [1, [1]] and `1.0alpha1` reads
 *   [1, 0, [alpha, [1]]] before trimming;
 * - numbers compare as arbitrary-size integers; qualifiers rank
 *   alpha (a1) < beta (b1) < milestone (m1) < rc = cr < snapshot
 *   < "" = ga = final = release < sp < any other word, other words among
 *   themselves lexically (`a`, `b`, `m` mean alpha, beta, milestone only when
 *   a digit follows at once);
 * - trailing nulls (0, "", empty lists) are dropped, so `1.0.0` = `1` and
 *   `1.0-final` = `1`; a shorter list compares as if padded with nothing;
 * - against each other: number > list > qualifier, so 1.1 > 1-1 > 1-sp.
 *
 * Maven's order is not transitive on every string, and neither is ours,
 * because we keep Maven's verdict for every pair: 1.0-sp < 1.0.alpha-SNAPSHOT
 * < 1.0 < 1.0-sp. Versions as projects usually write them do sort
 * consistently. Later Maven (MNG-7714, in 4.0 and later 3.9 releases) changed
 * how `sp` and `final` compare when another qualifier follows them; where
 * releases differ we follow 3.8.7, the Maven the tests run.
 *
 * Which strings we accept as versions: Maven itself orders any string; we take
 * non-empty printable ASCII without whitespace, without the characters Maven's
 * model validator bans in a version (`\ / : " < > | ? *`), and without the
 * range syntax `[ ] ( ) ,` — anything else is an InvalidVersionError.
 *
 * Ranges: `[1.0,2.0)`, `(,1.0]`, `[1.0,)`, `[1.2]` and unions such as
 * `[1,2),[3,4)` (any restriction may hold), with Maven's own checks: bounds in
 * order, unions in ascending non-overlapping order, a single version only as
 * `[v]`. Deliberate difference: Maven reads a bare `1.0` as a soft
 * requirement that every version satisfies; in vulnerability data a bare
 * version names the affected release, so we read it as `[1.0]` (equal in
 * Maven's order). Whitespace around the whole range is ignored.
 */
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";

/**
 * One parsed item: a number (bigint beyond 2^53), a qualifier held as its
 * comparable key (see QUALIFIER_KEY), or a nested list.
 */
type Item = number | bigint | string | Item[];

interface Restriction {
  readonly lower: Item[] | null;
  readonly lowerInclusive: boolean;
  readonly upper: Item[] | null;
  readonly upperInclusive: boolean;
}

const VERSION = /^[0-9A-Za-z.\-_+~!#$%&'=@^`{};]+$/;
const FORBIDDEN = /[^0-9A-Za-z.\-_+~!#$%&'=@^`{};]/;

/**
 * Comparable keys, ordered as plain strings: known qualifiers by rank ("5" is
 * the release, i.e. nothing), any other word after them as "7-word".
 */
const RELEASE = "5";
const QUALIFIER_KEY = new Map<string, string>([
  ["alpha", "0"],
  ["beta", "1"],
  ["milestone", "2"],
  ["rc", "3"],
  ["cr", "3"],
  ["snapshot", "4"],
  ["", RELEASE],
  ["ga", RELEASE],
  ["final", RELEASE],
  ["release", RELEASE],
  ["sp", "6"],
]);
const LETTER_BEFORE_DIGIT = new Map<string, string>([
  ["a", "alpha"],
  ["b", "beta"],
  ["m", "milestone"],
]);

const CACHE_LIMIT = 4096;
const parsedVersions = new Map<string, Item[]>();
const parsedRanges = new Map<string, Restriction[]>();

/** Caches `value`; a full cache starts over, which is cheaper than evicting one by one. */
function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function qualifier(word: string, followedByDigit: boolean): string {
  const name = followedByDigit ? (LETTER_BEFORE_DIGIT.get(word) ?? word) : word;
  return QUALIFIER_KEY.get(name) ?? `7-${name}`;
}

/** The digits text[from, to) as a number, or a bigint past 15 digits. */
function integer(text: string, from: number, to: number): number | bigint {
  if (to - from > 15) return BigInt(text.slice(from, to));
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

function item(isDigit: boolean, text: string, from: number, to: number): Item {
  return isDigit ? integer(text, from, to) : qualifier(text.slice(from, to), false);
}

function isNull(it: Item): boolean {
  if (typeof it === "string") return it === RELEASE;
  if (Array.isArray(it)) return it.length === 0;
  return it === 0 || it === 0n;
}

/** Drops trailing nulls, looking past non-null lists as Maven does (`1.0-1` becomes [1, [1]]). */
function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const it = list[i]!;
    if (isNull(it)) list.splice(i, 1);
    else if (!Array.isArray(it)) break;
  }
}

/** Opens a list inside `list` and returns it. */
function nest(list: Item[], lists: Item[][]): Item[] {
  const sub: Item[] = [];
  list.push(sub);
  lists.push(sub);
  return sub;
}

function parseItems(version: string): Item[] {
  const text = version.toLowerCase();
  const root: Item[] = [];
  // Every list opened, outermost first: they nest as a chain, so normalizing
  // them last to first does the innermost before its parent, as Maven does.
  const lists: Item[][] = [root];
  let list = root;
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e /* . */ || c === 0x2d /* - */) {
      list.push(i === start ? 0 : item(isDigit, text, start, i));
      start = i + 1;
      if (c === 0x2d) list = nest(list, lists);
    } else if (c >= 0x30 && c <= 0x39) {
      if (!isDigit && i > start) {
        if (list.length > 0) list = nest(list, lists);
        list.push(qualifier(text.slice(start, i), true));
        start = i;
        list = nest(list, lists);
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(integer(text, start, i));
        start = i;
        list = nest(list, lists);
      }
      isDigit = false;
    }
  }
  if (text.length > start) {
    if (!isDigit && list.length > 0) list = nest(list, lists);
    list.push(item(isDigit, text, start, text.length));
  }
  for (let i = lists.length - 1; i >= 0; i--) normalize(lists[i]!);
  return root;
}

function parse(version: string): Item[] {
  const known = parsedVersions.get(version);
  if (known !== undefined) return known;
  if (!VERSION.test(version)) {
    const at = version.search(FORBIDDEN);
    const reason =
      version.length === 0 ? "empty" : `${JSON.stringify(version[at])} at offset ${at} is not allowed in a Maven version`;
    throw new InvalidVersionError("maven", version, reason);
  }
  return remember(parsedVersions, version, parseItems(version));
}

/** Order of `a` against `b`, where `undefined` is the nothing a shorter list is padded with. */
function compareItems(a: Item, b: Item | undefined): number {
  if (b === undefined) {
    if (typeof a === "string") return a < RELEASE ? -1 : a > RELEASE ? 1 : 0;
    if (Array.isArray(a)) {
      for (const it of a) {
        const order = compareItems(it, undefined);
        if (order !== 0) return order;
      }
      return 0;
    }
    return a > 0 ? 1 : 0;
  }
  if (typeof a === "string") {
    if (typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    return -1;
  }
  if (Array.isArray(a)) {
    if (typeof b === "string") return 1;
    if (!Array.isArray(b)) return -1;
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) {
      const left = a[i];
      const right = b[i];
      const order = left === undefined ? -compareItems(right!, undefined) : compareItems(left, right);
      if (order !== 0) return order;
    }
    return 0;
  }
  if (typeof b === "string" || Array.isArray(b)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Java's String.trim: everything up to U+0020 counts as space.
function skipSpace(text: string, at: number, end: number): number {
  while (at < end && text.charCodeAt(at) <= 0x20) at++;
  return at;
}
function skipSpaceBack(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return end;
}

function bound(range: string, start: number, end: number): Item[] {
  const text = range.slice(start, end);
  if (!VERSION.test(text)) {
    const bad = text.search(FORBIDDEN);
    const reason = bad < 0 ? `expected a version at offset ${start}` : `${JSON.stringify(text[bad])} at offset ${start + bad} cannot stand in a version`;
    throw new InvalidRangeError("maven", range, reason);
  }
  return parse(text);
}

function parseRange(range: string): Restriction[] {
  const known = parsedRanges.get(range);
  if (known !== undefined) return known;
  const fail = (reason: string): never => {
    throw new InvalidRangeError("maven", range, reason);
  };
  const end = skipSpaceBack(range, 0, range.length);
  let at = skipSpace(range, 0, end);
  if (at === end) fail("empty");
  const first = range[at];
  if (first !== "[" && first !== "(") {
    const exact = bound(range, at, end);
    return remember(parsedRanges, range, [{ lower: exact, lowerInclusive: true, upper: exact, upperInclusive: true }]);
  }
  const restrictions: Restriction[] = [];
  let previousUpper: Item[] | null = null;
  while (at < end) {
    const opening = range[at];
    if (opening !== "[" && opening !== "(") fail(`expected '[' or '(' at offset ${at}`);
    let close = at + 1;
    while (close < end && range[close] !== "]" && range[close] !== ")") close++;
    if (close === end) fail(`the range opened at offset ${at} is not closed with ']' or ')'`);
    const lowerInclusive = opening === "[";
    const upperInclusive = range[close] === "]";
    const comma = range.indexOf(",", at + 1);
    let restriction: Restriction;
    if (comma < 0 || comma > close) {
      if (!lowerInclusive || !upperInclusive) fail(`a single version must be written [version] (offset ${at})`);
      const from = skipSpace(range, at + 1, close);
      const exact = bound(range, from, skipSpaceBack(range, from, close));
      restriction = { lower: exact, lowerInclusive: true, upper: exact, upperInclusive: true };
    } else {
      const lowerFrom = skipSpace(range, at + 1, comma);
      const lowerTo = skipSpaceBack(range, lowerFrom, comma);
      const upperFrom = skipSpace(range, comma + 1, close);
      const upperTo = skipSpaceBack(range, upperFrom, close);
      const lower = lowerFrom === lowerTo ? null : bound(range, lowerFrom, lowerTo);
      const upper = upperFrom === upperTo ? null : bound(range, upperFrom, upperTo);
      if (lower !== null && upper !== null) {
        const order = compareItems(upper, lower);
        if (order < 0 || (order === 0 && !(lowerInclusive && upperInclusive))) {
          fail(`the range at offset ${at} is empty: its upper bound is not above its lower bound`);
        }
      }
      restriction = { lower, lowerInclusive, upper, upperInclusive };
    }
    if (previousUpper !== null && (restriction.lower === null || compareItems(restriction.lower, previousUpper) < 0)) {
      fail(`the range at offset ${at} overlaps the one before it (unions must ascend)`);
    }
    restrictions.push(restriction);
    previousUpper = restriction.upper;
    at = skipSpace(range, close + 1, end);
    if (range[at] === ",") at = skipSpace(range, at + 1, end);
  }
  return remember(parsedRanges, range, restrictions);
}

function contains(restriction: Restriction, version: Item[]): boolean {
  if (restriction.lower !== null) {
    const order = compareItems(restriction.lower, version);
    if (order > 0 || (order === 0 && !restriction.lowerInclusive)) return false;
  }
  if (restriction.upper !== null) {
    const order = compareItems(restriction.upper, version);
    if (order < 0 || (order === 0 && !restriction.upperInclusive)) return false;
  }
  return true;
}

export const maven: VersionScheme = {
  name: "maven",
  valid(version) {
    if (parsedVersions.has(version)) return true;
    return VERSION.test(version);
  },
  compare(a, b) {
    return compareItems(parse(a), parse(b));
  },
  satisfies(version, range) {
    const parsed = parse(version);
    return parseRange(range).some((restriction) => contains(restriction, parsed));
  },
};
