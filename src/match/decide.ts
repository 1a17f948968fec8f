/**
 * One advisory row against one installed version: affected or not, and with
 * which fix state. A native feed's verdict (Debian tracker, Alpine secdb)
 * decides on its own; OSV rows decide by their ranges and version lists.
 */
import type { FixStatus } from "../common/index.js";
import { fixedVersionFor, inOsvRange } from "../versions/index.js";
import type { Affected } from "../vulndb/index.js";
import { rangeScheme, type PackageQuery } from "./query.js";

export type Verdict = { affected: true; status: FixStatus; fixedVersion?: string } | { affected: false; notAffected: boolean };

const UNAFFECTED: Verdict = { affected: false, notAffected: false };

export function decide(query: PackageQuery, row: Affected): Verdict {
  const { scheme, version } = query;
  if (row.state) {
    switch (row.state) {
      case "not-affected":
        return { affected: false, notAffected: true };
      case "fixed":
        // A fix the installed version already has is no finding; "fixed" without a version is not trusted to mean either.
        if (!row.fixedVersion) return { affected: true, status: "unknown" };
        return scheme.compare(version, row.fixedVersion) < 0 ? { affected: true, status: "fixed", fixedVersion: row.fixedVersion } : UNAFFECTED;
      default:
        return { affected: true, status: row.state };
    }
  }
  let hit = row.versions.some((v) => v === version);
  if (!hit && row.versions.length > 0 && row.ranges.length === 0 && !row.expression) {
    // Enumerations can spell a version differently ("1.0" vs "1.0.0" in PyPI): compare, not just string-match.
    hit = row.versions.some((v) => scheme.valid(v) && scheme.compare(v, version) === 0);
  }
  let fixed: string | undefined;
  for (const range of row.ranges) {
    const s = rangeScheme(query, range.type);
    if (inOsvRange(s, version, range.events)) {
      hit = true;
      const f = fixedVersionFor(s, version, range.events);
      if (f !== undefined && (fixed === undefined || s.compare(f, fixed) < 0)) fixed = f;
    }
  }
  if (!hit && row.expression) {
    hit = scheme.satisfies(version, row.expression);
    // Legacy advisories name the first patched release beside their range.
    if (hit && row.fixedVersion && scheme.compare(row.fixedVersion, version) > 0) fixed = row.fixedVersion;
  }
  if (!hit) return UNAFFECTED;
  return fixed !== undefined ? { affected: true, status: "fixed", fixedVersion: fixed } : { affected: true, status: "not-fixed" };
}
