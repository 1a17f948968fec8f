/**
 * Every check rule of Portcullis in one list: what `portcullis rules`, the
 * docs, SARIF rule help and suppressions of other tools' ids all read, so
 * none of them can disagree with the checks that run.
 */
import { metaOf, type RuleMeta } from "../common/index.js";
import { SECRET_RULES } from "../secrets/index.js";
import { COMPOSE_RULES } from "./compose/index.js";
import { DOCKERFILE_RULES } from "./dockerfile/index.js";
import { IMAGE_RULES } from "./image/index.js";
import { KUBERNETES_RULES } from "./kubernetes/index.js";

/** The families of rules, by the middle part of their ids. */
export const RULE_FAMILIES = {
  K8S: "Kubernetes manifests",
  DF: "Dockerfiles",
  CMP: "Compose files",
  IMG: "image configuration and contents",
  SEC: "secrets",
} as const;

export type RuleFamily = keyof typeof RULE_FAMILIES;

const ALL: readonly RuleMeta[] = [...KUBERNETES_RULES, ...DOCKERFILE_RULES, ...COMPOSE_RULES, ...IMAGE_RULES, ...SECRET_RULES].map(metaOf).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const BY_ID = new Map(ALL.map((r) => [r.id, r]));

/** Every rule, sorted by id. */
export function allRules(): readonly RuleMeta[] {
  return ALL;
}

export function familyOf(id: string): RuleFamily | undefined {
  const family = /^PCS-([A-Z0-9]+)-\d{3}$/.exec(id)?.[1];
  return family && family in RULE_FAMILIES ? (family as RuleFamily) : undefined;
}

/** Our rule with this id, or the rules another tool's id maps to (`KSV-0017`, `DL3002`: case-insensitive). */
export function findRules(id: string): RuleMeta[] {
  const ours = BY_ID.get(id.toUpperCase());
  if (ours) return [ours];
  const wanted = id.toLowerCase();
  return ALL.filter((r) => Object.values(r.mappings).some((ids: string[] | undefined) => ids?.some((m) => m.toLowerCase() === wanted)));
}

/** The catalog entry of an id for report writers: undefined for advisories (CVE-…) and unknown ids. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
