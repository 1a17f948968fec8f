/**
 * Debian package versions, `[epoch:]upstream[-revision]`, ordered as dpkg
 * orders them (`dpkg --compare-versions`, Debian Policy 5.6.12).
 *
 * Why our own: the npm registry has no maintained package that keeps dpkg's
 * rules. The one we found, deb-version-compare (about 800 downloads a month),
 * is a small regex-based comparator that reads digit runs with parseInt (so
 * it is wrong past 2^53) and checks nothing; we also need dpkg's validity
 * rules, our error type and a compare that allocates nothing. The tests hold
 * every rule below against the real `dpkg --compare-versions` on the machine.
 *
 * Reading a version, as dpkg's parser does:
 * - spaces and tabs around the version are ignored; one inside it is an error;
 * - the epoch is everything before the first `:`: a decimal number from 0 to
 *   2147483647 (dpkg reads it with C's strtol, so a sign is allowed and
 *   `-0:` is epoch 0, while `-1:` is negative and refused); no `:`, epoch 0;
 * - the revision is everything after the last `-`, and must not be empty;
 *   no `-`, and the revision is empty, which orders exactly like `0`;
 * - the upstream version (between them) must not be empty; it may hold `-`
 *   when there is a revision and `:` when there is an epoch;
 * - characters: upstream takes ASCII letters, digits and `. + ~ - :`; the
 *   revision letters, digits and `. + ~`.
 *
 * Where dpkg only warns (today's dpkg-deb refuses to build either), we decide:
 * - an upstream version that does not start with a digit is valid. Policy
 *   says "should", dpkg installs and orders such versions with a warning,
 *   and packages built before the check carry them: matching must not
 *   refuse a version that dpkg keeps in its database.
 *   (So a bare word such as `none` passes, as it does for dpkg.)
 * - any other character is invalid. Real versions do not hold one, and
 *   refusing them keeps placeholders such as `<unfixed>`, `<not-affected>`
 *   or `n/a` from passing as versions. (dpkg reads an empty version and
 *   `<unknown>` as its blank version; for us both are invalid.)
 *
 * Order: epochs as numbers, then upstream, then revision, the last two by
 * dpkg's rule. A part is read from the left as alternating runs: a run of
 * non-digits, compared character by character, where `~` sorts before
 * everything (even the end of the part), then the end of the run, then
 * letters (in ASCII order), then every other character (in ASCII order);
 * then a run of digits, compared as a number of any length (leading zeros
 * do not count, an empty run is 0). So `1.0~rc1` < `1.0` < `1.0a` < `1.0+b1`
 * < `1.0.1`, `1.01` = `1.1` and `1.0` = `1.0-0` = `0:1.0`.
 *
 * Ranges are comparator lists (see comparator-range.ts), with dpkg's `<<` and
 * `>>`: `>= 2.36-9+deb12u4, << 2.37`.
 */
import { satisfiesComparators } from "./comparator-range.js";
import { InvalidVersionError, type VersionScheme } from "./scheme.js";

const TAB = 0x09;
const SPACE = 0x20;
const PLUS = 0x2b;
const HYPHEN = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const TILDE = 0x7e;
const EPOCH_MAX = 2147483647;

const isBlank = (c: number) => c === SPACE || c === TAB;
const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Each ASCII character's weight in dpkg's order of non-digits; 0 for digits, NaN for characters versions may not hold. */
const WEIGHT = new Float64Array(128).fill(NaN);
for (let c = 0; c < 128; c++) {
  if (isDigit(c)) WEIGHT[c] = 0;
  else if (isLetter(c)) WEIGHT[c] = c;
}
WEIGHT[TILDE] = -1;
for (const c of [PLUS, HYPHEN, DOT, COLON]) WEIGHT[c] = c + 256;

/** Where the parts of one version lie in its string; two are reused, so comparing allocates nothing. */
class Parts {
  epoch = 0;
  upstreamStart = 0;
  upstreamEnd = 0;
  revisionStart = 0;
  revisionEnd = 0;
}
const left = new Parts();
const right = new Parts();

function invalid(version: string, reason: string): never {
  throw new InvalidVersionError("dpkg", version, reason);
}

/** The epoch in `version` from `start` to `end` (the first colon), as dpkg's strtol reads it. */
function readEpoch(version: string, start: number, end: number): number {
  if (start === end) invalid(version, "the epoch before the colon is empty");
  const sign = version.charCodeAt(start);
  let at = sign === PLUS || sign === HYPHEN ? start + 1 : start;
  if (at === end) invalid(version, "the epoch is not a number");
  for (let i = at; i < end; i++) {
    if (!isDigit(version.charCodeAt(i))) invalid(version, `the epoch is not a number (${JSON.stringify(version[i])} at offset ${i})`);
  }
  while (at < end - 1 && version.charCodeAt(at) === ZERO) at++;
  let value = end - at > 10 ? Infinity : 0;
  for (let i = at; i < end && value !== Infinity; i++) value = value * 10 + version.charCodeAt(i) - ZERO;
  if (sign === HYPHEN && value !== 0) invalid(version, "the epoch is negative");
  if (value > EPOCH_MAX) invalid(version, `the epoch is larger than ${EPOCH_MAX}`);
  return value;
}

