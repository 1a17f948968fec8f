/**
 * The image's own weight and attack surface for people: what each layer
 * adds (and where its bytes are), and which tools ship with how many bytes
 * from which layer — the figures to point at when slimming an image.
 */
import { shortDigest } from "../../common/index.js";
import { mib, type ImageHardening } from "../../misconfig/image/index.js";
import { columns } from "./table.js";

export function hardeningTable(h: ImageHardening): string {
  const out: string[] = [`Layers (${mib(h.bytes)} of files in all layers)`];
  const layers = [["#", "LAYER", "FILES", "SIZE", "LARGEST DIRECTORIES", "CREATED BY"]];
  for (const l of h.layers) {
    const step = (l.createdBy ?? "").replace(/\s+/g, " ");
    layers.push([String(l.index + 1), shortDigest(l.diffId ?? l.digest), String(l.files), mib(l.bytes), l.largest.slice(0, 3).map((d) => `${d.path} ${mib(d.bytes)}`).join(", "), step.length > 60 ? `${step.slice(0, 57)}...` : step]);
  }
  out.push(columns(layers).replace(/^/gm, "  "), "");
  if (h.attackSurface.length > 0) {
    out.push(`Attack surface shipped (${mib(h.attackSurface.reduce((sum, t) => sum + t.bytes, 0))})`);
    const rows = [["TOOL", "CATEGORY", "SIZE", "LAYER", "PROGRAMS"]];
    for (const t of h.attackSurface) rows.push([t.tool, t.category, mib(t.bytes), String(t.layerIndex + 1), t.programs.join(" ")]);
    out.push(columns(rows).replace(/^/gm, "  "), "");
  }
  return out.join("\n") + "\n";
}
