/** `portcullis rescan`: match stored inventories against the current DB, without reading any image. */
import { Command, Option } from "commander";
import { SEVERITIES, type Severity } from "../../common/index.js";
import { defaultCacheDir, LayerCache, ANALYZERS, type Inventory } from "../../inventory/index.js";
import { buildReport, Matcher, reaches, type VulnerabilityReport } from "../../match/index.js";
import { defaultDbPath, VulnStore } from "../../vulndb/index.js";
import { columns } from "../output/table.js";
import { readInventoryFile } from "../targets.js";

interface RescanOptions {
  db?: string;
  format?: "table" | "json";
  failOn?: Severity;
}

function summaryTable(reports: VulnerabilityReport[]): string {
  const rows = [["TARGET", "PACKAGES", "CRITICAL", "HIGH", "MEDIUM", "LOW", "OTHER", "WITH FIX"]];
  for (const r of reports) {
    const s = r.summary.bySeverity;
    rows.push([r.target.reference, String(r.summary.packages), String(s.critical), String(s.high), String(s.medium), String(s.low), String(s.negligible + s.unknown), String(r.summary.byStatus.fixed)]);
  }
  return columns(rows) + "\n";
}

export function rescanCommand(): Command {
  return new Command("rescan")
    .description("re-match stored inventories against the current vulnerability DB (no image is read)")
    .argument("[sbom...]", "SBOM or inventory files to match; without any, every image inventory in the cache (PORTCULLIS_CACHE_DIR)")
    .option("--db <file>", "vulnerability DB file (default: PORTCULLIS_DB, else the user cache dir)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]))
    .addOption(new Option("--fail-on <severity>", "exit 1 when any target has a finding at least this severe").choices(SEVERITIES.slice(0, 5)))
    .addHelpText(
      "after",
      `
Every image scanned with the cache on (the default) leaves its inventory in
the cache, so after a DB update this tells which images are now affected in
seconds, without pulling or reading a single layer.

Examples:
  portcullis db update && portcullis rescan
  portcullis rescan bom1.cdx.json bom2.spdx.json -f json`,
    )
    .action(async (files: string[], opts: RescanOptions) => {
      const dbFile = opts.db ?? defaultDbPath();
      const store = VulnStore.open(dbFile);
      try {
        const status = store.status();
        const matcher = new Matcher(store);
        const reports: VulnerabilityReport[] = [];
        const inventories: AsyncIterable<Inventory> | Inventory[] =
          files.length > 0 ? await Promise.all(files.map((f) => readInventoryFile(f, `sbom:${f}`))) : new LayerCache(defaultCacheDir(), ANALYZERS).inventories();
        for await (const inv of inventories) {
          const result = matcher.match(inv);
          reports.push(buildReport(inv, result.findings, result.checked, { file: dbFile, ...(status.updatedAt ? { updatedAt: status.updatedAt } : {}) }, result.warnings));
        }
        const format = opts.format ?? (process.stdout.isTTY ? "table" : "json");
        process.stdout.write(format === "table" ? summaryTable(reports) : JSON.stringify(reports, null, 2) + "\n");
        if (opts.failOn && reports.some((r) => reaches(r.findings, opts.failOn!))) process.exitCode = 1;
      } finally {
        store.close();
      }
    });
}
