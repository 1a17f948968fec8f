/**
 * The payload of a cosign image signature ("simple signing"): a small JSON
 * document that names the image by repository and binds it to one manifest
 * digest. The signature covers these exact bytes, so we keep the bytes we
 * signed or fetched and never re-serialise them before verifying.
 */
import { InputError } from "../common/index.js";

export const SIMPLE_SIGNING_TYPE = "cosign container image signature";
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface SimpleSigning {
  critical: {
    identity: { "docker-reference": string };
    image: { "docker-manifest-digest": string };
    type: string;
  };
  /** Extra claims signed with the rest ("sign -a key=value"). */
  optional: Record<string, unknown> | null;
}

/** The payload for `repository` (registry/name, no tag) at `digest`. */
export function simpleSigningPayload(repository: string, digest: string, optional: Record<string, string> | null = null): Buffer {
  const doc: SimpleSigning = {
    critical: { identity: { "docker-reference": repository }, image: { "docker-manifest-digest": digest }, type: SIMPLE_SIGNING_TYPE },
    optional,
  };
  return Buffer.from(JSON.stringify(doc));
}

/** Parses fetched payload bytes; throws InputError naming the JSON path that is wrong. */
export function parseSimpleSigning(bytes: Buffer, where: string): SimpleSigning {
  if (bytes.length > MAX_PAYLOAD_BYTES) throw new InputError(where, undefined, `payload larger than ${MAX_PAYLOAD_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new InputError(where, undefined, `payload is not JSON (${(err as Error).message})`);
  }
  const critical = (doc as { critical?: unknown })?.critical as Record<string, unknown> | undefined;
  if (typeof critical !== "object" || critical === null) throw new InputError(where, "$.critical", "missing: not a simple-signing payload");
  if (critical.type !== SIMPLE_SIGNING_TYPE) throw new InputError(where, "$.critical.type", `expected "${SIMPLE_SIGNING_TYPE}", got ${JSON.stringify(critical.type)}`);
  const digest = (critical.image as Record<string, unknown> | undefined)?.["docker-manifest-digest"];
  if (typeof digest !== "string") throw new InputError(where, "$.critical.image.docker-manifest-digest", "missing");
  const reference = (critical.identity as Record<string, unknown> | undefined)?.["docker-reference"];
  if (typeof reference !== "string") throw new InputError(where, "$.critical.identity.docker-reference", "missing");
  const optional = (doc as { optional?: unknown }).optional;
  if (optional !== undefined && optional !== null && (typeof optional !== "object" || Array.isArray(optional))) throw new InputError(where, "$.optional", "expected an object or null");
  return doc as SimpleSigning;
}
