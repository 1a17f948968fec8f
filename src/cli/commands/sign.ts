/** `portcullis sign --key KEY IMAGE`: a cosign-compatible signature of the image's manifest digest. */
import { writeFile } from "node:fs/promises";
import { Command } from "commander";
import { shortDigest } from "../../common/index.js";
import { PASSPHRASE_ENV, clientFor, repositoryOf, signImage } from "../../sign/index.js";
import { addAnnotation } from "./annotations.js";
import { privateKeyFrom } from "./signing-keys.js";

interface SignOptions {
  key: string;
  annotation?: Record<string, string>;
  insecure?: boolean;
  outputPayload?: string;
  outputSignature?: string;
}

/** One line on where a signature or attestation went. */
export function storedText(what: string, r: { tag: string; referrer?: string; added: boolean }): string {
  const where = r.referrer ? `tag ${r.tag} and referrer ${shortDigest(r.referrer)}` : `tag ${r.tag} (no referrers API on this registry)`;
  return `${r.added ? "Pushed" : "Already present:"} ${what} in ${where}\n`;
}

export function signCommand(): Command {
  return new Command("sign")
    .description("sign an image in its registry (cosign format: simple-signing payload, signature in the sha256-<digest>.sig tag)")
    .argument("<image>", "registry reference: host/repository:tag or @sha256:...")
    .requiredOption("--key <file>", `private key (PEM, from portcullis keygen or openssl; passphrase in ${PASSPHRASE_ENV})`)
    .option("-a, --annotation <key=value>", "a claim to sign with the image, in the payload's optional section (repeatable)", addAnnotation)
    .option("--insecure", "allow plain HTTP to a registry on a loopback address")
    .option("--output-payload <file>", "also write the signed payload bytes to a file")
    .option("--output-signature <file>", "also write the signature (base64 of DER ECDSA) to a file")
    .addHelpText(
      "after",
      `
The tag is resolved to its manifest digest once, and the digest is what is
signed: moving the tag to another image later does not carry the signature
along. The payload names the repository, but verification does not require
it, so copies to other repositories keep verifying (as with cosign).

Where the registry serves the OCI 1.1 referrers API the signature is also
pushed as a referrer of the image; the tag is written in every case.

Examples:
  portcullis sign --key portcullis.key registry.example.com/shop/api:1.4.2
  portcullis sign --key release.key --insecure localhost:5000/app@sha256:...
  portcullis sign --key release.key -a pipeline=build-1842 -a git=4f2a9c1 registry.example.com/shop/api:1.4.2`,
    )
    .action(async (image: string, opts: SignOptions) => {
      const key = await privateKeyFrom(opts.key);
      const client = clientFor(image, { insecure: opts.insecure }, true);
      const result = await signImage(client, key, opts.annotation);
      if (opts.outputPayload) await writeFile(opts.outputPayload, result.payload);
      if (opts.outputSignature) await writeFile(opts.outputSignature, result.signature);
      process.stdout.write(`Signed ${repositoryOf(client.ref)}@${result.subject.digest}\n`);
      process.stdout.write(storedText("signature", result));
    });
}
