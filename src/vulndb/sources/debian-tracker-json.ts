/**
 * The Debian security tracker's JSON (`{source package: {CVE: {description,
 * releases: {codename: {status, fixed_version, urgency, nodsa, ...}}}}}`) as
 * advisories: one per CVE, one affected entry per (source package, release),
 * each with the tracker's own verdict, which OSV's Debian records flatten.
 */
import type { Advisory, Affected, FixState, ParsedFeed } from "../model.js";

/** OSV names Debian releases by number. Unknown codenames (sid) keep their name. */
const RELEASES: Record<string, string> = { buster: "10", bullseye: "11", bookworm: "12", trixie: "13", forky: "14", duke: "15" };

interface Release {
  status?: unknown;
  fixed_version?: unknown;
  urgency?: unknown;
  nodsa?: unknown;
  nodsa_reason?: unknown;
}

/**
 * The tracker's verdict for one package in one release. no-dsa ("minor
 * issue", fixed in a point release if at all) and ignored read as will-not-fix,
 * as other scanners report them; postponed means a fix is still expected.
 */
function stateOf(r: Release): { state: FixState; fixedVersion?: string } | string {
  const status = r.status;
  if (status === "resolved") {
    if (typeof r.fixed_version !== "string" || r.fixed_version === "") return "resolved without fixed_version";
    return r.fixed_version === "0" ? { state: "not-affected" } : { state: "fixed", fixedVersion: r.fixed_version };
  }
  if (status === "open") {
    if (r.urgency === "end-of-life") return { state: "end-of-life" };
    if (r.nodsa_reason === "postponed") return { state: "not-fixed" };
    if (r.nodsa_reason === "ignored" || typeof r.nodsa === "string") return { state: "will-not-fix" };
    return { state: "not-fixed" };
  }
  if (status === "undetermined") return { state: "unknown" };
  return `unknown status ${JSON.stringify(status)}`;
}

export function parseDebianTracker(text: string, file: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { advisories: [], warnings: [`${file}: skipped: not valid JSON (${(err as Error).message})`] };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { advisories: [], warnings: [`${file} $: skipped: expected an object of source packages`] };
  const warnings: string[] = [];
  const byCve = new Map<string, Advisory>();
  for (const [pkg, cves] of Object.entries(doc as Record<string, unknown>)) {
    if (!cves || typeof cves !== "object" || Array.isArray(cves)) {
      warnings.push(`${file} $["${pkg}"]: skipped: expected an object of CVEs`);
      continue;
    }
    for (const [cve, body] of Object.entries(cves as Record<string, unknown>)) {
      const where = `${file} $["${pkg}"]["${cve}"]`;
      const entry = body as { description?: unknown; releases?: unknown } | null;
      if (!entry || typeof entry !== "object" || !entry.releases || typeof entry.releases !== "object") {
        warnings.push(`${where}.releases: skipped: expected an object of releases`);
        continue;
      }
      let advisory = byCve.get(cve);
      if (!advisory) {
        advisory = { id: cve, aliases: [], source: "debian-tracker", severities: [], cwes: [], references: [`https://security-tracker.debian.org/tracker/${cve}`], affected: [] };
        if (typeof entry.description === "string" && entry.description) advisory.summary = entry.description;
        byCve.set(cve, advisory);
      }
      for (const [codename, release] of Object.entries(entry.releases as Record<string, Release>)) {
        const verdict = release && typeof release === "object" ? stateOf(release) : "expected an object";
        if (typeof verdict === "string") {
          warnings.push(`${where}.releases.${codename}: skipped: ${verdict}`);
          continue;
        }
        const affected: Affected = { ecosystem: `Debian:${RELEASES[codename] ?? codename}`, package: pkg, ranges: [], versions: [], ...verdict };
        if (typeof release.urgency === "string") affected.urgency = release.urgency;
        if (typeof release.nodsa === "string" && release.nodsa) affected.note = release.nodsa;
        advisory.affected.push(affected);
      }
    }
  }
  return { advisories: [...byCve.values()], warnings };
}
