/**
 * DSSE envelopes (Dead Simple Signing Envelope): the signature covers the
 * pre-authentication encoding of the payload type and the payload, so a
 * payload cannot be reinterpreted as another type. Attestations use it with
 * in-toto Statements, as cosign does.
 */
import { sign, verify, type KeyObject } from "node:crypto";
import { InputError } from "../common/index.js";

export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const MAX_ENVELOPE_BYTES = 16 * 1024 * 1024;
const MAX_ENVELOPE_SIGNATURES = 16;

export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** "DSSEv1 <len> <type> <len> <body>", lengths in bytes as decimal. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export function signEnvelope(payloadType: string, payload: Buffer, key: KeyObject, keyid = ""): DsseEnvelope {
  const sig = sign("sha256", preAuthEncoding(payloadType, payload), key);
  return { payloadType, payload: payload.toString("base64"), signatures: [{ keyid, sig: sig.toString("base64") }] };
}

export function parseEnvelope(bytes: Buffer, where: string): DsseEnvelope {
  if (bytes.length > MAX_ENVELOPE_BYTES) throw new InputError(where, undefined, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new InputError(where, undefined, `not a JSON DSSE envelope (${(err as Error).message})`);
  }
  const env = doc as Partial<DsseEnvelope>;
  if (typeof env?.payloadType !== "string") throw new InputError(where, "$.payloadType", "missing: not a DSSE envelope");
  if (typeof env.payload !== "string") throw new InputError(where, "$.payload", "missing");
  if (!Array.isArray(env.signatures)) throw new InputError(where, "$.signatures", "expected a list");
  // Each signature is checked over the whole payload: a few are plenty, thousands are an attack.
  if (env.signatures.length > MAX_ENVELOPE_SIGNATURES) throw new InputError(where, "$.signatures", `more than ${MAX_ENVELOPE_SIGNATURES} signatures`);
  env.signatures.forEach((s, i) => {
    if (typeof s?.sig !== "string") throw new InputError(where, `$.signatures[${i}].sig`, "missing");
  });
  return env as DsseEnvelope;
}

/** The payload bytes when some signature of the envelope verifies with `key`, else undefined. */
export function openEnvelope(env: DsseEnvelope, key: KeyObject): Buffer | undefined {
  const payload = Buffer.from(env.payload, "base64");
  const pae = preAuthEncoding(env.payloadType, payload);
  for (const s of env.signatures) {
    if (verifies(pae, key, s.sig)) return payload;
  }
  return undefined;
}

/** A malformed signature is a failed one, not a crash. */
export function verifies(data: Buffer, key: KeyObject, signatureBase64: string): boolean {
  try {
    return verify("sha256", data, key, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}
