/**
 * A layer read from a tar blob: decompress (by magic), verify the blob digest
 * and the diff id as the bytes flow, and yield normalised entries with
 * whiteouts recognised. Nothing is written to disk.
 */
import { pipeline } from "node:stream/promises";
import { Writable, type Readable } from "node:stream";
import { InputError, shortDigest } from "../common/index.js";
import { decompressor, peek, sniffCompression } from "./decompress.js";
import { HashTap } from "./hash-tap.js";
import { ChunkSink, TarFormatError, TarReader } from "./tar-entries.js";
import type { RawHeader } from "./tar-header.js";
import { withDefaults, type WalkLimits } from "./limits.js";
import type { EntryType, Layer, LayerEntry } from "./model.js";
import { normaliseEntryPath, pathDepth } from "./paths.js";

export interface BlobDescriptor {
  /** Digest the blob must hash to ("sha256:…"); for an uncompressed tar this may equal the diff id. */
  digest: string;
  /** Digest the uncompressed tar must hash to, when known. */
  diffId?: string;
  mediaType?: string;
  size?: number;
  createdBy?: string;
  /** Skip hashing the blob (only for sources whose blob digest is unknown). */
  unverifiedBlob?: boolean;
}

const WHITEOUT_PREFIX = ".wh.";
const OPAQUE_MARKER = ".wh..wh..opq";

/** Tar type flags to entry types; GNU and pax extras (sparse, fifo, device) are "other". */
function entryType(flag: string): EntryType {
  switch (flag) {
    case "0":
    case "7":
      return "file";
    case "5":
      return "directory";
    case "2":
      return "symlink";
    case "1":
      return "hardlink";
    default:
      return "other";
  }
}

export function tarLayer(desc: BlobDescriptor, openBlob: () => Promise<Readable>, limits?: Partial<WalkLimits>): Layer {
  const lim = withDefaults(limits);
  const label = `layer ${shortDigest(desc.digest)}`;
  return {
    digest: desc.digest,
    diffId: desc.diffId,
    mediaType: desc.mediaType,
    size: desc.size,
    createdBy: desc.createdBy,
    entries: () => readEntries(desc, openBlob, lim, label),
  };
}

async function* readEntries(
  desc: BlobDescriptor,
  openBlob: () => Promise<Readable>,
  lim: WalkLimits,
  label: string,
): AsyncGenerator<LayerEntry> {
  const raw = await openBlob();
  const blobTap = new HashTap(!desc.unverifiedBlob, Number.POSITIVE_INFINITY, undefined, true);
  const checkDiffId = !!desc.diffId && desc.diffId !== desc.digest;
  raw.pipe(blobTap);
  raw.on("error", (err) => blobTap.destroy(err));
  let head: Buffer;
  try {
    head = await peek(blobTap, 4);
  } catch (err) {
    throw new InputError(label, undefined, `cannot read blob: ${(err as Error).message}`, { cause: err });
  }
  const kind = sniffCompression(head);
  const tarTap = new HashTap(
    checkDiffId,
    lim.maxLayerBytes,
    () => new InputError(label, undefined, `uncompressed size exceeds the limit of ${lim.maxLayerBytes} bytes`),
    true,
  );
  const sink = new ChunkSink();
  const flowing = pipeline(blobTap, decompressor(kind), tarTap, sink).then(
    () => undefined,
    (err: unknown) => err as Error,
  );

  let count = 0;
  let done = false;
  try {
    for await (const entry of new TarReader(sink).entries()) {
      count++;
      const where = `entry ${count} "${entry.name}"`;
      if (count > lim.maxEntries) {
        throw new InputError(label, where, `more than ${lim.maxEntries} entries`);
      }
      if (entry.name.length > lim.maxPathLength) {
        throw new InputError(label, `entry ${count}`, `path longer than ${lim.maxPathLength} bytes`);
      }
      const path = normaliseEntryPath(entry.name);
      if (path === null) throw new InputError(label, where, "path escapes the image root");
      if (pathDepth(path) > lim.maxPathDepth) {
        throw new InputError(label, where, `path nested deeper than ${lim.maxPathDepth} levels`);
      }
      const out = toLayerEntry(path, entry, label, where);
      if (out.type === "file") out.open = () => entry.open();
      yield out;
    }
    done = true;
  } catch (err) {
    sink.destroy();
    const cause = await flowing;
    const own = err instanceof InputError || err instanceof TarFormatError;
    throw await explain(own ? err : (cause ?? err), desc, openBlob, label, tarTap.bytes);
  } finally {
    // A caller that stops early (return from the loop) must not leave the blob open.
    if (!done) sink.destroy();
  }
  const failed = await flowing;
  if (failed) throw await explain(failed, desc, openBlob, label, tarTap.bytes);
  const blobDigest = desc.unverifiedBlob ? desc.digest : await blobTap.digest();
  if (blobDigest !== desc.digest) {
    throw new InputError(label, undefined, `digest mismatch: the blob hashes to ${shortDigest(blobDigest)}, the manifest says ${shortDigest(desc.digest)}`);
  }
  if (checkDiffId) {
    const diffId = await tarTap.digest();
    if (diffId !== desc.diffId) {
      throw new InputError(label, undefined, `diff id mismatch: the uncompressed tar hashes to ${shortDigest(diffId)}, the config says ${shortDigest(desc.diffId!)}`);
    }
  }
}

