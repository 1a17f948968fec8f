/**
 * Keys: what keygen writes is an encrypted PKCS#8 P-256 key that OpenSSL
 * reads with the same passphrase, and keys OpenSSL makes (SEC1, PKCS#8,
 * encrypted) are read back. Anything else is refused with the file named.
 */
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureTool } from "../../test/support/registry.js";
import { fingerprintOf, generateKeys, readPrivateKey, readPublicKey } from "./keys.js";

const dir = mkdtempSync(join(tmpdir(), "pcs-keys-"));
const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
before(() => ensureTool("openssl", "openssl"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("generateKeys", () => {
  test("writes an AES-encrypted PKCS#8 P-256 key that openssl opens with the passphrase", () => {
    const keys = generateKeys("correct horse");
    assert.match(keys.privatePem, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    const file = join(dir, "gen.key");
    writeFileSync(file, keys.privatePem);
    const text = openssl("pkey", "-in", file, "-passin", "pass:correct horse", "-noout", "-text");
    assert.match(text, /NIST CURVE: P-256|ASN1 OID: prime256v1/);
    const pub = openssl("pkey", "-in", file, "-passin", "pass:correct horse", "-pubout");
    assert.equal(pub, keys.publicPem);
  });

  test("an empty passphrase writes an unencrypted key", () => {
    assert.match(generateKeys("").privatePem, /^-----BEGIN PRIVATE KEY-----/);
  });

  test("the fingerprint is the SHA-256 of the DER public key, the same from either half", () => {
    const keys = generateKeys("pw");
    const priv = readPrivateKey(keys.privatePem, "k", "pw");
    const pub = readPublicKey(keys.publicPem, "k.pub");
    const der = join(dir, "pub.der");
    writeFileSync(join(dir, "fp.pub"), keys.publicPem);
    openssl("pkey", "-pubin", "-in", join(dir, "fp.pub"), "-outform", "DER", "-out", der);
    const expected = "sha256:" + openssl("dgst", "-sha256", "-r", der).split(" ")[0];
    assert.equal(fingerprintOf(pub), expected);
    assert.equal(fingerprintOf(priv), expected);
    assert.equal(keys.fingerprint, expected);
  });
});

describe("readPrivateKey", () => {
  test("reads openssl's SEC1 key, its PKCS#8 form and an encrypted PKCS#8 key", () => {
    const sec1 = join(dir, "sec1.key");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", sec1);
    assert.match(readFileSync(sec1, "utf8"), /BEGIN EC PRIVATE KEY/);
    const pub = readPublicKey(openssl("ec", "-in", sec1, "-pubout"), "sec1.pub");
    assert.equal(fingerprintOf(readPrivateKey(readFileSync(sec1), sec1, undefined)), fingerprintOf(pub));
    const enc = join(dir, "enc.key");
    openssl("pkcs8", "-topk8", "-in", sec1, "-out", enc, "-passout", "pass:s3cret", "-v2", "aes-256-cbc");
    assert.equal(fingerprintOf(readPrivateKey(readFileSync(enc), enc, "s3cret")), fingerprintOf(pub));
  });

  test("an encrypted key without a passphrase, or with the wrong one, names the variable", () => {
    const keys = generateKeys("right");
    assert.throws(() => readPrivateKey(keys.privatePem, "release.key", undefined), /release\.key: the private key is encrypted: set PORTCULLIS_KEY_PASSWORD/);
    assert.throws(() => readPrivateKey(keys.privatePem, "release.key", "wrong"), /release\.key: cannot decrypt the private key: wrong passphrase in PORTCULLIS_KEY_PASSWORD\?/);
  });

  test("refuses other key types and curves, cosign's own format and non-PEM input", () => {
    const rsa = join(dir, "rsa.key");
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", rsa);
    assert.throws(() => readPrivateKey(readFileSync(rsa), rsa, undefined), /a rsa key: expected an ECDSA P-256 key/);
    const p384 = join(dir, "p384.key");
    openssl("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", p384);
    assert.throws(() => readPrivateKey(readFileSync(p384), p384, undefined), /an EC key on secp384r1: expected an ECDSA P-256 key/);
    assert.throws(() => readPrivateKey("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n", "cosign.key", "x"), /cosign\.key: a cosign-format private key/);
    assert.throws(() => readPrivateKey("hello", "notes.txt", undefined), /notes\.txt: not a PEM key/);
  });
});

describe("readPublicKey", () => {
  test("refuses a private key where a public one is expected", () => {
    const keys = generateKeys("");
    assert.throws(() => readPublicKey(keys.privatePem, "oops.key"), /oops\.key: a private key: give the public key/);
  });
});
