/**
 * `portcullis image TARGET`: one walk of the image for its inventory (matched
 * against the vulnerability DB), its own misconfigurations and its secrets;
 * reported as a table, JSON, SARIF or CycloneDX.
 */
import { writeFile } from "node:fs/promises";
import { Command, InvalidArgumentError, Option } from "commander";
import { SEVERITIES, type Finding, type Severity } from "../../common/index.js";
import type { Inventory } from "../../inventory/index.js";
import { judgeReport, stageOf, verdictText } from "./gate.js";
import { applyFilters, buildReport, Matcher, reaches, type ReportFilters } from "../../match/index.js";
import { ruleMeta } from "../../misconfig/catalog.js";
import { baseLayerCount, configSummary, reportPackages, type ImageReport, type Scanner } from "../../scan/index.js";
import { defaultDbPath, VulnStore } from "../../vulndb/index.js";
import { cyclonedxWithVulnerabilities } from "../output/cyclonedx-vulnerabilities.js";
import { imageFindingsTable } from "../output/findings-table.js";
import { hardeningTable } from "../output/hardening-table.js";
import { sarifLog } from "../output/sarif.js";
import { vulnerabilityTable } from "../output/vulnerability-table.js";
import { scanTarget, type SbomOptions } from "./sbom.js";

const FORMATS = ["table", "json", "sarif", "cyclonedx"] as const;
const SCANNERS: readonly Scanner[] = ["vuln", "misconfig", "secret"];

function scannerList(text: string): Scanner[] {
  const list = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((s) => !SCANNERS.includes(s as Scanner));
  if (bad.length || list.length === 0) throw new InvalidArgumentError(`unknown scanner ${bad.join(", ") || "(none)"} (choose from ${SCANNERS.join(", ")})`);
  return [...new Set(list)] as Scanner[];
}

interface ImageOptions extends Omit<SbomOptions, "format"> {
  policy?: string;
  stage?: string;
  vex?: string[];
  format?: (typeof FORMATS)[number];
  scanners: Scanner[];
  secretBinaries?: boolean;
  db?: string;
  dbMaxAge: number;
  severity?: Severity[];
  ignoreUnfixed?: boolean;
  pkgTypes?: ("os" | "library")[];
  exitCode?: number;
  failOn?: Severity;
}

/** Commander's collector for an option given more than once. */
export function repeatable(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** "72h", "5d", "30m" → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(m|h|d)$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`expected a duration such as 12h or 5d, got "${text}"`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
}

export function severityList(text: string): Severity[] {
  const list = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((s) => !SEVERITIES.includes(s as Severity));
  if (bad.length) throw new InvalidArgumentError(`unknown severity ${bad.join(", ")} (choose from ${SEVERITIES.join(", ")})`);
  return list as Severity[];
}

function pkgTypeList(text: string): ("os" | "library")[] {
  const list = text.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((s) => s !== "os" && s !== "library");
  if (bad.length) throw new InvalidArgumentError(`unknown package type ${bad.join(", ")} (choose from os, library)`);
  return list as ("os" | "library")[];
}

export function exitCodeOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new InvalidArgumentError(`expected an exit status 0-255, got "${text}"`);
  return n;
}