/** Finds the parts of `version`; throws InvalidVersionError naming what is wrong and where, in dpkg's order of checks. */
function split(version: string, parts: Parts): void {
  let start = 0;
  let end = version.length;
  while (start < end && isBlank(version.charCodeAt(start))) start++;
  while (end > start && isBlank(version.charCodeAt(end - 1))) end--;
  if (start === end) invalid(version, "the version is empty");
  let colon = -1;
  let lastColon = -1;
  let hyphen = -1;
  let badAt = -1;
  for (let i = start; i < end; i++) {
    const c = version.charCodeAt(i);
    if (c === HYPHEN) hyphen = i;
    else if (c === COLON) {
      if (colon < 0) colon = i;
      lastColon = i;
    } else if (c >= 128 || Number.isNaN(WEIGHT[c])) {
      if (isBlank(c)) invalid(version, `space inside the version at offset ${i}`);
      if (badAt < 0) badAt = i;
    }
  }
  let upstreamStart = start;
  parts.epoch = 0;
  if (colon >= 0) {
    parts.epoch = readEpoch(version, start, colon);
    upstreamStart = colon + 1;
    if (upstreamStart === end) invalid(version, "nothing after the epoch's colon");
  }
  let upstreamEnd = end;
  let revisionStart = end;
  if (hyphen >= upstreamStart) {
    upstreamEnd = hyphen;
    revisionStart = hyphen + 1;
    if (revisionStart === end) invalid(version, "the revision after the last hyphen is empty");
  }
  if (upstreamStart === upstreamEnd) invalid(version, "the upstream version is empty");
  // The revision may not hold a colon (nor, by construction, a hyphen).
  if (lastColon >= revisionStart && (badAt < 0 || lastColon < badAt)) badAt = version.indexOf(":", revisionStart);
  if (badAt >= 0) {
    const part = badAt < upstreamEnd ? "upstream version" : "revision";
    invalid(version, `invalid character ${JSON.stringify(version[badAt])} in the ${part} at offset ${badAt}`);
  }
  parts.upstreamStart = upstreamStart;
  parts.upstreamEnd = upstreamEnd;
  parts.revisionStart = revisionStart;
  parts.revisionEnd = end;
}

/** dpkg's comparison of one part (upstream or revision): `a[i, aEnd)` against `b[j, bEnd)`. */
function compareParts(a: string, i: number, aEnd: number, b: string, j: number, bEnd: number): number {
  while (i < aEnd || j < bEnd) {
    // A run of non-digits: the end of the part and a digit weigh 0, like nothing left of the run.
    for (;;) {
      const wa = i < aEnd ? WEIGHT[a.charCodeAt(i)]! : 0;
      const wb = j < bEnd ? WEIGHT[b.charCodeAt(j)]! : 0;
      if (wa === 0 && wb === 0) break;
      if (wa !== wb) return wa < wb ? -1 : 1;
      i++;
      j++;
    }
    // A run of digits, as a number: skip leading zeros, then the longer run wins, else the first difference.
    while (i < aEnd && a.charCodeAt(i) === ZERO) i++;
    while (j < bEnd && b.charCodeAt(j) === ZERO) j++;
    let firstDiff = 0;
    for (;;) {
      const aDigit = i < aEnd && isDigit(a.charCodeAt(i));
      const bDigit = j < bEnd && isDigit(b.charCodeAt(j));
      if (aDigit !== bDigit) return aDigit ? 1 : -1;
      if (!aDigit) break;
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (firstDiff !== 0) return firstDiff < 0 ? -1 : 1;
  }
  return 0;
}

function compare(a: string, b: string): number {
  split(a, left);
  split(b, right);
  if (left.epoch !== right.epoch) return left.epoch < right.epoch ? -1 : 1;
  return (
    compareParts(a, left.upstreamStart, left.upstreamEnd, b, right.upstreamStart, right.upstreamEnd) ||
    compareParts(a, left.revisionStart, left.revisionEnd, b, right.revisionStart, right.revisionEnd)
  );
}

export const dpkg: VersionScheme = {
  name: "dpkg",
  valid(version) {
    try {
      split(version, left);
      return true;
    } catch {
      return false;
    }
  },
  compare,
  satisfies(version, range) {
    return satisfiesComparators(dpkg, version, range);
  },
};
