/**
 * Pods that no NetworkPolicy isolates, when the scan is a whole directory
 * (only then can a missing NetworkPolicy be told from one kept elsewhere).
 * A namespace with workloads and no NetworkPolicy at all gets one finding;
 * in a namespace that has some, each workload whose pods no policy selects
 * gets its own. Selection follows the API: an empty podSelector selects every
 * pod, matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) must
 * all hold.
 */
import type { KubernetesObject } from "../objects.js";
import type { Workload } from "../workloads.js";
import { hitAt, own, record, records, scanRule, strings, type Hit } from "./rule.js";

const isNetworkPolicy = (o: KubernetesObject): boolean => o.kind === "NetworkPolicy" && (o.apiVersion === "networking.k8s.io/v1" || o.apiVersion === "extensions/v1beta1");

/** Whether a label selector (matchLabels and matchExpressions) selects these labels; an empty or missing one selects all. */
export function selects(selector: Record<string, unknown> | undefined, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string): boolean => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(record(own(selector, "matchLabels")) ?? {})) {
    if (!has(key) || labels[key] !== value) return false;
  }
  for (const [expression] of records(own(selector, "matchExpressions"))) {
    const key = expression["key"];
    if (typeof key !== "string") return false;
    const values = strings(expression["values"]);
    const ok =
      expression["operator"] === "In" ? has(key) && values.includes(labels[key]!)
      : expression["operator"] === "NotIn" ? !has(key) || !values.includes(labels[key]!)
      : expression["operator"] === "Exists" ? has(key)
      : expression["operator"] === "DoesNotExist" ? !has(key)
      : false;
    if (!ok) return false;
  }
  return true;
}

/** A NetworkPolicy that denies all traffic to and from every pod of the namespace: the starting point the fix proposes. */
function defaultDeny(namespace: string | undefined): Record<string, unknown> {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: namespace === undefined ? { name: "default-deny" } : { name: "default-deny", namespace },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  };
}

const namespaceText = (namespace: string | undefined): string => (namespace === undefined ? "the namespace these manifests are applied to (none is set)" : `namespace "${namespace}"`);
const workloadText = (w: Workload): string => `${w.object.kind}/${w.object.name ?? ""}`;

export const noNetworkPolicy = scanRule({
  id: "PCS-K8S-036",
  title: "Pods are not isolated by any NetworkPolicy",
  severity: "medium",
  why: "Pods that no NetworkPolicy selects accept traffic from every pod in the cluster and can reach every other: one compromised pod can probe and attack all the others.",
  remediation: "Add a default-deny NetworkPolicy (podSelector: {}) to each namespace, then policies that allow the traffic each workload needs.",
  references: ["https://kubernetes.io/docs/concepts/services-networking/network-policies/"],
  mappings: { kubescape: ["C-0206", "C-0260"], kubeLinter: ["non-isolated-pod"], cisKubernetes: ["5.3.2"] },
  checkScan(scan) {
    if (!scan.options.wholeDirectory) return [];
    const byNamespace = new Map<string | undefined, Workload[]>();
    for (const w of scan.workloads) {
      if (w.object.kind === "PodTemplate") continue; // runs no pods itself
      const list = byNamespace.get(w.namespace) ?? [];
      list.push(w);
      byNamespace.set(w.namespace, list);
    }
    const hits: Hit[] = [];
    for (const [namespace, workloads] of byNamespace) {
      const policies = scan.objects.filter((o) => isNetworkPolicy(o) && o.namespace === namespace);
      const fix = { description: `add a NetworkPolicy to ${namespaceText(namespace)}: deny by default, then allow what each workload needs`, value: defaultDeny(namespace) };
      if (policies.length === 0) {
        const first = workloads[0]!;
        const names = workloads.map(workloadText).join(", ");
        hits.push(hitAt(first.object, [...first.object.root, "metadata", "namespace"], `${namespaceText(namespace)} has ${workloads.length} workload(s) (${names}) and no NetworkPolicy`, fix));
        continue;
      }
      for (const w of workloads) {
        if (policies.some((p) => selects(record(own(record(own(p.raw, "spec")), "podSelector")), w.pod.metadata.labels))) continue;
        hits.push(hitAt(w.object, [...w.pod.metadata.keys, "labels"], `no NetworkPolicy in ${namespaceText(namespace)} selects the pods of ${workloadText(w)}`, fix));
      }
    }
    return hits;
  },
});
