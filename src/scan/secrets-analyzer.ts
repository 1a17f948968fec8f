/**
 * Secret detection as one more analyzer of the layer walk, so an image scan
 * reads each layer once for packages and secrets alike. It takes text files
 * up to the secret scanner's size cap, outside documentation and
 * dependencies' test fixtures; a binary is recognised from its first bytes
 * and left unread, unless binaries are asked for (then its bytes are read as
 * Latin-1, one character per byte, so the ASCII of a token survives). Its version follows the secret rules' version, so cached
 * layers are scanned again when the rules change.
 */
import type { Analyzer, LayerFile } from "../inventory/index.js";
import { BINARY_SNIFF_BYTES, looksBinary, MAX_TEXT_BYTES, pathAllowedBy, scanText, SECRET_RULES_VERSION, SUGGESTED_PATH_ALLOW, toFinding } from "../secrets/index.js";

/** This analyzer's own changes; the rules' version is added to it. */
const ANALYZER_VERSION = 1;

/** The file's text, or undefined for a binary when binaries are not wanted: stops reading as soon as the first bytes tell. */
async function textOf(file: LayerFile, binaries: boolean): Promise<string | undefined> {
  const out = Buffer.allocUnsafe(file.size);
  let length = 0;
  let binary: boolean | undefined;
  for await (const chunk of file.chunks()) {
    const n = Math.min(chunk.length, out.length - length);
    chunk.copy(out, length, 0, n);
    length += n;
    if (binary === undefined && length >= Math.min(BINARY_SNIFF_BYTES, out.length)) {
      binary = looksBinary(out.subarray(0, length));
      if (binary && !binaries) return undefined;
    }
  }
  binary ??= looksBinary(out.subarray(0, length));
  if (binary && !binaries) return undefined;
  return out.toString(binary ? "latin1" : "utf8", 0, length);
}

export interface SecretsAnalyzerOptions {
  /** Scan binary files too (default false). */
  binaries?: boolean;
}

/** The analyzer; with binaries it has another name, so cached layers scanned without them are scanned again. */
export function secretsAnalyzer(options: SecretsAnalyzerOptions = {}): Analyzer {
  const binaries = options.binaries === true;
  return {
    name: binaries ? "secrets+binaries" : "secrets",
    version: SECRET_RULES_VERSION * 1000 + ANALYZER_VERSION,
    wants(path, entry) {
      return entry.size > 0 && entry.size <= MAX_TEXT_BYTES && pathAllowedBy(path, SUGGESTED_PATH_ALLOW) === undefined;
    },
    async analyze(file) {
      const text = await textOf(file, binaries);
      if (text === undefined) return null;
      const matches = scanText(text, { path: file.path });
      if (matches.length === 0) return null;
      return { findings: matches.map((m) => toFinding(m, { path: file.path, layer: file.layer })) };
    },
  };
}
