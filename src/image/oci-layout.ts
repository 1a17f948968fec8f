/** OCI image layout (oci:DIR[:TAG]) and its tarball (oci-archive:FILE). */
import { InputError } from "../common/index.js";
import { blobPath, dirStore, tarStore, type BlobStore } from "./blob-store.js";
import { withDefaults, type WalkLimits } from "./limits.js";
import { LAYER_MEDIA_TYPES, layerHistory, parseConfig, parseManifestOrIndex, selectManifest, type Descriptor } from "./manifest.js";
import type { OpenedImage, OpenOptions } from "./model.js";
import { TarIndex } from "./tar-index.js";
import { tarLayer } from "./tar-layer.js";

const REF_NAME = "org.opencontainers.image.ref.name";
const MAX_NESTING = 4;

export async function openOciDir(dir: string, tag: string | undefined, reference: string, opts: OpenOptions & { limits?: Partial<WalkLimits> } = {}): Promise<OpenedImage> {
  return openLayout(dirStore(dir, `oci layout ${dir}`), tag, reference, "oci", opts);
}

export async function openOciArchive(file: string, tag: string | undefined, reference: string, opts: OpenOptions & { limits?: Partial<WalkLimits> } = {}): Promise<OpenedImage> {
  const tar = await TarIndex.open(file);
  return openLayout(tarStore(tar, `oci-archive ${file}`), tag, reference, "oci-archive", opts);
}

async function verifiedText(store: BlobStore, desc: Descriptor): Promise<string> {
  const path = blobPath(desc.digest, store.label);
  const text = await store.text(path);
  const { createHash } = await import("node:crypto");
  const [alg, hex] = desc.digest.split(":");
  if (alg === "sha256" && createHash("sha256").update(text, "utf8").digest("hex") !== hex) {
    throw new InputError(store.label, path, `digest mismatch: content does not hash to ${desc.digest}`);
  }
  return text;
}

async function openLayout(
  store: BlobStore,
  tag: string | undefined,
  reference: string,
  transport: string,
  opts: OpenOptions & { limits?: Partial<WalkLimits> },
): Promise<OpenedImage> {
  if (!(await store.has("index.json"))) {
    throw new InputError(store.label, undefined, (await store.has("manifest.json")) ? "no index.json (this looks like a docker-archive: use docker-archive:)" : "no index.json: not an OCI image layout");
  }
  const top = parseManifestOrIndex(await store.text("index.json"), `${store.label} index.json`);
  if (top.kind !== "index") throw new InputError(store.label, "index.json", "expected an image index");
  let candidates = top.index.manifests;
  if (tag) {
    candidates = candidates.filter((m) => m.annotations?.[REF_NAME] === tag || m.annotations?.["io.containerd.image.name"]?.endsWith(`:${tag}`));
    if (candidates.length === 0) {
      const tags = top.index.manifests.map((m) => m.annotations?.[REF_NAME]).filter(Boolean);
      throw new InputError(store.label, undefined, `no image tagged "${tag}" (tags: ${tags.join(", ") || "none"})`);
    }
  }
  let desc: Descriptor =
    candidates.length === 1 ? candidates[0]! : selectManifest({ schemaVersion: 2, manifests: candidates }, opts.platform, store.label);
  for (let depth = 0; ; depth++) {
    if (depth > MAX_NESTING) throw new InputError(store.label, undefined, `indexes nested deeper than ${MAX_NESTING}`);
    const doc = parseManifestOrIndex(await verifiedText(store, desc), `${store.label} ${desc.digest}`, desc.mediaType);
    if (doc.kind === "index") {
      desc = selectManifest(doc.index, opts.platform, `${store.label} ${desc.digest}`);
      continue;
    }
    const manifest = doc.manifest;
    const config = parseConfig(await verifiedText(store, manifest.config), `${store.label} config ${manifest.config.digest}`);
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== manifest.layers.length) {
      throw new InputError(store.label, undefined, `${manifest.layers.length} layers in the manifest but ${diffIds.length} diff ids in the config`);
    }
    const history = layerHistory(config);
    const limits = withDefaults(opts.limits);
    const layers = manifest.layers.map((l, i) => {
      if (l.mediaType && !LAYER_MEDIA_TYPES.has(l.mediaType)) {
        throw new InputError(store.label, `$.layers[${i}].mediaType`, `unsupported layer media type "${l.mediaType}"`);
      }
      const path = blobPath(l.digest, store.label);
      return tarLayer({ digest: l.digest, diffId: diffIds[i], mediaType: l.mediaType, size: l.size, createdBy: history[i], file: () => store.range(path) }, async () => store.stream(path), limits);
    });
    const names = [desc.annotations?.[REF_NAME], ...candidates.map((c) => c.annotations?.[REF_NAME])].filter((n): n is string => !!n);
    return {
      reference,
      transport,
      digest: desc.digest,
      imageId: manifest.config.digest,
      names: [...new Set(names)],
      platform: [config.os, config.architecture, config.variant].filter(Boolean).join("/") || undefined,
      config,
      layers,
      close: async () => {},
    };
  }
}
