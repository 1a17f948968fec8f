/**
 * OCI and Docker v2 manifests, indexes and image configs: one zod schema each,
 * giving the parser, the type and errors that name the JSON path.
 */
import { z } from "zod";
import { InputError, jsonPath } from "../common/index.js";
import type { ImageConfig } from "./model.js";

export const MEDIA = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerSchema1: "application/vnd.docker.distribution.manifest.v1+json",
  dockerSchema1Signed: "application/vnd.docker.distribution.manifest.v1+prettyjws",
} as const;

export const LAYER_MEDIA_TYPES = new Set([
  "application/vnd.oci.image.layer.v1.tar",
  "application/vnd.oci.image.layer.v1.tar+gzip",
  "application/vnd.oci.image.layer.v1.tar+zstd",
  "application/vnd.oci.image.layer.nondistributable.v1.tar",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
  "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
  "application/vnd.docker.image.rootfs.diff.tar",
  "application/vnd.docker.image.rootfs.diff.tar.gzip",
  "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
]);

const digest = z.string().regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, "a digest like sha256:<hex>");

export const descriptorSchema = z.object({
  mediaType: z.string().optional(),
  digest,
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z
    .object({ architecture: z.string(), os: z.string(), variant: z.string().optional() })
    .loose()
    .optional(),
  urls: z.array(z.string()).optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Index = z.infer<typeof indexSchema>;

const configSchema = z
  .object({
    architecture: z.string().optional(),
    os: z.string().optional(),
    variant: z.string().optional(),
    created: z.string().optional(),
    config: z.record(z.string(), z.unknown()).nullable().optional(),
    rootfs: z.object({ type: z.string(), diff_ids: z.array(digest) }),
    history: z
      .array(
        z
          .object({
            created: z.string().optional(),
            created_by: z.string().optional(),
            empty_layer: z.boolean().optional(),
            comment: z.string().optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

/** Parse JSON text and check it against a schema; errors name the source and the JSON path. */
export function parseJson<T>(schema: z.ZodType<T>, text: string, source: string, expected: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(source, undefined, `not valid JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(source, jsonPath(issue.path), `${issue.message} (expected ${expected})`);
  }
  return result.data;
}

export type ManifestOrIndex = { kind: "manifest"; manifest: Manifest } | { kind: "index"; index: Index };

/** Decide by media type (falling back to shape) whether a document is an index or a manifest. */
export function parseManifestOrIndex(text: string, source: string, mediaType?: string): ManifestOrIndex {
  let probe: { mediaType?: unknown; manifests?: unknown; schemaVersion?: unknown };
  try {
    probe = JSON.parse(text) as typeof probe;
  } catch (err) {
    throw new InputError(source, undefined, `not valid JSON (${(err as Error).message})`);
  }
  const type = mediaType ?? (typeof probe.mediaType === "string" ? probe.mediaType : undefined);
  if (type === MEDIA.dockerSchema1 || type === MEDIA.dockerSchema1Signed || probe.schemaVersion === 1) {
    throw new InputError(source, undefined, "Docker schema 1 manifests are not supported (re-push the image with a current client)");
  }
  if (type === MEDIA.ociIndex || type === MEDIA.dockerList || (type === undefined && Array.isArray(probe.manifests))) {
    return { kind: "index", index: parseJson(indexSchema, text, source, "an OCI image index") };
  }
  if (type === undefined || type === MEDIA.ociManifest || type === MEDIA.dockerManifest) {
    return { kind: "manifest", manifest: parseJson(manifestSchema, text, source, "an OCI image manifest") };
  }
  throw new InputError(source, "$.mediaType", `unsupported media type "${type}" (expected an OCI or Docker v2 manifest or index)`);
}

export function parseConfig(text: string, source: string): ImageConfig {
  return parseJson(configSchema, text, source, "an OCI image config") as ImageConfig;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export const DEFAULT_PLATFORM = "linux/amd64";

export function parsePlatform(text: string): Platform {
  const [os, architecture, variant] = text.split("/");
  if (!os || !architecture) throw new InputError("--platform", undefined, `"${text}" is not os/arch[/variant] (e.g. linux/arm64)`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Pick the manifest for a platform from an index; errors list what the index offers. */
export function selectManifest(index: Index, platformText: string | undefined, source: string): Descriptor {
  const want = parsePlatform(platformText ?? DEFAULT_PLATFORM);
  const images = index.manifests.filter((m) => m.platform && m.platform.os !== "unknown");
  const match =
    images.find(
      (m) => m.platform!.os === want.os && m.platform!.architecture === want.architecture && (!want.variant || m.platform!.variant === want.variant),
    ) ?? (index.manifests.length === 1 && !index.manifests[0]!.platform ? index.manifests[0] : undefined);
  if (!match) {
    const offered = images.map((m) => [m.platform!.os, m.platform!.architecture, m.platform!.variant].filter(Boolean).join("/"));
    throw new InputError(source, undefined, `no image for platform ${platformText ?? DEFAULT_PLATFORM} (the index has: ${offered.join(", ") || "none"})`);
  }
  return match;
}

/** Pair each layer with its diff id and history step (history skips empty layers). */
export function layerHistory(config: ImageConfig): (string | undefined)[] {
  return (config.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
}
