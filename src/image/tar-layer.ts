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
import { FileChunks, type FileRange } from "./file-chunks.js";
import { startHashWorker } from "./off-thread-hash.js";
import { ChunkSink, TarFormatError, TarReader, type ChunkSource } from "./tar-entries.js";
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
  /** Where the blob lies in a local file, when it does: a plain tar there is read without a stream. */
  file?: () => Promise<FileRange>;
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

/**
 * Where a layer's tar bytes come from, with the digests taken on the way:
 * straight from a file range when the blob is a plain tar in a local file,
 * else through a decompressing pipeline.
 */
interface LayerFeed {
  source: ChunkSource;
  /** Uncompressed bytes passed to the reader so far, for messages. */
  bytes(): number;
  /** After the source ended or failed: what stopped the bytes, if anything. */
  ended(): Promise<Error | undefined>;
  /** Lets go of everything (early stop or failure). */
  stop(): void;
  blobDigest(): Promise<string>;
  tarDigest(): Promise<string>;
}

async function fileFeed(desc: BlobDescriptor, lim: WalkLimits, label: string): Promise<LayerFeed | undefined> {
  if (!desc.file) return undefined;
  const range = await desc.file();
  const chunks = await FileChunks.open(range, label, !desc.unverifiedBlob || !!desc.diffId);
  if (sniffCompression(await chunks.head(4)) !== "none") {
    chunks.close();
    return undefined;
  }
  if (range.size > lim.maxLayerBytes) {
    chunks.close();
    throw new InputError(label, undefined, `uncompressed size exceeds the limit of ${lim.maxLayerBytes} bytes`);
  }
  return {
    source: chunks,
    bytes: () => chunks.bytes,
    ended: async () => undefined,
    stop: () => chunks.close(),
    // A plain tar is its own uncompressed form: one hash serves both digests.
    blobDigest: () => chunks.digest(),
    tarDigest: () => chunks.digest(),
  };
}

async function streamFeed(desc: BlobDescriptor, openBlob: () => Promise<Readable>, lim: WalkLimits, label: string, checkDiffId: boolean): Promise<LayerFeed> {
  const raw = await openBlob();
  const blobTap = new HashTap(!desc.unverifiedBlob, Number.POSITIVE_INFINITY, undefined, true);
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
  return {
    source: sink,
    bytes: () => tarTap.bytes,
    ended: () => flowing,
    stop: () => sink.destroy(),
    blobDigest: () => blobTap.digest(),
    tarDigest: () => tarTap.digest(),
  };
}

async function* readEntries(
  desc: BlobDescriptor,
  openBlob: () => Promise<Readable>,
  lim: WalkLimits,
  label: string,
): AsyncGenerator<LayerEntry> {
  // Layers are hashed on another thread, which takes a while to start: start it before opening the blob.
  startHashWorker();
  const checkDiffId = !!desc.diffId && desc.diffId !== desc.digest;
  const feed = (await fileFeed(desc, lim, label)) ?? (await streamFeed(desc, openBlob, lim, label, checkDiffId));

  let count = 0;
  let done = false;
  try {
    for await (const entry of new TarReader(feed.source).entries()) {
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
    feed.stop();
    const cause = await feed.ended();
    const own = err instanceof InputError || err instanceof TarFormatError;
    throw await explain(own ? err : (cause ?? err), desc, openBlob, label, feed.bytes());
  } finally {
    // A caller that stops early (return from the loop) must not leave the blob open.
    if (!done) feed.stop();
  }
  const failed = await feed.ended();
  if (failed) throw await explain(failed, desc, openBlob, label, feed.bytes());
  feed.stop();
  const blobDigest = desc.unverifiedBlob ? desc.digest : await feed.blobDigest();
  if (blobDigest !== desc.digest) {
    throw new InputError(label, undefined, `digest mismatch: the blob hashes to ${shortDigest(blobDigest)}, the manifest says ${shortDigest(desc.digest)}`);
  }
  if (checkDiffId) {
    const diffId = await feed.tarDigest();
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
