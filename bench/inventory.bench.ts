/**
 * Inventory benchmark. For docker-archives and OCI archives (default: the
 * bookworm test image in both forms, and the ~2 GB image when it was built
 * with `PORTCULLIS_BENCH_LARGE=1`), prints:
 *   floor   time to decompress and read every layer once (nothing parsed)
 *   cold    `inventoryOf` with an empty layer cache, as a ratio to the floor
 *   warm    `inventoryOf` with the cache filled, as a ratio to the floor
 *   rss     peak resident memory of a cold scan in its own process
 * Each figure is the median of several runs in fresh processes.
 * Usage: npm run bench [-- archive-file ...]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { openDockerArchive, openOciArchive } from "../src/image/index.js";
import { decompressor, peek, sniffCompression } from "../src/image/decompress.js";
import { TarIndex } from "../src/image/tar-index.js";
import { inventoryOf, LayerCache, ANALYZERS } from "../src/inventory/index.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** The layer blobs of a docker-archive or an OCI archive, as paths inside the tarball. */
async function layerPaths(tar: TarIndex): Promise<string[]> {
  if (tar.has("manifest.json")) return (JSON.parse(await tar.text("manifest.json")) as { Layers: string[] }[])[0]!.Layers;
  const blob = (digest: string) => `blobs/${digest.replace(":", "/")}`;
  const index = JSON.parse(await tar.text("index.json")) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(await tar.text(blob(index.manifests[0]!.digest))) as { layers: { digest: string }[] };
  return manifest.layers.map((l) => blob(l.digest));
}

async function floor(file: string): Promise<number> {
  const tar = await TarIndex.open(file);
  const paths = await layerPaths(tar);
  const start = performance.now();
  for (const path of paths) {
    const raw = tar.stream(path);
    const kind = sniffCompression(await peek(raw, 4));
    await pipeline(raw, decompressor(kind), new Writable({ write: (_c, _e, done) => done() }));
  }
  return performance.now() - start;
}

async function scan(file: string, cacheDir?: string): Promise<number> {
  const start = performance.now();
  const tar = await TarIndex.open(file);
  const image = tar.has("manifest.json") ? await openDockerArchive(file, `docker-archive:${file}`) : await openOciArchive(file, undefined, `oci-archive:${file}`);
  await inventoryOf(image, { cache: cacheDir ? new LayerCache(cacheDir, ANALYZERS) : undefined });
  return performance.now() - start;
}

/** Child mode: run one measurement and print {ms, rssMiB} as JSON. */
async function child(mode: string, file: string, cacheDir?: string): Promise<void> {
  const ms = mode === "floor" ? await floor(file) : await scan(file, cacheDir);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, rssMiB }) + "\n");
}

function measure(mode: string, file: string, cacheDir?: string): { ms: number; rssMiB: number } {
  const args = ["--import", "tsx", new URL(import.meta.url).pathname, "--child", mode, file, ...(cacheDir ? [cacheDir] : [])];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number; rssMiB: number };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") return child(argv[1]!, argv[2]!, argv[3]);
  let files = argv;
  if (files.length === 0) {
    const { fixtures } = await import("../test/support/fixtures.js");
    const fx = await fixtures();
    // The figures are for the docker-archive (uncompressed layers); the OCI archive shows gzip layers.
    files = [fx.bookworm.dockerArchive, fx.bookworm.ociArchive, ...(fx.large ? [fx.large.dockerArchive] : [])];
    if (!fx.large) console.log("(the ~2 GB image for the memory figure is built with PORTCULLIS_BENCH_LARGE=1 bash scripts/test-fixtures.sh)");
  }
  for (const file of files) {
    const floors: number[] = [], colds: number[] = [], warms: number[] = [], rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      floors.push(measure("floor", file).ms);
      const cache = mkdtempSync(join(tmpdir(), "pcs-bench-cache-"));
      const cold = measure("scan", file, cache);
      colds.push(cold.ms);
      rss.push(cold.rssMiB);
      warms.push(measure("scan", file, cache).ms);
      rmSync(cache, { recursive: true, force: true });
    }
    const f = median(floors);
    console.log(`image ${file} (${(statSync(file).size / 1e9).toFixed(2)} GB)`);
    console.log(`  floor (decompress + read all layers)  ${f.toFixed(0)} ms`);
    console.log(`  cold scan / floor                     ${(median(colds) / f).toFixed(2)}x  (${median(colds).toFixed(0)} ms; target <= 1.5x)`);
    console.log(`  warm scan / floor                     ${(median(warms) / f).toFixed(2)}x  (${median(warms).toFixed(0)} ms; target <= 0.1x)`);
    console.log(`  peak RSS, cold scan                   ${median(rss).toFixed(0)} MiB (target < 200 MiB on the 2 GB image)`);
  }
}

await main();
