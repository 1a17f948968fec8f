/** `portcullis attest --key KEY IMAGE`: a signed in-toto attestation of the image's scan, risk score and verdict. */
import { Command, Option } from "commander";
import { InputError, shortDigest } from "../../common/index.js";
import { inputFromReport, readReport, riskScore } from "../../policy/index.js";
import { scanPredicate, SCAN_PREDICATE_TYPE, attestImage, clientFor, repositoryOf, resolveSubject, PASSPHRASE_ENV } from "../../sign/index.js";
import { readInputText } from "../read-file.js";
import { VERSION } from "../version.js";
import { judgeReport, stageOf } from "./gate.js";
import { fullScanOptions, imageReportFor, parseDuration, repeatable } from "./image.js";
import { storedText } from "./sign.js";
import { privateKeyFrom } from "./signing-keys.js";

interface AttestOptions {
  key: string;
  report?: string;
  platform?: string;
  policy?: string;
  stage: string;
  vex?: string[];
  db?: string;
  dbMaxAge: number;
  insecure?: boolean;
  cache: boolean;
  quiet?: boolean;
}

export function attestCommand(): Command {
  return new Command("attest")
    .description("attest an image's scan result, risk score and verdict (DSSE + in-toto, in the sha256-<digest>.att tag)")
    .argument("<image>", "registry reference: host/repository:tag or @sha256:...")
    .requiredOption("--key <file>", `private key (PEM; passphrase in ${PASSPHRASE_ENV})`)
    .option("--report <file>", "a report saved by portcullis image -f json of this same image, instead of scanning it again")
    .option("--policy <file>", "judge the report with this policy and put the verdict in the attestation")
    .addOption(new Option("--stage <stage>", "the stage the risk score and verdict are for").default("build").argParser(stageOf))
    .option("--vex <file>", "OpenVEX document the policy applies (repeatable)", repeatable)
    .option("--db <file>", "vulnerability DB, when the image is scanned here (default: PORTCULLIS_DB, else the user cache dir)")
    .option("--db-max-age <duration>", "warn when the DB is older than this", parseDuration, parseDuration("5d"))
    .option("--platform <os/arch[/variant]>", "the platform to scan when the image is multi-platform (the attestation is on the index)", "linux/amd64")
    .option("--insecure", "allow plain HTTP to a registry on a loopback address")
    .option("--no-cache", "do not read or write the layer inventory cache")
    .option("-q, --quiet", "no progress output")
    .addHelpText(
      "after",
      `
The predicate type is ${SCAN_PREDICATE_TYPE}: a summary of
the scan (counts by severity, fixable vulnerabilities, secrets), the risk
score with its factors, the DB version, and, with --policy, the verdict. Its
subject is the manifest digest the reference resolves to; a --report must be
of that same digest. See docs/signing.md.

Examples:
  portcullis image registry:localhost:5000/app:1 --insecure -f json -o report.json
  portcullis attest --key portcullis.key --insecure --report report.json localhost:5000/app:1
  portcullis attest --key release.key --policy policy.yaml --stage promote:prod registry.example.com/shop/api:1.4.2`,
    )
    .action(async (image: string, opts: AttestOptions) => {
      const key = await privateKeyFrom(opts.key);
      const client = clientFor(image, { insecure: opts.insecure }, true);
      const subject = await resolveSubject(client);
      const pinned = `registry:${repositoryOf(client.ref)}@${subject.digest}`;
      const report = opts.report
        ? readReport(await readInputText(opts.report, "report"), opts.report)
        : (await imageReportFor(pinned, fullScanOptions(opts))).report;
      // A multi-platform image is attested at its index, with the scan of one platform (--platform).
      if (report.target.digest !== subject.digest && report.target.indexDigest !== subject.digest) {
        throw new InputError(opts.report ?? pinned, "$.target.digest", `the report is of ${report.target.digest ? shortDigest(report.target.digest) : "an image without a manifest digest"}, but ${image} is ${shortDigest(subject.digest)}: attest only what was scanned`);
      }
      const verdict = opts.policy ? await judgeReport(report, { policy: opts.policy, stage: opts.stage, vex: opts.vex ?? [], ...(opts.insecure ? { insecure: true } : {}) }) : undefined;
      const risk = verdict?.riskScore ?? riskScore(inputFromReport(report), opts.stage);
      const predicate = scanPredicate(report, subject.digest, risk, verdict, VERSION, new Date());
      const result = await attestImage(client, subject, predicate, key);
      process.stdout.write(`Attested ${repositoryOf(client.ref)}@${subject.digest}: risk score ${risk.score}/100${verdict ? `, ${verdict.allowed ? "allowed" : "denied"} at ${verdict.stage} by ${verdict.policy.name}` : ""}\n`);
      process.stdout.write(storedText("attestation", result));
    });
}
