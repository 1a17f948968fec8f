/**
 * One advisory shape for every feed. OSV is the common format; the Debian
 * tracker and Alpine secdb are read natively because they carry states OSV
 * flattens (unfixed, no-dsa, not-affected, urgency), which land in `state`.
 */

/** What the vendor says about a package and a vulnerability. */
export type FixState = "fixed" | "not-fixed" | "will-not-fix" | "not-affected" | "end-of-life" | "unknown";

export type SeverityRating = "critical" | "high" | "medium" | "low" | "negligible" | "unknown";

/** One source's rating: a vendor's word, or a CVSS vector with the score computed from it. */
export interface Severity {
  /** Who rated it: "nvd", "ghsa", "debian", "go", "osv" (unspecified in the record), a vendor name. */
  source: string;
  type: "CVSS_V2" | "CVSS_V3" | "CVSS_V4" | "rating";
  /** The CVSS vector as published. */
  vector?: string;
  /** Base score computed from the vector. */
  score?: number;
  rating: SeverityRating;
}

/** OSV range events; exactly one field is set in each. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface AffectedRange {
  type: "ECOSYSTEM" | "SEMVER" | "GIT";
  events: RangeEvent[];
}

/** A package an advisory affects, in one ecosystem. */
export interface Affected {
  /**
   * OSV ecosystem name with release: "Debian:12", "Alpine:v3.20", "Rocky Linux:9",
   * "npm", "PyPI", "Go", "Maven", "RubyGems", "crates.io", "NuGet", "Packagist".
   * Native feeds use the same names (the tracker's "bookworm" becomes "Debian:12").
   */
  ecosystem: string;
  /**
   * The package name as the ecosystem's matching uses it: Debian source package,
   * Alpine origin, npm name, PyPI name normalised per PEP 503, Go module path,
   * Maven "group:artifact".
   */
  package: string;
  ranges: AffectedRange[];
  /** Enumerated affected versions (OSV `versions`). */
  versions: string[];
  /** A range in the scheme's own syntax, as a feed without OSV events writes it (legacy npm advisories: "<4.17.5"). */
  expression?: string;
  /** A native feed's own verdict; when set it decides, with `fixedVersion`. */
  state?: FixState;
  fixedVersion?: string;
  /** The vendor's severity word for this package (Debian urgency), kept as written. */
  urgency?: string;
  /** Free text from the vendor (Debian no-dsa reason). */
  note?: string;
}

export interface Advisory {
  /** "CVE-2024-3094", "GHSA-…", "GO-2024-2687", "PYSEC-…", "DSA-5514-1". */
  id: string;
  aliases: string[];
  /** The feed it came from: "osv", "debian-tracker", "alpine-secdb". */
  source: string;
  summary?: string;
  details?: string;
  published?: string;
  modified?: string;
  withdrawn?: string;
  severities: Severity[];
  /** "CWE-79". */
  cwes: string[];
  references: string[];
  affected: Affected[];
}

/** What a source parser returns for one input file: advisories and per-record problems. */
export interface ParsedFeed {
  advisories: Advisory[];
  /** One line per skipped record or field: names the file and the field. */
  warnings: string[];
}
