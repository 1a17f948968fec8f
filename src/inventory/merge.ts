/**
 * Layers → the final filesystem's inventory. Apply each layer's deletions
 * (whiteouts, opaque directories) and additions bottom-up, so only what the
 * final filesystem still holds is reported, while each package remembers the
 * lowest layer from which it has been continuously present at its path.
 */
import { isUnder } from "../image/index.js";
import type { AnalysisResult } from "./analyzer.js";
import type { FileResult, LayerInventory } from "./layer-inventory.js";
import type { Package } from "./model.js";

interface Version {
  layer: number;
  result: FileResult;
}

export interface MergedFile {
  path: string;
  analyzer: string;
  result: AnalysisResult;
  /** Layer index that wrote the final version of the file. */
  layer: number;
  /** For each package of the final version, the layer index that introduced it. */
  introducedIn: number[];
}

function packageKey(p: Package): string {
  return `${p.type}\u0000${p.name}\u0000${p.version}\u0000${p.arch ?? ""}`;
}

function deleteUnder(map: Map<string, unknown>, dir: string, includeSelf: boolean): void {
  for (const path of map.keys()) {
    if (isUnder(path, dir) && (includeSelf || path !== dir)) map.delete(path);
  }
}

export function mergeLayers(layers: readonly LayerInventory[]): MergedFile[] {
  // Each path keeps its consecutive versions; a deletion drops the history.
  const files = new Map<string, Version[]>();
  layers.forEach((inv, index) => {
    for (const dir of inv.opaques) deleteUnder(files, dir, false);
    for (const path of inv.whiteouts) deleteUnder(files, path, true);
    // A path rewritten in this layer starts a new version; analyzers of the same path share it.
    for (const f of inv.files) {
      const versions = files.get(f.path) ?? [];
      versions.push({ layer: index, result: f });
      files.set(f.path, versions);
    }
    for (const link of inv.links) {
      if (link.type === "symlink") {
        files.delete(link.path);
        continue;
      }
      // A hard link shares its target's content: it gets the target's results under its own path.
      const target = files.get(link.target);
      files.delete(link.path);
      if (target) {
        const finalLayer = target[target.length - 1]!.layer;
        files.set(
          link.path,
          target
            .filter((v) => v.layer === finalLayer)
            .map((v) => ({ layer: index, result: { ...v.result, path: link.path, result: relocate(v.result.result, v.result.path, link.path) } })),
        );
      }
    }
  });

  const out: MergedFile[] = [];
  for (const [path, versions] of files) {
    const finalLayer = versions[versions.length - 1]!.layer;
    for (const v of versions.filter((x) => x.layer === finalLayer)) {
      const pkgs = v.result.result.packages ?? [];
      const introducedIn = pkgs.map((p) => {
        const key = packageKey(p);
        let first = v.layer;
        // Walk back through earlier versions of the same file by the same analyzer while the package was there.
        const earlier = versions.filter((x) => x.result.analyzer === v.result.analyzer && x.layer < v.layer).reverse();
        for (const e of earlier) {
          if ((e.result.result.packages ?? []).some((q) => packageKey(q) === key)) first = e.layer;
          else break;
        }
        return first;
      });
      out.push({ path, analyzer: v.result.analyzer, result: v.result.result, layer: v.layer, introducedIn });
    }
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.analyzer.localeCompare(b.analyzer)));
  return out;
}

function relocate(result: AnalysisResult, from: string, to: string): AnalysisResult {
  if (!result.packages) return result;
  return {
    ...result,
    packages: result.packages.map((p) => ({ ...p, paths: p.paths.map((x) => (x === from ? to : x.startsWith(`${from}!`) ? to + x.slice(from.length) : x)) })),
  };
}

/** The symlinks of the final filesystem (path → target as written), for canonical paths. */
export function finalSymlinks(layers: readonly LayerInventory[]): Map<string, string> {
  const links = new Map<string, string>();
  for (const inv of layers) {
    for (const dir of inv.opaques) deleteUnder(links, dir, false);
    for (const path of inv.whiteouts) deleteUnder(links, path, true);
    for (const f of inv.files) links.delete(f.path);
    for (const link of inv.links) {
      if (link.type === "symlink") links.set(link.path, link.target);
      else links.delete(link.path);
    }
  }
  return links;
}
