/** LayerFile values for analyzer tests, as the layer walker would hand them over. */
import assert from "node:assert/strict";
import { createReadStream, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { InputError } from "../../src/common/index.js";
import type { LayerFile } from "../../src/inventory/index.js";

const LAYER = "sha256:" + "0".repeat(64);

/** A file of the image at `path` whose content is held in memory. */
export function memoryFile(path: string, content: string | Buffer, mode = 0o644): LayerFile {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return { path, layer: LAYER, size: bytes.length, mode, bytes: () => Promise.resolve(bytes), chunks: () => Readable.from([bytes]) };
}

/** The file `file` on disk, seen in the image at `inImage`. */
export function diskFile(file: string, inImage: string, mode = 0o644): LayerFile {
  return { path: inImage, layer: LAYER, size: statSync(file).size, mode, bytes: () => readFile(file), chunks: () => createReadStream(file) };
}

/** `fn` throws an InputError naming `source`, with a message matching `pattern`. */
export function throwsInputError(fn: () => unknown, source: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.equal(err.source, source);
    assert.match(err.message, pattern);
    return true;
  });
}