export function imageCommand(): Command {
  return new Command("image")
    .description("find known vulnerabilities, misconfigurations and secrets in an image")
    .argument("<target>", "image to scan (as for sbom: docker-archive:FILE, oci:DIR, registry:REF, docker:REF, dir:ROOTFS, sbom:FILE, ...)")
    .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS))
    .option("-o, --output <file>", "write the report to a file instead of standard output")
    .option("--scanners <list>", "what to look for, comma-separated: vuln (packages against the DB), misconfig (the image's user, ports, shipped tools, permissions), secret (layer files, env, history)", scannerList, [...SCANNERS])
    .option("--policy <file>", "judge the report with this policy at the end (needs --stage); exit 1 when denied")
    .option("--stage <stage>", "the checkpoint the policy judges for: build, registry, promote:<env>, admission, runtime", stageOf)
    .option("--vex <file>", "OpenVEX document whose statements the policy applies (repeatable)", repeatable)
    .option("--secret-binaries", "look for secrets in binary layer files too (skipped by default)")
    .option("--db <file>", "vulnerability DB file (default: PORTCULLIS_DB, else the user cache dir)")
    .option("--db-max-age <duration>", "warn when the DB is older than this (e.g. 12h, 5d)", parseDuration, parseDuration("5d"))
    .option("--severity <list>", "report only these severities, comma-separated (critical,high,medium,low,negligible,unknown)", severityList)
    .option("--ignore-unfixed", "report only vulnerabilities that have a fixed version")
    .option("--pkg-types <list>", "report only os and/or library packages, comma-separated", pkgTypeList)
    .option("--exit-code <n>", "exit with this status when findings remain after the filters (or reach --fail-on)", exitCodeOf)
    .addOption(new Option("--fail-on <severity>", "exit non-zero when a finding is at least this severe (status from --exit-code, default 1)").choices(SEVERITIES.slice(0, 5)))
    .option("--platform <os/arch[/variant]>", "platform to pick from a multi-platform image", "linux/amd64")
    .option("--insecure", "allow plain HTTP to a registry on a loopback address")
    .option("--no-cache", "do not read or write the layer inventory cache (PORTCULLIS_CACHE_DIR)")
    .option("-q, --quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  portcullis db update                                   fetch the vulnerability data once
  portcullis image docker-archive:app.tar                table grouped by package
  portcullis image registry:localhost:5000/app:1 --insecure --severity critical,high --ignore-unfixed
  portcullis image app.tar -f sarif -o results.sarif     for code scanning dashboards
  portcullis image sbom:bom.cdx.json --fail-on high      gate a pipeline on a stored SBOM
  portcullis image app.tar --scanners misconfig,secret   no DB needed: the image's own risks only

OS packages are matched against their distribution's own data (Debian by
release and source package, Alpine by branch and origin), so backported fixes
count; language packages against their ecosystem's advisories. Image checks
(PCS-IMG rules) and secrets come from the same single walk of each layer; a
secret in a file a later layer deletes is still reported, and secrets are
shown as a prefix and a fingerprint, never in full. --severity applies to
every kind of finding, --ignore-unfixed and --pkg-types to vulnerabilities.

With --policy and --stage, the verdict is printed on stderr after the report
and a denial makes the exit status 1.

