/** `portcullis config PATH...`: misconfigurations and secrets in Kubernetes manifests, Dockerfiles, compose files and any text file. */
import { writeFile } from "node:fs/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import { SEVERITIES, severityRank, type Severity } from "../../common/index.js";
import { ruleMeta } from "../../misconfig/catalog.js";
import { scanConfigFiles, type ConfigReport } from "../../misconfig/scan-files.js";
import { findingsTable, severityCounts } from "../output/findings-table.js";
import { sarifLog } from "../output/sarif.js";
import { progress } from "../progress.js";
import { exitCodeOf, severityList } from "./image.js";

const FORMATS = ["table", "json", "sarif"] as const;
const SCANNERS = ["misconfig", "secret"] as const;
type Scanner = (typeof SCANNERS)[number];

interface ConfigOptions {
  format?: (typeof FORMATS)[number];
  output?: string;
  scanners: Scanner[];
  severity?: Severity[];
  trustedRegistries?: string[];
  ignorefile?: string[];
  secretBinaries?: boolean;
  exitCode?: number;
  failOn?: Severity;
  quiet?: boolean;
}

function scannerList(text: string): Scanner[] {
  const list = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((s) => !SCANNERS.includes(s as Scanner));
  if (bad.length || list.length === 0) throw new InvalidArgumentError(`unknown scanner ${bad.join(", ") || "(none)"} (choose from ${SCANNERS.join(", ")})`);
  return list as Scanner[];
}

function registryList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function tableOf(report: ConfigReport): string {
  const lines: string[] = [];
  const counts = severityCounts(report.findings);
  const typed = new Map<string, number>();
  for (const f of report.files) typed.set(f.type, (typed.get(f.type) ?? 0) + 1);
  lines.push(`${report.summary.files} files (${[...typed].map(([t, n]) => `${t} ${n}`).join(", ")}), ${report.findings.length} findings${counts ? ` (${counts})` : ""}${report.suppressed.length ? `, ${report.suppressed.length} suppressed` : ""}`);
  lines.push("");
  if (report.findings.length) lines.push(findingsTable(report.findings));
  return lines.join("\n") + "\n";
}

export function configCommand(): Command {
  return new Command("config")
    .description("find misconfigurations and secrets in Kubernetes manifests, Dockerfiles, compose files and other files")
    .argument("<path...>", "files and directories to scan (directories recursively; .git and node_modules are skipped)")
    .addOption(new Option("-f, --format <format>", "output format (default: table on a terminal, else json)").choices(FORMATS))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .option("--scanners <list>", "what to look for, comma-separated: misconfig, secret", scannerList, [...SCANNERS])
    .option("--severity <list>", "report only these severities, comma-separated", severityList)
    .option("--trusted-registries <list>", "registries images may come from, comma-separated (e.g. registry.example.com,ghcr.io/acme)", registryList)
    .option("--secret-binaries", "look for secrets in binary files too (skipped by default)")
    .option("--ignorefile <file>", `suppressions to apply instead of each directory's .portcullisignore (repeatable)`, collect)
    .option("--exit-code <n>", "exit with this status when findings remain after the filters (or reach --fail-on)", exitCodeOf)
    .addOption(new Option("--fail-on <severity>", "exit non-zero when a finding is at least this severe (status from --exit-code, default 1)").choices(SEVERITIES.slice(0, 5)))
    .option("-q, --quiet", "no progress output and no notes about unused suppressions")
    .addHelpText(
      "after",
      `
Examples:
  portcullis config deploy/                        every manifest, Dockerfile and compose file below deploy/
  portcullis config Dockerfile k8s/app.yaml -f sarif -o config.sarif
  portcullis config . --scanners secret            only look for secrets
  portcullis config k8s/ --fail-on high            fail a pipeline on high and critical findings

File types are detected: Dockerfile/Containerfile (and *.Dockerfile), compose
files by their names, and YAML/JSON with apiVersion and kind as Kubernetes
manifests. Every text file is also scanned for secrets; secrets are shown as a
prefix and a fingerprint, never in full.

Suppressions: a .portcullisignore (YAML) at the top of a scanned directory
(and a .trivyignore beside it), comments such
as "# portcullis:ignore PCS-DF-002 reason=..." and the annotations
ignore.portcullis.dev/<rule>; Trivy, Hadolint, Checkov and kube-linter
suppressions of the same rules are honoured. See docs/misconfig.md.

A file that cannot be read is reported with its line and the others are still
scanned. Exit status: 1 when a file could not be parsed or on an error, else 0
unless --exit-code/--fail-on say otherwise. See: portcullis rules list.`,
    )
    .action(async (paths: string[], opts: ConfigOptions) => {
      const bar = progress(!opts.quiet);
      const report = await scanConfigFiles(paths, {
        misconfig: opts.scanners.includes("misconfig"),
        secret: opts.scanners.includes("secret"),
        ...(opts.trustedRegistries ? { trustedRegistries: opts.trustedRegistries } : {}),
        ...(opts.ignorefile ? { ignoreFiles: opts.ignorefile } : {}),
        ...(opts.secretBinaries ? { secretBinaries: true } : {}),
        onProgress: (done, total) => bar.files(done, total),
      });
      bar.done();
      if (opts.severity) {
        const wanted = new Set(opts.severity);
        report.findings = report.findings.filter((f) => wanted.has(f.severity));
      }
      const format = opts.format ?? (opts.output || !process.stdout.isTTY ? "json" : "table");
      const text =
        format === "table"
          ? tableOf(report)
          : format === "sarif"
            ? sarifLog(report.findings, { reference: paths.join(" ") }, ruleMeta)
            : JSON.stringify(report, null, 2) + "\n";
      if (opts.output) await writeFile(opts.output, text);
      else process.stdout.write(text);
      for (const p of report.problems) process.stderr.write(`${p.severity}: ${p.message}\n`);
      for (const s of report.expiredSuppressions) process.stderr.write(`warning: ${s.message}\n`);
      if (!opts.quiet) for (const s of report.unusedSuppressions) process.stderr.write(`note: ${s.message}\n`);
      const failing = opts.failOn ? report.findings.some((f) => severityRank(f.severity) <= severityRank(opts.failOn!)) : opts.exitCode !== undefined && report.findings.length > 0;
      if (report.summary.errors > 0) process.exitCode = 1;
      else if (failing) process.exitCode = opts.exitCode ?? 1;
    });
}
