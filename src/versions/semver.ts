/**
 * npm package versions and ranges, decided by the `semver` package that npm
 * itself uses: order is semver 2.0 precedence (build metadata ignored), ranges
 * are npm's (`^`, `~`, x-ranges, hyphen ranges, `||`).
 *
 * Three choices differ from calling `semver.satisfies` with its defaults:
 *
 * - Prereleases are in play (`includePrerelease`). By default npm lets a
 *   prerelease into a range only when a comparator of the same alternative
 *   names a prerelease of the same major.minor.patch, so `<4.17.19` would not
 *   match 4.17.19-beta.1 and `>=1.0.0 <2.0.0` would not match 1.5.0-rc.1. That
 *   rule serves installers choosing what to install; a scanner asks whether an
 *   installed version is inside an advisory's range, and a prerelease below the
 *   fix is inside it. (The option also closes caret and tilde ranges below the
 *   next major's prereleases: `^1.2.3` is `>=1.2.3 <2.0.0-0`.)
 * - Versions are read loosely, as npm reads a package.json (it cleans `version`
 *   with semver's loose parser before use): `v1.2.3`, `=1.2.3`, `01.2.3` and
 *   `1.2.3beta` (= 1.2.3-beta) are accepted. Published versions are strict,
 *   but hand-made and bundled packages are not always.
 * - Ranges are read strictly. semver's loose range parser silently drops what
 *   it cannot read (`1.2.3, 1.2.4` reads as `1.2.4`); every range of the npm
 *   advisory data we know parses strictly. A blank range, or a blank
 *   alternative (`1.2.3 ||`), is refused: npm reads it as `*`, which would make
 *   an advisory match every version.
 */
import { Range, SemVer } from "semver";
import { InvalidRangeError, InvalidVersionError, type VersionScheme } from "./scheme.js";
import { memo } from "./memo.js";

/** Options of every parsed version and range: one set, so semver never re-parses to convert. */
const OPTIONS = Object.freeze({ includePrerelease: true });
const LOOSE = Object.freeze({ loose: true });
const BAD_COMPARATOR = /^Invalid comparator: (.*)$/;
const NOTHING_TO_ADD = /^Invalid (Version|SemVer Range)\b/;

/** A version, or the error that says why the string is none. */
const versions = memo((version): SemVer | InvalidVersionError => {
  try {
    return readVersion(version);
  } catch (err) {
    if (err instanceof InvalidVersionError) return err;
    throw err;
  }
});
/** A range, or the error that says why the string is none. */
const ranges = memo((range): Range | InvalidRangeError => {
  try {
    return readRange(range);
  } catch (err) {
    if (err instanceof InvalidRangeError) return err;
    throw err;
  }
});

export const semver: VersionScheme = {
  name: "semver",
  valid(version) {
    return !(versions(version) instanceof InvalidVersionError);
  },
  compare(a, b) {
    return parseVersion(a).compare(parseVersion(b));
  },
  satisfies(version, range) {
    const parsed = parseVersion(version);
    return parseRange(range).test(parsed);
  },
};

function parseVersion(version: string): SemVer {
  const parsed = versions(version);
  if (parsed instanceof InvalidVersionError) throw parsed;
  return parsed;
}

function readVersion(version: string): SemVer {
  try {
    return new SemVer(version, OPTIONS);
  } catch {
    // not strict: try the loose forms npm accepts in a package.json
  }
  try {
    return new SemVer(new SemVer(version, LOOSE).version, OPTIONS);
  } catch (err) {
    throw new InvalidVersionError("semver", version, reason(err, "not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]"));
  }
}

function parseRange(range: string): Range {
  const parsed = ranges(range);
  if (parsed instanceof InvalidRangeError) throw parsed;
  return parsed;
}

function readRange(range: string): Range {
  const alternatives = range.split("||");
  const blank = alternatives.findIndex((alternative) => alternative.trim() === "");
  if (blank >= 0) {
    const what = alternatives.length === 1 ? "blank range" : `alternative ${blank + 1} of ${alternatives.length} is blank`;
    throw new InvalidRangeError("semver", range, `${what}; npm would read it as "*" (every version)`);
  }
  try {
    return new Range(range, OPTIONS);
  } catch (err) {
    throw new InvalidRangeError("semver", range, reason(err, "not an npm range"));
  }
}

/** semver's messages repeat the input ("Invalid Version: x"); keep only what they add. */
function reason(err: unknown, fallback: string): string {
  const message = err instanceof Error ? err.message : "";
  const comparator = BAD_COMPARATOR.exec(message);
  if (comparator) return `cannot read comparator ${JSON.stringify(comparator[1])}`;
  if (message === "" || NOTHING_TO_ADD.test(message)) return fallback;
  return message.charAt(0).toLowerCase() + message.slice(1);
}

