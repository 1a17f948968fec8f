/**
 * What every Dockerfile rule shares: the subject it checks (the parsed
 * Dockerfile as a whole, since a USER inherited from a base stage or a cache
 * removed later in the same RUN decide as much as the line itself) and how
 * evidence is cut to one printable line.
 */
import { defineRule, type Hit, type Rule } from "../../rule.js";
import type { Dockerfile } from "../parse.js";

export type DockerfileRule = Rule<Dockerfile>;

export function dockerfileRule(rule: DockerfileRule): DockerfileRule {
  if (!rule.id.startsWith("PCS-DF-")) throw new Error(`Dockerfile rule id "${rule.id}" is not PCS-DF-nnn`);
  return defineRule(rule);
}

/** Longest evidence, in characters. */
const MAX_EVIDENCE = 160;

/** Text on one line, blanks collapsed, cut with "…" when long. */
export function oneLine(text: string, max = MAX_EVIDENCE): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export type { Hit };
