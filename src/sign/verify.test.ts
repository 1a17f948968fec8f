/**
 * What counts as a signature or attestation of an image: it must verify with
 * the key over the exact stored bytes and name this image's digest. Each
 * refusal says why: another image, another key or altered bytes, too old.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { statementFor, type ScanPredicate } from "./attestation.js";
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from "./dsse.js";
import { simpleSigningPayload } from "./simple-signing.js";
import type { StoredItem } from "./store.js";
import { ageText, checkAttestation, checkSignature } from "./verify.js";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const stranger = generateKeyPairSync("ec", { namedCurve: "P-256" });
const DIGEST = `sha256:${"a".repeat(64)}`;
const OTHER = `sha256:${"b".repeat(64)}`;
const NOW = new Date("2026-11-20T12:00:00Z");

function item(blob: Buffer, signature = ""): StoredItem {
  return { blob, blobDigest: `sha256:${createHash("sha256").update(blob).digest("hex")}`, signature, annotations: {}, source: "tag" };
}

function signed(digest: string, key = privateKey): StoredItem {
  const payload = simpleSigningPayload("registry.example.com/shop/api", digest);
  return item(payload, sign("sha256", payload, key).toString("base64"));
}

function predicate(createdAt: string): ScanPredicate {
  const zero = { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0, total: 0 };
  return {
    scanner: { name: "portcullis", version: "0.0.0" },
    createdAt,
    image: { reference: "registry.example.com/shop/api:1", digest: DIGEST },
    scanners: ["vuln"],
    summary: { packages: 3, vulnerabilities: { ...zero, fixable: 0 }, misconfigurations: zero, secrets: 0 },
    riskScore: { formula: "portcullis-risk/1", stage: "build", score: 12, factors: [] },
  };
}

function attestation(subject: string, createdAt = "2026-11-19T12:00:00Z", key = privateKey): StoredItem {
  const statement = statementFor("registry.example.com/shop/api", subject, predicate(createdAt));
  return item(Buffer.from(JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), key))));
}

describe("checkSignature", () => {
  test("a signature of this digest by this key is valid and says which repository it was signed as", () => {
    assert.deepEqual(checkSignature(signed(DIGEST), DIGEST, publicKey), { source: "tag", valid: true, dockerReference: "registry.example.com/shop/api" });
  });

  test("a valid signature of another digest is refused: the signature binds the digest", () => {
    const r = checkSignature(signed(OTHER), DIGEST, publicKey);
    assert.equal(r.valid, false);
    assert.match(r.reason!, /^signed for another image: the payload names sha256:bbbbbbbbbbbb, this image is sha256:aaaaaaaaaaaa/);
  });

  test("another key, or one changed byte of the payload, is refused", () => {
    assert.match(checkSignature(signed(DIGEST, stranger.privateKey), DIGEST, publicKey).reason!, /does not verify with this key/);
    const good = signed(DIGEST);
    const tampered = { ...good, blob: Buffer.from(good.blob.toString().replace("shop/api", "shop/apj")) };
    assert.match(checkSignature(tampered, DIGEST, publicKey).reason!, /does not verify with this key \(signed by another key, or the payload was altered\)/);
  });

  test("claims required with -a must be in the payload's optional section, with the same value", () => {
    const payload = simpleSigningPayload("registry.example.com/shop/api", DIGEST, { pipeline: "build-1842", git: "4f2a9c1" });
    const withClaims = item(payload, sign("sha256", payload, privateKey).toString("base64"));
    const ok = checkSignature(withClaims, DIGEST, publicKey, { pipeline: "build-1842" });
    assert.equal(ok.valid, true);
    assert.deepEqual(ok.annotations, { pipeline: "build-1842", git: "4f2a9c1" });
    assert.equal(checkSignature(withClaims, DIGEST, publicKey, { pipeline: "build-9" }).reason, 'annotation pipeline=build-9 required, the signature has "build-1842"');
    assert.equal(checkSignature(signed(DIGEST), DIGEST, publicKey, { env: "prod" }).reason, "annotation env=prod required, the signature has none");
    const odd = Buffer.from(JSON.stringify({ critical: { identity: { "docker-reference": "r/a" }, image: { "docker-manifest-digest": DIGEST }, type: "cosign container image signature" }, optional: "x" }));
    assert.match(checkSignature(item(odd, sign("sha256", odd, privateKey).toString("base64")), DIGEST, publicKey).reason!, /\$\.optional: expected an object or null/);
  });

  test("a layer without a signature, or a payload of another kind, is refused", () => {
    assert.match(checkSignature(item(simpleSigningPayload("r/a", DIGEST)), DIGEST, publicKey).reason!, /no signature annotation/);
    const odd = Buffer.from('{"critical":{"type":"something else"}}');
    assert.match(checkSignature(item(odd, sign("sha256", odd, privateKey).toString("base64")), DIGEST, publicKey).reason!, /\$\.critical\.type: expected "cosign container image signature"/);
  });
});

describe("checkAttestation", () => {
  test("a statement about this digest signed by this key is valid, with its scan summary", () => {
    const r = checkAttestation(attestation(DIGEST), DIGEST, publicKey, NOW);
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.predicateType, "https://portcullis.dev/attestations/scan/v1");
    assert.equal(r.riskScore, 12);
    assert.equal(r.createdAt, "2026-11-19T12:00:00Z");
  });

  test("a statement about another image is refused", () => {
    assert.match(checkAttestation(attestation(OTHER), DIGEST, publicKey, NOW).reason!, /attests another image: its subject is sha256:bbbbbbbbbbbb/);
  });

  test("another key or an altered statement is refused", () => {
    assert.match(checkAttestation(attestation(DIGEST, undefined, stranger.privateKey), DIGEST, publicKey, NOW).reason!, /does not verify with this key/);
    const good = attestation(DIGEST);
    const env = JSON.parse(good.blob.toString()) as { payload: string };
    env.payload = Buffer.from(Buffer.from(env.payload, "base64").toString().replace('"score":12', '"score":1')).toString("base64");
    assert.match(checkAttestation(item(Buffer.from(JSON.stringify(env))), DIGEST, publicKey, NOW).reason!, /does not verify with this key/);
  });

  test("an attestation older than the allowed age is refused with its age", () => {
    const week = 7 * 86_400_000;
    assert.equal(checkAttestation(attestation(DIGEST, "2026-11-14T00:00:00Z"), DIGEST, publicKey, NOW, week).valid, true);
    const r = checkAttestation(attestation(DIGEST, "2026-11-10T06:00:00Z"), DIGEST, publicKey, NOW, week);
    assert.equal(r.valid, false);
    assert.equal(r.reason, "made 10d 6h ago, older than the allowed 7d");
  });

  test("an attestation dated in the future is refused: it would pass every age limit", () => {
    const r = checkAttestation(attestation(DIGEST, "2026-11-21T12:00:00Z"), DIGEST, publicKey, NOW);
    assert.equal(r.valid, false);
    assert.equal(r.reason, "dated 2026-11-21T12:00:00Z, in the future");
    assert.equal(checkAttestation(attestation(DIGEST, "2026-11-20T12:04:00Z"), DIGEST, publicKey, NOW).valid, true, "a few minutes of clock skew are fine");
  });

  test("predicate fields of the wrong type are left out rather than trusted or crashed on", () => {
    const statement = statementFor("registry.example.com/shop/api", DIGEST, { ...predicate("2026-11-19T12:00:00Z"), riskScore: { score: "12" }, verdict: {} } as never);
    const odd = item(Buffer.from(JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), privateKey))));
    const r = checkAttestation(odd, DIGEST, publicKey, NOW);
    assert.equal(r.valid, true, r.reason);
    assert.equal(r.riskScore, undefined);
    assert.equal(r.verdict, undefined);
    assert.equal(r.scannedDigest, DIGEST);
  });

  test("ageText reads like a person would say it", () => {
    assert.equal(ageText(90_000), "1m");
    assert.equal(ageText(3_600_000 * 5 + 60_000 * 3), "5h 3m");
    assert.equal(ageText(86_400_000 * 2), "2d");
  });
});
