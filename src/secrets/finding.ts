/**
 * A secret match as the one finding type reports, policies and SARIF read.
 * The evidence is the redacted context line; the secret itself is not in it.
 */
import type { Finding, FindingLocation } from "../common/index.js";
import type { SecretMatch } from "./scan-text.js";

/** Where the scanned text was: overrides the match's own path; `layer` is the diff id of the layer holding the file. */
export interface SecretWhere {
  path?: string;
  layer?: string;
}

export function toFinding(match: SecretMatch, where: SecretWhere = {}): Finding {
  const location: FindingLocation = {};
  const path = where.path ?? match.path;
  if (where.layer !== undefined) location.layer = where.layer;
  if (path !== undefined) location.path = path;
  location.line = match.line;
  location.endLine = match.endLine;
  return {
    kind: "secret",
    id: match.rule.id,
    aliases: Object.values(match.rule.mappings).flat(),
    severity: match.rule.severity,
    title: match.rule.title,
    location,
    references: [...match.rule.references],
    evidence: match.context,
  };
}
