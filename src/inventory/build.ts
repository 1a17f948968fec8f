/** Image → inventory: analyze each layer once (or take it from the cache), merge, and tidy. */
import { canonicalPath, withDefaults, type OpenedImage, type WalkLimits } from "../image/index.js";
import { redactSecrets } from "../secrets/index.js";
import type { Analyzer } from "./analyzer.js";
import { analyzeLayer } from "./analyze-layer.js";
import { ANALYZERS } from "./analyzers/index.js";
import { mergeOsFacts } from "./analyzers/os-release.js";
import { withDistro } from "./analyzers/dpkg.js";
import type { AssembledLayers, LayerCache } from "./cache.js";
import type { LayerInventory } from "./layer-inventory.js";
import { finalSymlinks, mergeLayers } from "./merge.js";
import { comparePackages } from "./package-order.js";
import { OS_PACKAGE_TYPES, type Inventory, type Package, type TargetInfo } from "./model.js";

export interface LayerEvent {
  index: number;
  total: number;
  digest: string;
  phase: "start" | "walk" | "done";
  cached: boolean;
  /** During a walk: entries and bytes read so far. */
  entries?: number;
  bytes?: number;
}

export interface InventoryOptions {
  /** The analyzers whose packages make the inventory (and whose versions key the cache). */
  analyzers?: readonly Analyzer[];
  /**
   * Analyzers that run in the same walk but are no part of the inventory
   * (secret detection): their results stay in the layer inventories, which
   * the cache keeps with a note of which of them ran.
   */
  extraAnalyzers?: readonly Analyzer[];
  /** Keep every entry's kind, mode and size in the layer inventories (image checks). */
  listing?: boolean;
  cache?: LayerCache;
  limits?: Partial<WalkLimits>;
  onLayer?: (event: LayerEvent) => void;
}

function imageKeyOf(image: OpenedImage, opts: InventoryOptions): string[] | undefined {
  return opts.cache && image.layers.length > 0 && image.layers.every((l) => l.diffId && !l.synthetic) ? image.layers.map((l) => l.diffId!) : undefined;
}

export interface ImageWalk {
  inventory: Inventory;
  /** What each layer holds, bottom first: with listings and extra analyzers' results when asked for. */
  layers: LayerInventory[];
}

/** The inventory and every layer's own results, from one walk per layer (or the layer cache). */
export async function walkImage(image: OpenedImage, opts: InventoryOptions = {}): Promise<ImageWalk> {
  const layers = await layerInventories(image, opts);
  const assembled = assemble(image, layers);
  const target = targetOf(image);
  const imageKey = imageKeyOf(image, opts);
  if (imageKey) await opts.cache!.putImage(imageKey, { ...assembled, lastTarget: target });
  return { inventory: inventoryFrom(target, assembled), layers };
}

function inventoryFrom(target: TargetInfo, assembled: AssembledLayers): Inventory {
  return {
    schemaVersion: 1,
    target,
    ...(assembled.os ? { os: assembled.os } : {}),
    packages: assembled.packages,
    warnings: assembled.warnings,
  };
}

export async function inventoryOf(image: OpenedImage, opts: InventoryOptions = {}): Promise<Inventory> {
  const total = image.layers.length;
  const imageKey = imageKeyOf(image, opts);
  const target = targetOf(image);
  let assembled = imageKey ? await opts.cache!.getImage(imageKey) : undefined;
  if (assembled) {
    for (const [index, layer] of image.layers.entries()) {
      opts.onLayer?.({ index, total, digest: layer.digest, phase: "start", cached: true });
      opts.onLayer?.({ index, total, digest: layer.digest, phase: "done", cached: true });
    }
    if (JSON.stringify(assembled.lastTarget) !== JSON.stringify(target)) await opts.cache!.putImage(imageKey!, { ...assembled, lastTarget: target });
  } else {
    assembled = assemble(image, await layerInventories(image, opts));
    if (imageKey) await opts.cache!.putImage(imageKey, { ...assembled, lastTarget: target });
  }
  return inventoryFrom(target, assembled);
}

/** Whether a cached layer inventory holds everything this walk asks for. */
function covers(inv: LayerInventory, opts: InventoryOptions, extras: readonly string[]): boolean {
  if (opts.listing && !inv.listing) return false;
  return extras.every((id) => inv.extras?.includes(id));
}

