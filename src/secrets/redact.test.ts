/** The redacted form and the fingerprint: what is printed instead of a secret. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { FINGERPRINT_HEX, MASK, fingerprintOf, redact, visiblePrefixLength } from "./redact.js";

describe("fingerprintOf", () => {
  it("is sha256: and the first 16 hex digits of the sha256 of the UTF-8 bytes", () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad (FIPS 180-2).
    assert.equal(fingerprintOf("abc"), "sha256:ba7816bf8f01cfea");
    assert.equal(fingerprintOf("abc").length, "sha256:".length + FINGERPRINT_HEX);
  });
  it("is the same for the same secret and differs for another", () => {
    assert.equal(fingerprintOf("s3cr3t-Value"), fingerprintOf("s3cr3t-Value"));
    assert.notEqual(fingerprintOf("s3cr3t-Value"), fingerprintOf("s3cr3t-Valuf"));
  });
});

describe("visiblePrefixLength", () => {
  it("shows nothing of a short secret and at most 4 characters of a long one", () => {
    assert.deepEqual(
      [1, 8, 11, 12, 16, 24, 31, 32, 40, 200].map(visiblePrefixLength),
      [0, 0, 0, 1, 2, 3, 3, 4, 4, 4],
    );
  });
});

describe("redact", () => {
  it("keeps the allowed prefix, masks the rest and adds the fingerprint", () => {
    const secret = "Zq8xPm4rT2kLw9BnVc7Hy3Jd6Fs1Ga0EuQoRiWtY";
    assert.equal(redact(secret), `Zq8x${MASK}… (${fingerprintOf(secret)})`);
    assert.equal(redact("hunter2"), `****… (${fingerprintOf("hunter2")})`);
  });
  it("prints a given lead instead: a token's marker, a key's BEGIN line", () => {
    assert.equal(redact("body", "-----BEGIN PRIVATE KEY-----"), `-----BEGIN PRIVATE KEY-----****… (${fingerprintOf("body")})`);
  });
  it("never contains the secret", () => {
    for (const s of ["abcdefghijklmnop", "Zq8xPm4rT2kL", "hunter2", "sk"]) assert.ok(!redact(s).includes(s), s);
  });
});
