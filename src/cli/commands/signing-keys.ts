/** Reading key files for the signing commands (private keys with the passphrase from the environment). */
import type { KeyObject } from "node:crypto";
import { PASSPHRASE_ENV, readPrivateKey, readPublicKey } from "../../sign/index.js";
import { readInputFile } from "../read-file.js";

export async function privateKeyFrom(file: string): Promise<KeyObject> {
  return readPrivateKey(await readInputFile(file, "key"), file, process.env[PASSPHRASE_ENV]);
}

export async function publicKeyFrom(file: string): Promise<KeyObject> {
  return readPublicKey(await readInputFile(file, "key"), file);
}
