/**
 * Alpine package versions, ordered as apk-tools 3 orders them:
 * `1.2.3`, `1.2.3a`, `1.2.3_rc1`, `1.2.3_p2_git20240101`, `1.2.3~af12cd`,
 * each optionally followed by the package release `-r4`.
 *
 * Why our own: nothing on the npm registry orders apk versions (its apk and
 * alpine packages are Android APK tools and Alpine.js plugins). There is no
 * apk binary on Debian to test against, so the tests hold these rules with
 * hand-written cases, a model of the rules and the order laws; the rules were
 * learnt from apk-tools' version.c and its test data.
 *
 * A version is read as a sequence of tokens, each allowed only after certain
 * others (anything else makes the version invalid, as `apk version -c` says):
 * - a number, first and always (`1`; at least one digit);
 * - `.` and a number (`.2`), after a number;
 * - one lowercase letter (`a`), after a number; nothing but `_`, `~` or `-r`
 *   may follow it (`1.0a1` and `1.0ab` are invalid);
 * - `_` and a suffix name, optionally with a number (`_rc1`, `_p`): the names
 *   are alpha, beta, pre, rc (pre-releases) and cvs, svn, git, hg, p (post-
 *   releases); suffixes may repeat (`1.0_alpha1_pre2`), but not after a
 *   commit hash or a release;
 * - `~` and a commit hash of lowercase hex digits (`~a1b2c3`), once;
 * - `-r` and a number, the package release, once and last.
 *
 * Order: both versions are walked token by token. While the tokens are of
 * the same kind, their values decide: numbers as numbers, except that a
 * number after a dot that starts with `0` in either version compares as text
 * (so `1.05` < `1.1` < `1.10`, `1.0` < `1.00`, `8.2.0015` < `8.2.002`), while
 * the first number, suffix numbers and releases are always plain numbers
 * (`01` = `1`); letters by letter; suffixes as alpha < beta < pre < rc < cvs
 * < svn < git < hg < p; commit hashes as text. At the first place where the
 * kinds differ (the end of a version counting as a kind), a pre-release
 * suffix loses to anything; otherwise the kind decides, in the order
 * end < release < commit hash < suffix number < post-release suffix < letter
 * < number after a dot. So `1.0_rc1` < `1.0` < `1.0-r1` < `1.0~ab` < `1.0_p1`
 * < `1.0a` < `1.0.1`, and `1.0_p1` < `1.0_p_p`.
 *
 * Where we differ from apk-tools on purpose: apk-tools 3 reads numbers into
 * 64 bits and so wraps past 18446744073709551615; we compare digits of any
 * length exactly. Differences from apk-tools 2 (Alpine up to 3.22): it also
 * accepted digits straight after a letter (`1.0a1`), had no commit hashes,
 * refused numbers of 18 digits or more, and weighed leading zeros after a dot
 * by counting them, which put `8.2.001` below `8.2.0`; apk-tools 3 fixed that.
 * Real Alpine versions order the same under both.
 *
 * Ranges are comparator lists (see comparator-range.ts), e.g.
 * `>= 1.2.5-r0, < 1.2.5-r2`. apk's fuzzy `~` match is not offered.
 */
import { satisfiesComparators } from "./comparator-range.js";
import { InvalidVersionError, type VersionScheme } from "./scheme.js";

// Token kinds, in apk-tools' order: the kind that comes later in a version is the lower version.
const FIRST_NUMBER = 0;
const NUMBER = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NUMBER = 4;
const COMMIT_HASH = 5;
const RELEASE = 6;
const END = 7;
const INVALID = 8;

// Suffix values; those below NO_SUFFIX are pre-releases.
const ALPHA = 0;
const BETA = 1;
const PRE = 2;
const RC = 3;
const NO_SUFFIX = 4;
const CVS = 5;
const SVN = 6;
const GIT = 7;
const HG = 8;
const P = 9;

const ZERO = 0x30;
const isDigit = (c: number) => c >= ZERO && c <= 0x39;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66);

/** The suffix named by `text[start, end)`, or -1. */
function suffixValue(text: string, start: number, end: number): number {
  const is = (name: string) => end - start === name.length && text.startsWith(name, start);
  switch (text.charCodeAt(start)) {
    case 0x61:
      return is("alpha") ? ALPHA : -1;
    case 0x62:
      return is("beta") ? BETA : -1;
    case 0x63:
      return is("cvs") ? CVS : -1;
    case 0x67:
      return is("git") ? GIT : -1;
    case 0x68:
      return is("hg") ? HG : -1;
    case 0x70:
      return end - start === 1 ? P : is("pre") ? PRE : -1;
    case 0x72:
      return is("rc") ? RC : -1;
    case 0x73:
      return is("svn") ? SVN : -1;
    default:
      return -1;
  }
}

/** Reads one version token by token; two are reused, so comparing allocates nothing. */
class Lexer {
  text = "";
  at = 0;
  token = END;
  /** Where the current token's value (digits, letter, suffix name or hash) lies. */
  start = 0;
  end = 0;
  suffix = NO_SUFFIX;
  /** Why the version is invalid, once token is INVALID. */
  problem = "";

  first(text: string): this {
    this.text = text;
    this.at = 0;
    this.token = FIRST_NUMBER;
    this.digits("the version must start with a number");
    return this;
  }

