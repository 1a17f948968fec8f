/**
 * Signing keys: ECDSA P-256 in PEM, the key type cosign uses by default.
 * Private keys are written as encrypted PKCS#8 (the passphrase comes from the
 * environment, never a flag, so it stays out of shell history and process
 * lists); any PEM that OpenSSL reads is accepted on the way in, so keys made
 * with `openssl ecparam`/`openssl genpkey` work too.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { InputError } from "../common/index.js";

/** Where the passphrase of a private key is read from. */
export const PASSPHRASE_ENV = "PORTCULLIS_KEY_PASSWORD";
const MAX_KEY_FILE = 64 * 1024;

export interface KeyPair {
  /** PKCS#8 PEM, encrypted with AES-256-CBC unless the passphrase is empty. */
  privatePem: string;
  /** SubjectPublicKeyInfo PEM. */
  publicPem: string;
  fingerprint: string;
}

/** A fresh P-256 key pair; an empty passphrase writes the private key unencrypted. */
export function generateKeys(passphrase: string): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const privatePem =
    passphrase === ""
      ? (privateKey.export({ type: "pkcs8", format: "pem" }) as string)
      : (privateKey.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }) as string);
  return { privatePem, publicPem: publicKey.export({ type: "spki", format: "pem" }) as string, fingerprint: fingerprintOf(publicKey) };
}

/** "sha256:<hex>" of the DER public key: how reports and verdicts name a signer. */
export function fingerprintOf(key: KeyObject): string {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return `sha256:${createHash("sha256").update(pub.export({ type: "spki", format: "der" })).digest("hex")}`;
}

function checkCurve(key: KeyObject, file: string): void {
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    const what = key.asymmetricKeyType === "ec" ? `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? "an unknown curve"}` : `a ${key.asymmetricKeyType ?? "unknown"} key`;
    throw new InputError(file, undefined, `${what}: expected an ECDSA P-256 key (portcullis keygen, or openssl ecparam -name prime256v1 -genkey)`);
  }
}

function pemText(pem: string | Buffer, file: string): string {
  if (pem.length > MAX_KEY_FILE) throw new InputError(file, undefined, `larger than ${MAX_KEY_FILE} bytes: not a key file`);
  const text = pem.toString();
  if (/-----BEGIN (ENCRYPTED )?(SIGSTORE|COSIGN) PRIVATE KEY-----/.test(text)) {
    throw new InputError(file, undefined, "a cosign-format private key (scrypt + secretbox) is not read; use a PEM key from portcullis keygen or openssl");
  }
  if (!text.includes("-----BEGIN ")) throw new InputError(file, undefined, "not a PEM key (no -----BEGIN line)");
  return text;
}

/** Reads a PEM private key (PKCS#8, encrypted PKCS#8 or SEC1 "EC PRIVATE KEY"). */
export function readPrivateKey(pem: string | Buffer, file: string, passphrase: string | undefined): KeyObject {
  const text = pemText(pem, file);
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
  if (encrypted && passphrase === undefined) throw new InputError(file, undefined, `the private key is encrypted: set ${PASSPHRASE_ENV} to its passphrase`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: "pem", ...(encrypted ? { passphrase } : {}) });
  } catch (err) {
    const reason = encrypted ? `cannot decrypt the private key: wrong passphrase in ${PASSPHRASE_ENV}?` : `not a readable PEM private key (${(err as Error).message})`;
    throw new InputError(file, undefined, reason);
  }
  checkCurve(key, file);
  return key;
}

/** Reads a PEM public key; a private key is refused, so a secret is never handed out where a public key goes. */
export function readPublicKey(pem: string | Buffer, file: string): KeyObject {
  const text = pemText(pem, file);
  if (/-----BEGIN (ENCRYPTED |EC )?PRIVATE KEY-----/.test(text)) {
    throw new InputError(file, undefined, "a private key: give the public key (the .pub file) to verify");
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: "pem" });
  } catch (err) {
    throw new InputError(file, undefined, `not a readable PEM public key (${(err as Error).message})`);
  }
  checkCurve(key, file);
  return key;
}
