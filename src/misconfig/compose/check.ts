/**
 * Runs the Compose rules over every service of a loaded Compose file and
 * turns their hits into findings: file, line, JSON path, and the fix.
 */
import type { Finding } from "../../common/index.js";
import { toFinding } from "../rule.js";
import type { ComposeFile } from "./load.js";
import { COMPOSE_RULES, type ComposeRule } from "./rules/index.js";

/** Every finding of the rules (all of them unless given) on the file's services, sorted by line then rule id. */
export function checkCompose(compose: ComposeFile, rules: readonly ComposeRule[] = COMPOSE_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const service of compose.services) {
    for (const rule of rules) {
      for (const hit of rule.check(service)) findings.push(toFinding(rule, { ...hit, location: { path: service.file, ...hit.location } }));
    }
  }
  const line = (f: Finding): number => f.location?.line ?? 0;
  return findings.sort((a, b) => line(a) - line(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
