/**
 * One OSV record (JSON, or YAML as the PyPI advisory database writes it) as
 * an Advisory. The record's skeleton is checked with a zod schema, so a
 * malformed record is skipped with the JSON path of the bad field; a bad
 * optional part (one CVSS vector) only loses that part.
 */
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { jsonPath } from "../../common/index.js";
import { ratingFromText, severityFromVector } from "../cvss-score.js";
import type { Advisory, Affected, AffectedRange, ParsedFeed, RangeEvent, Severity } from "../model.js";

/** OSV records are kilobytes; anything near this is not an advisory. */
export const MAX_OSV_RECORD_CHARS = 8 * 1024 * 1024;

const text = z.string();
const event = z
  .object({ introduced: text.optional(), fixed: text.optional(), last_affected: text.optional(), limit: text.optional() })
  .loose()
  .refine((e) => [e.introduced, e.fixed, e.last_affected, e.limit].filter((v) => v !== undefined).length === 1, "an event needs exactly one of introduced, fixed, last_affected, limit");
const severity = z.object({ type: text, score: text }).loose();
const affected = z
  .object({
    package: z.object({ ecosystem: text, name: text, purl: text.optional() }).loose().optional(),
    ranges: z.array(z.object({ type: text, repo: text.optional(), events: z.array(event) }).loose()).nullish(),
    versions: z.array(text).nullish(),
    severity: z.array(severity).nullish(),
    ecosystem_specific: z.record(z.string(), z.unknown()).nullish(),
    database_specific: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
const record = z
  .object({
    id: text.min(1),
    aliases: z.array(text).nullish(),
    summary: text.nullish(),
    details: text.nullish(),
    published: text.nullish(),
    modified: text.nullish(),
    withdrawn: text.nullish(),
    severity: z.array(severity).nullish(),
    affected: z.array(affected).nullish(),
    references: z.array(z.object({ url: text }).loose()).nullish(),
    database_specific: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

type OsvRecord = z.infer<typeof record>;

/** PyPI names compare in PEP 503 form; the other ecosystems as written. */
function packageName(ecosystem: string, name: string): string {
  return ecosystem === "PyPI" ? name.toLowerCase().replace(/[-_.]+/g, "-") : name;
}

/** Who rated it, from the id's prefix: GHSA records carry GitHub's rating, GO records the Go team's. */
function raterOf(id: string): string {
  if (id.startsWith("GHSA-")) return "ghsa";
  if (id.startsWith("GO-")) return "go";
  if (id.startsWith("PYSEC-")) return "pypa";
  return "osv";
}

function vectorSeverities(list: z.infer<typeof severity>[] | null | undefined, source: string, where: string, warnings: string[]): Severity[] {
  const out: Severity[] = [];
  (list ?? []).forEach((s, i) => {
    if (!/^CVSS_V[234]$/.test(s.type)) return;
    try {
      out.push(severityFromVector(source, s.score));
    } catch (err) {
      warnings.push(`${where}[${i}].score: ${(err as Error).message}; rating skipped`);
    }
  });
  return out;
}

function rangesOf(list: NonNullable<z.infer<typeof affected>["ranges"]>): AffectedRange[] {
  const out: AffectedRange[] = [];
  for (const r of list) {
    // GIT ranges name commits, which a package version cannot be compared with.
    if (r.type !== "ECOSYSTEM" && r.type !== "SEMVER") continue;
    out.push({ type: r.type, events: r.events.map((e): RangeEvent => ({ ...(e.introduced !== undefined ? { introduced: e.introduced } : {}), ...(e.fixed !== undefined ? { fixed: e.fixed } : {}), ...(e.last_affected !== undefined ? { last_affected: e.last_affected } : {}), ...(e.limit !== undefined ? { limit: e.limit } : {}) })) });
  }
  return out;
}

function toAdvisory(osv: OsvRecord, file: string, warnings: string[]): Advisory {
  const rater = raterOf(osv.id);
  const severities = vectorSeverities(osv.severity, rater, `${file} $.severity`, warnings);
  const dbSpecific = osv.database_specific ?? {};
  if (typeof dbSpecific.severity === "string") severities.push({ source: rater, type: "rating", rating: ratingFromText(dbSpecific.severity) });
  const cwes = Array.isArray(dbSpecific.cwe_ids) ? dbSpecific.cwe_ids.filter((c): c is string => typeof c === "string" && /^CWE-\d+$/.test(c)) : [];
  const affectedList: Affected[] = [];
  (osv.affected ?? []).forEach((a, i) => {
    if (!a.package) return;
    const ecosystem = a.package.ecosystem;
    const entry: Affected = { ecosystem, package: packageName(ecosystem, a.package.name), ranges: rangesOf(a.ranges ?? []), versions: a.versions ?? [] };
    const own = vectorSeverities(a.severity, rater, `${file} $.affected[${i}].severity`, warnings);
    for (const s of own) if (!severities.some((x) => x.vector === s.vector)) severities.push(s);
    const word = a.ecosystem_specific?.severity ?? a.database_specific?.severity;
    if (typeof word === "string") entry.urgency = word;
    if (entry.ranges.length === 0 && entry.versions.length === 0 && (a.ranges ?? []).length > 0) {
      // Only GIT ranges: nothing here can be compared with a package version.
      return;
    }
    affectedList.push(entry);
  });
  return {
    id: osv.id,
    aliases: (osv.aliases ?? []).filter((a) => a !== osv.id),
    source: "osv",
    ...(osv.summary ? { summary: osv.summary } : {}),
    ...(osv.details ? { details: osv.details } : {}),
    ...(osv.published ? { published: osv.published } : {}),
    ...(osv.modified ? { modified: osv.modified } : {}),
    ...(osv.withdrawn ? { withdrawn: osv.withdrawn } : {}),
    severities,
    cwes,
    references: (osv.references ?? []).map((r) => r.url),
    affected: affectedList,
  };
}

/** Parses one OSV record; problems come back as warnings naming the file and JSON path. */
export function parseOsv(source: string, file: string, format: "json" | "yaml"): ParsedFeed {
  if (source.length > MAX_OSV_RECORD_CHARS) return { advisories: [], warnings: [`${file}: skipped: larger than ${MAX_OSV_RECORD_CHARS} characters`] };
  let doc: unknown;
  try {
    // YAML aliases are how "billion laughs" documents grow: OSV never needs many.
    doc = format === "json" ? JSON.parse(source) : parseYaml(source, { maxAliasCount: 100, uniqueKeys: false });
  } catch (err) {
    return { advisories: [], warnings: [`${file}: skipped: not valid ${format.toUpperCase()} (${(err as Error).message.split("\n")[0]})`] };
  }
  const result = record.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return { advisories: [], warnings: [`${file} ${jsonPath(issue.path)}: skipped: ${issue.message}`] };
  }
  const warnings: string[] = [];
  return { advisories: [toAdvisory(result.data, file, warnings)], warnings };
}
