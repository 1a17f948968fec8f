/**
 * Composer (Packagist) versions, ordered as composer/semver orders them:
 * VersionParser::normalize, then Comparator (PHP's version_compare on the
 * normalized strings), and constraints read as VersionParser::parseConstraints
 * and decided as Semver::satisfies decides them. The tests put every case to
 * composer/semver itself (Debian's php-composer-semver, run by `php`).
 *
 * Versions, in short:
 * - `1.2.3`, `v1.2`, `1.2.3.4`: one to four numbers (the first at most five
 *   digits), padded to four with zeros, so `1.2` = `1.2.0.0`; leading zeros are
 *   kept but compared away (`1.02` = `1.2`);
 * - a stability suffix after `-`, `_`, `.` or nothing: `dev` < `alpha` (`a`) <
 *   `beta` (`b`) < `RC` < stable < `patch` (`pl`, `p`), in any case, with
 *   optional numbers (`1.0.0-beta2` = `1.0.0beta.2` = `1.0.0-b2`, `1.0-RC1`), and
 *   optionally `-dev` after it (`1.0.0-beta2-dev` < `1.0.0-beta2`);
 * - date versions (`20240101`, `2024-01-01`, `2024.01.01.1`) are kept unpadded,
 *   as Composer keeps them;
 * - build metadata (`+build`) is ignored; an alias (`1.0 as 2.0`) counts as its
 *   first version and a trailing `@dev`/`@beta`… flag is ignored;
 * - surrounding spaces, tabs, newlines, \v and \0 are ignored (PHP's trim).
 * Composer's quirks are kept on purpose, because the ranges we read come from
 * the same ecosystem: `1.0-stable` = `1.0`, but `1.0-Stable` normalizes to
 * `1.0.0.0-stable`, which PHP ranks below `dev`; numbers past 2^63 - 1 all
 * compare equal (PHP's strtol saturates).
 *
 * Branches. `dev-main`, `dev-feature/x` (and `master`, `trunk`, `default`,
 * which Composer renames `dev-master`…) are valid versions. Composer's
 * Comparator puts every branch below every numbered version and calls two
 * different branches neither equal nor ordered; a VersionScheme needs a total
 * order, so `compare` orders branches among themselves by name (code unit by
 * code unit), equal only when the names are. `satisfies` answers exactly as
 * Semver::satisfies: a branch meets only `*`, `dev-itself` / `== dev-itself`
 * and `!=` another version, never `<`, `>=`, `^`, `~`… (so a package installed
 * from a branch is never inside a numbered advisory range: the matcher must
 * treat branches as unknown, not as safe). Numbered branches (`1.x-dev`,
 * `2.1.*-dev`) are versions: `1.x-dev` = `1.9999999.9999999.9999999-dev`.
 *
 * Constraints: alternatives joined by `||` or `|`, each a list of constraints
 * joined by `,` or spaces (all must hold): `>=1.0.0,<1.2.3|>=2.0.0,<2.0.5`,
 * `^1.2 || ^2.0`, `>=1.0 <2.0`. Each constraint is one of `*` / `x`,
 * `1.0.*`, `~1.2` (>=1.2, <2.0), `~1.2.3` (>=1.2.3, <1.3), `^1.2` (>=1.2, <2.0),
 * `^0.3` (>=0.3, <0.4), `1.0 - 2.0` (>=1.0, <2.1), or an operator (`=`, `==`,
 * `!=`, `<>`, `<`, `<=`, `>`, `>=`, none meaning `=`) and a version. As in
 * Composer, `<1.2.3` and `>=1.2.3` mean `<1.2.3-dev` and `>=1.2.3-dev`, so
 * every prerelease of 1.2.3 is on the `>=` side (not `<1.2.3`); `~`, `^`, `.*`
 * and hyphen ranges take prereleases of their lower bound too.
 */
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";
import { orderHolds, type Op } from "./comparator-range.js";

