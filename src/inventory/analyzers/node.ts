/**
 * Installed npm packages: every `node_modules/<name>/package.json` and
 * `node_modules/@scope/<name>/package.json`. A package.json deeper inside a
 * package (node_modules/foo/lib/package.json) or outside node_modules (the
 * application's own) is not an installed dependency and is not claimed.
 * Lockfiles are in node-lockfiles.ts.
 */
import { InputError } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import type { Package } from "../model.js";
import { purl } from "../purl.js";

/** The package.json of a package installed directly under a node_modules folder. */
const INSTALLED = /\/node_modules\/(?:@[^/]+\/)?[^/.@][^/]*\/package\.json$/;

/** One npm package as the inventory holds it; `name` may be scoped ("@types/node"). */
export function npmPackage(name: string, version: string, path: string, licenses: string[] = [], dev?: boolean): Package {
  const slash = name.startsWith("@") ? name.indexOf("/") : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const base = slash > 0 ? name.slice(slash + 1) : name;
  const pkg: Package = { name, version, type: "npm", purl: purl("npm", namespace, base, version), licenses, paths: [path] };
  if (dev) pkg.dev = true;
  return pkg;
}

function licenseName(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  // The legacy form: { "type": "MIT", "url": "…" }.
  if (value && typeof value === "object" && typeof (value as { type?: unknown }).type === "string") {
    return (value as { type: string }).type.trim() || undefined;
  }
  return undefined;
}

/** Licenses from package.json `license` (string or legacy object) and the legacy `licenses` array. */
export function npmLicenses(manifest: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const single = licenseName(manifest.license);
  if (single) out.add(single);
  if (Array.isArray(manifest.licenses)) {
    for (const item of manifest.licenses) {
      const name = licenseName(item);
      if (name) out.add(name);
    }
  }
  return [...out];
}

/** Parse JSON text, naming the file and the offset on failure. */
export function parseJsonObject(text: string, path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new InputError(path, undefined, `invalid JSON: ${detail}`);
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new InputError(path, "$", "expected a JSON object");
  return doc as Record<string, unknown>;
}

/**
 * An installed package's package.json → package, or null when it has no
 * string `name` and `version` (the analyzer reports that as a warning).
 */
export function parseInstalledPackageJson(text: string, path: string): Package | null {
  const manifest = parseJsonObject(text, path);
  const { name, version } = manifest;
  if (typeof name !== "string" || name.trim() === "" || typeof version !== "string" || version.trim() === "") return null;
  return npmPackage(name.trim(), version.trim(), path, npmLicenses(manifest));
}

export const nodePackageAnalyzer: Analyzer = {
  name: "node-package",
  version: 1,
  wants: (path) => INSTALLED.test(path),
  async analyze(file) {
    const pkg = parseInstalledPackageJson((await file.bytes()).toString("utf8"), file.path);
    if (!pkg) return { warnings: ['package.json without a "name" and "version" string: skipped'] };
    return { packages: [pkg] };
  },
};
