/** registry:REF — an image pulled from its registry over the OCI distribution API, streamed, never stored. */
import type { WalkLimits } from "../limits.js";
import type { OpenedImage, OpenOptions } from "../model.js";
import { RegistryClient, resolveImage } from "./client.js";
import { findCredential } from "./credentials.js";
import { formatReference, parseReference } from "./reference.js";

export interface RegistryOpenOptions extends OpenOptions {
  limits?: Partial<WalkLimits>;
  /** Environment for credential lookup (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Home directory for credential files (default os.homedir()). */
  home?: string;
  /** Where non-fatal problems go (a credential helper that is missing); default process.emitWarning. */
  onWarning?: (message: string) => void;
}

export async function openRegistryImage(reference: string, opts: RegistryOpenOptions = {}): Promise<OpenedImage> {
  const ref = parseReference(reference);
  const client = new RegistryClient(ref, {
    insecure: opts.insecure,
    signal: opts.signal,
    onProgress: opts.onProgress,
    credential: () => findCredential(ref, { env: opts.env, home: opts.home, warn: opts.onWarning }),
  });
  const image = await resolveImage(client, { platform: opts.platform, limits: opts.limits });
  return {
    reference,
    transport: "registry",
    digest: image.digest,
    ...(image.topDigest !== image.digest ? { indexDigest: image.topDigest } : {}),
    imageId: image.configDigest,
    names: [formatReference(ref)],
    platform: image.platform,
    config: image.config,
    layers: image.layers,
    close: async () => {},
  };
}