  next(): void {
    const { text } = this;
    if (this.at === text.length) {
      this.token = END;
      return;
    }
    const c = text.charCodeAt(this.at);
    const previous = this.token;
    if (isLower(c) && previous <= NUMBER) {
      this.token = LETTER;
      this.start = this.at;
      this.end = ++this.at;
    } else if (c === 0x2e /* . */ && previous <= NUMBER) {
      this.at++;
      this.token = NUMBER;
      this.digits("expected a number after the dot");
    } else if (isDigit(c) && previous === SUFFIX) {
      this.token = SUFFIX_NUMBER;
      this.digits("");
    } else if (c === 0x5f /* _ */ && previous <= SUFFIX_NUMBER) {
      const start = ++this.at;
      while (this.at < text.length && isLower(text.charCodeAt(this.at))) this.at++;
      this.suffix = this.at > start ? suffixValue(text, start, this.at) : -1;
      if (this.suffix < 0) return this.fail(start - 1, `unknown suffix ${JSON.stringify(text.slice(start - 1, this.at))}`);
      this.token = SUFFIX;
      this.start = start;
      this.end = this.at;
    } else if (c === 0x7e /* ~ */ && previous < COMMIT_HASH) {
      const start = ++this.at;
      while (this.at < text.length && isHex(text.charCodeAt(this.at))) this.at++;
      if (this.at === start) return this.fail(start, "expected a commit hash (lowercase hex digits) after the tilde");
      this.token = COMMIT_HASH;
      this.start = start;
      this.end = this.at;
    } else if (c === 0x2d /* - */ && previous < RELEASE && text.charCodeAt(this.at + 1) === 0x72 /* r */) {
      this.at += 2;
      this.token = RELEASE;
      this.digits("expected a number after -r");
    } else {
      this.fail(this.at, `unexpected ${JSON.stringify(text[this.at])}`);
    }
  }

  /** Reads a run of digits as the current token's value; none is invalid. */
  private digits(problem: string): void {
    const { text } = this;
    const start = this.at;
    while (this.at < text.length && isDigit(text.charCodeAt(this.at))) this.at++;
    if (this.at === start) return this.fail(start, problem);
    this.start = start;
    this.end = this.at;
  }

  private fail(at: number, problem: string): void {
    this.token = INVALID;
    this.problem = `${problem} at offset ${at}`;
  }

  /** Reads the rest of the version; throws InvalidVersionError if it breaks the grammar. */
  finish(): void {
    while (this.token < END) this.next();
    if (this.token === INVALID) throw new InvalidVersionError("apk", this.text, this.problem);
  }
}
const left = new Lexer();
const right = new Lexer();

/** Compares digit runs as numbers of any length. */
function compareNumbers(a: string, i: number, aEnd: number, b: string, j: number, bEnd: number): number {
  while (i < aEnd - 1 && a.charCodeAt(i) === ZERO) i++;
  while (j < bEnd - 1 && b.charCodeAt(j) === ZERO) j++;
  if (aEnd - i !== bEnd - j) return aEnd - i < bEnd - j ? -1 : 1;
  return compareText(a, i, aEnd, b, j, bEnd);
}

/** Compares byte by byte; a prefix sorts first. */
function compareText(a: string, i: number, aEnd: number, b: string, j: number, bEnd: number): number {
  for (; i < aEnd && j < bEnd; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return i < aEnd ? 1 : j < bEnd ? -1 : 0;
}

/** Compares two tokens of the same kind. */
function compareTokens(x: Lexer, y: Lexer): number {
  switch (x.token) {
    case NUMBER:
      if (x.text.charCodeAt(x.start) === ZERO || y.text.charCodeAt(y.start) === ZERO) {
        return compareText(x.text, x.start, x.end, y.text, y.start, y.end);
      }
      return compareNumbers(x.text, x.start, x.end, y.text, y.start, y.end);
    case FIRST_NUMBER:
    case SUFFIX_NUMBER:
    case RELEASE:
      return compareNumbers(x.text, x.start, x.end, y.text, y.start, y.end);
    case LETTER: {
      const d = x.text.charCodeAt(x.start) - y.text.charCodeAt(y.start);
      return d < 0 ? -1 : d > 0 ? 1 : 0;
    }
    case SUFFIX:
      return x.suffix < y.suffix ? -1 : x.suffix > y.suffix ? 1 : 0;
    default:
      return compareText(x.text, x.start, x.end, y.text, y.start, y.end);
  }
}

function compare(a: string, b: string): number {
  const x = left.first(a);
  const y = right.first(b);
  let order = 0;
  while (x.token === y.token && x.token < END) {
    order = compareTokens(x, y);
    if (order !== 0) break;
    x.next();
    y.next();
  }
  if (order === 0 && x.token !== y.token) {
    if (x.token === SUFFIX && x.suffix < NO_SUFFIX) order = -1;
    else if (y.token === SUFFIX && y.suffix < NO_SUFFIX) order = 1;
    else order = x.token > y.token ? -1 : 1;
  }
  // The walk may stop early: the rest of both versions must still be valid.
  x.finish();
  y.finish();
  return order;
}

export const apk: VersionScheme = {
  name: "apk",
  valid(version) {
    const x = left.first(version);
    while (x.token < END) x.next();
    return x.token === END;
  },
  compare,
  satisfies(version, range) {
    return satisfiesComparators(apk, version, range);
  },
};
