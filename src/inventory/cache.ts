/**
 * The layer inventory cache: a layer's analysis depends only on its bytes
 * (named by the diff id) and the analyzer versions, so that pair is the key.
 * Change an analyzer's version and its stale entries stop matching by
 * themselves. Files are written atomically; a corrupt entry is a miss.
 *
 * The packages of a whole image depend only on its diff ids in order, so the
 * assembled result is kept too, under that list: a rescan of an image seen
 * before reads one small file instead of re-merging every layer's file lists.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import envPaths from "env-paths";
import type { Analyzer } from "./analyzer.js";
import type { LayerInventory } from "./layer-inventory.js";
import type { Inventory, OsInfo, Package, TargetInfo } from "./model.js";

/** What an image's layers add up to: everything of an inventory but the target. */
export interface AssembledLayers {
  os?: OsInfo;
  packages: Package[];
  warnings: string[];
  /** The target as last scanned, so `rescan` can name the image without reading it. */
  lastTarget?: TargetInfo;
}

const FORMAT = 2;

export function defaultCacheDir(): string {
  return process.env.PORTCULLIS_CACHE_DIR || envPaths("portcullis", { suffix: "" }).cache;
}

export class LayerCache {
  private readonly dir: string;
  constructor(root: string, analyzers: readonly Analyzer[]) {
    const versions = analyzers.map((a) => `${a.name}@${a.version}`).sort().join(",");
    this.salt = `${FORMAT}|${versions}`;
    this.dir = root;
  }
  private readonly salt: string;

  private file(kind: "layers" | "images", id: string): string {
    const key = createHash("sha256").update(`${this.salt}|${id}`).digest("hex");
    return join(this.dir, kind, key.slice(0, 2), `${key}.json`);
  }

  private async read<T>(kind: "layers" | "images", id: string): Promise<T | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file(kind, id), "utf8")) as { id: string; value: T };
      return parsed.id === id ? parsed.value : undefined;
    } catch {
      return undefined;
    }
  }

  private async write(kind: "layers" | "images", id: string, value: unknown): Promise<void> {
    const file = this.file(kind, id);
    await mkdir(join(file, ".."), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify({ id, value }));
    await rename(tmp, file);
  }

  get(diffId: string): Promise<LayerInventory | undefined> {
    return this.read("layers", diffId);
  }

  put(diffId: string, inventory: LayerInventory): Promise<void> {
    return this.write("layers", diffId, inventory);
  }

  /** The assembled packages of the image whose diff ids are `diffIds`, bottom layer first. */
  getImage(diffIds: readonly string[]): Promise<AssembledLayers | undefined> {
    return this.read("images", diffIds.join(","));
  }

  putImage(diffIds: readonly string[], assembled: AssembledLayers): Promise<void> {
    return this.write("images", diffIds.join(","), assembled);
  }

  /** Every image inventory in the cache (as last scanned), for re-matching without image I/O. */
  async *inventories(): AsyncGenerator<Inventory> {
    const root = join(this.dir, "images");
    let shards: string[];
    try {
      shards = (await readdir(root)).sort();
    } catch {
      return;
    }
    for (const shard of shards) {
      for (const name of (await readdir(join(root, shard)).catch(() => [] as string[])).sort()) {
        if (!name.endsWith(".json")) continue;
        try {
          const { value } = JSON.parse(await readFile(join(root, shard, name), "utf8")) as { value: AssembledLayers };
          if (!value.lastTarget) continue;
          yield { schemaVersion: 1, target: value.lastTarget, ...(value.os ? { os: value.os } : {}), packages: value.packages, warnings: value.warnings };
        } catch {
          // A half-written or foreign file is no inventory.
        }
      }
    }
  }
}
