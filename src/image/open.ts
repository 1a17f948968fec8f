/**
 * Targets in the style of skopeo/syft: `transport:reference`, or a bare
 * argument whose transport is detected (an existing directory or archive on
 * disk, otherwise an image reference pulled from its registry).
 */
import { stat } from "node:fs/promises";
import { InputError } from "../common/index.js";
import { openDockerArchive } from "./docker-archive.js";
import type { WalkLimits } from "./limits.js";
import type { OpenedImage, OpenOptions } from "./model.js";
import { openOciArchive, openOciDir } from "./oci-layout.js";
import { openRootfs } from "./rootfs.js";
import { TarIndex } from "./tar-index.js";

export const TRANSPORTS = ["docker-archive", "oci-archive", "oci", "dir", "registry", "docker", "sbom"] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface ParsedTarget {
  transport: Transport;
  /** File, directory or image reference, without the transport prefix. */
  value: string;
  /** Tag inside an OCI layout (oci:DIR:TAG). */
  tag?: string;
}

/** Split `transport:value`; returns undefined transport when none was given. */
export function parseTarget(target: string): ParsedTarget | { transport: undefined; value: string } {
  const colon = target.indexOf(":");
  const prefix = colon > 0 ? target.slice(0, colon) : "";
  if ((TRANSPORTS as readonly string[]).includes(prefix)) {
    const value = target.slice(colon + 1);
    if (value === "") throw new InputError(target, undefined, `nothing after "${prefix}:"`);
    if (prefix === "oci") {
      // oci:DIR:TAG — the tag is what follows the last colon, if that is not part of the path.
      const m = /^(.*?):([A-Za-z0-9_][A-Za-z0-9._-]{0,127})$/.exec(value);
      if (m && m[1]) return { transport: "oci", value: m[1], tag: m[2] };
    }
    return { transport: prefix as Transport, value };
  }
  return { transport: undefined, value: target };
}

/** Decide what a bare argument is: a directory, an archive, an SBOM file, or an image reference. */
export async function detectTransport(value: string): Promise<ParsedTarget> {
  const st = await stat(value).catch(() => null);
  if (st?.isDirectory()) {
    const layout = await stat(`${value}/oci-layout`).catch(() => null);
    return { transport: layout ? "oci" : "dir", value };
  }
  if (st?.isFile()) {
    const tar = await TarIndex.open(value).catch(() => null);
    if (tar?.has("manifest.json")) return { transport: "docker-archive", value };
    if (tar?.has("index.json")) return { transport: "oci-archive", value };
    return { transport: "sbom", value };
  }
  if (looksLikePath(value)) throw new InputError(value, undefined, "no such file or directory");
  return { transport: "registry", value };
}

/** An argument that can only have meant a file: a path prefix or an archive/SBOM extension. */
function looksLikePath(value: string): boolean {
  return /^(\.{0,2}\/|~)/.test(value) || /\.(tar|tgz|tar\.gz|tar\.zst|json|spdx|cdx)$/i.test(value);
}

export interface ImageOpeners {
  registry?: (ref: string, opts: OpenOptions) => Promise<OpenedImage>;
  docker?: (ref: string, opts: OpenOptions) => Promise<OpenedImage>;
}

export async function openImage(
  target: ParsedTarget,
  reference: string,
  opts: OpenOptions & { limits?: Partial<WalkLimits> },
  openers: ImageOpeners = {},
): Promise<OpenedImage> {
  switch (target.transport) {
    case "docker-archive":
      return openDockerArchive(target.value, reference, opts);
    case "oci-archive":
      return openOciArchive(target.value, target.tag, reference, opts);
    case "oci":
      return openOciDir(target.value, target.tag, reference, opts);
    case "dir":
      return openRootfs(target.value, reference, opts);
    case "registry":
    case "docker": {
      const opener = openers[target.transport];
      if (!opener) throw new InputError(reference, undefined, `the ${target.transport} transport is not available in this build`);
      return opener(target.value, opts);
    }
    case "sbom":
      throw new InputError(reference, undefined, "an SBOM is not an image (read it with readSbom)");
  }
}
