/**
 * Where signatures and attestations live in a registry, in cosign's layout:
 * an OCI manifest tagged `sha256-<hex>.sig` (or `.att`) next to the image,
 * one layer per signature (the signed payload as the blob, the signature in
 * a layer annotation). Where the registry serves the OCI 1.1 referrers API,
 * the same manifest is also pushed with the image as its `subject`, so tools
 * that list referrers find it; the tag stays as the fallback every registry
 * has. Reading gathers both and removes duplicates.
 */
import { InputError, shortDigest } from "../common/index.js";
import { MEDIA, manifestSchema, parseJson, type Descriptor, type Manifest, type RegistryClient } from "../image/index.js";
import { MAX_ENVELOPE_BYTES } from "./dsse.js";
import { MAX_PAYLOAD_BYTES } from "./simple-signing.js";

export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const PREDICATE_TYPE_ANNOTATION = "predicateType";
export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
export const DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
/** artifactType of the referrer manifests, so a referrers listing can be filtered by kind. */
export const SIGNATURE_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
export const ATTESTATION_ARTIFACT_TYPE = DSSE_MEDIA_TYPE;
/** More layers than this in one signature manifest is not a signature store we trust to read. */
const MAX_LAYERS = 256;
/** The signed blob of each kind: a simple-signing payload is small, an envelope carries a predicate. */
const MAX_BLOB: Record<Kind, number> = { signature: MAX_PAYLOAD_BYTES, attestation: MAX_ENVELOPE_BYTES };
/** What one read of an image's store may fetch in all, whatever the registry lists. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
const WRITE_ATTEMPTS = 3;
/** Each referrer is a manifest to fetch: a registry listing thousands is not one to trust with the time. */
const MAX_REFERRERS = 256;

export type Kind = "signature" | "attestation";

const KINDS = {
  signature: { suffix: "sig", layerType: SIMPLE_SIGNING_MEDIA_TYPE, artifactType: SIGNATURE_ARTIFACT_TYPE },
  attestation: { suffix: "att", layerType: DSSE_MEDIA_TYPE, artifactType: ATTESTATION_ARTIFACT_TYPE },
} as const;

/** The image a signature is about: its manifest digest, media type and size (for a referrer's subject). */
export interface Subject {
  digest: string;
  mediaType: string;
  size: number;
}

/** "sha256:ab…" → "sha256-ab….sig": cosign's tag for an image's signatures (or ".att"). */
export function tagFor(digest: string, kind: Kind): string {
  return `${digest.replace(":", "-")}.${KINDS[kind].suffix}`;
}

export interface StoredItem {
  /** The signed bytes: a simple-signing payload, or a DSSE envelope. */
  blob: Buffer;
  blobDigest: string;
  /** base64 signature from the layer annotation (empty for DSSE, whose envelope holds it). */
  signature: string;
  annotations: Record<string, string>;
  /** Where it was found: the cosign tag, or a referrer manifest's digest. */
  source: string;
}

export interface WriteResult {
  tag: string;
  /** Digest of the item's referrer manifest, when the registry serves the referrers API. */
  referrer?: string;
  /** False when the same signed bytes and signature were stored already. */
  added: boolean;
}

function parseStoreManifest(bytes: Buffer, where: string): Manifest {
  const manifest = parseJson(manifestSchema, bytes.toString("utf8"), where, "an OCI image manifest");
  if (manifest.layers.length > MAX_LAYERS) throw new InputError(where, "$.layers", `more than ${MAX_LAYERS} layers`);
  return manifest;
}

/** A config like cosign's: empty platform, one diff id per layer (the layers are not tars). */
function configFor(layers: readonly Descriptor[]): Buffer {
  return Buffer.from(JSON.stringify({ architecture: "", os: "", config: {}, rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) } }));
}

