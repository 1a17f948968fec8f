/**
 * Private key blocks as node:crypto, OpenSSL and ssh-keygen write them, whole
 * or escaped on one line, and what is not a key block. The OpenSSH keys in
 * testdata/ were made once with ssh-keygen (Ed25519, one with a passphrase)
 * and are kept without their BEGIN and END lines, which the tests add.
 */
import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { findPrivateKeys } from "./pem.js";

const wrap = (label: string, body: string): string =>
  [`-----BEGIN ${label}-----`, ...(body.match(/.{1,70}/g) ?? []), `-----END ${label}-----`, ""].join("\n");
const testdata = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8").replace(/\s/g, "");

const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
const ec = generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey;

describe("findPrivateKeys", () => {
  const keys: [string, string, string, boolean][] = [
    ["RSA PKCS#1", rsa.export({ type: "pkcs1", format: "pem" }).toString(), "RSA PRIVATE KEY", false],
    ["PKCS#8", rsa.export({ type: "pkcs8", format: "pem" }).toString(), "PRIVATE KEY", false],
    ["EC SEC1", ec.export({ type: "sec1", format: "pem" }).toString(), "EC PRIVATE KEY", false],
    ["encrypted PKCS#8", rsa.export({ type: "pkcs8", format: "pem", cipher: "aes-128-cbc", passphrase: "p" }).toString(), "ENCRYPTED PRIVATE KEY", true],
    ["PKCS#1 with Proc-Type: 4,ENCRYPTED", rsa.export({ type: "pkcs1", format: "pem", cipher: "aes-128-cbc", passphrase: "p" }).toString(), "RSA PRIVATE KEY", true],
    ["OpenSSH", wrap("OPENSSH PRIVATE KEY", testdata("openssh-ed25519.body")), "OPENSSH PRIVATE KEY", false],
    ["OpenSSH with a passphrase", wrap("OPENSSH PRIVATE KEY", testdata("openssh-ed25519-encrypted.body")), "OPENSSH PRIVATE KEY", true],
  ];
  for (const [name, text, label, encrypted] of keys) {
    it(`finds ${name}`, () => {
      const [k, more] = findPrivateKeys(`before\n${text}after\n`);
      assert.ok(k);
      assert.equal(more, undefined);
      assert.equal(k.label, label);
      assert.equal(k.beginLine, `-----BEGIN ${label}-----`);
      assert.equal(k.encrypted, encrypted);
      assert.equal(k.start, "before\n".length);
      assert.equal(k.end, "before\n".length + text.trimEnd().length);
      assert.match(k.body, /^[A-Za-z0-9+/=]{64,}$/);
      assert.ok(!k.body.includes("Proc-Type") && !k.body.includes("DEK-Info"));
    });
  }

  it("reads a key escaped on one line, as JSON and .env files hold it, to the same body", () => {
    const pem = ec.export({ type: "pkcs8", format: "pem" }).toString();
    const [plain] = findPrivateKeys(pem);
    const [escaped] = findPrivateKeys(`{"key": ${JSON.stringify(pem)}}`);
    const [slashes] = findPrivateKeys(JSON.stringify(pem).replaceAll("/", "\\/"));
    assert.ok(plain && escaped && slashes);
    assert.equal(escaped.body, plain.body);
    assert.equal(slashes.body, plain.body);
  });

  it("finds several keys in one text", () => {
    const a = rsa.export({ type: "pkcs1", format: "pem" }).toString();
    const b = ec.export({ type: "sec1", format: "pem" }).toString();
    assert.deepEqual(
      findPrivateKeys(a + b + a).map((k) => k.label),
      ["RSA PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"],
    );
  });

  const notKeys: [string, string][] = [
    ["a BEGIN line alone", "-----BEGIN RSA PRIVATE KEY-----\n"],
    ["an END of another label", "-----BEGIN RSA PRIVATE KEY-----\n" + "QUJD".repeat(30) + "\n-----END EC PRIVATE KEY-----\n"],
    ["a body too short to be a key", "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"],
    ["a body that is not base64", "-----BEGIN PRIVATE KEY-----\n<your key here, sixty-four characters or more of it, really>\n-----END PRIVATE KEY-----\n"],
    ["a BEGIN line with another block inside", "-----BEGIN PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"],
    ["a public key", generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString()],
  ];
  for (const [name, text] of notKeys) {
    it(`leaves alone ${name}`, () => assert.deepEqual(findPrivateKeys(text), []));
  }
});
