/**
 * Alpine packages: apk's installed database (/lib/apk/db/installed, or
 * /usr/lib/apk/db/installed where /lib is merged into /usr). It is a text file
 * of "X:value" lines, one paragraph per package; F: names a directory and the
 * R: lines after it name the package's files in that directory.
 *
 * No maintained npm parser for this format exists; it is a few lines of code.
 */
import { InputError } from "../../common/index.js";
import type { AnalysisResult, Analyzer } from "../analyzer.js";
import type { Package } from "../model.js";
import { purl } from "../purl.js";

/** Far above any real image; a bound for hostile input. */
const MAX_PACKAGES = 200_000;

interface Entry {
  line: number;
  name?: string;
  version?: string;
  arch?: string;
  license?: string;
  origin?: string;
}

export type ApkInstalled = Required<Pick<AnalysisResult, "packages" | "ownedFiles">>;

function toPackage(e: Entry, path: string): Package {
  if (!e.name) throw new InputError(path, `line ${e.line}`, 'package has no "P:" (name) line');
  if (!e.version) throw new InputError(path, `line ${e.line}`, `package "${e.name}" has no "V:" (version) line`);
  return {
    name: e.name,
    version: e.version,
    type: "apk",
    purl: purl("apk", "alpine", e.name, e.version, { arch: e.arch }),
    // A package without an origin is built from an APKBUILD of its own name.
    source: { name: e.origin || e.name, version: e.version },
    // L: is the APKBUILD's license string, an SPDX-like expression kept whole.
    licenses: e.license ? [e.license] : [],
    ...(e.arch ? { arch: e.arch } : {}),
    paths: [path],
  };
}

/** The installed database → packages and the absolute paths of the files they own. */
export function parseApkInstalled(text: string, path: string): ApkInstalled {
  const packages: Package[] = [];
  const ownedFiles: string[] = [];
  let entry: Entry | undefined;
  let dir: string | undefined;
  let lineNo = 0;
  const finish = (): void => {
    if (entry) packages.push(toPackage(entry, path));
    entry = undefined;
    dir = undefined;
  };
  for (const raw of text.split("\n")) {
    lineNo++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") {
      finish();
      continue;
    }
    if (line.length < 2 || line[1] !== ":") throw new InputError(path, `line ${lineNo}`, `expected "X:value", got "${line.slice(0, 80)}"`);
    if (!entry) {
      if (packages.length >= MAX_PACKAGES) throw new InputError(path, `line ${lineNo}`, `more than ${MAX_PACKAGES} packages`);
      entry = { line: lineNo };
    }
    const value = line.slice(2);
    switch (line[0]) {
      case "P":
        entry.name = value;
        break;
      case "V":
        entry.version = value;
        break;
      case "A":
        entry.arch = value;
        break;
      case "L":
        entry.license = value;
        break;
      case "o":
        entry.origin = value;
        break;
      case "F":
        // Relative to the root; "F:" alone is the root itself.
        dir = value.replace(/^\/+|\/+$/g, "");
        break;
      case "R":
        if (dir === undefined) throw new InputError(path, `line ${lineNo}`, '"R:" (file) line without an "F:" (directory) line before it');
        if (value === "" || value.includes("/")) throw new InputError(path, `line ${lineNo}`, `"R:" should be a file name, got "${value}"`);
        ownedFiles.push(dir === "" ? `/${value}` : `/${dir}/${value}`);
        break;
      default:
        // Checksums, sizes, dependencies, modes…: not needed here.
        break;
    }
  }
  finish();
  return { packages, ownedFiles };
}

const INSTALLED = new Set(["/lib/apk/db/installed", "/usr/lib/apk/db/installed"]);

export const apkAnalyzer: Analyzer = {
  name: "apk-installed",
  version: 1,
  wants: (path) => INSTALLED.has(path),
  async analyze(file) {
    return parseApkInstalled((await file.bytes()).toString("utf8"), file.path);
  },
};