/** Pushes a store manifest under `tag`, or by its own digest when `tag` is undefined (a referrer). */
async function pushManifestOf(client: RegistryClient, layers: Descriptor[], tag: string | undefined, referrer?: { artifactType: string; subject: Subject }) {
  const config = configFor(layers);
  const configDigest = await client.pushBlob(config);
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    ...(referrer ? { artifactType: referrer.artifactType } : {}),
    config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
    layers,
    ...(referrer ? { subject: referrer.subject } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return client.pushManifest(tag, bytes, MEDIA.ociManifest);
}

/**
 * Adds one signed item to the image's store: appended to the manifest under
 * the cosign tag (kept if the same bytes and signature are there already),
 * and pushed as a referrer of the image where the registry supports it.
 */
export async function writeItem(
  client: RegistryClient,
  subject: Subject,
  kind: Kind,
  blob: Buffer,
  annotations: Record<string, string>,
  /** Whether a stored layer already says what this one says (the same payload signed by the same key). */
  equivalent?: (stored: Descriptor) => boolean,
): Promise<WriteResult> {
  const { layerType, artifactType } = KINDS[kind];
  const tag = tagFor(subject.digest, kind);
  // Asked first, and never fatal: the tag is the store every registry has.
  const referrers = await client.referrers(subject.digest).catch(() => undefined);
  const blobDigest = await client.pushBlob(blob);
  const layer: Descriptor = { mediaType: layerType, digest: blobDigest, size: blob.length, annotations };
  const same = (l: Descriptor) => l.digest === blobDigest && (JSON.stringify(l.annotations ?? {}) === JSON.stringify(annotations) || equivalent?.(l) === true);
  let result: WriteResult | undefined;
  let stored: Descriptor = layer;
  // Read, append, push, read back: another writer's push in between would otherwise drop one of the two.
  for (let attempt = 0; attempt <= WRITE_ATTEMPTS; attempt++) {
    const existing = await client.manifestIfAny(tag);
    let layers = existing ? parseStoreManifest(existing.bytes, `${client.label} ${tag}`).layers : [];
    const found = layers.find(same);
    if (found) {
      stored = found;
      result = { tag, added: attempt > 0 };
      break;
    }
    if (attempt === WRITE_ATTEMPTS) break;
    if (layers.length >= MAX_LAYERS) {
      if (kind === "signature") throw new InputError(`${client.label} ${tag}`, undefined, `holds ${layers.length} signatures already, the most this store reads: remove old ones first`);
      // Attestations age: the oldest make room for the new one.
      layers = layers.slice(layers.length - MAX_LAYERS + 1);
    }
    await pushManifestOf(client, [...layers, layer], tag);
  }
  if (!result) throw new InputError(`${client.label} ${tag}`, undefined, `another writer kept replacing the ${kind}s: tried ${WRITE_ATTEMPTS} times`);
  if (referrers !== undefined) {
    const mine = referrers.filter((r) => r.artifactType === artifactType);
    if (mine.length >= MAX_REFERRERS) throw new InputError(`${client.label} referrers of ${shortDigest(subject.digest)}`, undefined, `${mine.length} ${kind} referrers already, the most this store reads; the ${kind} is stored under ${tag}`);
    // Pushed by digest, so pushing the referrer of an item stored before is a no-op (and repairs a missing one).
    result.referrer = (await pushManifestOf(client, [stored], undefined, { artifactType, subject })).digest;
  }
  return result;
}

/** Everything stored for the image under the tag and as referrers, each signed blob fetched and digest-checked. */
export async function readItems(client: RegistryClient, digest: string, kind: Kind): Promise<StoredItem[]> {
  const { layerType, artifactType } = KINDS[kind];
  const tag = tagFor(digest, kind);
  const manifests: { source: string; manifest: Manifest }[] = [];
  const tagged = await client.manifestIfAny(tag);
  if (tagged) manifests.push({ source: tag, manifest: parseStoreManifest(tagged.bytes, `${client.label} ${tag}`) });
  const referrers = ((await client.referrers(digest)) ?? []).filter((r) => r.artifactType === artifactType);
  if (referrers.length > MAX_REFERRERS) throw new InputError(`${client.label} referrers of ${shortDigest(digest)}`, undefined, `more than ${MAX_REFERRERS} ${kind} referrers: not reading them all`);
  for (const r of referrers) {
    const fetched = await client.manifest(r.digest);
    manifests.push({ source: `referrer ${shortDigest(r.digest)}`, manifest: parseStoreManifest(fetched.bytes, `${client.label} referrer ${shortDigest(r.digest)}`) });
  }
  const seen = new Set<string>();
  const items: StoredItem[] = [];
  let budget = MAX_TOTAL_BYTES;
  for (const { source, manifest } of manifests) {
    for (const layer of manifest.layers) {
      if (layer.mediaType !== layerType) continue;
      const annotations = layer.annotations ?? {};
      const key = `${layer.digest} ${annotations[SIGNATURE_ANNOTATION] ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      budget -= layer.size;
      if (budget < 0) throw new InputError(`${client.label} ${source}`, undefined, `the ${kind}s of ${shortDigest(digest)} add up to more than ${MAX_TOTAL_BYTES} bytes: not reading them all`);
      const blob = await client.blobBytes(layer, MAX_BLOB[kind]);
      items.push({ blob, blobDigest: layer.digest, signature: annotations[SIGNATURE_ANNOTATION] ?? "", annotations, source });
    }
  }
  return items;
}
