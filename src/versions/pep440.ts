/**
 * Python package versions and specifier sets, as PEP 440 defines them and
 * pip's `packaging` implements them: `1.0 == 1.0.0`, epochs (`1!0.5` > `2.0`),
 * pre-releases (`a`/`alpha`, `b`/`beta`, `rc`/`c`/`pre`/`preview`),
 * post-releases (`.post1`, `-1`, `rev1`), dev releases, local versions
 * (`+ubuntu.1`), case and separators normalised; specifiers `~=`, `==` and
 * `!=` (with `.*` prefixes), `<=`, `>=`, `<`, `>`, `===`, joined by commas.
 *
 * From @renovatebot/pep440 we take the version grammar (its VERSION_PATTERN is
 * PEP 440's own regular expression), not its compare or satisfies: compare
 * re-parses both strings on every call and reads local segments with
 * Number() (`1.0+1e5` then sorts as 1.0+100000, above `1.0+abc`), numbers past
 * 2^53 lose precision, and satisfies departs from PEP 440 in ways that matter
 * to matching: `<1.0rc1` refuses 1.0a1, `==1.0.0.*` refuses 1.0, and it
 * accepts specifiers PEP 440 forbids (`==1.0a1.*`, `>1.0+local`).
 *
 * Decisions:
 * - Pre-releases always match (packaging's `prereleases=True`): whether an
 *   installed 2.0rc1 is inside `<2.1` is a question of order, not of what an
 *   installer would pick.
 * - Exclusive ordered comparisons keep PEP 440's rules, read as packaging 26
 *   reads them: `<V` leaves out V's own pre-releases (V.dev0 up to V) unless V
 *   is one, `>V` leaves out V's post-releases unless V is one, and V's local
 *   versions. Older packaging (23.0 in Debian 12) takes "V's own" to mean
 *   "with V's release numbers", so that `<1.0.post1` refuses 1.0rc1 while
 *   taking 1.0, and `>1.0a1` refuses 1.0.post1.
 * - `===` compares the version exactly as written (case aside), as PEP 440
 *   says and packaging 26 does (Debian 12's packaging 23.0 compared the
 *   normalised form, so `===1.0` took `v1.0`).
 * - `~=` drops the pre/post/dev suffix before taking the prefix, as PEP 440
 *   says (`~=1.0c1` is `>=1.0rc1, ==1.*`); packaging derives the prefix from
 *   the text as written and reads `~=1.0c1` and `~=1.0.pre1` as `==1.0.*`.
 * - A blank specifier set is refused (PEP 440 reads it as every version, which
 *   would make an advisory match everything); empty items between commas are
 *   skipped, as packaging does.
 * - Numbers are compared as digit strings, so they may be of any length.
 */
import { VERSION_PATTERN } from "@renovatebot/pep440/lib/version.js";
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";
import { memo } from "./memo.js";

interface Pep440Version {
  /** The version as written (for `===`). */
  readonly text: string;
  /** Every number is a digit string without leading zeros. */
  readonly epoch: string;
  /** As written, trailing zeros kept (prefix matches need them); order pads with zeros. */
  readonly release: readonly string[];
  /** 0 = a, 1 = b, 2 = rc. */
  readonly preStage?: 0 | 1 | 2;
  readonly preNumber?: string;
  readonly post?: string;
  readonly dev?: string;
  /** Lower-cased segments; `localNumeric[i]` tells a number (ordered above words) from a word. */
  readonly local?: readonly string[];
  readonly localNumeric?: readonly boolean[];
}

type Specifier = (version: Pep440Version) => boolean;

const VERSION = new RegExp(`^\\s*${VERSION_PATTERN}\\s*$`, "i");
const SPECIFIER_VERSION = new RegExp(`^${VERSION_PATTERN}$`, "i");
const WILDCARD_PREFIX = /^v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)$/i;
const OPERATOR = /^(===|~=|==|!=|<=|>=|<|>)\s*/;
const ARBITRARY = /^[^\s;)]+$/;
const LOCAL_SEPARATOR = /[-_.]/;
const DIGITS = /^[0-9]+$/;
const STAGES: Record<string, 0 | 1 | 2> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
const GRAMMAR = "[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]";

/** A version, or why the string is none. */
const lookUp = memo((version) => read(version, VERSION) ?? `not a PEP 440 version (${GRAMMAR})`);
/** A specifier set, or the error that says why the string is none. */
const specifierSet = memo((range): readonly Specifier[] | InvalidRangeError => {
  try {
    return readSpecifierSet(range);
  } catch (err) {
    if (err instanceof InvalidRangeError) return err;
    throw err;
  }
});

