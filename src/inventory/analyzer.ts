/**
 * The contract between the layer walker and analyzers (the fanal pattern):
 * an analyzer names the paths it wants, carries a version that goes into the
 * layer cache key, and turns one file into results. Parsing proper lives in
 * pure functions (`parse*`) beside each analyzer so it can be tested on bytes.
 */
import type { Finding } from "../common/index.js";
import type { OsInfo, Package, PackageType } from "./model.js";

/** What the walker knows about a tar entry before reading it. */
export interface EntryInfo {
  /** Size in bytes of a regular file (0 for other types). */
  size: number;
  /** Permission bits and setuid/setgid/sticky (e.g. 0o4755). */
  mode: number;
}

/** One wanted file of a layer, handed to an analyzer. */
export interface LayerFile {
  /** Absolute path inside the image, normalised: "/var/lib/dpkg/status". */
  path: string;
  /** Digest of the layer the file is in (for messages and provenance). */
  layer: string;
  size: number;
  mode: number;
  /**
   * The whole file, read once. Rejects with an InputError when the file is
   * larger than the walker's in-memory limit.
   */
  bytes(): Promise<Buffer>;
  /**
   * The file in chunks, for analyzers that scan large files without holding
   * them. A chunk is valid only until the next is asked for: copy what you keep.
   */
  chunks(): AsyncIterable<Buffer>;
}

/** What an analyzer found in one file. */
export interface AnalysisResult {
  packages?: Package[];
  /** Partial OS facts: merged across files (os-release, debian_version, alpine-release). */
  os?: Partial<OsInfo> & { from: "os-release" | "debian_version" | "alpine-release" | "redhat-release" };
  /** Files an OS package manager says it owns; language packages inside them are not reported again. */
  ownedFiles?: string[];
  /** Licenses of an OS package recorded outside its database (Debian's copyright files), joined by name. */
  packageLicenses?: { type: PackageType; name: string; licenses: string[] }[];
  /** Findings about the file itself, from analyzers beyond the inventory (secrets). */
  findings?: Finding[];
  /** Non-fatal problems with this file. */
  warnings?: string[];
}

export interface Analyzer {
  /** Stable name, part of the cache key: "dpkg-status". */
  readonly name: string;
  /** Bump when the output for the same input changes: part of the cache key. */
  readonly version: number;
  /**
   * Only for directories (dir: targets), not images. Lockfiles say what a
   * project will install; in an image, what is installed is what counts, and
   * reading both would report every package twice.
   */
  readonly directoryOnly?: boolean;
  /** Whether this analyzer wants the file at `path` (absolute, normalised). Must be cheap. */
  wants(path: string, entry: EntryInfo): boolean;
  /**
   * Analyse one file. Returns null when the file turned out not to be one this
   * analyzer understands (e.g. an executable that is not a Go binary). Throw an
   * InputError for a corrupt file: the walker turns it into a warning.
   */
  analyze(file: LayerFile): Promise<AnalysisResult | null>;
}
