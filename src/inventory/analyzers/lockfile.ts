/** What lockfile analyzers share: choosing a parser by file name, and reading TOML lockfiles' [[package]] tables. */
import { parse as parseToml, TomlError } from "smol-toml";
import { InputError } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import type { Package } from "../model.js";

export type LockfileParser = (text: string, path: string) => Package[];

/** A directory-only analyzer that hands each file to the parser `select` picks for its path. */
export function lockfileAnalyzer(name: string, version: number, select: (path: string) => LockfileParser | undefined): Analyzer {
  return {
    directoryOnly: true,
    name,
    version,
    wants: (path) => select(path) !== undefined,
    async analyze(file) {
      const parse = select(file.path);
      if (!parse) return null;
      return { packages: parse((await file.bytes()).toString("utf8"), file.path) };
    },
  };
}

/** The `[[package]]` array of a TOML lockfile (Cargo.lock, poetry.lock); errors name line and column. */
export function tomlPackageTables(text: string, path: string): unknown[] {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (err) {
    if (err instanceof TomlError) throw new InputError(path, `line ${err.line}, column ${err.column}`, `invalid TOML: ${err.message.split("\n")[0]}`);
    throw err;
  }
  const list = doc.package ?? [];
  if (!Array.isArray(list)) throw new InputError(path, "package", "expected an array of tables ([[package]])");
  return list;
}
