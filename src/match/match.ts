/**
 * Inventory × DB → vulnerability findings. Each package is looked up by its
 * query, every advisory row decides, and rows that describe the same
 * vulnerability (linked by id or alias, e.g. a Debian tracker CVE and the DSA
 * that fixed it) become one finding carrying every id.
 */
import { messageOf, severityRank, type Finding, type Severity, type SourceRating } from "../common/index.js";
import type { Inventory, Package } from "../inventory/index.js";
import { ratingFromText, type Candidate, type VulnStore } from "../vulndb/index.js";
import { decide } from "./decide.js";
import { queryFor, type PackageQuery } from "./query.js";

export interface MatchResult {
  findings: Finding[];
  /** Advisory rows that could not be evaluated (a version the scheme cannot read), once each. */
  warnings: string[];
  /** Packages checked against the DB (those some feed covers). */
  checked: number;
}

interface Hit {
  candidate: Candidate;
  status: Finding["status"];
  fixedVersion?: string;
  native: boolean;
}

/** Looks up (ecosystem, package) once per matcher: rescans of many images share most packages. */
export class Matcher {
  private readonly cache = new Map<string, Candidate[]>();
  constructor(
    private readonly store: VulnStore,
    private readonly maxCached = 100_000,
  ) {}

  private candidates(ecosystem: string, name: string): Candidate[] {
    const key = `${ecosystem}\u0000${name}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.store.lookup(ecosystem, name);
      if (this.cache.size >= this.maxCached) this.cache.clear();
      this.cache.set(key, found);
    }
    return found;
  }

  /**
   * The findings of one (ecosystem, name, version), without the package
   * instance: every image with that version gets the same ones, so a rescan
   * of many images decides each distinct version once.
   */
  private readonly verdicts = new Map<string, { findings: Omit<Finding, "package" | "layer" | "location">[]; warnings: string[] }>();

  private verdictsFor(query: PackageQuery): { findings: Omit<Finding, "package" | "layer" | "location">[]; warnings: string[] } {
    const key = `${query.ecosystem}\u0000${query.name}\u0000${query.version}`;
    const known = this.verdicts.get(key);
    if (known) return known;
    const hits: Hit[] = [];
    const warnings: string[] = [];
    const notAffected = new Set<string>();
    for (const candidate of this.candidates(query.ecosystem, query.name)) {
      if (candidate.advisory.withdrawn) continue;
      try {
        const verdict = decide(query, candidate.affected);
        if (verdict.affected) {
          hits.push({ candidate, status: verdict.status, fixedVersion: verdict.fixedVersion, native: !!candidate.affected.state });
        } else if (verdict.notAffected) {
          for (const id of [candidate.advisory.id, ...candidate.advisory.aliases]) notAffected.add(id);
        }
      } catch (err) {
        warnings.push(`${candidate.advisory.id} (${query.ecosystem} ${query.name}): not evaluated for version ${query.version}: ${messageOf(err)}`);
      }
    }
    const findings: Omit<Finding, "package" | "layer" | "location">[] = [];
    for (const group of groupByIdentity(hits)) {
      const ids = new Set(group.flatMap((h) => [h.candidate.advisory.id, ...h.candidate.advisory.aliases]));
      // The distribution saying "not affected" outranks a generic record saying otherwise.
      if ([...ids].some((id) => notAffected.has(id))) continue;
      findings.push(toFinding(group, ids));
    }
    const result = { findings, warnings };
    if (this.verdicts.size >= this.maxCached) this.verdicts.clear();
    this.verdicts.set(key, result);
    return result;
  }

  match(inventory: Inventory): MatchResult {
    const findings: Finding[] = [];
    const warnings = new Set<string>();
    let checked = 0;
    for (const pkg of inventory.packages) {
      const query = queryFor(pkg, inventory.os);
      if (!query) continue;
      checked++;
      const known = this.verdictsFor(query);
      for (const w of known.warnings) warnings.add(`${w} (${pkg.name})`);
      for (const f of known.findings) findings.push(forPackage(f, pkg));
    }
    findings.sort(compareFindings);
    return { findings, warnings: [...warnings], checked };
  }
}

/** A version's finding placed on one package instance: its identity and the layer that added it. */
function forPackage(f: Omit<Finding, "package" | "layer" | "location">, pkg: Package): Finding {
  return {
    ...f,
    package: { name: pkg.name, version: pkg.version, type: pkg.type, purl: pkg.purl },
    ...(pkg.layer ? { layer: pkg.layer } : {}),
    location: { ...(pkg.layer ? { layer: pkg.layer } : {}), ...(pkg.paths[0] ? { path: pkg.paths[0] } : {}) },
  };
}

/** Hits linked by any shared id or alias, as connected groups (union-find over ids). */
function groupByIdentity(hits: Hit[]): Hit[][] {
  const parent = hits.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  hits.forEach((h, i) => {
    for (const id of [h.candidate.advisory.id, ...h.candidate.advisory.aliases]) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, Hit[]>();
  hits.forEach((h, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), h]);
  });
  return [...groups.values()];
}

const STATUS_ORDER: NonNullable<Finding["status"]>[] = ["fixed", "will-not-fix", "not-fixed", "end-of-life", "unknown"];

function toFinding(group: Hit[], ids: Set<string>): Omit<Finding, "package" | "layer" | "location"> {
  // A distribution's own verdict first; among equals, a known fix first.
  const ranked = [...group].sort((a, b) => Number(b.native) - Number(a.native) || STATUS_ORDER.indexOf(a.status!) - STATUS_ORDER.indexOf(b.status!));
  const lead = ranked[0]!;
  const sorted = [...ids].sort();
  const id = sorted.find((x) => x.startsWith("CVE-")) ?? lead.candidate.advisory.id;
  const ratings: SourceRating[] = [];
  // A distribution's word for this package (Debian urgency) is the vendor rating, so it leads.
  for (const h of ranked) {
    const urgency = h.native ? h.candidate.affected.urgency : undefined;
    if (!urgency) continue;
    const source = h.candidate.advisory.source.replace(/-(tracker|secdb)$/, "");
    if (!ratings.some((r) => r.source === source && r.type === "rating")) ratings.push({ source, type: "rating", severity: ratingFromText(urgency) });
  }
  for (const h of group) {
    for (const s of h.candidate.advisory.severities) {
      const rating: SourceRating = { source: s.source, type: s.type, severity: s.rating };
      if (s.vector) rating.vector = s.vector;
      if (s.score !== undefined) rating.score = s.score;
      if (!ratings.some((r) => JSON.stringify(r) === JSON.stringify(rating))) ratings.push(rating);
    }
  }
  const advisories = group.map((h) => h.candidate.advisory);
  const finding: Omit<Finding, "package" | "layer" | "location"> = {
    kind: "vulnerability",
    id,
    aliases: sorted.filter((x) => x !== id),
    severity: severityOf(ratings, ranked.some((h) => h.native)),
    title: advisories.map((a) => a.summary).find((s) => s) ?? id,
    references: [...new Set(advisories.flatMap((a) => a.references))],
    status: lead.status!,
    ...(lead.fixedVersion ? { fixedVersion: lead.fixedVersion } : {}),
    ratings,
    cwes: [...new Set(advisories.flatMap((a) => a.cwes))].sort(),
    sources: [...new Set(advisories.map((a) => a.source))].sort(),
  };
  const published = advisories.map((a) => a.published).filter((p): p is string => !!p).sort()[0];
  if (published) finding.published = published;
  return finding;
}

/**
 * The vendor's rating first (a distribution's, or the advisory database's own
 * word), then the highest CVSS score; "unknown" only when nobody rated it.
 */
function severityOf(ratings: SourceRating[], preferVendor: boolean): Severity {
  const words = ratings.filter((r) => r.type === "rating" && r.severity !== "unknown");
  if (words.length > 0 && (preferVendor || ratings.every((r) => r.type === "rating"))) return words[0]!.severity;
  const scored = ratings.filter((r) => r.score !== undefined).sort((a, b) => b.score! - a.score!);
  if (scored.length > 0) return scored[0]!.severity;
  return words[0]?.severity ?? "unknown";
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    (a.package!.name < b.package!.name ? -1 : a.package!.name > b.package!.name ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
