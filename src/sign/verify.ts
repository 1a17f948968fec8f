/**
 * Checking what the store holds against a public key. A signature counts
 * only if it verifies over the exact stored payload bytes AND that payload
 * names this image's digest; an attestation only if its DSSE signature
 * verifies AND its Statement's subject is this digest. Everything else is
 * kept with the reason it was refused, so `verify` can say why.
 */
import type { KeyObject } from "node:crypto";
import { messageOf, shortDigest } from "../common/index.js";
import { parseStatement, SCAN_PREDICATE_TYPE, statementCovers } from "./attestation.js";
import { IN_TOTO_PAYLOAD_TYPE, openEnvelope, parseEnvelope, verifies } from "./dsse.js";
import { parseSimpleSigning } from "./simple-signing.js";
import type { StoredItem } from "./store.js";

export interface CheckedSignature {
  source: string;
  valid: boolean;
  /** Why it does not count, when it does not. */
  reason?: string;
  /** The repository the payload names (informational: copies to other repositories keep verifying). */
  dockerReference?: string;
  /** The payload's optional claims (`sign -a`), when it has any. */
  annotations?: Record<string, unknown>;
}

export interface CheckedAttestation {
  source: string;
  valid: boolean;
  reason?: string;
  predicateType?: string;
  /** When the predicate says it was made. */
  createdAt?: string;
  /** From a scan predicate. */
  riskScore?: number;
  /** From a scan predicate that carries a verdict. */
  verdict?: { stage: string; allowed: boolean; policy: string };
  /** The manifest the attested scan read (the platform's, when an index was attested). */
  scannedDigest?: string;
}

/** `annotations`: claims the payload's `optional` section must hold, as cosign's `verify -a`. */
export function checkSignature(item: StoredItem, digest: string, key: KeyObject, annotations: Readonly<Record<string, string>> = {}): CheckedSignature {
  const base = { source: item.source };
  if (item.signature === "") return { ...base, valid: false, reason: "no signature annotation on the layer" };
  if (!verifies(item.blob, key, item.signature)) {
    return { ...base, valid: false, reason: "the signature does not verify with this key (signed by another key, or the payload was altered)" };
  }
  try {
    const payload = parseSimpleSigning(item.blob, `payload ${shortDigest(item.blobDigest)}`);
    const signed = payload.critical.image["docker-manifest-digest"];
    const dockerReference = payload.critical.identity["docker-reference"];
    if (signed !== digest) return { ...base, valid: false, dockerReference, reason: `signed for another image: the payload names ${shortDigest(signed)}, this image is ${shortDigest(digest)}` };
    const optional = payload.optional ?? {};
    for (const [name, value] of Object.entries(annotations)) {
      const own = Object.hasOwn(optional, name) ? optional[name] : undefined;
      if (own !== value) {
        const has = own === undefined ? "none" : JSON.stringify(own);
        return { ...base, valid: false, dockerReference, reason: `annotation ${name}=${value} required, the signature has ${has}` };
      }
    }
    return { ...base, valid: true, dockerReference, ...(Object.keys(optional).length ? { annotations: optional } : {}) };
  } catch (err) {
    return { ...base, valid: false, reason: messageOf(err) };
  }
}

const CLOCK_SKEW_MS = 5 * 60_000;

/** What verify and policies read from a scan predicate, each field only when it has the documented type. */
function scanFacts(predicate: unknown): Pick<CheckedAttestation, "createdAt" | "riskScore" | "verdict" | "scannedDigest"> {
  const p = (typeof predicate === "object" && predicate !== null ? predicate : {}) as Record<string, unknown>;
  const obj = (v: unknown) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
  const out: Pick<CheckedAttestation, "createdAt" | "riskScore" | "verdict" | "scannedDigest"> = {};
  if (typeof p.createdAt === "string" && !Number.isNaN(Date.parse(p.createdAt))) out.createdAt = p.createdAt;
  const score = obj(p.riskScore).score;
  if (typeof score === "number" && score >= 0 && score <= 100) out.riskScore = score;
  const v = obj(p.verdict);
  const policy = obj(v.policy).name;
  if (typeof v.stage === "string" && typeof v.allowed === "boolean" && typeof policy === "string") out.verdict = { stage: v.stage, allowed: v.allowed, policy };
  const image = obj(p.image);
  const scanned = obj(image.scanned).digest ?? image.digest;
  if (typeof scanned === "string") out.scannedDigest = scanned;
  return out;
}

/** `maxAgeMs`: an older attestation is refused with its age. */
export function checkAttestation(item: StoredItem, digest: string, key: KeyObject, now: Date, maxAgeMs?: number): CheckedAttestation {
  const base = { source: item.source };
  try {
    const where = `attestation ${shortDigest(item.blobDigest)}`;
    const envelope = parseEnvelope(item.blob, where);
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return { ...base, valid: false, reason: `payload type "${envelope.payloadType}" is not an in-toto Statement` };
    const payload = openEnvelope(envelope, key);
    if (!payload) return { ...base, valid: false, reason: "the envelope's signature does not verify with this key (signed by another key, or the statement was altered)" };
    const statement = parseStatement(payload, where);
    const out: CheckedAttestation = { ...base, valid: true, predicateType: statement.predicateType };
    if (statement.predicateType === SCAN_PREDICATE_TYPE) Object.assign(out, scanFacts(statement.predicate));
    if (!statementCovers(statement, digest)) {
      const named = statement.subject.map((s) => Object.entries(s.digest).map(([a, h]) => shortDigest(`${a}:${h}`)).join(",")).join(", ");
      return { ...out, valid: false, reason: `attests another image: its subject is ${named}, this image is ${shortDigest(digest)}` };
    }
    const made = out.createdAt ? Date.parse(out.createdAt) : Number.NaN;
    // A date ahead of now would pass every age limit forever.
    if (made - now.getTime() > CLOCK_SKEW_MS) return { ...out, valid: false, reason: `dated ${out.createdAt}, in the future` };
    if (maxAgeMs !== undefined) {
      if (Number.isNaN(made)) return { ...out, valid: false, reason: "no creation time, so its age cannot be checked" };
      if (now.getTime() - made > maxAgeMs) return { ...out, valid: false, reason: `made ${ageText(now.getTime() - made)} ago, older than the allowed ${ageText(maxAgeMs)}` };
    }
    return out;
  } catch (err) {
    return { ...base, valid: false, reason: messageOf(err) };
  }
}

/** "3d 4h", "25m": an age for people. */
export function ageText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return `${hours}h ${minutes % 60}m`;
  return `${minutes}m`;
}
