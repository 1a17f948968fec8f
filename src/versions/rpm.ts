/**
 * RPM package versions, `[epoch:]version[-release]`, ordered as rpm orders
 * them: rpmvercmp applied to the epoch, the version and the release.
 *
 * Why our own: the npm registry has no package that implements rpmvercmp
 * with its `~` and `^` rules and rpm's EVR handling (its rpm packages read
 * rpm databases or build rpms). The tests hold every rule below against the
 * real rpm on the machine (`rpm.vercmp` in rpm's Lua).
 *
 * rpmvercmp, on one part: separators (anything but ASCII letters, digits,
 * `~` and `^`) only split; the rest is read as a sequence of `~`, `^`, runs
 * of digits and runs of letters, compared from the left:
 * - `~` sorts before everything, even the end: `1.0~rc1` < `1.0`;
 * - `^` sorts after the end but before anything else: `1.0` < `1.0^git1`
 *   < `1.0.1`;
 * - a run of digits is newer than a run of letters: `1.0a` < `1.0.1`;
 * - digits compare as numbers of any length (`1.010` = `1.10` > `1.9`),
 *   letters as ASCII text (`A` < `a`, `alpha` < `beta`);
 * - when everything else is equal, the part with runs left over is newer
 *   (`1.0` < `1.0.a`) and separators do not count (`1.0` = `1_0` = `1.0.`).
 *
 * EVR, as rpm's own rpmverCmp (which `rpm.vercmp` runs) reads it: the epoch is
 * the leading digits before a `:` (none, or an empty one, is epoch 0); the
 * release follows the last `-`. Epochs compare as numbers, then versions, then
 * releases, where a missing release sorts before any release: compare is a
 * total order, `1.2` < `1.2-1`.
 *
 * Ranges follow rpm's dependency matching instead (rpmdsCompare, through
 * rpmverOverlap): when a bound has no release, only epoch and version are
 * compared, so `= 1.2`, `<= 1.2` and `>= 1.2` all hold for `1.2-5.el9`, and
 * `> 1.2` does not; a bound with a release compares the release too.
 * Comparator lists are those of comparator-range.ts:
 * `>= 0:1.2-3.el9, < 0:1.2-5.el9`.
 *
 * Valid versions are the EVRs rpmbuild accepts in a dependency: ASCII
 * letters, digits and `. _ + % { } ~ ^`, with at most one `-` and one `:`,
 * the epoch all digits, no `..`, and (our rule) a non-empty version and
 * release. rpm itself would compare any non-empty string.
 */
import { satisfiesComparators } from "./comparator-range.js";
import { InvalidVersionError, type VersionScheme } from "./scheme.js";

const ZERO = 0x30;
const COLON = 0x3a;
const HYPHEN = 0x2d;
const DOT = 0x2e;
const TILDE = 0x7e;
const CARET = 0x5e;

const isDigit = (c: number) => c >= ZERO && c <= 0x39;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** ASCII characters a version may hold besides letters, digits, `-` and `:`. */
const ALLOWED = new Uint8Array(128);
for (const c of "._+%{}~^") ALLOWED[c.charCodeAt(0)] = 1;
for (let c = 0; c < 128; c++) if (isDigit(c) || isLetter(c)) ALLOWED[c] = 1;

/** Where the parts of one version lie in its string; two are reused, so comparing allocates nothing. */
class Parts {
  /** The epoch's digits; empty when there is none. */
  epochStart = 0;
  epochEnd = 0;
  versionStart = 0;
  versionEnd = 0;
  /** -1 when there is no release. */
  releaseStart = -1;
  releaseEnd = -1;
}
const left = new Parts();
const right = new Parts();

function invalid(version: string, reason: string): never {
  throw new InvalidVersionError("rpm", version, reason);
}

/** Finds the parts of `version`; throws InvalidVersionError naming what is wrong and where. */
function split(version: string, parts: Parts): void {
  const end = version.length;
  if (end === 0) invalid(version, "the version is empty");
  let colon = -1;
  let hyphen = -1;
  for (let i = 0; i < end; i++) {
    const c = version.charCodeAt(i);
    if (c === COLON) {
      if (colon >= 0) invalid(version, `a second colon at offset ${i}`);
      if (hyphen >= 0) invalid(version, `a colon after the release's hyphen at offset ${i}`);
      colon = i;
    } else if (c === HYPHEN) {
      if (hyphen >= 0) invalid(version, `a second hyphen at offset ${i}`);
      hyphen = i;
    } else if (c >= 128 || ALLOWED[c] === 0) {
      invalid(version, `invalid character ${JSON.stringify(version[i])} at offset ${i}`);
    } else if (c === DOT && version.charCodeAt(i + 1) === DOT) {
      invalid(version, `".." at offset ${i}`);
    }
  }
  for (let i = 0; i < colon; i++) {
    if (!isDigit(version.charCodeAt(i))) invalid(version, `the epoch is not a number (${JSON.stringify(version[i])} at offset ${i})`);
  }
  parts.epochStart = 0;
  parts.epochEnd = colon < 0 ? 0 : colon;
  parts.versionStart = colon + 1;
  parts.versionEnd = hyphen < 0 ? end : hyphen;
  if (parts.versionStart === parts.versionEnd) invalid(version, "the version is empty");
  parts.releaseStart = hyphen < 0 ? -1 : hyphen + 1;
  parts.releaseEnd = hyphen < 0 ? -1 : end;
  if (hyphen === end - 1) invalid(version, "the release after the hyphen is empty");
}

