/**
 * Inventory benchmark. For docker-archives and OCI archives (default: the
 * bookworm test image in both forms, and the ~2 GB image when it was built
 * with `PORTCULLIS_BENCH_LARGE=1`), prints:
 *   floor   time to decompress and read every layer once (nothing parsed)
 *   cold    `inventoryOf` with an empty layer cache, as a ratio to the floor
 *   warm    `inventoryOf` with the cache filled, as a ratio to the floor
 *   rss     peak resident memory of a cold scan in its own process
 * Each figure is the median of several runs in fresh processes that run the
 * built code (npm run bench builds it first), as users run it.
 * Usage: npm run bench [-- archive-file ...]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** One measurement in a fresh process running the built code (bench/inventory-child.mjs). */
function measure(mode: string, file: string, cacheDir?: string): { ms: number; rssMiB: number } {
  const child = new URL("./inventory-child.mjs", import.meta.url).pathname;
  const r = spawnSync(process.execPath, [child, mode, file, ...(cacheDir ? [cacheDir] : [])], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as { ms: number; rssMiB: number };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  let files = process.argv.slice(2);
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
