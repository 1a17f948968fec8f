/**
 * The layer walker's analysis pass: one streaming read of a layer, asking
 * every analyzer about every path and feeding only the claimed files to them.
 * A file that breaks an analyzer is a warning; a layer that cannot be read is
 * an error.
 */
import { Readable } from "node:stream";
import { InputError, messageOf, shortDigest } from "../common/index.js";
import type { Layer, LayerEntry, WalkLimits } from "../image/index.js";
import type { AnalysisResult, Analyzer, LayerFile } from "./analyzer.js";
import type { LayerInventory } from "./layer-inventory.js";

async function readAll(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += (chunk as Buffer).length;
    if (length > limit) {
      stream.destroy();
      throw new InputError(what, undefined, `larger than the in-memory limit of ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, length);
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
        if (streamed) throw new Error(`${entry.path}: bytes() after stream()`);
        bytes = readAll(entry.open!(), limit, what);
      }
      return bytes;
    },
    stream: () => {
      if (shared) return Readable.from([shared]);
      if (bytes || streamed) throw new Error(`${entry.path}: stream() called twice or after bytes()`);
      streamed = true;
      return entry.open!();
    },
  };
}

/** Called now and then during a walk: entries seen and their bytes so far. */
export type WalkProgress = (entries: number, bytes: number) => void;

const PROGRESS_EVERY = 2000;

export async function analyzeLayer(layer: Layer, analyzers: readonly Analyzer[], limits: WalkLimits, onProgress?: WalkProgress): Promise<LayerInventory> {
  const out: LayerInventory = { files: [], whiteouts: [], opaques: [], links: [], warnings: [], entries: 0 };
  const id = layer.diffId ?? layer.digest;
  const label = layer.synthetic ? layer.digest : `layer ${shortDigest(layer.digest)}`;
  let bytes = 0;
  for await (const entry of layer.entries()) {
    out.entries++;
    bytes += entry.size;
    if (onProgress && out.entries % PROGRESS_EVERY === 0) onProgress(out.entries, bytes);
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
    const info = { size: entry.size, mode: entry.mode };
    const wanted = analyzers.filter((a) => a.wants(entry.path, info));
    if (wanted.length === 0 || !entry.open) continue;
    let shared: Buffer | undefined;
    if (wanted.length > 1) {
      try {
        shared = await readAll(entry.open(), limits.maxFileBytes, `${entry.path} (${label})`);
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
  return out;
}