/** Each layer's inventory, from the cache or from one walk. */
async function layerInventories(image: OpenedImage, opts: InventoryOptions): Promise<LayerInventory[]> {
  const isDirectory = image.layers.length > 0 && image.layers.every((l) => l.synthetic);
  const extra = opts.extraAnalyzers ?? [];
  const analyzers = [...(opts.analyzers ?? ANALYZERS), ...extra].filter((a) => isDirectory || !a.directoryOnly);
  const extras = extra.map((a) => `${a.name}@${a.version}`);
  const limits = withDefaults(opts.limits);
  const perLayer: LayerInventory[] = [];
  const total = image.layers.length;
  for (const [index, layer] of image.layers.entries()) {
    const cacheable = opts.cache && layer.diffId && !layer.synthetic;
    let inv = cacheable ? await opts.cache!.get(layer.diffId!) : undefined;
    if (inv && !covers(inv, opts, extras)) inv = undefined;
    const cached = !!inv;
    opts.onLayer?.({ index, total, digest: layer.digest, phase: "start", cached });
    if (!inv) {
      inv = await analyzeLayer(layer, analyzers, limits, {
        listing: opts.listing,
        onProgress: (entries, bytes) => opts.onLayer?.({ index, total, digest: layer.digest, phase: "walk", cached, entries, bytes }),
      });
      if (extras.length) inv.extras = extras;
      if (cacheable) await opts.cache!.put(layer.diffId!, inv);
    }
    opts.onLayer?.({ index, total, digest: layer.digest, phase: "done", cached });
    perLayer.push(inv);
  }
  return perLayer;
}

/** The layers merged into the final filesystem's packages. */
function assemble(image: OpenedImage, perLayer: LayerInventory[]): AssembledLayers {
  const merged = mergeLayers(perLayer);
  const os = mergeOsFacts(merged.flatMap((m) => (m.result.os ? [m.result.os] : [])));
  // Package managers list paths as packaged (/bin/x); the image may hold them through symlinked directories (/usr/bin/x).
  const links = finalSymlinks(perLayer);
  const packages: Package[] = [];
  for (const m of merged) {
    (m.result.packages ?? []).forEach((p, i) => {
      const layer = image.layers[m.introducedIn[i]!];
      const pkg: Package = { ...p };
      if (layer && !layer.synthetic) pkg.layer = layer.diffId ?? layer.digest;
      else delete pkg.layer;
      packages.push(os ? withDistro(pkg, os) : pkg);
    });
  }
  const licenses = new Map<string, string[]>();
  for (const m of merged) for (const l of m.result.packageLicenses ?? []) licenses.set(`${l.type}/${l.name}`, l.licenses);
  for (const p of packages) {
    if (p.licenses.length === 0) p.licenses = licenses.get(`${p.type}/${p.name.split(":")[0]}`) ?? [];
  }
  // Files an OS package owns are the OS package's; do not report them again as language packages.
  const owned = ownedAmong(merged, packages, links);
  const kept = packages.filter((p) => OS_PACKAGE_TYPES.has(p.type) || !p.paths.every((path) => owned.has(canonicalPath(path.split("!")[0]!, links))));
  kept.sort(comparePackages);
  return { ...(os ? { os } : {}), packages: kept, warnings: perLayer.flatMap((l) => l.warnings) };
}

/**
 * The canonical paths of OS-owned files that could be a language package's
 * file. An OS lists thousands of files and canonicalising each costs. A
 * path's last component changes in canonical form only when it is itself a
 * symlink, so only owned paths that are links, or whose name is the name of
 * a language package's file in canonical form, can match: only those are
 * resolved.
 */
function ownedAmong(merged: ReturnType<typeof mergeLayers>, packages: Package[], links: ReturnType<typeof finalSymlinks>): Set<string> {
  const names = new Set<string>();
  for (const p of packages) {
    if (OS_PACKAGE_TYPES.has(p.type)) continue;
    for (const path of p.paths) {
      const file = canonicalPath(path.split("!")[0]!, links);
      names.add(file.slice(file.lastIndexOf("/") + 1));
    }
  }
  const owned = new Set<string>();
  if (names.size === 0) return owned;
  for (const m of merged) {
    for (const f of m.result.ownedFiles ?? []) {
      if (names.has(f.slice(f.lastIndexOf("/") + 1)) || links.has(f)) owned.add(canonicalPath(f, links));
    }
  }
  return owned;
}

function targetOf(image: OpenedImage): TargetInfo {
  return {
    reference: image.reference,
    transport: image.transport,
    ...(image.digest ? { digest: image.digest } : {}),
    ...(image.indexDigest ? { indexDigest: image.indexDigest } : {}),
    ...(image.imageId ? { imageId: image.imageId } : {}),
    ...(image.names.length ? { names: image.names } : {}),
    ...(image.platform ? { platform: image.platform } : {}),
    layers: image.layers
      .filter((l) => !l.synthetic)
      .map((l) => ({
        digest: l.digest,
        ...(l.diffId ? { diffId: l.diffId } : {}),
        ...(l.size !== undefined ? { size: l.size } : {}),
        // The history holds the build arguments RUN steps used: secrets among them are not repeated in reports.
        ...(l.createdBy ? { createdBy: redactSecrets(l.createdBy) } : {}),
      })),
  };
}