function toLayerEntry(path: string, h: RawHeader, label: string, where: string): LayerEntry {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dir = path.slice(0, path.lastIndexOf("/")) || "/";
  if (base === OPAQUE_MARKER) return { path: dir, type: "opaque", size: 0, mode: 0 };
  if (base.startsWith(WHITEOUT_PREFIX)) {
    const hidden = base.slice(WHITEOUT_PREFIX.length);
    return { path: dir === "/" ? `/${hidden}` : `${dir}/${hidden}`, type: "whiteout", size: 0, mode: 0 };
  }
  const type = entryType(h.type);
  const entry: LayerEntry = { path, type, size: type === "file" ? h.size : 0, mode: h.mode };
  if (type === "symlink") entry.linkTarget = h.linkName;
  if (type === "hardlink") {
    const target = normaliseEntryPath(h.linkName);
    if (target === null) throw new InputError(label, where, `hard link target "${h.linkName}" escapes the image root`);
    entry.linkTarget = target;
  }
  return entry;
}

/**
 * Bytes that do not decompress or parse are most often a blob that is not
 * the one the manifest names (damaged in storage or transit). When the blob
 * can be verified, hash it again from the start and, if it does not match,
 * report the mismatch: that is the cause, the parse error only its symptom.
 */
async function explain(err: unknown, desc: BlobDescriptor, openBlob: () => Promise<Readable>, label: string, offset: number): Promise<Error> {
  const wrapped = wrap(err, label, offset);
  if (err instanceof InputError || desc.unverifiedBlob) return wrapped;
  try {
    const tap = new HashTap();
    await pipeline(await openBlob(), tap, new Writable({ write: (_chunk, _enc, done) => done() }));
    const actual = await tap.digest();
    if (actual !== desc.digest) {
      return new InputError(label, undefined, `digest mismatch: the blob hashes to ${shortDigest(actual)}, the manifest says ${shortDigest(desc.digest)} (reading it failed: ${wrapped.detail})`, { cause: err });
    }
  } catch {
    // The blob cannot be read again: the first error is all there is to say.
  }
  return wrapped;
}

function wrap(err: unknown, label: string, offset: number): InputError {
  if (err instanceof InputError) return err;
  if (err instanceof TarFormatError) return new InputError(label, `at uncompressed offset ${err.offset}`, err.detail, { cause: err });
  const message = (err as Error)?.message ?? String(err);
  const friendly = /unexpected end of data/i.test(message)
    ? "truncated tar (unexpected end of data)"
    : /incorrect header check|incorrect data check|incorrect length check|invalid block type|invalid stored block|unexpected end of file|invalid distance|invalid code|zstd|window/i.test(message)
      ? `corrupt compressed data (${message})`
      : message;
  return new InputError(label, `at uncompressed offset ${offset}`, friendly, { cause: err });
}
