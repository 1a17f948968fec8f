/**
 * Names for the facts our model has and the SBOM formats lack, in the
 * namespaced property style of the CycloneDX property taxonomy. CycloneDX
 * carries them as `properties`, SPDX as annotations whose comment is
 * "name: value"; the reader turns both back into model fields.
 */
export const PROP = {
  type: "portcullis:package:type",
  arch: "portcullis:package:arch",
  layer: "portcullis:package:layer",
  path: "portcullis:package:path",
  sourceName: "portcullis:package:source-name",
  sourceVersion: "portcullis:package:source-version",
  dev: "portcullis:package:dev",
  imageTransport: "portcullis:image:transport",
  imageId: "portcullis:image:id",
  imageIndexDigest: "portcullis:image:index-digest",
  imageName: "portcullis:image:name",
  imagePlatform: "portcullis:image:platform",
  imageLayer: "portcullis:image:layer",
  osCodename: "portcullis:os:codename",
  osRelease: "portcullis:os:release",
} as const;

export interface Property {
  name: string;
  value: string;
}

/** The properties of one package, in a fixed order; repeated names for lists. */
export function packageProperties(pkg: {
  type: string;
  arch?: string;
  layer?: string;
  paths: readonly string[];
  source?: { name: string; version?: string };
  dev?: boolean;
}): Property[] {
  const out: Property[] = [{ name: PROP.type, value: pkg.type }];
  if (pkg.arch) out.push({ name: PROP.arch, value: pkg.arch });
  if (pkg.layer) out.push({ name: PROP.layer, value: pkg.layer });
  for (const p of pkg.paths) out.push({ name: PROP.path, value: p });
  if (pkg.source) {
    out.push({ name: PROP.sourceName, value: pkg.source.name });
    if (pkg.source.version) out.push({ name: PROP.sourceVersion, value: pkg.source.version });
  }
  if (pkg.dev) out.push({ name: PROP.dev, value: "true" });
  return out;
}

/** The properties of the scanned image: everything of TargetInfo but the reference and digest. */
export function imageProperties(target: {
  transport: string;
  imageId?: string;
  indexDigest?: string;
  names?: readonly string[];
  platform?: string;
  layers: ReadonlyArray<{ digest: string }>;
}): Property[] {
  const out: Property[] = [{ name: PROP.imageTransport, value: target.transport }];
  if (target.imageId) out.push({ name: PROP.imageId, value: target.imageId });
  if (target.indexDigest) out.push({ name: PROP.imageIndexDigest, value: target.indexDigest });
  for (const n of target.names ?? []) out.push({ name: PROP.imageName, value: n });
  if (target.platform) out.push({ name: PROP.imagePlatform, value: target.platform });
  for (const l of target.layers) out.push({ name: PROP.imageLayer, value: l.digest });
  return out;
}
