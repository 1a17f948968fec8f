/**
 * Installed Python distributions: `*.dist-info/METADATA` (wheels, pip),
 * `*.egg-info/PKG-INFO` (setuptools), and `*.egg-info` when it is a file
 * (distutils). All three are core-metadata documents: RFC 822-style headers
 * up to the first empty line, then an optional description body we ignore.
 * Python's email parser has no npm counterpart that stops at the headers and
 * reports line numbers, and the format is a few rules, so the reader is ours.
 * Lockfiles are in python-lockfiles.ts.
 */
import { InputError } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import type { Package } from "../model.js";
import { purl } from "../purl.js";

/** Headers of real metadata run to a few hundred lines (one per classifier); more is not metadata. */
const MAX_HEADER_LINES = 20_000;
/** A `License` value longer than this, or on several lines, is a pasted licence text, not a name. */
const MAX_LICENSE_NAME = 100;

const METADATA = /\.dist-info\/METADATA$|\.egg-info\/PKG-INFO$|\.egg-info$/;
const HEADER = /^([A-Za-z0-9][A-Za-z0-9_.-]*):[ \t]*(.*)$/;

/** PEP 503 normalised name: lowercase, runs of "-", "_" and "." become one "-". */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export function pypiPackage(name: string, version: string, path: string, licenses: string[] = [], dev?: boolean): Package {
  const pkg: Package = { name, version, type: "pypi", purl: purl("pypi", undefined, normalizePythonName(name), version), licenses, paths: [path] };
  if (dev) pkg.dev = true;
  return pkg;
}

/** Header name (lowercased) → values in order; continuation lines are joined with "\n". */
function parseMetadataHeaders(text: string, path: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: { values: string[]; index: number } | undefined;
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, "");
    if (line === "") break; // the end of the headers
    if (n >= MAX_HEADER_LINES) throw new InputError(path, `line ${n + 1}`, `more than ${MAX_HEADER_LINES} header lines`);
    if (line.startsWith(" ") || line.startsWith("\t")) {
      if (!last) throw new InputError(path, `line ${n + 1}`, "continuation line before any header");
      last.values[last.index] += `\n${line.trim()}`;
      continue;
    }
    const m = HEADER.exec(line);
    if (!m) throw new InputError(path, `line ${n + 1}`, `expected "Name: value", got "${line.slice(0, 80)}"`);
    const key = m[1]!.toLowerCase();
    const values = headers.get(key) ?? [];
    values.push(m[2]!.trim());
    headers.set(key, values);
    last = { values, index: values.length - 1 };
  }
  return headers;
}

/**
 * Licenses in order of trust: the SPDX `License-Expression` (metadata 2.4),
 * else a short `License` value, else the last part of each
 * `Classifier: License :: …` ("License :: OSI Approved :: MIT License" → "MIT License").
 */
function pythonLicenses(headers: Map<string, string[]>): string[] {
  const expression = headers.get("license-expression")?.[0];
  if (expression) return [expression];
  const license = headers.get("license")?.[0];
  if (license && !license.includes("\n") && license.length <= MAX_LICENSE_NAME && license.toUpperCase() !== "UNKNOWN") return [license];
  const out = new Set<string>();
  for (const classifier of headers.get("classifier") ?? []) {
    const parts = classifier.split("::").map((p) => p.trim());
    if (parts[0] !== "License" || parts.length < 2) continue;
    const last = parts[parts.length - 1]!;
    if (last !== "OSI Approved") out.add(last);
  }
  return [...out];
}

/** Core metadata (METADATA, PKG-INFO) → package; Name and Version are required. */
export function parsePythonMetadata(text: string, path: string): Package {
  const headers = parseMetadataHeaders(text, path);
  const name = headers.get("name")?.[0];
  const version = headers.get("version")?.[0];
  if (!name) throw new InputError(path, undefined, 'missing "Name" header');
  if (!version) throw new InputError(path, undefined, 'missing "Version" header');
  return pypiPackage(name, version, path, pythonLicenses(headers));
}

export const pythonPackageAnalyzer: Analyzer = {
  name: "python-package",
  version: 1,
  wants: (path) => METADATA.test(path),
  async analyze(file) {
    return { packages: [parsePythonMetadata((await file.bytes()).toString("utf8"), file.path)] };
  },
};
