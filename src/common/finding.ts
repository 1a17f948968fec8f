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

/** A Kubernetes object a finding is about. */
export interface FindingResource {
  kind: string;
  /** Absent for cluster-scoped objects and manifests that leave it to the apply. */
  namespace?: string;
  name: string;
}

/** "Deployment/shop/web", "ClusterRole/admin": how reports name an object. */
export function resourceText(r: FindingResource): string {
  return `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
}

export interface FindingLocation {
  /** Diff id of the layer that holds the thing found. */
  layer?: string;
  /** The file: a path inside the image, or the scanned file as the user named it. */
  path?: string;
  /** 1-based line (and last line, when the finding spans several) in that file. */
  line?: number;
  endLine?: number;
  /** Kubernetes: the object and the container the finding is about. */
  resource?: FindingResource;
  container?: string;
  /** Where in the document: `$.spec.template.spec.containers[0].securityContext.privileged`. */
  jsonPath?: string;
}

/** What to change. For Kubernetes, the JSON path to set and the value that passes. */
export interface FindingFix {
  /** Human-readable: "set securityContext.privileged to false". */
  description: string;
  jsonPath?: string;
  value?: unknown;
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
  /** Misconfigurations and secrets: what was seen, safe to print (secrets are redacted). */
  evidence?: string;
  /** Misconfigurations: what to change. */
  fix?: FindingFix;
}
