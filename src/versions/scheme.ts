/**
 * The contract every version scheme keeps. Matching asks only these three
 * questions, so an ecosystem's ordering rules live in exactly one file.
 */

export type SchemeName = "dpkg" | "apk" | "rpm" | "semver" | "pep440" | "maven" | "go" | "gem" | "nuget" | "composer";

export interface VersionScheme {
  readonly name: SchemeName;
  /** True when `version` is well formed in this scheme (compare would not throw). */
  valid(version: string): boolean;
  /**
   * Negative when a < b, zero when they are equal in this scheme, positive when
   * a > b. Throws InvalidVersionError when either is not a valid version.
   */
  compare(a: string, b: string): number;
  /**
   * True when `version` lies in `range`, written in the scheme's own range
   * language (npm ranges, PEP 440 specifiers, Maven ranges, RubyGems
   * requirements); schemes without one take comparator lists such as
   * `>= 1.0, < 2.0 || = 3.1` (see comparator-range.ts). Throws
   * InvalidVersionError for a bad version and InvalidRangeError for a bad range.
   */
  satisfies(version: string, range: string): boolean;
}

/** A version string the scheme cannot order. */
export class InvalidVersionError extends Error {
  override readonly name = "InvalidVersionError";
  constructor(
    readonly scheme: SchemeName,
    readonly version: string,
    readonly reason: string,
  ) {
    super(`${scheme} version ${JSON.stringify(version)}: ${reason}`);
  }
}

/** A range expression the scheme cannot read. */
export class InvalidRangeError extends Error {
  override readonly name = "InvalidRangeError";
  constructor(
    readonly scheme: SchemeName,
    readonly range: string,
    readonly reason: string,
  ) {
    super(`${scheme} range ${JSON.stringify(range)}: ${reason}`);
  }
}
