/**
 * The Node.js security working group's legacy npm advisories (the Node
 * Security Project format, frozen since the move to GitHub advisories):
 * `module_name`, `vulnerable_versions` and `patched_versions` as npm ranges,
 * `cves`, `cvss_vector`. Their ranges have no OSV events, so the affected
 * range is kept as an npm range expression. Ids follow the working group's
 * own naming, NSWG-ECO-<id>.
 */
import semver from "semver";
import type { Advisory, ParsedFeed, Severity } from "../model.js";

interface LegacyAdvisory {
  id: number;
  title?: string;
  overview?: string;
  module_name: string;
  cves?: string[] | null;
  vulnerable_versions: string;
  patched_versions?: string | null;
  references?: string[] | null;
  cvss_vector?: string | null;
  publish_date?: string;
  updated_at?: string;
}

/** Turns a CVSS vector into a Severity; supplied by the caller so this parser stays free of scoring. */
export type ScoreVector = (source: string, vector: string) => Severity;

/** The lowest patched version, offered as the fix when it is above the installed one. */
function firstPatched(range: string | null | undefined): { fixedVersion?: string } {
  if (!range) return {};
  try {
    const lowest = semver.minVersion(range);
    return lowest && lowest.version !== "0.0.0" ? { fixedVersion: lowest.version } : {};
  } catch {
    return {};
  }
}

function isLegacy(value: unknown): value is LegacyAdvisory {
  const v = value as Partial<LegacyAdvisory> | null;
  return !!v && typeof v === "object" && typeof v.module_name === "string" && typeof v.vulnerable_versions === "string" && Number.isInteger(v.id);
}

function toAdvisory(a: LegacyAdvisory, score: ScoreVector, warnings: string[], where: string): Advisory {
  const severities: Severity[] = [];
  if (a.cvss_vector) {
    try {
      severities.push(score("nodejs-wg", a.cvss_vector));
    } catch (err) {
      warnings.push(`${where}.cvss_vector: ${(err as Error).message}`);
    }
  }
  return {
    id: `NSWG-ECO-${a.id}`,
    aliases: (a.cves ?? []).filter((c) => /^CVE-\d{4}-\d+$/.test(c)),
    source: "nodejs-wg",
    ...(a.title ? { summary: a.title } : {}),
    ...(a.overview ? { details: a.overview } : {}),
    ...(a.publish_date ? { published: a.publish_date } : {}),
    ...(a.updated_at ? { modified: a.updated_at } : {}),
    severities,
    cwes: [],
    references: (a.references ?? []).filter((r) => typeof r === "string"),
    affected: [{ ecosystem: "npm", package: a.module_name, ranges: [], versions: [], expression: a.vulnerable_versions, ...firstPatched(a.patched_versions) }],
  };
}

/**
 * One advisory file, or the working group's index.json (an object of them by
 * id). A record without a module name or vulnerable range is skipped with a
 * warning naming its place.
 */
export function parseNodejsWg(text: string, file: string, score: ScoreVector): ParsedFeed {
  const warnings: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { advisories: [], warnings: [`${file}: not JSON (${(err as Error).message})`] };
  }
  if (isLegacy(doc)) return { advisories: [toAdvisory(doc, score, warnings, `${file} $`)], warnings };
  const advisories: Advisory[] = [];
  if (doc && typeof doc === "object" && !Array.isArray(doc)) {
    for (const [key, value] of Object.entries(doc)) {
      if (isLegacy(value)) advisories.push(toAdvisory(value, score, warnings, `${file} $["${key}"]`));
      else warnings.push(`${file} $["${key}"]: skipped: expected an advisory with id, module_name and vulnerable_versions`);
    }
  }
  return { advisories, warnings };
}
