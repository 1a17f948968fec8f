/**
 * One scan of an image for everything that reads its layers: the inventory
 * (for vulnerability matching), the image checks (PCS-IMG) and secrets in
 * layer files, environment and history — all from a single walk of each
 * layer, or from the layer cache. A secret in a file that a later layer
 * deletes is still reported: the layer that holds it ships with the image.
 */
import { canonicalPath, type OpenedImage, type WalkLimits } from "../image/index.js";
import { finalFilesystem, finalSymlinks, inventoryOf, walkImage, type FsEntry, type Inventory, type LayerCache, type LayerEvent, type LayerInventory } from "../inventory/index.js";
import { checkImage, FILESYSTEM_RULES, IMAGE_RULES, type ImageHardening, type ImageSubject } from "../misconfig/image/index.js";
import { configSecrets, redactSecrets } from "../secrets/index.js";
import type { Finding } from "../common/index.js";
import { secretsAnalyzer } from "./secrets-analyzer.js";

export interface ImageScanners {
  /** Image checks: user, exposed ports, shipped tools, permission bits, caches. */
  misconfig: boolean;
  /** Secrets in layer files, environment and history. */
  secret: boolean;
}

export interface ImageScanOptions {
  scanners: ImageScanners;
  cache?: LayerCache;
  limits?: Partial<WalkLimits>;
  onLayer?: (event: LayerEvent) => void;
  /** Look for secrets in binary layer files too. */
  secretBinaries?: boolean;
}

export interface ImageScan {
  inventory: Inventory;
  /** Misconfiguration and secret findings (vulnerabilities are matched from the inventory). */
  findings: Finding[];
  /** The facts behind the image checks, when they ran. */
  hardening?: ImageHardening;
}

export async function scanImage(image: OpenedImage, opts: ImageScanOptions): Promise<ImageScan> {
  const { misconfig, secret } = opts.scanners;
  const base = { ...(opts.cache ? { cache: opts.cache } : {}), ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.onLayer ? { onLayer: opts.onLayer } : {}) };
  if (!misconfig && !secret) return { inventory: await inventoryOf(image, base), findings: [] };

  const secrets = secretsAnalyzer({ binaries: opts.secretBinaries === true });
  const walk = await walkImage(image, { ...base, listing: true, extraAnalyzers: secret ? [secrets] : [] });
  const files = finalFilesystem(walk.layers);
  const findings: Finding[] = [];
  let hardening: ImageHardening | undefined;
  if (misconfig) {
    const links = finalSymlinks(walk.layers);
    const subject: ImageSubject = {
      config: image.config?.config ?? {},
      layers: walk.layers.map((inv, i) => {
        const layer = image.layers[i]!;
        return {
          digest: layer.digest,
          ...(layer.diffId ? { diffId: layer.diffId } : {}),
          ...(layer.createdBy ? { createdBy: redactSecrets(layer.createdBy) } : {}),
          paths: inv.listing!.paths,
          kinds: inv.listing!.kinds,
          sizes: inv.listing!.sizes,
        };
      }),
      files,
      resolve: (path) => canonicalPath(path, links),
    };
    // A directory tree has no image configuration: only the filesystem can be judged.
    const checked = checkImage(subject, image.config ? IMAGE_RULES : FILESYSTEM_RULES);
    findings.push(...checked.findings);
    hardening = checked.hardening;
  }
  if (secret) {
    findings.push(...layerSecrets(walk.layers, files, secrets.name));
    if (image.config) findings.push(...configSecrets({ Env: image.config.config?.Env ?? [], history: historyWithLayers(image) }));
  }
  return { inventory: walk.inventory, findings, ...(hardening ? { hardening } : {}) };
}

/** The secret analyzer's findings of every layer, marked when the file is gone from the final filesystem. */
function layerSecrets(layers: readonly LayerInventory[], files: ReadonlyMap<string, FsEntry>, analyzer: string): Finding[] {
  const out: Finding[] = [];
  layers.forEach((inv, index) => {
    for (const f of inv.files) {
      if (f.analyzer !== analyzer) continue;
      const shipped = files.get(f.path)?.layer === index;
      for (const finding of f.result.findings ?? []) {
        out.push(shipped ? finding : { ...finding, evidence: `${finding.evidence ?? ""} (deleted or replaced in a later layer, still in layer ${index + 1})`.trim() });
      }
    }
  });
  return out;
}

/** The config's history, each step that made a layer with that layer's diff id. */
function historyWithLayers(image: OpenedImage): { created_by?: string; layer?: string }[] {
  let next = 0;
  return (image.config?.history ?? []).map((h) => {
    const layer = h.empty_layer ? undefined : image.layers[next++];
    const id = layer?.diffId ?? layer?.digest;
    return { ...(h.created_by ? { created_by: h.created_by } : {}), ...(id ? { layer: id } : {}) };
  });
}
