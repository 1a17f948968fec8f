/** `portcullis keygen`: an ECDSA P-256 key pair for signing images and attestations. */
import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { InputError } from "../../common/index.js";
import { generateKeys, PASSPHRASE_ENV } from "../../sign/index.js";

interface KeygenOptions {
  outputKeyPrefix: string;
  force?: boolean;
}

async function writeNew(file: string, text: string, mode: number, force: boolean): Promise<void> {
  try {
    await writeFile(file, text, { mode, flag: force ? "w" : "wx" });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") throw new InputError(file, undefined, "exists already: keygen never overwrites a key (use --force, or another --output-key-prefix)");
    throw new InputError(file, undefined, `cannot write (${code ?? (err as Error).message})`);
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
      await writeNew(keyFile, keys.privatePem, 0o600, opts.force === true);
      await writeNew(pubFile, keys.publicPem, 0o644, opts.force === true);
      process.stdout.write(`Private key written to ${keyFile}\nPublic key written to ${pubFile}\nFingerprint ${keys.fingerprint}\n`);
    });
}
