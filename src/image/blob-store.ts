/** Where an OCI image layout keeps its files: a directory, or a tar of one (oci-archive). */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { InputError } from "../common/index.js";
import { createReadStream } from "node:fs";
import type { FileRange } from "./file-chunks.js";
import { LAYER_READ_CHUNK, type TarIndex } from "./tar-index.js";

export interface BlobStore {
  readonly label: string;
  has(path: string): Promise<boolean>;
  text(path: string): Promise<string>;
  size(path: string): Promise<number>;
  stream(path: string): Readable;
  /** Where the blob's bytes lie in a local file. */
  range(path: string): Promise<FileRange>;
}

const MAX_JSON = 16 * 1024 * 1024;

export function dirStore(dir: string, label: string): BlobStore {
  return {
    label,
    has: async (p) => stat(join(dir, p)).then(() => true, () => false),
    text: async (p) => {
      const full = join(dir, p);
      const s = await stat(full).catch(() => null);
      if (!s) throw new InputError(label, undefined, `missing ${p}`);
      if (s.size > MAX_JSON) throw new InputError(label, p, `larger than ${MAX_JSON} bytes`);
      return readFile(full, "utf8");
    },
    size: async (p) => (await stat(join(dir, p))).size,
    stream: (p) => createReadStream(join(dir, p), { highWaterMark: LAYER_READ_CHUNK }),
    range: async (p) => ({ file: join(dir, p), start: 0, size: (await stat(join(dir, p))).size }),
  };
}

export function tarStore(tar: TarIndex, label: string): BlobStore {
  return {
    label,
    has: async (p) => tar.has(p),
    text: async (p) => {
      if (!tar.has(p)) throw new InputError(label, undefined, `missing ${p}`);
      return tar.text(p, MAX_JSON);
    },
    size: async (p) => tar.sizeOf(p),
    stream: (p) => tar.stream(p),
    range: async (p) => tar.range(p),
  };
}

/** "sha256:abc…" → "blobs/sha256/abc…", refusing anything that is not a plain digest. */
export function blobPath(digest: string, label: string): string {
  const m = /^([a-z0-9]+):([a-zA-Z0-9=_-]+)$/.exec(digest);
  if (!m) throw new InputError(label, undefined, `bad digest "${digest}"`);
  return `blobs/${m[1]}/${m[2]}`;
}
