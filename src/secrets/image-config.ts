/**
 * Secrets in an image's configuration: environment variables (readable by
 * anyone who can pull the image or inspect a container) and the build
 * history, where `docker history` shows every RUN line with the build
 * arguments it used. Each is scanned as text; findings point at the JSON
 * path of the value and, for history, at the layer the step made.
 */
import type { Finding } from "../common/index.js";
import { toFinding } from "./finding.js";
import { scanText } from "./scan-text.js";

export interface ConfigForSecrets {
  Env?: readonly string[] | null;
  /** The history entries in order; `layer` is the diff id of the layer the step made, if it made one. */
  history?: readonly { created_by?: string; layer?: string }[];
}

function scanned(text: string, jsonPath: string, layer: string | undefined): Finding[] {
  return scanText(text).map((match) => {
    const finding = toFinding(match);
    // The value sits in the image config, not in a file: the JSON path says where.
    finding.location = { jsonPath, ...(layer ? { layer } : {}) };
    return finding;
  });
}

export function configSecrets(config: ConfigForSecrets): Finding[] {
  const findings: Finding[] = [];
  (config.Env ?? []).forEach((entry, i) => findings.push(...scanned(entry, `$.config.Env[${i}]`, undefined)));
  (config.history ?? []).forEach((h, i) => {
    if (h.created_by) findings.push(...scanned(h.created_by, `$.history[${i}].created_by`, h.layer));
  });
  return findings;
}