// ---------------------------------------------------------------------------
// Normalizing: text → Composer's normalized string (`1.2.0.0-beta2`, `dev-main`).

/** PCRE's \s without Unicode: space, \t, \n, \v, \f, \r. */
const WS = "[ \\t\\n\\v\\f\\r]";
/** A stability suffix: separator, stability word, its numbers, then `-dev`. */
const SUFFIX = "[._-]?(?:(?<word>stable|beta|b|RC|alpha|a|patch|pl|p)(?<number>(?:[.-]?\\d+)*)?)?(?<dev>[.-]?dev)?";

const ALIAS = new RegExp(`^([^,${WS.slice(1, -1)}]+) +as +[^,${WS.slice(1, -1)}]+$`);
const STABILITY_FLAG = /@(?:stable|RC|beta|alpha|dev)$/i;
const METADATA = new RegExp(`^([^,+${WS.slice(1, -1)}]+)\\+[^${WS.slice(1, -1)}]+$`);
const CLASSIC = new RegExp(`^v?(?<major>\\d{1,5})(?<rest>(?:\\.\\d+){0,3})${SUFFIX}$`, "i");
const DATE = new RegExp(`^v?(?<date>\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${SUFFIX}$`, "i");
// Not anchored at the start: after a newline the search starts over, as in PCRE.
const DEV_BRANCH = /([^\n]*?)[.-]?dev$/i;
const NUMBERED_BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

/** Thrown inside the parser; the scheme functions turn it into the right error type. */
class Unreadable extends Error {}

