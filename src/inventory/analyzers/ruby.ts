/**
 * Ruby gems: installed gem specifications (`…/specifications/*.gemspec`,
 * default gems under `specifications/default/` too) and Gemfile.lock.
 *
 * An installed .gemspec is Ruby source that rubygems writes in one fixed
 * shape (`Gem::Specification.new do |s|` and one `s.field = literal` per
 * line). We never run it: we read the few assignments we need, with a reader
 * for the string literals rubygems writes ("…".freeze, '…', %q<…>).
 *
 * Gemfile.lock: gems of the GEM and GIT sections (four-space `name (version)`
 * lines under `specs:`); PATH gems are the application's own code and are
 * skipped. A platform suffix ("1.13.0-x86_64-linux") becomes the purl
 * `platform` qualifier. Lockfiles inside an installed gem (`…/gems/<gem>/`)
 * are the gem's own development files and are not claimed.
 */
import { InputError } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import type { Package } from "../model.js";
import { lockfileAnalyzer } from "./lockfile.js";
import { purl } from "../purl.js";

const MAX_LINES = 200_000;

const GEMSPEC = /\/specifications\/(?:default\/)?[^/]+\.gemspec$/;

export function gemPackage(name: string, version: string, path: string, licenses: string[] = [], platform?: string): Package {
  const qualifiers = platform && platform !== "ruby" ? { platform } : undefined;
  return { name, version, type: "gem", purl: purl("gem", undefined, name, version, qualifiers), licenses, paths: [path] };
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", s: " ", e: "\x1b", a: "\x07", b: "\b", f: "\f", v: "\v", "0": "\0" };

/** The string literals at the start of a Ruby expression: one string, or each string of an array literal. */
export function rubyStrings(expr: string): string[] {
  const out: string[] = [];
  let i = 0;
  const inArray = expr.trimStart().startsWith("[");
  if (inArray) i = expr.indexOf("[") + 1;
  for (;;) {
    while (i < expr.length && /[\s,]/.test(expr[i]!)) i++;
    const c = expr[i];
    let value: string | undefined;
    if (c === '"') {
      value = "";
      for (i++; i < expr.length && expr[i] !== '"'; i++) {
        if (expr[i] === "\\" && i + 1 < expr.length) {
          const e = expr[++i]!;
          const unicode = e === "u" ? /^u(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))/.exec(expr.slice(i)) : null;
          if (unicode) {
            value += String.fromCodePoint(Number.parseInt(unicode[1] ?? unicode[2]!, 16));
            i += unicode[0].length - 1;
          } else {
            value += ESCAPES[e] ?? e;
          }
        } else {
          value += expr[i];
        }
      }
      if (i >= expr.length) return out; // unterminated: what we have is all
      i++;
    } else if (c === "'") {
      value = "";
      for (i++; i < expr.length && expr[i] !== "'"; i++) {
        value += expr[i] === "\\" && (expr[i + 1] === "'" || expr[i + 1] === "\\") ? expr[++i] : expr[i];
      }
      if (i >= expr.length) return out;
      i++;
    } else if (c === "%" && /^%q[<{([|!/]/.test(expr.slice(i, i + 3))) {
      const open = expr[i + 2]!;
      const close = { "<": ">", "{": "}", "(": ")", "[": "]" }[open] ?? open;
      const end = expr.indexOf(close, i + 3);
      if (end < 0) return out;
      value = expr.slice(i + 3, end);
      i = end + 1;
    }
    if (value === undefined) return out;
    out.push(value);
    if (expr.startsWith(".freeze", i)) i += ".freeze".length;
    if (!inArray) return out;
  }
}

/** An installed gem specification → package. */
export function parseGemspec(text: string, path: string): Package {
  const block = /Gem::Specification\.new\s+do\s+\|\s*(\w+)\s*\|/.exec(text);
  if (!block) throw new InputError(path, undefined, 'expected a "Gem::Specification.new do |s|" block');
  const lines = text.split("\n");
  if (lines.length > MAX_LINES) throw new InputError(path, undefined, `more than ${MAX_LINES} lines`);
  const assignment = new RegExp(`^\\s*${block[1]}\\.(name|version|licenses|license|platform)\\s*=\\s*(.*)$`);
  const fields = new Map<string, string[]>();
  for (const line of lines) {
    const m = assignment.exec(line);
    // The first assignment is the real one; later ones sit in compatibility branches.
    if (m && !fields.has(m[1]!)) fields.set(m[1]!, rubyStrings(m[2]!));
  }
  const name = fields.get("name")?.[0];
  const version = fields.get("version")?.[0];
  if (!name) throw new InputError(path, undefined, 'no string assigned to "name"');
  if (!version) throw new InputError(path, undefined, 'no string assigned to "version"');
  const licenses = fields.get("licenses") ?? fields.get("license") ?? [];
  return gemPackage(name, version, path, licenses, fields.get("platform")?.[0]);
}

/** Gemfile.lock → the locked gems of its GEM and GIT sections. */
export function parseGemfileLock(text: string, path: string): Package[] {
  const lines = text.split("\n");
  if (lines.length > MAX_LINES) throw new InputError(path, undefined, `more than ${MAX_LINES} lines`);
  const out: Package[] = [];
  let section = "";
  let inSpecs = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (!line.startsWith(" ")) {
      section = line.trim();
      inSpecs = false;
      continue;
    }
    if (line === "  specs:") {
      inSpecs = true;
      continue;
    }
    if (!line.startsWith("  ") || line.startsWith("   ")) {
      // Deeper lines: a gem (4 spaces) or one of its dependencies (6 spaces).
      if (!inSpecs || (section !== "GEM" && section !== "GIT") || !/^ {4}\S/.test(line)) continue;
      const m = /^ {4}([^\s(]+) \(([^)\s]+)\)$/.exec(line);
      if (!m) throw new InputError(path, `line ${n + 1}`, `expected "name (version)", got "${line.trim().slice(0, 80)}"`);
      const [, name, locked] = m as unknown as [string, string, string];
      const dash = locked.indexOf("-");
      out.push(gemPackage(name, dash < 0 ? locked : locked.slice(0, dash), path, [], dash < 0 ? undefined : locked.slice(dash + 1)));
    } else {
      inSpecs = false; // another two-space key of the section (remote:, revision:)
    }
  }
  return out;
}

const INSTALLED_GEM = /\/gems\/[^/]+-\d[^/]*\//;

export const gemspecAnalyzer: Analyzer = {
  name: "gemspec",
  version: 1,
  wants: (path) => GEMSPEC.test(path),
  async analyze(file) {
    return { packages: [parseGemspec((await file.bytes()).toString("utf8"), file.path)] };
  },
};

export const gemfileLockAnalyzer = lockfileAnalyzer("gemfile-lock", 1, (path) =>
  (path.endsWith("/Gemfile.lock") || path.endsWith("/gems.locked")) && !INSTALLED_GEM.test(path) ? parseGemfileLock : undefined,
);
