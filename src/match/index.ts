/** Matching: inventories against the vulnerability DB, giving vulnerability findings. */
export { Matcher, type MatchResult } from "./match.js";
export { queryFor, type PackageQuery } from "./query.js";
export { applyFilters, buildReport, reaches, type ReportFilters, type VulnerabilityReport } from "./report.js";
