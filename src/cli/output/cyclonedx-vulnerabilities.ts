/**
 * CycloneDX 1.6 with a `vulnerabilities` section: the image's SBOM plus what
 * affects which component, with every source's rating, the fix, and for
 * vendor decisions (will not fix) a VEX analysis.
 */
import type { Finding, Severity } from "../../common/index.js";
import { toCycloneDx, type Inventory } from "../../inventory/index.js";
import type { VulnerabilityReport } from "../../match/index.js";
import { VERSION } from "../version.js";

const CDX_SEVERITY: Record<Severity, string> = { critical: "critical", high: "high", medium: "medium", low: "low", negligible: "info", unknown: "unknown" };

function method(type: string, vector?: string): string {
  if (type === "CVSS_V2") return "CVSSv2";
  if (type === "CVSS_V4") return "CVSSv4";
  if (type === "CVSS_V3") return vector?.startsWith("CVSS:3.1/") ? "CVSSv31" : "CVSSv3";
  return "other";
}

function advisoryUrl(id: string): string | undefined {
  if (id.startsWith("CVE-")) return `https://nvd.nist.gov/vuln/detail/${id}`;
  if (id.startsWith("GHSA-")) return `https://github.com/advisories/${id}`;
  if (id.startsWith("GO-")) return `https://pkg.go.dev/vuln/${id}`;
  return `https://osv.dev/vulnerability/${id}`;
}

function vulnerability(f: Finding, ref: string) {
  const url = advisoryUrl(f.id);
  const cwes = (f.cwes ?? []).map((c) => Number(/^CWE-(\d+)$/.exec(c)?.[1])).filter((n) => Number.isInteger(n));
  return {
    "bom-ref": `${f.id}|${ref}`,
    id: f.id,
    source: { name: f.id.split("-")[0]!, ...(url ? { url } : {}) },
    ...(f.aliases.length ? { references: f.aliases.map((a) => ({ id: a, source: { name: a.split("-")[0]!, url: advisoryUrl(a)! } })) } : {}),
    ratings: (f.ratings ?? []).map((r) => ({
      source: { name: r.source },
      ...(r.score !== undefined ? { score: r.score } : {}),
      severity: CDX_SEVERITY[r.severity],
      method: method(r.type, r.vector),
      ...(r.vector ? { vector: r.vector } : {}),
    })),
    ...(cwes.length ? { cwes } : {}),
    description: f.title,
    ...(f.published ? { published: f.published } : {}),
    ...(f.fixedVersion ? { recommendation: `Upgrade ${f.package!.name} to ${f.fixedVersion} or later.` } : {}),
    ...(f.status === "will-not-fix" ? { analysis: { state: "exploitable", response: ["will_not_fix"], detail: "The vendor does not plan to fix this in this release." } } : {}),
    affects: [{ ref, versions: [{ version: f.package!.version, status: "affected" }] }],
  };
}

export function cyclonedxWithVulnerabilities(inventory: Inventory, report: VulnerabilityReport): string {
  const bom = toCycloneDx(inventory, { toolVersion: VERSION });
  const byPurl = new Map<string, string>();
  for (const c of bom.components) if (c.purl && !byPurl.has(c.purl)) byPurl.set(c.purl, c["bom-ref"]);
  const vulnerabilities = report.findings.map((f) => vulnerability(f, byPurl.get(f.package!.purl) ?? bom.metadata.component["bom-ref"]));
  return JSON.stringify({ ...bom, vulnerabilities }, null, 2) + "\n";
}
