/**
 * The one finding type every check produces (vulnerability, misconfiguration,
 * secret, benchmark, runtime): reports, policies, SARIF and the API all read
 * it. Kind-specific facts sit in optional fields rather than subtypes, so a
 * consumer that only knows the common fields still reads every finding.
 */

export type FindingKind = "vulnerability" | "misconfig" | "secret" | "benchmark" | "runtime";

export type Severity = "critical" | "high" | "medium" | "low" | "negligible" | "unknown";

/** Most severe first; the order filters, sorting and `--fail-on` use. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "negligible", "unknown"];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** What the vendor says about fixing a vulnerable package. */
export type FixStatus = "fixed" | "not-fixed" | "will-not-fix" | "end-of-life" | "unknown";

export interface FindingPackage {
  name: string;
  version: string;
  type: string;
  purl: string;
}

/** One source's rating of the same issue, kept so users see why the severity is what it is. */
export interface SourceRating {
  source: string;
  type: string;
  vector?: string;
  score?: number;
  severity: Severity;
}

export interface FindingLocation {
  /** Diff id of the layer that holds the thing found. */
  layer?: string;
  path?: string;
  line?: number;
  jsonPath?: string;
}

export interface Finding {
  kind: FindingKind;
  /** Stable id: the CVE when there is one, else the advisory or rule id. */
  id: string;
  /** Every other id of the same issue (GHSA, DSA, GO-, PYSEC-…). */
  aliases: string[];
  severity: Severity;
  title: string;
  location?: FindingLocation;
  references: string[];
  /** Vulnerabilities: the package found vulnerable. */
  package?: FindingPackage;
  /** Vulnerabilities: the vendor's fix state. */
  status?: FixStatus;
  /** Vulnerabilities: the version that fixes it, when one exists. */
  fixedVersion?: string;
  /** Vulnerabilities: diff id of the layer that added the package (same as location.layer). */
  layer?: string;
  /** Every source's rating. */
  ratings?: SourceRating[];
  cwes?: string[];
  /** Which feeds reported it ("debian-tracker", "osv"). */
  sources?: string[];
  published?: string;
}
