/** docker-archive: the tarball `docker save` / `podman save` write (manifest.json + config + layer tars). */
import { z } from "zod";
import { InputError } from "../common/index.js";
import { withDefaults, type WalkLimits } from "./limits.js";
import { layerHistory, parseConfig, parseJson } from "./manifest.js";
import type { Layer, OpenedImage, OpenOptions } from "./model.js";
import { TarIndex } from "./tar-index.js";
import { tarLayer } from "./tar-layer.js";

const archiveManifest = z
  .array(
    z
      .object({
        Config: z.string(),
        RepoTags: z.array(z.string()).nullable().optional(),
        Layers: z.array(z.string()),
      })
      .loose(),
  )
  .min(1, "at least one image");

/**
 * Open a docker-archive. `image` picks one of several images by tag (or
 * index, "@1"); the first is the default, as with `docker load`.
 */
export async function openDockerArchive(
  file: string,
  reference: string,
  opts: OpenOptions & { image?: string; limits?: Partial<WalkLimits>; transport?: string } = {},
): Promise<OpenedImage> {
  const tar = await TarIndex.open(file);
  const source = `docker-archive ${file}`;
  if (!tar.has("manifest.json")) {
    throw new InputError(source, undefined, tar.has("index.json") ? "no manifest.json (this looks like an OCI archive: use oci-archive:)" : "no manifest.json: not a docker-archive");
  }
  const entries = parseJson(archiveManifest, await tar.text("manifest.json"), `${source} manifest.json`, "a docker save manifest");
  let chosen = entries[0]!;
  if (opts.image) {
    const byIndex = /^@(\d+)$/.exec(opts.image);
    const found = byIndex ? entries[Number(byIndex[1])] : entries.find((e) => e.RepoTags?.some((t) => t === opts.image || t.endsWith(`/${opts.image}`)));
    if (!found) throw new InputError(source, undefined, `no image "${opts.image}" (the archive has: ${entries.flatMap((e) => e.RepoTags ?? []).join(", ") || "untagged images"})`);
    chosen = found;
  }
  const config = parseConfig(await tar.text(chosen.Config), `${source} ${chosen.Config}`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== chosen.Layers.length) {
    throw new InputError(source, undefined, `${chosen.Layers.length} layers in manifest.json but ${diffIds.length} diff ids in the config`);
  }
  const history = layerHistory(config);
  const limits = withDefaults(opts.limits);
  const layers: Layer[] = chosen.Layers.map((path, i) => {
    const diffId = diffIds[i]!;
    // Newer docker writes layers as OCI blobs named by digest; podman writes <diffid-hex>.tar.
    const named = /(?:^|\/)blobs\/(sha256)\/([a-f0-9]{64})$/.exec(path);
    const digest = named ? `${named[1]}:${named[2]}` : diffId;
    return tarLayer(
      { digest, diffId, size: tar.sizeOf(path), createdBy: history[i], file: async () => tar.range(path) },
      async () => tar.stream(path),
      limits,
    );
  });
  const configHex = /([a-f0-9]{64})(?:\.json)?$/.exec(chosen.Config)?.[1];
  return {
    reference,
    transport: opts.transport ?? "docker-archive",
    imageId: configHex ? `sha256:${configHex}` : undefined,
    names: chosen.RepoTags ?? [],
    platform: [config.os, config.architecture, config.variant].filter(Boolean).join("/") || undefined,
    config,
    layers,
    close: async () => {},
  };
}
