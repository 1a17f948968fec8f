/**
 * Runs the Dockerfile rules over a parsed Dockerfile and turns their hits
 * into findings that point at the file and lines to change, in line order.
 */
import type { Finding } from "../../common/index.js";
import { toFinding } from "../rule.js";
import type { Dockerfile } from "./parse.js";
import { DOCKERFILE_RULES, type DockerfileRule } from "./rules/index.js";

/** Every finding of the rules (all of them unless given) on the Dockerfile, sorted by line then rule id. */
export function checkDockerfile(dockerfile: Dockerfile, rules: readonly DockerfileRule[] = DOCKERFILE_RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(dockerfile)) {
      findings.push(toFinding(rule, { ...hit, location: { path: dockerfile.source, ...hit.location } }));
    }
  }
  const line = (f: Finding): number => f.location?.line ?? 0;
  return findings.sort((a, b) => line(a) - line(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
