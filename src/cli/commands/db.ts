/** `portcullis db import|update|status`: build and inspect the vulnerability DB. */
import { Command } from "commander";
import { DEFAULT_UPDATE_CONFIG, defaultDbPath, importFeeds, updateDb, VulnStore, type DbStatus, type UpdateConfig } from "../../vulndb/index.js";

interface DbOptions {
  db?: string;
  quiet?: boolean;
  format?: "table" | "json";
}

const dbOption = ["--db <file>", "vulnerability DB file (default: PORTCULLIS_DB, else the user cache dir)"] as const;

function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const hours = (now - Date.parse(iso)) / 3_600_000;
  return hours < 1 ? "less than an hour ago" : hours < 48 ? `${Math.floor(hours)} hours ago` : `${Math.floor(hours / 24)} days ago`;
}

function statusText(s: DbStatus): string {
  const lines = [
    `DB        ${s.file}`,
    `schema    ${s.schemaVersion}`,
    `updated   ${s.updatedAt ?? "never"} (${ago(s.updatedAt)})`,
    `records   ${s.advisories} advisories, ${s.affected} affected packages`,
    "",
    "ecosystem".padEnd(24) + "affected packages",
    ...Object.entries(s.ecosystems).map(([e, n]) => e.padEnd(24) + String(n)),
    "",
    "source".padEnd(60) + "records  warnings  imported",
    ...s.sources.map((src) => src.name.padEnd(60) + String(src.records).padStart(7) + String(src.warnings).padStart(10) + "  " + src.importedAt),
  ];
  return lines.join("\n") + "\n";
}

export function dbCommand(): Command {
  const db = new Command("db").description("build and inspect the vulnerability DB (SQLite)");

  db.command("import")
    .description("load advisories from files, directories or zips: OSV JSON/YAML, Debian security tracker JSON, Alpine secdb")
    .argument("<path...>", "advisory files, directories (read recursively) or zip files of OSV records")
    .option(...dbOption)
    .option("-q, --quiet", "no progress output")
    .addHelpText(
      "after",
      `
Examples:
  portcullis db import ./osv/npm-all.zip
  portcullis db import ./debian-tracker.json ./alpine/v3.20 --db vulns.db

Each file's feed is recognised from its content, so a folder may mix feeds.
A malformed record is skipped with a warning naming the file and field; the
import itself is all or nothing. Records imported again replace the old ones.`,
    )
    .action(async (paths: string[], opts: DbOptions) => {
      const file = opts.db ?? defaultDbPath();
      const store = VulnStore.openForWrite(file);
      try {
        const tty = !opts.quiet && process.stderr.isTTY;
        const report = await importFeeds(store, paths, (p) => {
          if (tty) process.stderr.write(`\rimporting: ${p.files} files, ${p.advisories} advisories`);
        });
        if (tty) process.stderr.write("\r\x1b[K");
        for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
        if (report.unknownEcosystems.length > 0) {
          process.stderr.write(`warning: no version scheme for ecosystem(s) ${report.unknownEcosystems.join(", ")}: their records are stored but cannot match\n`);
        }
        if (!opts.quiet && report.skipped.length > 0) {
          process.stderr.write(`skipped ${report.skipped.length} file(s) that hold no advisories in a known format (first: ${report.skipped[0]})\n`);
        }
        process.stdout.write(`imported ${report.advisories} advisories from ${report.files} files into ${file}${report.warnings.length ? ` (${report.warnings.length} warnings)` : ""}\n`);
      } finally {
        store.close();
      }
    });

  db.command("update")
    .description("download the vulnerability feeds and rebuild the DB (unchanged feeds are not downloaded again)")
    .option(...dbOption)
    .option("--osv-url <base>", "base URL of the OSV per-ecosystem zips (<base>/<Ecosystem>/all.zip)", DEFAULT_UPDATE_CONFIG.osvBase)
    .option("--osv-ecosystems <list>", "OSV ecosystems to fetch, comma-separated", DEFAULT_UPDATE_CONFIG.osvEcosystems.join(","))
    .option("--debian-url <url>", "Debian security tracker JSON (empty to skip)", DEFAULT_UPDATE_CONFIG.debianTracker)
    .option("--alpine-url <base>", "base URL of Alpine secdb (<base>/<branch>/<repo>.json; empty to skip)", DEFAULT_UPDATE_CONFIG.alpineBase)
    .option("--alpine-branches <list>", "Alpine branches, comma-separated", DEFAULT_UPDATE_CONFIG.alpineBranches.join(","))
    .option("-q, --quiet", "no progress output")
    .addHelpText(
      "after",
      `
The new DB is built next to the old one and renamed over it only when every
feed downloaded and imported: a failed update leaves the old DB untouched.
Feeds are fetched with If-None-Match / If-Modified-Since, so an unchanged feed
costs one request. For an offline machine, copy the files and use db import.`,
    )
    .action(async (opts: DbOptions & { osvUrl: string; osvEcosystems: string; debianUrl: string; alpineUrl: string; alpineBranches: string }) => {
      const file = opts.db ?? defaultDbPath();
      const list = (text: string) => text.split(",").map((x) => x.trim()).filter(Boolean);
      const config: UpdateConfig = {
        osvBase: opts.osvUrl,
        osvEcosystems: list(opts.osvEcosystems),
        debianTracker: opts.debianUrl,
        alpineBase: opts.alpineUrl,
        alpineBranches: list(opts.alpineBranches),
      };
      const { outcomes, report } = await updateDb(file, config, (o) => {
        if (opts.quiet) return;
        process.stderr.write(o.outcome === "unchanged" ? `${o.feed}: unchanged\n` : `${o.feed}: ${(o.bytes / 1e6).toFixed(1)} MB, ${o.advisories} advisories\n`);
      });
      for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
      const updated = outcomes.filter((o) => o.outcome === "updated").length;
      process.stdout.write(`updated ${file}: ${updated} feed(s) changed, ${outcomes.length - updated} unchanged${report.warnings.length ? ` (${report.warnings.length} warnings)` : ""}\n`);
    });

  db.command("status")
    .description("show the DB's sources, record counts and age")
    .option(...dbOption)
    .option("-f, --format <format>", "table or json", "table")
    .action((opts: DbOptions) => {
      const store = VulnStore.open(opts.db ?? defaultDbPath());
      try {
        const status = store.status();
        process.stdout.write(opts.format === "json" ? JSON.stringify(status, null, 2) + "\n" : statusText(status));
      } finally {
        store.close();
      }
    });

  return db;
}
