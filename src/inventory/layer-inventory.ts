/**
 * What one layer contributes, independent of the layers around it: the
 * results of the analyzers for the files they claimed, and the deletions and
 * links the layer makes. Depends only on the layer's bytes and the analyzer
 * versions, so it is what the layer cache stores.
 */
import type { AnalysisResult } from "./analyzer.js";
import type { LayerListing } from "./layer-listing.js";

export interface FileResult {
  path: string;
  analyzer: string;
  result: AnalysisResult;
}

export interface LinkRecord {
  path: string;
  type: "symlink" | "hardlink";
  /** Symlink: target as written; hardlink: absolute image path. */
  target: string;
}

export interface LayerInventory {
  files: FileResult[];
  whiteouts: string[];
  opaques: string[];
  links: LinkRecord[];
  warnings: string[];
  entries: number;
  /** `name@version` of the analyzers beyond the inventory's that ran in this walk (secrets): their results are in `files`. */
  extras?: string[];
  /** Every entry with its kind, mode and size: present when the walk was asked for it. */
  listing?: LayerListing;
}
