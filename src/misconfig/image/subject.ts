/**
 * What the image checks look at: the image's configuration and its final
 * filesystem as plain data. The scan that walks the layers builds it; the
 * checks never read a layer themselves, so they are tested on small maps.
 */

/** One path of the final filesystem. */
export interface ImageFile {
  /** f file, d directory, l symlink, h hard link. */
  kind: "f" | "d" | "l" | "h";
  mode: number;
  size: number;
  /** Index of the layer that wrote this version. */
  layer: number;
}

/** One layer with every entry it holds (deleted later or not). */
export interface ImageLayer {
  digest: string;
  diffId?: string;
  /** The history step that made it. */
  createdBy?: string;
  paths: readonly string[];
  kinds: string;
  sizes: readonly number[];
}

/** The fields of an image configuration the checks read (OCI image config `config`). */
export interface RunConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  ExposedPorts?: Record<string, unknown>;
  Healthcheck?: unknown;
}

export interface ImageSubject {
  config: RunConfig;
  layers: readonly ImageLayer[];
  files: ReadonlyMap<string, ImageFile>;
  /** The path with every symlinked component resolved inside the image. */
  resolve(path: string): string;
}

/** How findings name a layer: its diff id when known. */
export function layerId(layer: ImageLayer | undefined): string | undefined {
  return layer ? (layer.diffId ?? layer.digest) : undefined;
}