export const pep440: VersionScheme = {
  name: "pep440",
  valid(version) {
    return typeof lookUp(version) !== "string";
  },
  compare(a, b) {
    return compareVersions(parse(a), parse(b), false);
  },
  satisfies(version, range) {
    const parsed = parse(version);
    const specifiers = specifierSet(range);
    if (specifiers instanceof InvalidRangeError) throw specifiers;
    return specifiers.every((specifier) => specifier(parsed));
  },
};

function parse(version: string): Pep440Version {
  const parsed = lookUp(version);
  if (typeof parsed === "string") throw new InvalidVersionError("pep440", version, parsed);
  return parsed;
}

/** The parts of `text` if `grammar` (PEP 440's pattern, anchored) matches it. */
function read(text: string, grammar: RegExp): Pep440Version | undefined {
  const g = grammar.exec(text)?.groups;
  if (g === undefined) return undefined;
  const local = g.local?.toLowerCase().split(LOCAL_SEPARATOR);
  const postNumber = g.post_n1 ?? (g.post_l === undefined ? undefined : (g.post_n2 ?? "0"));
  return {
    text,
    epoch: number(g.epoch ?? "0"),
    release: g.release!.split(".").map(number),
    ...(g.pre_l === undefined ? {} : { preStage: STAGES[g.pre_l.toLowerCase()]!, preNumber: number(g.pre_n ?? "0") }),
    ...(postNumber === undefined ? {} : { post: number(postNumber) }),
    ...(g.dev_l === undefined ? {} : { dev: number(g.dev_n ?? "0") }),
    ...(local === undefined
      ? {}
      : {
          local: local.map((segment) => (DIGITS.test(segment) ? number(segment) : segment)),
          localNumeric: local.map((segment) => DIGITS.test(segment)),
        }),
  };
}

/** A digit string without its leading zeros ("007" → "7", "000" → "0"). */
function number(digits: string): string {
  let start = 0;
  while (start < digits.length - 1 && digits[start] === "0") start++;
  return start === 0 ? digits : digits.slice(start);
}

function compareNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** PEP 440 order; `publicOnly` leaves the local versions out (`1.0+abc` then equals 1.0). */
function compareVersions(a: Pep440Version, b: Pep440Version, publicOnly: boolean): number {
  return (
    compareNumbers(a.epoch, b.epoch) ||
    compareReleases(a.release, b.release) ||
    compareStages(stage(a), stage(b)) ||
    (a.preStage === undefined || b.preStage === undefined ? 0 : compareNumbers(a.preNumber!, b.preNumber!)) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    (publicOnly ? 0 : compareLocals(a, b))
  );
}

