/** The human table: what a person reading a terminal wants first — what is inside, from which layer. */
import { shortDigest } from "../../common/index.js";
import type { Inventory } from "../../inventory/index.js";

export function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd()).join("\n");
}

export function inventoryTable(inv: Inventory): string {
  const lines: string[] = [];
  const os = inv.os ? `${inv.os.prettyName ?? `${inv.os.family} ${inv.os.version}`}` : "unknown OS";
  lines.push(`${inv.target.reference} (${os})`);
  const byType = new Map<string, number>();
  for (const p of inv.packages) byType.set(p.type, (byType.get(p.type) ?? 0) + 1);
  lines.push(`${inv.packages.length} packages${byType.size ? ` (${[...byType].map(([t, n]) => `${t} ${n}`).join(", ")})` : ""}`);
  lines.push("");
  if (inv.packages.length > 0) {
    const rows = [["NAME", "VERSION", "TYPE", "SOURCE", "LAYER", "PATH"]];
    for (const p of inv.packages) {
      const source = p.source && (p.source.name !== p.name || (p.source.version && p.source.version !== p.version)) ? `${p.source.name}${p.source.version && p.source.version !== p.version ? ` ${p.source.version}` : ""}` : "";
      rows.push([p.name, p.version, p.type, source, p.layer ? shortDigest(p.layer) : "", p.paths[0] ?? ""]);
    }
    lines.push(columns(rows));
  }
  return lines.join("\n") + "\n";
}
