/**
 * The final filesystem of an image from its layers' listings: each layer's
 * deletions (whiteouts, opaque directories) applied to the layers below it,
 * then its own entries laid over them — so a shell removed in a later layer
 * is gone, and a file re-added without its setuid bit has lost it.
 */
import { isUnder } from "../image/index.js";
import type { LayerInventory } from "./layer-inventory.js";
import type { ListingKind } from "./layer-listing.js";

export interface FsEntry {
  kind: ListingKind;
  mode: number;
  /** Bytes of a regular file, or of the file a hard link shares. */
  size: number;
  /** Index of the layer that wrote this version of the path. */
  layer: number;
}

/** Drop the children of `dir` (and `dir` itself when asked) from the paths laid down so far. */
function deleteUnder(files: Map<string, FsEntry>, dir: string, includeSelf: boolean): void {
  const self = files.get(dir);
  if (includeSelf) files.delete(dir);
  // Whiteouts mostly name files: only a directory (or a path not seen) can have children to find.
  if (self !== undefined && self.kind !== "d") return;
  for (const path of files.keys()) if (path !== dir && isUnder(path, dir)) files.delete(path);
}

/** Path → what the running container sees there. Every layer must have been walked with a listing. */
export function finalFilesystem(layers: readonly LayerInventory[]): Map<string, FsEntry> {
  const files = new Map<string, FsEntry>();
  layers.forEach((inv, layer) => {
    const listing = inv.listing;
    if (!listing) throw new Error(`layer ${layer} was walked without a listing`);
    for (const dir of inv.opaques) deleteUnder(files, dir, false);
    for (const path of inv.whiteouts) deleteUnder(files, path, true);
    const hardlinks = listing.kinds.includes("h") ? new Map(inv.links.filter((l) => l.type === "hardlink").map((l) => [l.path, l.target])) : undefined;
    for (let i = 0; i < listing.paths.length; i++) {
      const path = listing.paths[i]!;
      const kind = listing.kinds[i] as ListingKind;
      let size = listing.sizes[i]!;
      if (kind === "h") {
        const target = hardlinks?.get(path);
        size = target === undefined ? 0 : (files.get(target)?.size ?? 0);
      }
      // A directory entry over an existing directory changes its mode but keeps its contents.
      if (kind !== "d" && files.get(path)?.kind === "d") deleteUnder(files, path, false);
      files.set(path, { kind, mode: listing.modes[i]!, size, layer });
    }
  });
  return files;
}
