/** `portcullis verify --key PUB IMAGE`: check an image's signatures and attestations against a public key. */
import { Command, Option } from "commander";
import { shortDigest } from "../../common/index.js";
import { clientFor, repositoryOf, verifyImage, type Verification, fingerprintOf, ageText } from "../../sign/index.js";
import { parseDuration } from "./image.js";
import { addAnnotation } from "./annotations.js";
import { publicKeyFrom } from "./signing-keys.js";

interface VerifyOptions {
  key: string;
  annotation?: Record<string, string>;
  maxAge?: number;
  requireAttestation?: boolean;
  format?: "table" | "json";
  insecure?: boolean;
}

export interface VerifyReport {
  image: string;
  digest: string;
  signer: string;
  verified: boolean;
  /** Why not, when not verified. */
  problems: string[];
  signatures: Verification["signatures"];
  attestations: Verification["attestations"];
}

/** The outcome: verified when a signature holds, and an attestation too when one is required. */
export function judgeVerification(v: Verification, requireAttestation: boolean): { verified: boolean; problems: string[] } {
  const problems: string[] = [];
  if (v.signatures.length === 0) problems.push(`no signatures for ${shortDigest(v.subject.digest)}`);
  else if (!v.signatures.some((s) => s.valid)) problems.push(`none of the ${v.signatures.length} signatures is valid for this image and key`);
  if (requireAttestation) {
    if (v.attestations.length === 0) problems.push(`no attestations for ${shortDigest(v.subject.digest)}`);
    else if (!v.attestations.some((a) => a.valid)) problems.push(`none of the ${v.attestations.length} attestations is valid for this image and key`);
  }
  return { verified: problems.length === 0, problems };
}

function reportText(r: VerifyReport): string {
  const out = [`${r.verified ? "VERIFIED" : "NOT VERIFIED"}: ${r.image} (${r.digest}) with key ${shortDigest(r.signer)}`];
  for (const p of r.problems) out.push(`  ${p}`);
  for (const s of r.signatures) out.push(`  signature (${s.source}): ${s.valid ? "valid" : `rejected: ${s.reason}`}${s.valid && s.dockerReference ? `; signed as ${s.dockerReference}` : ""}`);
  const now = Date.now();
  for (const a of r.attestations) {
    const about = [a.predicateType, a.createdAt ? `made ${ageText(now - Date.parse(a.createdAt))} ago` : undefined, a.riskScore !== undefined ? `risk score ${a.riskScore}` : undefined, a.verdict ? `${a.verdict.allowed ? "allowed" : "denied"} at ${a.verdict.stage} by ${a.verdict.policy}` : undefined].filter(Boolean).join("; ");
    out.push(`  attestation (${a.source}): ${a.valid ? "valid" : `rejected: ${a.reason}`}${about ? ` [${about}]` : ""}`);
  }
  return out.join("\n") + "\n";
}

export function verifyCommand(): Command {
  return new Command("verify")
    .description("verify an image's signatures and attestations with a public key: exit 0 when verified, 1 when not")
    .argument("<image>", "registry reference: host/repository:tag or @sha256:...")
    .requiredOption("--key <file>", "public key (PEM: the .pub from portcullis keygen, or from openssl ec -pubout)")
    .option("--max-age <duration>", "attestations older than this do not count (e.g. 7d, 12h); implies --require-attestation", parseDuration)
    .option("--require-attestation", "also require a valid attestation by the key")
    .option("-a, --annotation <key=value>", "count only signatures whose payload carries this claim (repeatable)", addAnnotation)
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else json)").choices(["table", "json"]))
    .option("--insecure", "allow plain HTTP to a registry on a loopback address")
    .addHelpText(
      "after",
      `
The reference is resolved to its manifest digest; a signature counts only if
it verifies with the key over the exact stored payload and that payload names
this digest. An attestation counts only if its envelope verifies and its
subject is this digest. Each one that does not count is listed with why
(another image, another key or altered content, too old).

Examples:
  portcullis verify --key portcullis.pub registry.example.com/shop/api:1.4.2
  portcullis verify --key release.pub --max-age 7d -f json localhost:5000/app:1 --insecure
  portcullis verify --key release.pub -a pipeline=build-1842 registry.example.com/shop/api:1.4.2

Exit status: 0 verified, 1 not verified or on an error.`,
    )
    .action(async (image: string, opts: VerifyOptions) => {
      const key = await publicKeyFrom(opts.key);
      const client = clientFor(image, { insecure: opts.insecure });
      const { subject, byKey } = await verifyImage(client, [key], new Date(), { ...(opts.maxAge !== undefined ? { maxAgeMs: opts.maxAge } : {}), ...(opts.annotation ? { annotations: opts.annotation } : {}) });
      const v = byKey[0]!;
      const judged = judgeVerification(v, opts.requireAttestation === true || opts.maxAge !== undefined);
      const report: VerifyReport = { image: `${repositoryOf(client.ref)}${client.ref.tag ? `:${client.ref.tag}` : ""}`, digest: subject.digest, signer: fingerprintOf(key), ...judged, signatures: v.signatures, attestations: v.attestations };
      const format = opts.format ?? (process.stdout.isTTY ? "table" : "json");
      process.stdout.write(format === "table" ? reportText(report) : JSON.stringify(report, null, 2) + "\n");
      process.exitCode = report.verified ? 0 : 1;
    });
}
