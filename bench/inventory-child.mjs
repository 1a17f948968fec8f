// One measurement of the inventory benchmark, in a fresh process running the
// built code as users run it (no TypeScript loader): prints {ms, rssMiB}.
// Usage: node bench/inventory-child.mjs floor|scan FILE [CACHE_DIR]
import { performance } from "node:perf_hooks";
import process from "node:process";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import { URL } from "node:url";

const dist = new URL("../dist/", import.meta.url);
const { openDockerArchive, openOciArchive } = await import(new URL("image/index.js", dist).href);
const { decompressor, peek, sniffCompression } = await import(new URL("image/decompress.js", dist).href);
const { TarIndex } = await import(new URL("image/tar-index.js", dist).href);
const { inventoryOf, LayerCache, ANALYZERS } = await import(new URL("inventory/index.js", dist).href);

const [mode, file, cacheDir] = process.argv.slice(2);

/** The layer blobs of a docker-archive or an OCI archive, as paths inside the tarball. */
async function layerPaths(tar) {
  if (tar.has("manifest.json")) return JSON.parse(await tar.text("manifest.json"))[0].Layers;
  const blob = (digest) => `blobs/${digest.replace(":", "/")}`;
  const index = JSON.parse(await tar.text("index.json"));
  const manifest = JSON.parse(await tar.text(blob(index.manifests[0].digest)));
  return manifest.layers.map((l) => blob(l.digest));
}

async function floor() {
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

async function scan() {
  const start = performance.now();
  const tar = await TarIndex.open(file);
  const image = tar.has("manifest.json") ? await openDockerArchive(file, `docker-archive:${file}`) : await openOciArchive(file, undefined, `oci-archive:${file}`);
  await inventoryOf(image, { cache: cacheDir ? new LayerCache(cacheDir, ANALYZERS) : undefined });
  return performance.now() - start;
}

const ms = mode === "floor" ? await floor() : await scan();
process.stdout.write(JSON.stringify({ ms, rssMiB: process.resourceUsage().maxRSS / 1024 }) + "\n");
