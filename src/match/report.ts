/**
 * The vulnerability report of one target: its inventory's identity, the
 * findings that pass the user's filters, and counts by severity and fix
 * state. `--format json` prints exactly this; docs/vulnerability-json.md
 * documents it.
 */
import { SEVERITIES, severityRank, type Finding, type FixStatus, type Severity } from "../common/index.js";
import { OS_PACKAGE_TYPES, type Inventory, type OsInfo, type TargetInfo } from "../inventory/index.js";

export interface ReportFilters {
  /** Keep only these severities (all when empty). */
  severities?: Severity[];
  /** Drop findings without a fixed version. */
  ignoreUnfixed?: boolean;
  /** "os" (distribution packages) and/or "library" (language packages). */
  pkgTypes?: ("os" | "library")[];
}

export interface VulnerabilityReport {
  schemaVersion: 1;
  target: TargetInfo;
  os?: OsInfo;
  db: { file: string; updatedAt?: string };
  summary: {
    packages: number;
    /** Packages some feed covers (the rest have no data to match against). */
    checked: number;
    bySeverity: Record<Severity, number>;
    byStatus: Record<FixStatus, number>;
  };
  findings: Finding[];
  warnings: string[];
}

export function applyFilters(findings: readonly Finding[], f: ReportFilters): Finding[] {
  return findings.filter((x) => {
    if (f.severities?.length && !f.severities.includes(x.severity)) return false;
    if (f.ignoreUnfixed && !x.fixedVersion) return false;
    if (f.pkgTypes?.length) {
      const os = OS_PACKAGE_TYPES.has(x.package?.type as never);
      if (!f.pkgTypes.includes(os ? "os" : "library")) return false;
    }
    return true;
  });
}

export function buildReport(
  inventory: Inventory,
  findings: Finding[],
  checked: number,
  db: { file: string; updatedAt?: string },
  warnings: string[],
): VulnerabilityReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStatus: Record<FixStatus, number> = { fixed: 0, "not-fixed": 0, "will-not-fix": 0, "end-of-life": 0, unknown: 0 };
  for (const x of findings) {
    bySeverity[x.severity]++;
    if (x.status) byStatus[x.status]++;
  }
  return {
    schemaVersion: 1,
    target: inventory.target,
    ...(inventory.os ? { os: inventory.os } : {}),
    db,
    summary: { packages: inventory.packages.length, checked, bySeverity, byStatus },
    findings,
    warnings,
  };
}

/** True when some finding is at least as severe as `threshold` (for --fail-on). */
export function reaches(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((x) => x.severity !== "unknown" && severityRank(x.severity) <= severityRank(threshold));
}
