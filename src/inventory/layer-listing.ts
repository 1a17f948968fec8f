/**
 * Every entry of one layer, kept as parallel arrays: what image checks need
 * beyond packages (setuid bits, world-writable paths, which tools ship and
 * their bytes, the size of each layer and directory) without reading a
 * single file body. Collected only when asked, because an SBOM does not need
 * it; an entry costs four pushes and no allocation of its own.
 */
import type { EntryType } from "../image/index.js";

/** One character per entry: file, directory, symlink, hard link. */
export type ListingKind = "f" | "d" | "l" | "h";

export interface LayerListing {
  /** Absolute paths, in the layer's order. */
  paths: string[];
  /** The kind of each entry, one character each (see ListingKind). */
  kinds: string;
  /** Permission bits with setuid/setgid/sticky. */
  modes: number[];
  /** Bytes of regular files; 0 for the rest. */
  sizes: number[];
}

const KIND: Partial<Record<EntryType, ListingKind>> = { file: "f", directory: "d", symlink: "l", hardlink: "h" };

export class ListingCollector {
  private readonly paths: string[] = [];
  private kinds: string[] = [];
  private readonly modes: number[] = [];
  private readonly sizes: number[] = [];

  add(path: string, type: EntryType, mode: number, size: number): void {
    const kind = KIND[type];
    if (kind === undefined) return;
    this.paths.push(path);
    this.kinds.push(kind);
    this.modes.push(mode);
    this.sizes.push(type === "file" ? size : 0);
  }

  done(): LayerListing {
    return { paths: this.paths, kinds: this.kinds.join(""), modes: this.modes, sizes: this.sizes };
  }
}
