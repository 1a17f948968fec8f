/**
 * Runs the Kubernetes rules over the objects of a scan and turns their hits
 * into findings that point at the file, line, object, container and JSON
 * path to change. The objects are read into workloads once (the effective
 * security context of every container resolved before any rule runs), and
 * what could not be read comes back beside the findings as warnings.
 */
import { type Finding, type InputError } from "../../common/index.js";
import { toFinding } from "../rule.js";
import { unknownKind } from "./kinds.js";
import type { KubernetesObject } from "./objects.js";
import { KUBERNETES_RULES, type KubernetesCheckOptions, type KubernetesRule, type KubernetesScan } from "./rules/index.js";
import { serviceAccountsOf, workloadsOf } from "./workloads.js";

export interface KubernetesCheckResult {
  /** Every finding, sorted by file, line, rule id, then JSON path. */
  findings: Finding[];
  /** Objects of a built-in API group of a kind it does not serve (typos), fields of the wrong type (counted as unset) and workloads without a pod spec. */
  warnings: InputError[];
}

/** The findings of the rules (all of them unless given) on the objects of one scan, and the warnings about them. */
export function checkObjects(objects: readonly KubernetesObject[], options: KubernetesCheckOptions = {}, rules: readonly KubernetesRule[] = KUBERNETES_RULES): KubernetesCheckResult {
  const workloads = workloadsOf(objects);
  const scan: KubernetesScan = { objects, workloads, serviceAccounts: serviceAccountsOf(objects), options };
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const hit of rule.check(scan)) findings.push(toFinding(rule, hit));
  }
  const unknown = objects.flatMap((o) => unknownKind(o) ?? []);
  return { findings: findings.sort(byPlace), warnings: [...unknown, ...workloads.flatMap((w) => w.warnings)] };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byPlace(a: Finding, b: Finding): number {
  const x = a.location ?? {};
  const y = b.location ?? {};
  return compare(x.path ?? "", y.path ?? "") || (x.line ?? 0) - (y.line ?? 0) || compare(a.id, b.id) || compare(x.jsonPath ?? "", y.jsonPath ?? "") || compare(x.container ?? "", y.container ?? "");
}
