/**
 * Alpine secdb: each origin package's `secfixes`, a map from the apk version
 * that fixed something to the ids it fixed (`"0"` lists what never affected
 * the package). Accepts the published branch files (`{distroversion,
 * packages: [{pkg: {name, secfixes}}]}`) and one-package files
 * (`{name, secfixes, distroversion}`).
 */
import type { Advisory, ParsedFeed } from "../model.js";

const ID = /^(CVE-\d{4}-\d{4,}|ALPINE-\d+|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|XSA-\d+)$/i;

interface PackageFixes {
  name: string;
  secfixes: Record<string, unknown>;
  where: string;
}

export function parseAlpineSecdb(text: string, file: string): ParsedFeed {
  let doc: { distroversion?: unknown; packages?: unknown; name?: unknown; secfixes?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    return { advisories: [], warnings: [`${file}: skipped: not valid JSON (${(err as Error).message})`] };
  }
  const warnings: string[] = [];
  const branch = typeof doc.distroversion === "string" && /^v\d+\.\d+$/.test(doc.distroversion) ? doc.distroversion : undefined;
  if (!branch) return { advisories: [], warnings: [`${file} $.distroversion: skipped: expected a branch such as "v3.20"`] };
  const list: PackageFixes[] = [];
  if (Array.isArray(doc.packages)) {
    doc.packages.forEach((p: { pkg?: { name?: unknown; secfixes?: unknown } }, i) => {
      if (typeof p?.pkg?.name === "string" && p.pkg.secfixes && typeof p.pkg.secfixes === "object") list.push({ name: p.pkg.name, secfixes: p.pkg.secfixes as Record<string, unknown>, where: `$.packages[${i}].pkg.secfixes` });
      else warnings.push(`${file} $.packages[${i}].pkg: skipped: expected name and secfixes`);
    });
  } else if (typeof doc.name === "string" && doc.secfixes && typeof doc.secfixes === "object") {
    list.push({ name: doc.name, secfixes: doc.secfixes as Record<string, unknown>, where: "$.secfixes" });
  } else {
    return { advisories: [], warnings: [`${file} $: skipped: expected packages[] or name and secfixes`] };
  }
  const byId = new Map<string, Advisory>();
  for (const { name, secfixes, where } of list) {
    for (const [version, ids] of Object.entries(secfixes)) {
      if (!Array.isArray(ids)) {
        warnings.push(`${file} ${where}["${version}"]: skipped: expected a list of ids`);
        continue;
      }
      ids.forEach((raw: unknown, i) => {
        // Entries are sometimes "CVE-a CVE-b" or carry a trailing remark: take every id-shaped word.
        const words = typeof raw === "string" ? raw.split(/[\s,]+/).filter(Boolean) : [];
        const found = words.filter((w) => ID.test(w));
        if (found.length === 0) {
          warnings.push(`${file} ${where}["${version}"][${i}]: skipped: no advisory id in ${JSON.stringify(raw)}`);
          return;
        }
        for (const id of found.map((w) => w.toUpperCase())) {
          let advisory = byId.get(id);
          if (!advisory) {
            advisory = { id, aliases: [], source: "alpine-secdb", severities: [], cwes: [], references: [], affected: [] };
            byId.set(id, advisory);
          }
          const state = version === "0" ? { state: "not-affected" as const } : { state: "fixed" as const, fixedVersion: version };
          advisory.affected.push({ ecosystem: `Alpine:${branch}`, package: name, ranges: [], versions: [], ...state });
        }
      });
    }
  }
  return { advisories: [...byId.values()], warnings };
}
