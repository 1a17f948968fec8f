/**
 * The layer inventory cache: a layer's analysis depends only on its bytes
 * (named by the diff id) and the analyzer versions, so that pair is the key.
 * Change an analyzer's version and its stale entries stop matching by
 * themselves. Files are written atomically; a corrupt entry is a miss.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import envPaths from "env-paths";
import type { Analyzer } from "./analyzer.js";
import type { LayerInventory } from "./layer-inventory.js";

const FORMAT = 1;

export function defaultCacheDir(): string {
  return process.env.PORTCULLIS_CACHE_DIR || envPaths("portcullis", { suffix: "" }).cache;
}

export class LayerCache {
  private readonly dir: string;
  constructor(root: string, analyzers: readonly Analyzer[]) {
    const versions = analyzers.map((a) => `${a.name}@${a.version}`).sort().join(",");
    this.salt = `${FORMAT}|${versions}`;
    this.dir = join(root, "layers");
  }
  private readonly salt: string;

  private file(diffId: string): string {
    const key = createHash("sha256").update(`${this.salt}|${diffId}`).digest("hex");
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(diffId: string): Promise<LayerInventory | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file(diffId), "utf8")) as { diffId: string; inventory: LayerInventory };
      return parsed.diffId === diffId ? parsed.inventory : undefined;
    } catch {
      return undefined;
    }
  }

  async put(diffId: string, inventory: LayerInventory): Promise<void> {
    const file = this.file(diffId);
    await mkdir(join(file, ".."), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify({ diffId, inventory }));
    await rename(tmp, file);
  }
}