/** Release numbers, the shorter padded with zeros: 1.0 = 1.0.0. */
function compareReleases(a: readonly string[], b: readonly string[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareNumbers(a[i] ?? "0", b[i] ?? "0");
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Where the pre-release puts a version among those with the same release: a
 * dev release of the release itself (1.0.dev1) before every pre-release,
 * then a, b, rc, then everything without one (1.0, 1.0.post1).
 */
function stage(v: Pep440Version): number {
  if (v.preStage !== undefined) return v.preStage;
  return v.post === undefined && v.dev !== undefined ? -1 : 3;
}

function compareStages(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Compares optional numbers; `absent` is where a missing one sorts (-1 below all, 1 above all). */
function compareOptional(a: string | undefined, b: string | undefined, absent: -1 | 1): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? absent : -absent;
  return compareNumbers(a, b);
}

/** No local version below any; segment by segment, words below numbers; a longer list above its prefix. */
function compareLocals(a: Pep440Version, b: Pep440Version): number {
  const x = a.local;
  const y = b.local;
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
  const shared = Math.min(x.length, y.length);
  for (let i = 0; i < shared; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    const pNumeric = a.localNumeric![i]!;
    if (pNumeric !== b.localNumeric![i]) return pNumeric ? 1 : -1;
    return pNumeric ? compareNumbers(p, q) : p < q ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

function isPrerelease(v: Pep440Version): boolean {
  return v.preStage !== undefined || v.dev !== undefined;
}

/** `v` less its post, dev and local parts is `release` (1.0.post1 and 1.0.post2.dev1 are post-releases of 1.0, not of 1.0.dev1). */
function isPostReleaseOf(v: Pep440Version, release: Pep440Version): boolean {
  return (
    release.dev === undefined &&
    release.post === undefined &&
    v.epoch === release.epoch &&
    compareReleases(v.release, release.release) === 0 &&
    v.preStage === release.preStage &&
    v.preNumber === release.preNumber
  );
}

/** The version's release, padded with zeros, starts with `prefix` (`==1.0.*` takes 1, 1.0.5 and 1.0rc1). */
function startsWith(v: Pep440Version, epoch: string, prefix: readonly string[]): boolean {
  if (v.epoch !== epoch) return false;
  for (let i = 0; i < prefix.length; i++) if ((v.release[i] ?? "0") !== prefix[i]) return false;
  return true;
}

function readSpecifierSet(range: string): Specifier[] {
  const items = range.split(",");
  const specifiers: Specifier[] = [];
  items.forEach((item, i) => {
    const text = item.trim();
    if (text === "") return;
    const specifier = readSpecifier(text);
    if (typeof specifier === "string") {
      const which = items.length === 1 ? "" : `specifier ${i + 1} ${JSON.stringify(text)}: `;
      throw new InvalidRangeError("pep440", range, which + specifier);
    }
    specifiers.push(specifier);
  });
  if (specifiers.length === 0) {
    throw new InvalidRangeError("pep440", range, "blank specifier set; PEP 440 would read it as every version");
  }
  return specifiers;
}

/** One specifier, or why `text` is none. */
function readSpecifier(text: string): Specifier | string {
  const m = OPERATOR.exec(text);
  if (m === null) return "expected an operator (~=, ==, !=, <=, >=, <, >, ===) before the version";
  const op = m[1]!;
  const operand = text.slice(m[0].length);
  if (operand === "") return `expected a version after ${op}`;
  if (op === "===") {
    if (!ARBITRARY.test(operand)) return "=== takes one word (no spaces, ';' or ')')";
    const written = operand.toLowerCase();
    return (v) => v.text.toLowerCase() === written;
  }
  if ((op === "==" || op === "!=") && operand.endsWith(".*")) {
    const w = WILDCARD_PREFIX.exec(operand.slice(0, -2));
    if (w === null) return `${op} with .* takes only [N!]N(.N)* before it`;
    const epoch = number(w[1] ?? "0");
    const prefix = w[2]!.split(".").map(number);
    return op === "==" ? (v) => startsWith(v, epoch, prefix) : (v) => !startsWith(v, epoch, prefix);
  }
  if (operand.endsWith(".*")) return `only == and != take a .* prefix`;
  const s = read(operand, SPECIFIER_VERSION);
  if (s === undefined) return `${JSON.stringify(operand)} is not a PEP 440 version (${GRAMMAR})`;
  if (s.local !== undefined && op !== "==" && op !== "!=") return `${op} does not take a local version (+${s.local.join(".")})`;
  switch (op) {
    case "==":
      return s.local === undefined ? (v) => compareVersions(v, s, true) === 0 : (v) => compareVersions(v, s, false) === 0;
    case "!=":
      return s.local === undefined ? (v) => compareVersions(v, s, true) !== 0 : (v) => compareVersions(v, s, false) !== 0;
    case "<=":
      return (v) => compareVersions(v, s, true) <= 0;
    case ">=":
      return (v) => compareVersions(v, s, true) >= 0;
    case "<": {
      // Not a pre-release of the version named (from its .dev0 on), unless it names a pre-release itself.
      const earliest: Pep440Version = { ...s, dev: "0" };
      return (v) => compareVersions(v, s, false) < 0 && (isPrerelease(s) || !isPrerelease(v) || compareVersions(v, earliest, false) < 0);
    }
    case ">":
      // Not a post-release of the version named (unless it names one), nor a local version of it.
      return (v) =>
        compareVersions(v, s, false) > 0 &&
        (s.post !== undefined || v.post === undefined || !isPostReleaseOf(v, s)) &&
        (v.local === undefined || compareVersions(v, s, true) !== 0);
    default: {
      // ~=: at least as new, and the same release but for its last number (~=1.4.5a4 is >=1.4.5a4, ==1.4.*).
      if (s.release.length < 2) return `~= needs at least two release numbers (~=${s.release[0]}.0, not ~=${s.release[0]})`;
      const prefix = s.release.slice(0, -1);
      return (v) => compareVersions(v, s, true) >= 0 && startsWith(v, s.epoch, prefix);
    }
  }
}

