/**
 * Vulnerability matching benchmark. Prints:
 *   import   time to import the shared advisory corpus into a new DB
 *   rematch  packages checked per second when re-matching 10,000 stored
 *            SBOMs of ~200 packages, and that time over the floor of only
 *            parsing the same stored SBOMs
 *   image    `portcullis image` on the bookworm docker-archive with a warm
 *            layer cache, over the floor of reading its layers once
 * Usage: npm run bench:match
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import type { Inventory, Package } from "../src/inventory/index.js";
import { Matcher } from "../src/match/index.js";
import { importFeeds, VulnStore } from "../src/vulndb/index.js";
import { TarIndex } from "../src/image/tar-index.js";
import { fixtures } from "../test/support/fixtures.js";

const CORPUS = fileURLToPath(new URL("../../shared/vulndata/", import.meta.url));
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const SBOMS = Number(process.env.BENCH_SBOMS ?? 10_000);
const PER_SBOM = 200;

function portcullis(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`portcullis ${args.join(" ")} failed: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** A deterministic pseudo-random sequence, so every run matches the same SBOMs. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "pcs-bench-match-"));
  try {
    const fx = await fixtures();
    const db = join(work, "corpus.db");

    const importStart = performance.now();
    const store = VulnStore.openForWrite(db);
    const report = await importFeeds(store, [CORPUS]);
    store.close();
    const importMs = performance.now() - importStart;
    console.log(`import of the shared corpus: ${(importMs / 1000).toFixed(1)} s for ${report.advisories} advisories from ${report.files} files (target < 30 s)`);

    // The package pool: every package of the real test images, each version as installed.
    const env = { PORTCULLIS_CACHE_DIR: join(work, "cache") };
    const inventories = [fx.bookworm, fx.node, fx.go, fx.pyjava].map(
      (img) => JSON.parse(portcullis(["sbom", `docker-archive:${img.dockerArchive}`, "-f", "json", "-q"], env).stdout) as Inventory,
    );
    const pool: Package[] = [...new Map(inventories.flatMap((i) => i.packages).map((p) => [p.purl, p])).values()];
    const random = rng(42);
    const stored: string[] = [];
    for (let i = 0; i < SBOMS; i++) {
      const packages = Array.from({ length: PER_SBOM }, () => pool[Math.floor(random() * pool.length)]!);
      stored.push(JSON.stringify({ ...inventories[0]!, target: { ...inventories[0]!.target, reference: `bench/${i}` }, packages }));
    }

    const floorStart = performance.now();
    let parsed = 0;
    for (const text of stored) parsed += (JSON.parse(text) as Inventory).packages.length;
    const floorMs = performance.now() - floorStart;

    const matchStore = VulnStore.open(db);
    const matcher = new Matcher(matchStore);
    const matchStart = performance.now();
    let checked = 0;
    let findings = 0;
    for (const text of stored) {
      const result = matcher.match(JSON.parse(text) as Inventory);
      checked += PER_SBOM;
      findings += result.findings.length;
    }
    const matchMs = performance.now() - matchStart;
    matchStore.close();
    console.log(
      `re-matching ${SBOMS} stored SBOMs of ${PER_SBOM} packages (pool of ${pool.length} real packages): ${Math.round(checked / (matchMs / 1000))} packages/s ` +
        `(target >= 50,000); ${(matchMs / floorMs).toFixed(2)}x the floor of parsing them (${floorMs.toFixed(0)} ms for ${parsed} packages); ${findings} findings`,
    );

    // Scan with a warm cache, against reading the layers once.
    const tar = await TarIndex.open(fx.bookworm.dockerArchive);
    const layers = (JSON.parse(await tar.text("manifest.json")) as { Layers: string[] }[])[0]!.Layers;
    const readStart = performance.now();
    for (const layer of layers) await pipeline(tar.stream(layer), new Writable({ write: (_c, _e, done) => done() }));
    const readMs = performance.now() - readStart;
    portcullis(["image", `docker-archive:${fx.bookworm.dockerArchive}`, "--db", db, "-f", "json", "-q"], env);
    const runs = [1, 2, 3].map(() => portcullis(["image", `docker-archive:${fx.bookworm.dockerArchive}`, "--db", db, "-f", "json", "-q"], env).ms);
    const noop = [1, 2, 3].map(() => portcullis(["--version"], env).ms);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const scan = median(runs) - median(noop);
    console.log(
      `image scan of bookworm, warm cache: ${scan.toFixed(0)} ms beyond process start (${median(noop).toFixed(0)} ms), ${(scan / readMs).toFixed(2)}x the floor of reading its layers (${readMs.toFixed(0)} ms)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
