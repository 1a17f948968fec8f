/**
 * SARIF 2.1.0 for code scanning dashboards (GitHub accepts it): one rule per
 * vulnerability id, one result per vulnerable package. GitHub needs a
 * location for every result, so the package's path in the image stands in for
 * a source file.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Finding, Severity } from "../../common/index.js";
import type { VulnerabilityReport } from "../../match/index.js";
import { VERSION } from "../version.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", negligible: "note", unknown: "warning" };
/** GitHub sorts code scanning alerts by this property: CVSS-like numbers per severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0", negligible: "0.5", unknown: "0.0" };

function message(f: Finding): string {
  const fix = f.fixedVersion ? `Fixed in ${f.fixedVersion}.` : f.status === "will-not-fix" ? "The vendor will not fix it." : "No fix yet.";
  return `${f.package!.name} ${f.package!.version} is affected by ${f.id} (${f.severity}). ${fix}`;
}

export function sarifReport(report: VulnerabilityReport): string {
  const rules = new Map<string, ReportingDescriptor>();
  const ruleIndex = new Map<string, number>();
  const results = report.findings.map((f): Result => {
    if (!rules.has(f.id)) {
      ruleIndex.set(f.id, rules.size);
      rules.set(f.id, {
        id: f.id,
        name: f.id.replace(/[^A-Za-z0-9]/g, ""),
        shortDescription: { text: f.title },
        fullDescription: { text: f.title },
        ...(f.references[0] ? { helpUri: f.references[0] } : {}),
        help: { text: `${f.title}\n${f.references.slice(0, 5).join("\n")}`, markdown: `**${f.id}** ${f.title}\n\n${f.references.slice(0, 5).map((r) => `- ${r}`).join("\n")}` },
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: { "security-severity": SECURITY_SEVERITY[f.severity], tags: ["security", "vulnerability", f.severity] },
      });
    }
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id)!,
      level: LEVEL[f.severity],
      message: { text: message(f) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: (f.location?.path ?? report.target.reference).replace(/^\//, "") },
            region: { startLine: 1 },
          },
          message: { text: `${f.package!.purl}${f.layer ? ` (layer ${f.layer})` : ""}` },
        },
      ],
      partialFingerprints: { "portcullis/v1": `${f.id}|${f.package!.purl}` },
      properties: { package: f.package, status: f.status, ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}), aliases: f.aliases },
    };
  });
  const sarif: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "portcullis", version: VERSION, rules: [...rules.values()] } },
        results,
        properties: { target: report.target.reference, ...(report.target.digest ? { digest: report.target.digest } : {}) },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
