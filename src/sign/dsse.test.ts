/** DSSE as its specification defines it: the pre-authentication encoding, and a signature that binds type and payload. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { IN_TOTO_PAYLOAD_TYPE, openEnvelope, parseEnvelope, preAuthEncoding, signEnvelope } from "./dsse.js";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey;

describe("preAuthEncoding", () => {
  test("matches the specification's example", () => {
    assert.equal(preAuthEncoding("http://example.com/HelloWorld", Buffer.from("hello world")).toString(), "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  });
  test("counts bytes, not characters", () => {
    assert.equal(preAuthEncoding("t", Buffer.from("é")).toString(), "DSSEv1 1 t 2 é");
  });
});

describe("signEnvelope / openEnvelope", () => {
  const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  const env = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, privateKey);

  test("opens with the signer's key and gives the exact payload bytes", () => {
    assert.deepEqual(openEnvelope(env, publicKey), payload);
  });
  test("does not open with another key", () => {
    assert.equal(openEnvelope(env, other), undefined);
  });
  test("does not open when the payload or its type was changed", () => {
    assert.equal(openEnvelope({ ...env, payload: Buffer.from('{"_type":"x"}').toString("base64") }, publicKey), undefined);
    assert.equal(openEnvelope({ ...env, payloadType: "application/json" }, publicKey), undefined);
  });
  test("a garbage signature is a failed one, not a crash", () => {
    assert.equal(openEnvelope({ ...env, signatures: [{ keyid: "", sig: "bm90IGEgc2lnbmF0dXJl" }] }, publicKey), undefined);
  });
});

describe("parseEnvelope", () => {
  test("names the JSON path that is wrong", () => {
    assert.throws(() => parseEnvelope(Buffer.from("{"), "att"), /att: not a JSON DSSE envelope/);
    assert.throws(() => parseEnvelope(Buffer.from("{}"), "att"), /att \$\.payloadType: missing/);
    assert.throws(() => parseEnvelope(Buffer.from('{"payloadType":"t","payload":"","signatures":[{}]}'), "att"), /\$\.signatures\[0\]\.sig: missing/);
  });
});
