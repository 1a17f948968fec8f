/** `portcullis gate --stage STAGE --policy FILE TARGET`: a policy's verdict on an image, an SBOM or a saved report. */
import { stat, writeFile } from "node:fs/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import { evaluatePolicy, type Verdict, inputFromReport, readReport, loadPolicy, ruleApplies, STAGE, parseOpenVex } from "../../policy/index.js";
import type { ImageReport } from "../../scan/index.js";
import { policySignatures, readPublicKey } from "../../sign/index.js";
import { columns } from "../output/table.js";
import { readInputText as readText } from "../read-file.js";
import { fullScanOptions, imageReportFor, parseDuration, repeatable } from "./image.js";

export interface JudgeOptions {
  policy: string;
  stage: string;
  vex: string[];
  namespace?: string;
  now?: Date;
  /** Plain http to a loopback registry, where signatures are looked up. */
  insecure?: boolean;
}

export function stageOf(text: string): string {
  if (!STAGE.test(text)) throw new InvalidArgumentError(`expected build, registry, promote:<env>, admission or runtime, got "${text}"`);
  return text;
}

/** Loads the policy and every VEX document first, so a bad one stops before anything is judged. */
export async function judgeReport(report: ImageReport, opts: JudgeOptions): Promise<Verdict> {
  const policy = loadPolicy(await readText(opts.policy, "policy"), opts.policy);
  const vexFiles = [...policy.vex, ...opts.vex];
  const vex = [];
  for (const file of vexFiles) vex.push(...parseOpenVex(await readText(file, "OpenVEX document"), file));
  const keys = [];
  for (const k of policy.keys) keys.push({ name: k.name, key: readPublicKey(await readText(k.publicKey, `public key "${k.name}"`), k.publicKey) });
  const now = opts.now ?? new Date();
  const input = inputFromReport(report, opts.namespace);
  // Signatures are read from the registry only when a rule of this stage asks for them.
  const wanted = policy.rules.some((r) => r.type === "signedBy" && ruleApplies(r, opts.stage));
  const found = wanted ? await policySignatures(input.target, keys, { insecure: opts.insecure }, now) : undefined;
  const verdict = evaluatePolicy(policy, { ...input, signatures: found?.signatures ?? [] }, opts.stage, { now, vex });
  if (found?.warning) verdict.warnings.push(found.warning);
  return verdict;
}

/** The verdict for people: the decision first, then each rule, the score and what was set aside. */
export function verdictText(v: Verdict): string {
  const out = [`${v.allowed ? "ALLOWED" : "DENIED"}: ${v.target.reference} at stage ${v.stage} by policy ${v.policy.name} (risk score ${v.riskScore.score}/100)`];
  const rows = [["RULE", "ACTION", "RESULT", "WHY"]];
  for (const r of v.rules) {
    const result = !r.fired ? "pass" : r.action === "deny" ? "DENY" : r.action;
    rows.push([r.name, r.action, result, r.fired ? `${r.reasons[0] ?? ""}${r.reasons.length > 1 ? ` (+${r.reasons.length - 1} more)` : ""}` : r.excepted ? `${r.excepted} excepted` : ""]);
  }
  out.push(columns(rows).replace(/^/gm, "  "));
  out.push(`  risk: ${v.riskScore.factors.map((f) => `${f.factor} ${f.points}/${f.max}`).join(", ")}`);
  for (const e of v.exceptions) out.push(`  exception ${e.id}: ${e.findings.join(", ")} (${e.reason}; approved by ${e.approvedBy}${e.expires ? `; until ${e.expires}` : ""})`);
  for (const x of v.vex) out.push(`  vex: ${x.vulnerability} ${x.status}${x.justification ? ` (${x.justification})` : ""}: ${x.findings.join(", ")}`);
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  return out.join("\n") + "\n";
}

/** A saved `portcullis image -f json` report, named `report:FILE` or recognised by its content. */
async function savedReport(target: string): Promise<ImageReport | undefined> {
  if (target.startsWith("report:")) {
    const file = target.slice("report:".length);
    return readReport(await readText(file, "report"), file);
  }
  if (!target.endsWith(".json") || !(await stat(target).then((s) => s.isFile(), () => false))) return undefined;
  const text = await readText(target, "report");
  // A JSON SBOM is a target too: only a file shaped like our report is read as one.
  if (!/"schemaVersion"\s*:\s*1/.test(text.slice(0, 200)) || !text.includes('"findings"')) return undefined;
  return readReport(text, target);
}

interface GateOptions {
  policy: string;
  stage: string;
  vex?: string[];
  namespace?: string;
  format?: "table" | "json";
  output?: string;
  db?: string;
  dbMaxAge: number;
  platform?: string;
  insecure?: boolean;
  cache: boolean;
  quiet?: boolean;
}

export function gateCommand(): Command {
  return new Command("gate")
    .description("judge an image, SBOM or saved report with a policy at one stage: exit 0 when allowed, 1 when denied")
    .argument("<target>", "an image (as for portcullis image), sbom:FILE, or a report saved by portcullis image -f json (report:FILE or a .json file)")
    .requiredOption("--policy <file>", "the policy file (YAML, kind: Policy)")
    .requiredOption("--stage <stage>", "build, registry, promote:<env> (e.g. promote:prod), admission or runtime", stageOf)
    .option("--vex <file>", "OpenVEX document to apply besides the policy's own (repeatable)", repeatable)
    .option("--namespace <ns>", "the Kubernetes namespace the image is deployed to, for namespace-scoped exceptions")
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else json)").choices(["table", "json"]))
    .option("-o, --output <file>", "write the verdict to a file instead of standard output")
    .option("--db <file>", "vulnerability DB, when the target is scanned (default: PORTCULLIS_DB, else the user cache dir)")
    .option("--db-max-age <duration>", "warn when the DB is older than this", parseDuration, parseDuration("5d"))
    .option("--platform <os/arch[/variant]>", "platform to pick from a multi-platform image", "linux/amd64")
    .option("--insecure", "allow plain HTTP to a registry on a loopback address")
    .option("--no-cache", "do not read or write the layer inventory cache")
    .option("-q, --quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  portcullis gate --stage build --policy policy.yaml docker-archive:app.tar
  portcullis image app.tar -f json -o report.json && portcullis gate --stage promote:prod --policy policy.yaml report.json
  portcullis gate --stage admission --policy policy.yaml --namespace shop registry:registry.example.com/shop/api:1.4.2

The verdict lists every rule bound to the stage with why it fired, the risk
score with its factors, the exceptions and VEX statements used, and the
policy's digest. See docs/policy.md.

Exit status: 0 allowed, 1 denied or on an error.`,
    )
    .action(async (target: string, opts: GateOptions) => {
      // The policy is checked before any scan: a typo should not cost a pull.
      loadPolicy(await readText(opts.policy, "policy"), opts.policy);
      const report =
        (await savedReport(target)) ??
        (await imageReportFor(target, fullScanOptions(opts))).report;
      const verdict = await judgeReport(report, { policy: opts.policy, stage: opts.stage, vex: opts.vex ?? [], ...(opts.namespace ? { namespace: opts.namespace } : {}), ...(opts.insecure ? { insecure: true } : {}) });
      const format = opts.format ?? (opts.output || !process.stdout.isTTY ? "json" : "table");
      const text = format === "table" ? verdictText(verdict) : JSON.stringify(verdict, null, 2) + "\n";
      if (opts.output) await writeFile(opts.output, text);
      else process.stdout.write(text);
      process.exitCode = verdict.allowed ? 0 : 1;
    });
}