Exit status: 0 unless --exit-code/--fail-on or a policy denial say otherwise; 1 on an error.`,
    )
    .action(async (target: string, opts: ImageOptions) => {
      const { report, inventory, vulnerabilities } = await imageReportFor(target, opts);
      const vuln = opts.scanners.includes("vuln");
      const all = [...vulnerabilities, ...report.misconfigurations, ...report.secrets];
      const format = opts.format ?? (opts.output || !process.stdout.isTTY ? "json" : "table");
      const text =
        format === "table"
          ? tableOf(report, vuln)
          : format === "sarif"
            ? sarifLog(all, { reference: report.target.reference, ...(report.target.digest ? { digest: report.target.digest } : {}) }, ruleMeta)
            : format === "cyclonedx"
              ? cyclonedxWithVulnerabilities(inventory, { ...report, db: report.db ?? { file: "" }, findings: vulnerabilities })
              : JSON.stringify(report, null, 2) + "\n";
      if (opts.output) await writeFile(opts.output, text);
      else process.stdout.write(text);
      for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
      const failing = opts.failOn ? reaches(all, opts.failOn) : opts.exitCode !== undefined && all.length > 0;
      if (failing) process.exitCode = opts.exitCode ?? 1;
      if (opts.policy) {
        if (!opts.stage) throw new InvalidArgumentError("--policy needs --stage (build, registry, promote:<env>, admission, runtime)");
        const verdict = await judgeReport(report, { policy: opts.policy, stage: opts.stage, vex: opts.vex ?? [], ...(opts.insecure ? { insecure: true } : {}) });
        process.stderr.write(verdictText(verdict));
        if (!verdict.allowed) process.exitCode = 1;
      }
    });
}

export type ScanOptions = Omit<ImageOptions, "format" | "output" | "exitCode" | "failOn">;

/** The scan `gate` and `attest` run on an image they are given: every scanner, their own DB and pull options. */
export function fullScanOptions(opts: Pick<ScanOptions, "dbMaxAge" | "cache" | "db" | "platform" | "insecure" | "quiet">): ScanOptions {
  return {
    scanners: ["vuln", "misconfig", "secret"],
    dbMaxAge: opts.dbMaxAge,
    cache: opts.cache,
    ...(opts.db ? { db: opts.db } : {}),
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.insecure ? { insecure: true } : {}),
    ...(opts.quiet ? { quiet: true } : {}),
  };
}

/** Scans a target as `portcullis image` does and builds its report (shared with `portcullis gate`). */
export async function imageReportFor(target: string, opts: ScanOptions): Promise<{ report: ImageReport; inventory: Inventory; vulnerabilities: Finding[] }> {
  const vuln = opts.scanners.includes("vuln");
  const dbFile = opts.db ?? defaultDbPath();
  // Only a vulnerability scan needs the DB: the image's own risks are judged without it.
  const store = vuln ? VulnStore.open(dbFile) : undefined;
  try {
    const status = store?.status();
    if (status) {
      const age = status.updatedAt ? Date.now() - Date.parse(status.updatedAt) : Number.POSITIVE_INFINITY;
      if (age > opts.dbMaxAge) {
        const days = Number.isFinite(age) ? `${Math.floor(age / 86_400_000)} days old` : "of unknown age";
        process.stderr.write(`warning: the vulnerability DB ${dbFile} is ${days}; refresh it with: portcullis db update\n`);
      }
    }
    const scan = await scanTarget(target, { ...opts, format: undefined }, { misconfig: opts.scanners.includes("misconfig"), secret: opts.scanners.includes("secret") }, opts.secretBinaries === true);
    const inventory = scan.inventory;
    const result = store ? new Matcher(store).match(inventory) : { findings: [], checked: 0, warnings: [] };
    const filters: ReportFilters = { severities: opts.severity, ignoreUnfixed: opts.ignoreUnfixed, pkgTypes: opts.pkgTypes };
    const findings = applyFilters(result.findings, filters);
    const own = scan.findings.filter((f) => !opts.severity?.length || opts.severity.includes(f.severity));
    const { db, ...vulnReport } = buildReport(inventory, findings, result.checked, { file: dbFile, ...(status?.updatedAt ? { updatedAt: status.updatedAt } : {}) }, [...inventory.warnings, ...result.warnings]);
    const base = scan.config ? baseLayerCount(scan.config) : undefined;
    const report: ImageReport = {
      ...vulnReport,
      ...(vuln ? { db } : {}),
      scanners: opts.scanners,
      misconfigurations: own.filter((f) => f.kind === "misconfig"),
      secrets: own.filter((f) => f.kind === "secret"),
      ...(scan.hardening ? { hardening: scan.hardening } : {}),
      ...(scan.config ? { config: configSummary(scan.config) } : {}),
      packages: reportPackages(inventory.packages),
      ...(base !== undefined ? { baseLayers: base } : {}),
    };
    if (!scan.image && opts.scanners.some((s) => s !== "vuln")) report.warnings.push(`${target} is an SBOM: it has no files or configuration to check for misconfigurations and secrets`);
    return { report, inventory, vulnerabilities: findings };
  } finally {
    store?.close();
  }
}

function tableOf(report: ImageReport, vuln: boolean): string {
  const parts: string[] = [];
  if (vuln) parts.push(vulnerabilityTable({ ...report, db: report.db! }));
  else parts.push(`${report.target.reference}\n`);
  const own = [...report.misconfigurations, ...report.secrets];
  if (report.scanners.includes("misconfig") || report.scanners.includes("secret")) {
    parts.push(`${report.misconfigurations.length} misconfigurations, ${report.secrets.length} secrets\n`);
    if (own.length) parts.push(imageFindingsTable(own));
  }
  if (report.hardening) parts.push(hardeningTable(report.hardening));
  return parts.join("\n");
}
