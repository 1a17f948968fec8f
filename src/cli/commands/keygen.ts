/** `portcullis keygen`: an ECDSA P-256 key pair for signing images and attestations. */
import { access, rm, writeFile } from "node:fs/promises";
import { Command } from "commander";
import { InputError } from "../../common/index.js";
import { generateKeys, PASSPHRASE_ENV } from "../../sign/index.js";

interface KeygenOptions {
  outputKeyPrefix: string;
  force?: boolean;
}

/** Refuses to replace a key unless forced; a forced write replaces the file, so the new mode applies. */
async function writeNew(file: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(file, text, { mode, flag: "wx" });
  } catch (err) {
    throw new InputError(file, undefined, `cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function checkFree(files: string[], force: boolean): Promise<void> {
  for (const file of files) {
    const exists = await access(file).then(() => true, () => false);
    if (!exists) continue;
    if (!force) throw new InputError(file, undefined, "exists already: keygen never overwrites a key (use --force, or another --output-key-prefix)");
    await rm(file);
  }
}

export function keygenCommand(): Command {
  return new Command("keygen")
    .description("make an ECDSA P-256 key pair (PEM) for portcullis sign and attest")
    .option("--output-key-prefix <prefix>", "write PREFIX.key (private, mode 0600) and PREFIX.pub", "portcullis")
    .option("--force", "overwrite existing key files")
    .addHelpText(
      "after",
      `
The private key is encrypted (PKCS#8, AES-256) with the passphrase in
${PASSPHRASE_ENV}; set it to an empty value for an unencrypted key (for
throwaway keys only). Sign and attest read the same variable. Keys made with
openssl work as well:

  openssl ecparam -name prime256v1 -genkey -noout -out ec.key
  openssl ec -in ec.key -pubout -out ec.pub

Examples:
  ${PASSPHRASE_ENV}=... portcullis keygen
  ${PASSPHRASE_ENV}=... portcullis keygen --output-key-prefix release`,
    )
    .action(async (opts: KeygenOptions) => {
      const passphrase = process.env[PASSPHRASE_ENV];
      if (passphrase === undefined) throw new InputError(PASSPHRASE_ENV, undefined, "not set: it holds the passphrase that encrypts the private key (an empty value writes it unencrypted)");
      if (passphrase === "") process.stderr.write(`warning: ${PASSPHRASE_ENV} is empty: the private key is written unencrypted\n`);
      const keys = generateKeys(passphrase);
      const keyFile = `${opts.outputKeyPrefix}.key`;
      const pubFile = `${opts.outputKeyPrefix}.pub`;
      await checkFree([keyFile, pubFile], opts.force === true);
      await writeNew(keyFile, keys.privatePem, 0o600);
      await writeNew(pubFile, keys.publicPem, 0o644);
      process.stdout.write(`Private key written to ${keyFile}\nPublic key written to ${pubFile}\nFingerprint ${keys.fingerprint}\n`);
    });
}
