/**
 * The human report of misconfigurations and secrets: grouped by file, in line
 * order, each with what was seen and what to change — the two things a person
 * fixing a manifest needs on one screen.
 */
import { SEVERITIES, resourceText, shortDigest, type Finding, type Severity } from "../../common/index.js";
import { columns } from "./table.js";

/** "CRITICAL: 1, HIGH: 3" for the severities present. */
export function severityCounts(findings: readonly Finding[]): string {
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return SEVERITIES.filter((s) => counts.has(s))
    .map((s) => `${s.toUpperCase()}: ${counts.get(s)}`)
    .join(", ");
}

function resourceOf(f: Finding): string {
  const r = f.location?.resource;
  if (!r) return "";
  return `${resourceText(r)}${f.location?.container ? ` [${f.location.container}]` : ""}`;
}

function clip(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 3)}...` : flat;
}

/** Findings grouped under their file (or layer), one row each and an indented fix line. */
export function findingsTable(findings: readonly Finding[]): string {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const where = f.location?.path ?? "(image configuration)";
    const key = f.location?.layer ? `${where} (layer ${shortDigest(f.location.layer)})` : where;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: string[] = [];
  for (const [file, list] of groups) {
    out.push(`${file}: ${list.length} finding${list.length === 1 ? "" : "s"} (${severityCounts(list)})`);
    const withResource = list.some((f) => f.location?.resource);
    const rows = [["LINE", "ID", "SEVERITY", ...(withResource ? ["RESOURCE"] : []), "FINDING"]];
    const fixes: (string | undefined)[] = [];
    for (const f of list) {
      const line = f.location?.line === undefined ? "" : f.location.endLine && f.location.endLine > f.location.line ? `${f.location.line}-${f.location.endLine}` : String(f.location.line);
      rows.push([line, f.id, f.severity.toUpperCase(), ...(withResource ? [resourceOf(f)] : []), clip(`${f.title}${f.evidence ? `: ${f.evidence}` : ""}`, 140)]);
      fixes.push(f.fix ? `fix: ${f.fix.description}${f.fix.jsonPath !== undefined ? ` (${f.fix.jsonPath}${f.fix.value !== undefined ? ` = ${JSON.stringify(f.fix.value)}` : ""})` : ""}` : undefined);
    }
    const table = columns(rows).split("\n");
    out.push(`  ${table[0]}`);
    table.slice(1).forEach((row, i) => {
      out.push(`  ${row}`);
      const fix = fixes[i];
      if (fix) out.push(`  ${" ".repeat(6)}${clip(fix, 160)}`);
    });
    out.push("");
  }
  return out.join("\n");
}

/** An image's own findings in one table: where in the image (file or config field), the layer, what was seen. */
export function imageFindingsTable(findings: readonly Finding[]): string {
  const rows = [["ID", "SEVERITY", "WHERE", "LAYER", "FINDING"]];
  for (const f of findings) {
    rows.push([f.id, f.severity.toUpperCase(), f.location?.path ?? f.location?.jsonPath ?? "", f.location?.layer ? shortDigest(f.location.layer) : "", clip(`${f.title}${f.evidence ? `: ${f.evidence}` : ""}`, 140)]);
  }
  return columns(rows).replace(/^/gm, "  ") + "\n";
}
