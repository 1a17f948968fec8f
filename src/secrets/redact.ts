/**
 * How a secret is shown: never in full. The redacted form keeps a short
 * leading part that says what kind of secret it is (a token's fixed marker
 * such as `ghp_`, a private key's BEGIN line, else a few characters of a long
 * secret and none of a short one) and a fingerprint, so the same secret found
 * in two places, two layers or two images is recognisable without printing it.
 */
import { createHash } from "node:crypto";

/** Hex digits of the sha256 kept in a fingerprint: 64 bits, plenty to tell secrets apart. */
export const FINGERPRINT_HEX = 16;

/**
 * `sha256:` and the first hex digits of the sha256 of the secret's UTF-8
 * bytes. A user can check whether a finding is their key with
 * `printf %s "$KEY" | sha256sum | cut -c1-16`. For private keys the secret
 * hashed is the key's base64 body without line breaks, so a key found as a
 * PEM file and inside a JSON string has the same fingerprint.
 */
export function fingerprintOf(secret: string): string {
  return `sha256:${createHash("sha256").update(secret, "utf8").digest("hex").slice(0, FINGERPRINT_HEX)}`;
}

/**
 * How many leading characters of a secret with no fixed marker may be shown:
 * none below 12 characters, then one per 8 characters, at most 4 — so a
 * 40-character key shows 4 and a 12-character password 1.
 */
export function visiblePrefixLength(length: number): number {
  return length < 12 ? 0 : Math.min(4, Math.floor(length / 8));
}

/** What stands in for a value that is not reported but must not be shown either. */
export const MASK = "****";

/**
 * `ghp_****… (sha256:1a2b3c4d5e6f7a8b)`. `shown` is the leading text that
 * may be printed (a marker like `ghp_`, a BEGIN line); without it, the
 * length rule of `visiblePrefixLength` applies to the secret itself.
 */
export function redact(secret: string, shown?: string): string {
  const lead = shown ?? secret.slice(0, visiblePrefixLength(secret.length));
  return `${lead}${MASK}… (${fingerprintOf(secret)})`;
}