/** PHP's trim(): space, \t, \n, \r, \0 and \v (not \f). */
function phpTrim(text: string): string {
  const strip = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x00 || c === 0x0b;
  let start = 0;
  let end = text.length;
  while (start < end && strip(text.charCodeAt(start))) start++;
  while (end > start && strip(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

const CAPITALS = /[A-Z]+/g;
const LEADING_SEPARATORS = /^[.-]+/;
const NON_DIGIT = /\D/g;
const LEADING_DIGITS = /^\d*/;
const BRANCH_CHARACTERS = /^[0-9a-zA-Z./-]+$/;
const WILDCARD_CHARACTER = /[xX*]/;

/** Lower case for ASCII letters only, as PHP 8's strtolower. */
function asciiLower(text: string): string {
  return text.replace(CAPITALS, (letters) => letters.toLowerCase());
}

function expandStability(word: string): string {
  const lower = asciiLower(word);
  switch (lower) {
    case "a":
      return "alpha";
    case "b":
      return "beta";
    case "p":
    case "pl":
      return "patch";
    case "rc":
      return "RC";
    default:
      return lower;
  }
}

/** Appends a matched stability suffix the way Composer writes it. */
function withSuffix(numbers: string, groups: Record<string, string | undefined>): string {
  const word = groups.word;
  let normalized = numbers;
  if (word !== undefined && word !== "") {
    if (word === "stable") return normalized;
    normalized += `-${expandStability(word)}${(groups.number ?? "").replace(LEADING_SEPARATORS, "")}`;
  }
  if (groups.dev !== undefined && groups.dev !== "") normalized += "-dev";
  return normalized;
}

/** `1.x`, `2.1.*` → `1.9999999.9999999.9999999`; null for anything else. */
function numberedBranch(name: string): string | null {
  const match = NUMBERED_BRANCH.exec(phpTrim(name));
  if (match === null) return null;
  let numbers = match[1]!;
  for (let i = 2; i <= 4; i++) numbers += (match[i] ?? ".x").replace(WILDCARD_CHARACTER, "x");
  return `${numbers.replaceAll("x", "9999999")}-dev`;
}

/** Composer's normalized form of `version`; throws Unreadable. */
function normalize(version: string): string {
  let text = phpTrim(version);
  const alias = ALIAS.exec(text);
  if (alias !== null) text = alias[1]!;
  const flag = STABILITY_FLAG.exec(text);
  if (flag !== null) text = text.slice(0, flag.index);
  if (text === "master" || text === "trunk" || text === "default") text = `dev-${text}`;
  if (asciiLower(text.slice(0, 4)) === "dev-") return `dev-${text.slice(4)}`;
  const metadata = METADATA.exec(text);
  if (metadata !== null) text = metadata[1]!;

  const classic = CLASSIC.exec(text);
  if (classic !== null) {
    const groups = classic.groups!;
    const rest = groups.rest!;
    const parts = rest === "" ? 0 : rest.split(".").length - 1;
    return withSuffix(groups.major! + rest + ".0".repeat(3 - parts), groups);
  }
  const date = DATE.exec(text);
  if (date !== null) return withSuffix(date.groups!.date!.replace(NON_DIGIT, "."), date.groups!);

  const branch = DEV_BRANCH.exec(text);
  if (branch !== null) {
    const numbered = numberedBranch(branch[1]!);
    if (numbered !== null) return numbered;
  }
  throw new Unreadable(`expected a version such as 1.2.3, v1.2.3-beta2, 20240101, 1.x-dev or dev-main`);
}

// ---------------------------------------------------------------------------
// Ordering: PHP's version_compare on normalized strings.

/**
 * One piece of a normalized version after PHP's canonicalization: a number
 * (rank 4, with its value) or a word ranked dev 0, alpha 1, beta 2, RC 3,
 * patch 5; any other word ranks -1. Ranks compare first, then numbers.
 */
interface Piece {
  readonly rank: number;
  readonly value: bigint;
}

const LONG_MAX = 9223372036854775807n;
const WORD_RANKS: readonly [string, number][] = [
  ["dev", 0],
  ["alpha", 1],
  ["a", 1],
  ["beta", 2],
  ["b", 2],
  ["RC", 3],
  ["rc", 3],
  ["#", 4],
  ["pl", 5],
  ["p", 5],
];

function wordRank(word: string): number {
  for (const [prefix, rank] of WORD_RANKS) if (word.startsWith(prefix)) return rank;
  return -1;
}

const isDigit = (c: string) => c >= "0" && c <= "9";
const isAlnum = (c: string) => isDigit(c) || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");

/** Splits as version_compare does: at `.`, `-`, `_`, `+`, other symbols, and between digits and letters. */
function pieces(normalized: string): Piece[] {
  const words: string[] = [];
  let current = normalized[0] ?? "";
  for (let i = 1; i < normalized.length; i++) {
    const c = normalized[i]!;
    const previous = normalized[i - 1]!;
    const boundary = previous !== "." && c !== "." && isDigit(previous) !== isDigit(c);
    if (c === "." || c === "-" || c === "_" || c === "+" || !isAlnum(c)) {
      if (current !== "") words.push(current);
      current = "";
    } else if (boundary) {
      if (current !== "") words.push(current);
      current = c;
    } else {
      current += c;
    }
  }
  if (current !== "") words.push(current);
  return words.map((word) => {
    if (!isDigit(word[0]!)) return { rank: wordRank(word), value: 0n };
    // PHP reads the number with strtol, which stops at the largest long.
    const value = BigInt(LEADING_DIGITS.exec(word)![0]);
    return { rank: 4, value: value > LONG_MAX ? LONG_MAX : value };
  });
}

function comparePieces(a: readonly Piece[], b: readonly Piece[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const left = a[i]!;
    const right = b[i]!;
    if (left.rank !== right.rank) return left.rank < right.rank ? -1 : 1;
    if (left.value !== right.value) return left.value < right.value ? -1 : 1;
  }
  // A version that goes on with a number is newer; one that goes on with a word
  // is newer only when the word ranks above a number (patch).
  if (a.length > length) return a[length]!.rank === 4 ? 1 : Math.sign(a[length]!.rank - 4);
  if (b.length > length) return b[length]!.rank === 4 ? -1 : Math.sign(4 - b[length]!.rank);
  return 0;
}

interface ComposerVersion {
  readonly normalized: string;
  readonly branch: boolean;
  readonly pieces: readonly Piece[];
}

const CACHE_LIMIT = 4096;
const parsedVersions = new Map<string, ComposerVersion>();
const parsedRanges = new Map<string, Constraint[][]>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function fromNormalized(normalized: string): ComposerVersion {
  const branch = normalized.startsWith("dev-");
  return { normalized, branch, pieces: branch ? [] : pieces(normalized) };
}

function parse(version: string): ComposerVersion {
  const known = parsedVersions.get(version);
  if (known !== undefined) return known;
  let normalized: string;
  try {
    normalized = normalize(version);
  } catch (err) {
    if (err instanceof Unreadable) throw new InvalidVersionError("composer", version, err.message);
    throw err;
  }
  return remember(parsedVersions, version, fromNormalized(normalized));
}

function compareVersions(a: ComposerVersion, b: ComposerVersion): number {
  if (a.branch || b.branch) {
    if (a.branch !== b.branch) return a.branch ? -1 : 1;
    return a.normalized < b.normalized ? -1 : a.normalized > b.normalized ? 1 : 0;
  }
  return comparePieces(a.pieces, b.pieces);
}

// ---------------------------------------------------------------------------
// Constraints.

type Constraint = { readonly op: Op; readonly version: ComposerVersion } | { readonly op: "*" };

/** A version inside a constraint, with its parts as named groups; `side` keeps names unique. */
function versionPattern(side = ""): string {
  const suffix = SUFFIX.replaceAll("?<", `?<${side}`);
  return (
    `v?(?<${side}n1>\\d+)(?:\\.(?<${side}n2>\\d+))?(?:\\.(?<${side}n3>\\d+))?(?:\\.(?<${side}n4>\\d+))?` +
    `(?:${suffix}|\\.(?<${side}xdev>[xX*][.-]?dev))(?:\\+[^${WS.slice(1, -1)}]+)?`
  );
}

const CONSTRAINT_FLAG = new RegExp(`^([^,${WS.slice(1, -1)}]*?)@(stable|RC|beta|alpha|dev)$`, "i");
const REFERENCE = new RegExp(`^(dev-[^,@${WS.slice(1, -1)}]+?|[^,@${WS.slice(1, -1)}]+?\\.x-dev)#[^\\n]+$`, "i");
const ANY = /^(v)?[xX*](\.[xX*])*$/i;
const TILDE = new RegExp(`^~>?${versionPattern()}$`, "i");
const CARET = new RegExp(`^\\^${versionPattern()}$`, "i");
const WILDCARD = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$/;
const HYPHEN = new RegExp(`^(?<from>${versionPattern("f")}) +- +(?<to>${versionPattern("t")})$`, "i");
const COMPARISON = new RegExp(`^(<>|!=|>=?|<=?|==?)?${WS}*([^\\n]*)`);
const SUFFIX_AT_END = new RegExp(`-${SUFFIX.replace("RC|", "")}$`);
const BAR = new RegExp(`${WS}*\\|\\|?${WS}*`);

const STABILITY_AT_END = new RegExp(`${SUFFIX}$`, "i");

const filled = (part: string | undefined): part is string => part !== undefined && part !== "";

/** The four numbers, `position` (1-4) raised by one when `raise`, those after it zero. */
function bound(numbers: readonly (string | undefined)[], position: number, raise: boolean): string {
  const out: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const part = numbers[i - 1] ?? "";
    if (i > position) out.push("0");
    else if (i === position && raise) out.push(String(BigInt(part === "" ? "0" : part) + 1n));
    else out.push(part);
  }
  return out.join(".");
}

/** Composer's stability of a normalized version, as parseStability reads it. */
function isStable(normalized: string): boolean {
  if (normalized.startsWith("dev-") || normalized.endsWith("-dev")) return false;
  const match = STABILITY_AT_END.exec(asciiLower(normalized));
  if (match === null) return true;
  const groups = match.groups!;
  if (filled(groups.dev)) return false;
  const word = groups.word ?? "";
  return !(word === "beta" || word === "b" || word === "alpha" || word === "a" || word === "rc");
}

const at = (op: Op, normalized: string): Constraint => ({ op, version: fromNormalized(normalized) });

/** One constraint (no `,` or `|` left in it) → the comparisons it stands for. */
function parseConstraint(text: string): Constraint[] {
  let constraint = text;
  const alias = ALIAS.exec(constraint);
  if (alias !== null) constraint = alias[1]!;
  let stabilityModifier: string | undefined;
  const flag = CONSTRAINT_FLAG.exec(constraint);
  if (flag !== null) {
    constraint = flag[1] !== "" ? flag[1]! : "*";
    if (flag[2] !== "stable") stabilityModifier = flag[2];
  }
  const reference = REFERENCE.exec(constraint);
  if (reference !== null) constraint = reference[1]!;

  const any = ANY.exec(constraint);
  if (any !== null) return filled(any[1]) || filled(any[2]) ? [at(">=", "0.0.0.0-dev")] : [{ op: "*" }];

  const tilde = TILDE.exec(constraint);
  if (tilde !== null) {
    if (constraint.startsWith("~>")) throw new Unreadable(`"~>" is not a Composer operator (Composer's tilde is "~")`);
    const g = tilde.groups!;
    const numbers = [g.n1, g.n2, g.n3, g.n4];
    let position = filled(g.n4) ? 4 : filled(g.n3) ? 3 : filled(g.n2) ? 2 : 1;
    if (filled(g.xdev)) position++;
    const unstable = filled(g.word) || filled(g.dev) || filled(g.xdev);
    return [at(">=", normalize(constraint.slice(1) + (unstable ? "" : "-dev"))), at("<", `${bound(numbers, Math.max(1, position - 1), true)}-dev`)];
  }

  const caret = CARET.exec(constraint);
  if (caret !== null) {
    const g = caret.groups!;
    const numbers = [g.n1, g.n2, g.n3, g.n4];
    const position = g.n1 !== "0" || !filled(g.n2) ? 1 : g.n2 !== "0" || !filled(g.n3) ? 2 : 3;
    const unstable = filled(g.word) || filled(g.dev) || filled(g.xdev);
    return [at(">=", normalize(constraint.slice(1) + (unstable ? "" : "-dev"))), at("<", `${bound(numbers, position, true)}-dev`)];
  }

  const wildcard = WILDCARD.exec(constraint);
  if (wildcard !== null) {
    const numbers = [wildcard[1], wildcard[2], wildcard[3]];
    const position = filled(wildcard[3]) ? 3 : filled(wildcard[2]) ? 2 : 1;
    const low = `${bound(numbers, position, false)}-dev`;
    const high = at("<", `${bound(numbers, position, true)}-dev`);
    return low === "0.0.0.0-dev" ? [high] : [at(">=", low), high];
  }

  const hyphen = HYPHEN.exec(constraint);
  if (hyphen !== null) {
    const g = hyphen.groups!;
    const lowUnstable = filled(g.fword) || filled(g.fdev) || filled(g.fxdev);
    const low = at(">=", normalize(g.from!) + (lowUnstable ? "" : "-dev"));
    const to = normalize(g.to!);
    if ((filled(g.tn2) && filled(g.tn3)) || filled(g.tword) || filled(g.tdev) || filled(g.txdev)) return [low, at("<=", to)];
    return [low, at("<", `${bound([g.tn1, g.tn2, g.tn3, g.tn4], filled(g.tn2) ? 2 : 1, true)}-dev`)];
  }

  const comparison = COMPARISON.exec(constraint)!;
  const written = comparison[2]!;
  let normalized: string;
  try {
    normalized = normalize(written);
  } catch (err) {
    // Composer reads `foo-dev` as the branch `dev-foo`.
    if (!(err instanceof Unreadable && written.endsWith("-dev") && BRANCH_CHARACTERS.test(written))) throw err;
    normalized = `dev-${written.slice(0, -4)}`;
  }
  const operator = comparison[1] ?? "=";
  const op: Op = operator === "==" ? "=" : operator === "<>" ? "!=" : (operator as Op);
  if (op !== "=" && stabilityModifier !== undefined && isStable(normalized)) {
    normalized += `-${stabilityModifier}`;
  } else if ((op === "<" || op === ">=") && !SUFFIX_AT_END.test(asciiLower(written)) && !written.startsWith("dev-")) {
    normalized += "-dev";
  }
  return [at(op, normalized)];
}

/**
 * Where `piece` splits into and-ed constraints: at a comma or a space (with
 * spaces around it) that follows a version character (not an operator, space,
 * comma or `as`) and that neither touches a `-` nor comes before a comma, `as`
 * or the end. Tried leftmost first, the longest run of spaces first, as
 * Composer's splitting does. Returns [start, end) of each separator.
 */
function andSeparators(piece: string): [number, number][] {
  const found: [number, number][] = [];
  const blockedBefore = (p: number) => p === 0 || "=>< ,".includes(piece[p - 1]!) || piece.slice(p - 2, p) === "as";
  const blockedAfter = (r: number) => r >= piece.length || piece[r] === "," || piece.slice(r, r + 2) === "as";
  const spacesFrom = (i: number) => {
    let j = i;
    while (piece[j] === " ") j++;
    return j - i;
  };
  let p = 0;
  while (p < piece.length) {
    let end = -1;
    if (!blockedBefore(p)) {
      for (let before = spacesFrom(p); before >= 0 && end < 0; before--) {
        const q = p + before;
        if (piece[q - 1] === "-" || (piece[q] !== " " && piece[q] !== ",") || piece[q + 1] === "-") continue;
        for (let after = spacesFrom(q + 1); after >= 0; after--) {
          if (!blockedAfter(q + 1 + after)) {
            end = q + 1 + after;
            break;
          }
        }
      }
    }
    if (end < 0) {
      p++;
    } else {
      found.push([p, end]);
      p = end;
    }
  }
  return found;
}

function parseRange(range: string): Constraint[][] {
  const known = parsedRanges.get(range);
  if (known !== undefined) return known;
  const trimmed = phpTrim(range);
  const offset = trimmed === "" ? range.length : range.indexOf(trimmed);
  const alternatives: Constraint[][] = [];
  let from = 0;
  for (;;) {
    const rest = trimmed.slice(from);
    const bar = BAR.exec(rest);
    const piece = bar === null ? rest : rest.slice(0, bar.index);
    const constraints: Constraint[] = [];
    let start = 0;
    for (const [sepStart, sepEnd] of [...andSeparators(piece), [piece.length, piece.length] as [number, number]]) {
      const text = piece.slice(start, sepStart);
      try {
        constraints.push(...parseConstraint(text));
      } catch (err) {
        if (!(err instanceof Unreadable)) throw err;
        throw new InvalidRangeError("composer", range, `cannot read ${JSON.stringify(text)} at offset ${offset + from + start}: ${err.message}`);
      }
      start = sepEnd;
    }
    alternatives.push(constraints);
    if (bar === null) break;
    from += bar.index + bar[0].length;
  }
  return remember(parsedRanges, range, alternatives);
}

function holds(constraint: Constraint, version: ComposerVersion): boolean {
  if (constraint.op === "*") return true;
  const bound = constraint.version;
  if (version.branch || bound.branch) {
    // A branch equals only itself and is never below or above anything.
    if (constraint.op === "!=") return version.normalized !== bound.normalized;
    if (constraint.op === "=") return version.branch && bound.branch && version.normalized === bound.normalized;
    return false;
  }
  return orderHolds(constraint.op, comparePieces(version.pieces, bound.pieces));
}

export const composer: VersionScheme = {
  name: "composer",
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
    return parseRange(range).some((constraints) => constraints.every((constraint) => holds(constraint, parsed)));
  },
};
