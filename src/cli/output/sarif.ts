/**
 * SARIF 2.1.0 for code scanning dashboards (GitHub accepts it), for every
 * kind of finding: one rule per id, one result per finding. A
 * misconfiguration or secret points at its file and lines; a vulnerability at
 * the package's path in the image, since GitHub needs a location for every
 * result. Rule help comes from the rule catalog where the id is one of ours.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import { resourceText, type Finding, type RuleMeta, type Severity } from "../../common/index.js";
import type { VulnerabilityReport } from "../../match/index.js";
import { VERSION } from "../version.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", negligible: "note", unknown: "warning" };
/** GitHub sorts code scanning alerts by this property: CVSS-like numbers per severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0", negligible: "0.5", unknown: "0.0" };

export interface SarifTarget {
  /** What was scanned, as the user named it: where findings without a file point. */
  reference: string;
  digest?: string;
}

function message(f: Finding): string {
  if (f.kind === "vulnerability" && f.package) {
    const fix = f.fixedVersion ? `Fixed in ${f.fixedVersion}.` : f.status === "will-not-fix" ? "The vendor will not fix it." : "No fix yet.";
    return `${f.package.name} ${f.package.version} is affected by ${f.id} (${f.severity}). ${fix}`;
  }
  const fix = f.fix ? ` Fix: ${f.fix.description}.` : "";
  return `${f.title}${f.evidence ? `: ${f.evidence}` : ""}.${fix}`;
}

function descriptor(f: Finding, meta: RuleMeta | undefined): ReportingDescriptor {
  const references = (meta?.references ?? f.references).slice(0, 5);
  const text = meta ? `${meta.why}\n\nRemediation: ${meta.remediation}` : f.title;
  const markdown = meta
    ? `**${meta.id}** ${meta.title}\n\n${meta.why}\n\n**Remediation:** ${meta.remediation}\n\n${references.map((r) => `- ${r}`).join("\n")}`
    : `**${f.id}** ${f.title}\n\n${references.map((r) => `- ${r}`).join("\n")}`;
  return {
    id: f.id,
    name: f.id.replace(/[^A-Za-z0-9]/g, ""),
    shortDescription: { text: meta?.title ?? f.title },
    fullDescription: { text: meta ? meta.why : f.title },
    ...(references[0] ? { helpUri: references[0] } : {}),
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[meta?.severity ?? f.severity] },
    properties: { "security-severity": SECURITY_SEVERITY[meta?.severity ?? f.severity], tags: ["security", f.kind, f.severity] },
  };
}

function locationOf(f: Finding, target: SarifTarget): NonNullable<Result["locations"]>[number] {
  const uri = (f.location?.path ?? target.reference).replace(/^\/+/, "");
  const line = f.kind === "vulnerability" ? 1 : (f.location?.line ?? 1);
  const endLine = f.kind === "vulnerability" ? undefined : f.location?.endLine;
  const where = f.package ? `${f.package.purl}` : [f.location?.resource && resourceText(f.location.resource), f.location?.container && `container ${f.location.container}`, f.location?.jsonPath].filter(Boolean).join(" ");
  const layer = f.layer ?? f.location?.layer;
  return {
    physicalLocation: { artifactLocation: { uri }, region: { startLine: line, ...(endLine && endLine > line ? { endLine } : {}) } },
    message: { text: `${where || uri}${layer ? ` (layer ${layer})` : ""}` },
  };
}

function fingerprint(f: Finding): string {
  if (f.package) return `${f.id}|${f.package.purl}`;
  const l = f.location;
  return [f.id, l?.layer, l?.path, l?.resource && `${l.resource.kind}/${l.resource.namespace ?? ""}/${l.resource.name}`, l?.container, l?.jsonPath ?? l?.line].map((p) => p ?? "").join("|");
}

function properties(f: Finding): Record<string, unknown> {
  if (f.kind === "vulnerability") return { package: f.package, status: f.status, ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}), aliases: f.aliases };
  return { kind: f.kind, aliases: f.aliases, ...(f.evidence ? { evidence: f.evidence } : {}), ...(f.fix ? { fix: f.fix } : {}), ...(f.location ? { location: f.location } : {}) };
}

/** Any findings as one SARIF run; `rules` looks up our catalog entry of an id, undefined for advisories. */
export function sarifLog(findings: readonly Finding[], target: SarifTarget, rules: (id: string) => RuleMeta | undefined = () => undefined): string {
  const descriptors = new Map<string, ReportingDescriptor>();
  const ruleIndex = new Map<string, number>();
  const results = findings.map((f): Result => {
    if (!descriptors.has(f.id)) {
      ruleIndex.set(f.id, descriptors.size);
      descriptors.set(f.id, descriptor(f, rules(f.id)));
    }
    return {
      ruleId: f.id,
      ruleIndex: ruleIndex.get(f.id)!,
      level: LEVEL[f.severity],
      message: { text: message(f) },
      locations: [locationOf(f, target)],
      partialFingerprints: { "portcullis/v1": fingerprint(f) },
      properties: properties(f),
    };
  });
  const sarif: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "portcullis", version: VERSION, rules: [...descriptors.values()] } },
        results,
        properties: { target: target.reference, ...(target.digest ? { digest: target.digest } : {}) },
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

/** The vulnerability report of `portcullis image` as SARIF. */
export function sarifReport(report: VulnerabilityReport, rules?: (id: string) => RuleMeta | undefined): string {
  return sarifLog(report.findings, { reference: report.target.reference, ...(report.target.digest ? { digest: report.target.digest } : {}) }, rules);
}
