/**
 * The image model every source produces: a config, an ordered list of layers
 * (bottom first) that can each be streamed as tar entries, and what the source
 * knows about names and digests. Sources never extract anything to disk.
 */

/**
 * "whiteout" deletes `path` (and everything under it) from the layers below;
 * "opaque" hides everything the layers below have under the directory `path`.
 */
export type EntryType = "file" | "directory" | "symlink" | "hardlink" | "whiteout" | "opaque" | "other";

/** One entry of a layer (tar member or file of a rootfs directory). */
export interface LayerEntry {
  /** Absolute, normalised path inside the image ("/etc/os-release"). */
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  /** Symlink target as written, or hardlink target as an absolute image path. */
  linkTarget?: string;
  /**
   * Opens the body of a regular file, as chunks. Call at most once, and be
   * done with it before asking for the next entry; entries not opened are
   * skipped. A chunk may be a view of memory the walk reuses once the next
   * chunk is asked for: copy what you keep.
   */
  open?: () => AsyncIterable<Buffer>;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    ExposedPorts?: Record<string, unknown>;
    Labels?: Record<string, string> | null;
    Healthcheck?: unknown;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

export interface Layer {
  /** Blob digest from the manifest; for sources without blobs, the diff id. */
  digest: string;
  /** Uncompressed tar digest (config rootfs.diff_ids), when known. */
  diffId?: string;
  mediaType?: string;
  /** Blob size in bytes, when known. */
  size?: number;
  /** The history step that made the layer, when known. */
  createdBy?: string;
  /** Not an image layer but a directory tree (dir: sources): never cached, never named as a package's layer. */
  synthetic?: boolean;
  /**
   * The layer's entries in archive order. Blob digests are verified as the
   * bytes flow: a mismatch rejects at the end of the stream.
   */
  entries(): AsyncIterable<LayerEntry>;
}

export interface OpenedImage {
  /** The reference as the user gave it. */
  reference: string;
  transport: string;
  /** Manifest digest, when there is a manifest. */
  digest?: string;
  /** Digest of the index (manifest list) the reference named, when the manifest was picked from one by platform. */
  indexDigest?: string;
  /** Config digest (image id), when there is a config. */
  imageId?: string;
  names: string[];
  platform?: string;
  config?: ImageConfig;
  layers: Layer[];
  /** Release temporary resources (open files, spawned processes). */
  close(): Promise<void>;
}

/** Options every source understands. */
export interface OpenOptions {
  /** "os/arch[/variant]"; default linux/amd64. */
  platform?: string;
  /** Allow plain HTTP to a registry (loopback only). */
  insecure?: boolean;
  /** Called as blobs download: bytes so far and total, per digest. */
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export interface ProgressEvent {
  phase: "pull" | "walk";
  digest: string;
  done: number;
  total?: number;
}
