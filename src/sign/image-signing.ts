/**
 * Signing, attesting and verifying an image in its registry: resolve the
 * reference to the manifest digest once, then sign or check that digest —
 * never the tag, which can be moved to another image at any time.
 */
import { createPublicKey, sign, type KeyObject } from "node:crypto";
import { InputError } from "../common/index.js";
import { findCredential, manifestReference, MEDIA, parseManifestOrIndex, parseReference, RegistryClient, type Descriptor, type ImageReference } from "../image/index.js";
import { statementFor, type ScanPredicate } from "./attestation.js";
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope, verifies } from "./dsse.js";
import { simpleSigningPayload } from "./simple-signing.js";
import { PREDICATE_TYPE_ANNOTATION, readItems, SIGNATURE_ANNOTATION, writeItem, type Subject, type WriteResult } from "./store.js";
import { checkAttestation, checkSignature, type CheckedAttestation, type CheckedSignature } from "./verify.js";

const REQUEST_TIMEOUT_MS = 60_000;

export interface RegistryAccess {
  /** Plain http to loopback registries. */
  insecure?: boolean;
  env?: NodeJS.ProcessEnv;
  home?: string;
  onWarning?: (message: string) => void;
}

/** A client for the image's repository; `push` asks for write access. */
export function clientFor(reference: string, access: RegistryAccess, push = false): RegistryClient {
  const text = reference.replace(/^registry:/, "");
  if (/^(docker-archive|oci-archive|oci|dir|docker|sbom|report):/.test(text)) {
    throw new InputError(reference, undefined, "signatures live in a registry: give a registry reference (host/repository:tag or @sha256:…)");
  }
  const ref = parseReference(text);
  return new RegistryClient(ref, {
    insecure: access.insecure,
    push,
    // Signatures are small documents: a registry that stalls must not hang a pipeline's gate.
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    credential: () => findCredential(ref, { env: access.env, home: access.home, warn: access.onWarning }),
  });
}

/** The repository as signatures name it: "registry.example.com/team/app". */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.index}/${ref.repository}`;
}

/** The manifest the reference names now (an index stays an index: the signature covers every platform). */
export async function resolveSubject(client: RegistryClient): Promise<Subject> {
  const m = await client.manifest(manifestReference(client.ref));
  const doc = parseManifestOrIndex(m.bytes.toString("utf8"), `${client.label} manifest`, m.mediaType);
  const declared = doc.kind === "index" ? doc.index.mediaType : doc.manifest.mediaType;
  const mediaType = m.mediaType ?? declared ?? (doc.kind === "index" ? MEDIA.ociIndex : MEDIA.ociManifest);
  return { digest: m.digest, mediaType, size: m.bytes.length };
}

export interface SignResult extends WriteResult {
  subject: Subject;
  payload: Buffer;
  signature: string;
}

/** `annotations` go into the payload's optional section (cosign's `sign -a`), signed with the rest. */
export async function signImage(client: RegistryClient, key: KeyObject, annotations: Readonly<Record<string, string>> = {}): Promise<SignResult> {
  const subject = await resolveSubject(client);
  const payload = simpleSigningPayload(repositoryOf(client.ref), subject.digest, Object.keys(annotations).length ? { ...annotations } : null);
  const signature = sign("sha256", payload, key).toString("base64");
  // ECDSA signatures differ each time: an existing one by the same key over the same payload is as good.
  const publicKey = createPublicKey(key);
  const sameKey = (stored: Descriptor) => verifies(payload, publicKey, stored.annotations?.[SIGNATURE_ANNOTATION] ?? "");
  const written = await writeItem(client, subject, "signature", payload, { [SIGNATURE_ANNOTATION]: signature }, sameKey);
  return { ...written, subject, payload, signature };
}

export async function attestImage(client: RegistryClient, subject: Subject, predicate: ScanPredicate, key: KeyObject): Promise<WriteResult & { envelope: Buffer }> {
  const statement = statementFor(repositoryOf(client.ref), subject.digest, predicate);
  const envelope = Buffer.from(JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key)));
  const written = await writeItem(client, subject, "attestation", envelope, { [SIGNATURE_ANNOTATION]: "", [PREDICATE_TYPE_ANNOTATION]: statement.predicateType });
  return { ...written, envelope };
}

export interface Verification {
  subject: Subject;
  signatures: CheckedSignature[];
  attestations: CheckedAttestation[];
}

/** Reads the image's signatures and attestations once and checks each against every key. */
export interface VerifyOptions {
  /** Attestations older than this do not count. */
  maxAgeMs?: number;
  /** Claims a signature's payload must carry (cosign's `verify -a`). */
  annotations?: Readonly<Record<string, string>>;
}

export async function verifyImage(client: RegistryClient, keys: readonly KeyObject[], now: Date, opts: VerifyOptions = {}): Promise<{ subject: Subject; byKey: Verification[] }> {
  const subject = await resolveSubject(client);
  const signatures = await readItems(client, subject.digest, "signature");
  const attestations = await readItems(client, subject.digest, "attestation");
  return {
    subject,
    byKey: keys.map((key) => ({
      subject,
      signatures: signatures.map((s) => checkSignature(s, subject.digest, key, opts.annotations)),
      attestations: attestations.map((a) => checkAttestation(a, subject.digest, key, now, opts.maxAgeMs)),
    })),
  };
}