/** True for the characters that only separate runs. */
const isSeparator = (c: number) => !isDigit(c) && !isLetter(c) && c !== TILDE && c !== CARET;

/** rpmvercmp on `a[i, aEnd)` and `b[j, bEnd)`. */
function vercmp(a: string, i: number, aEnd: number, b: string, j: number, bEnd: number): number {
  for (;;) {
    while (i < aEnd && isSeparator(a.charCodeAt(i))) i++;
    while (j < bEnd && isSeparator(b.charCodeAt(j))) j++;
    const ca = i < aEnd ? a.charCodeAt(i) : -1;
    const cb = j < bEnd ? b.charCodeAt(j) : -1;
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca < 0) return -1;
      if (cb < 0) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca < 0 || cb < 0) return ca < 0 ? (cb < 0 ? 0 : -1) : 1;
    const numeric = isDigit(ca);
    const kind = numeric ? isDigit : isLetter;
    let aStop = i + 1;
    let bStop = j;
    while (aStop < aEnd && kind(a.charCodeAt(aStop))) aStop++;
    while (bStop < bEnd && kind(b.charCodeAt(bStop))) bStop++;
    // A run of digits is newer than a run of letters.
    if (bStop === j) return numeric ? 1 : -1;
    if (numeric) {
      while (i < aStop && a.charCodeAt(i) === ZERO) i++;
      while (j < bStop && b.charCodeAt(j) === ZERO) j++;
      if (aStop - i !== bStop - j) return aStop - i < bStop - j ? -1 : 1;
    }
    for (; i < aStop && j < bStop; i++, j++) {
      const d = a.charCodeAt(i) - b.charCodeAt(j);
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    if (i < aStop) return 1;
    if (j < bStop) return -1;
  }
}

/** rpmvercmp on two whole strings, for any characters (as rpm's C function takes them). */
export function rpmvercmp(a: string, b: string): number {
  return a === b ? 0 : vercmp(a, 0, a.length, b, 0, b.length);
}

/** Compares two epochs' digits as numbers; no digits is 0. */
function compareEpochs(a: string, i: number, aEnd: number, b: string, j: number, bEnd: number): number {
  while (i < aEnd && a.charCodeAt(i) === ZERO) i++;
  while (j < bEnd && b.charCodeAt(j) === ZERO) j++;
  if (aEnd - i !== bEnd - j) return aEnd - i < bEnd - j ? -1 : 1;
  for (; i < aEnd; i++, j++) {
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Epoch, then version, then release. A missing release sorts first (rpmverCmp),
 * or, with `releaseOnlyWhenBoth`, matches every release (rpmdsCompare).
 */
function compareSplit(a: string, b: string, releaseOnlyWhenBoth: boolean): number {
  split(a, left);
  split(b, right);
  const order =
    compareEpochs(a, left.epochStart, left.epochEnd, b, right.epochStart, right.epochEnd) ||
    vercmp(a, left.versionStart, left.versionEnd, b, right.versionStart, right.versionEnd);
  if (order !== 0) return order;
  if (left.releaseStart < 0 || right.releaseStart < 0) {
    if (releaseOnlyWhenBoth || left.releaseStart === right.releaseStart) return 0;
    return left.releaseStart < 0 ? -1 : 1;
  }
  return vercmp(a, left.releaseStart, left.releaseEnd, b, right.releaseStart, right.releaseEnd);
}

/** rpm's dependency order: a side without a release matches every release of its version. */
const matching = { name: "rpm" as const, compare: (version: string, bound: string) => compareSplit(version, bound, true) };

export const rpm: VersionScheme = {
  name: "rpm",
  valid(version) {
    try {
      split(version, left);
      return true;
    } catch {
      return false;
    }
  },
  compare(a, b) {
    return compareSplit(a, b, false);
  },
  satisfies(version, range) {
    return satisfiesComparators(matching, version, range);
  },
};
