/**
 * A check rule: its catalog entry plus the smallest function that decides.
 * Rules never read files or print: they get a parsed subject (a container of
 * a workload, a Dockerfile stage, a compose service, an image) and return
 * hits; `toFinding` turns a hit into the common finding type.
 */
import { RULE_ID, type Finding, type FindingFix, type FindingKind, type FindingLocation, type RuleMeta } from "../common/index.js";

export { metaOf } from "../common/index.js";

/** One place where a rule fails. */
export interface Hit {
  /** What was seen, in one line: "securityContext.privileged is true". */
  evidence: string;
  /** Where: merged over the subject's own location by the caller. */
  location?: FindingLocation;
  fix?: FindingFix;
}

export interface Rule<S> extends RuleMeta {
  /** Every place the subject fails the rule; empty when it passes. */
  check(subject: S): Hit[];
}

/** A rule, with its id checked once at load time rather than found wrong in a report. */
export function defineRule<S>(rule: Rule<S>): Rule<S> {
  if (!RULE_ID.test(rule.id)) throw new Error(`rule id "${rule.id}" is not PCS-<K8S|DF|CMP|IMG|SEC>-nnn`);
  return rule;
}

export function toFinding(rule: RuleMeta, hit: Hit, kind: FindingKind = "misconfig"): Finding {
  const finding: Finding = {
    kind,
    id: rule.id,
    aliases: Object.values(rule.mappings).flat(),
    severity: rule.severity,
    title: rule.title,
    references: rule.references,
    evidence: hit.evidence,
  };
  if (hit.location) finding.location = hit.location;
  if (hit.fix) finding.fix = hit.fix;
  return finding;
}
