/**
 * The layer walker's analysis pass: one streaming read of a layer, asking
 * every analyzer about every path and feeding only the claimed files to them.
 * A file that breaks an analyzer is a warning; a layer that cannot be read is
 * an error.
 */
import { InputError, messageOf, shortDigest } from "../common/index.js";
import type { Layer, LayerEntry, WalkLimits } from "../image/index.js";
import type { AnalysisResult, Analyzer, LayerFile } from "./analyzer.js";
import type { LayerInventory } from "./layer-inventory.js";
import { ListingCollector } from "./layer-listing.js";

/**
 * A whole file in one buffer of the size its header gives, filled by copies:
 * the chunks are views of memory the walk reuses. Refused before reading when
 * the header already says it is over the limit.
 */
async function readAll(chunks: AsyncIterable<Buffer>, size: number, limit: number, what: string): Promise<Buffer> {
  const tooBig = () => new InputError(what, undefined, `larger than the in-memory limit of ${limit} bytes`);
  if (size > limit) throw tooBig();
  let out = Buffer.allocUnsafe(size);
  let length = 0;
  for await (const chunk of chunks) {
    // A file of a directory source can grow between its listing and its reading.
    if (length + chunk.length > out.length) {
      if (length + chunk.length > limit) throw tooBig();
      const grown = Buffer.allocUnsafe(Math.min(limit, Math.max(2 * out.length, length + chunk.length)));
      out.copy(grown, 0, 0, length);
      out = grown;
    }
    chunk.copy(out, length);
    length += chunk.length;
  }
  return out.subarray(0, length);
}

async function* only(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

function layerFile(entry: LayerEntry, layer: string, limit: number, shared?: Buffer): LayerFile {
  let bytes: Promise<Buffer> | undefined = shared ? Promise.resolve(shared) : undefined;
  let streamed = false;
  const what = `${entry.path} (layer ${shortDigest(layer)})`;
  return {
    path: entry.path,
    layer,
    size: entry.size,
    mode: entry.mode,
    bytes: () => {
      if (!bytes) {
        if (streamed) throw new Error(`${entry.path}: bytes() after chunks()`);
        bytes = readAll(entry.open!(), entry.size, limit, what);
      }
      return bytes;
    },
    chunks: () => {
      if (shared) return only(shared);
      if (bytes || streamed) throw new Error(`${entry.path}: chunks() called twice or after bytes()`);
      streamed = true;
      return entry.open!();
    },
  };
}

/** Called now and then during a walk: entries seen and their bytes so far. */
export type WalkProgress = (entries: number, bytes: number) => void;

const PROGRESS_EVERY = 2000;

export interface AnalyzeOptions {
  onProgress?: WalkProgress;
  /** Also list every entry with its kind, mode and size (for image checks). */
  listing?: boolean;
}

export async function analyzeLayer(layer: Layer, analyzers: readonly Analyzer[], limits: WalkLimits, options: AnalyzeOptions = {}): Promise<LayerInventory> {
  const out: LayerInventory = { files: [], whiteouts: [], opaques: [], links: [], warnings: [], entries: 0 };
  const { onProgress } = options;
  const listing = options.listing ? new ListingCollector() : undefined;
  const id = layer.diffId ?? layer.digest;
  const label = layer.synthetic ? layer.digest : `layer ${shortDigest(layer.digest)}`;
  let bytes = 0;
  for await (const entry of layer.entries()) {
    out.entries++;
    bytes += entry.size;
    if (onProgress && out.entries % PROGRESS_EVERY === 0) onProgress(out.entries, bytes);
    listing?.add(entry.path, entry.type, entry.mode, entry.size);
    switch (entry.type) {
      case "whiteout":
        out.whiteouts.push(entry.path);
        continue;
      case "opaque":
        out.opaques.push(entry.path);
        continue;
      case "symlink":
      case "hardlink":
        out.links.push({ path: entry.path, type: entry.type, target: entry.linkTarget ?? "" });
        continue;
      case "file":
        break;
      default:
        continue;
    }
    // Asked for every file of every layer: no array unless someone wants it.
    let wanted: Analyzer[] | undefined;
    for (const analyzer of analyzers) if (analyzer.wants(entry.path, entry)) (wanted ??= []).push(analyzer);
    if (!wanted || !entry.open) continue;
    let shared: Buffer | undefined;
    if (wanted.length > 1) {
      try {
        shared = await readAll(entry.open(), entry.size, limits.maxFileBytes, `${entry.path} (${label})`);
      } catch (err) {
        out.warnings.push(`${label} ${entry.path}: skipped: ${messageOf(err)}`);
        continue;
      }
    }
    for (const analyzer of wanted) {
      let result: AnalysisResult | null;
      try {
        result = await analyzer.analyze(layerFile(entry, id, limits.maxFileBytes, shared));
      } catch (err) {
        out.warnings.push(`${label} ${entry.path}: skipped by ${analyzer.name}: ${messageOf(err)}`);
        continue;
      }
      if (result) {
        if (result.warnings?.length) out.warnings.push(...result.warnings.map((w) => `${label} ${entry.path}: ${w}`));
        out.files.push({ path: entry.path, analyzer: analyzer.name, result });
      }
    }
  }
  if (listing) out.listing = listing.done();
  return out;
}
