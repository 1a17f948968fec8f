/**
 * CPU and memory requests and limits of each container. What Kubernetes
 * fills in counts as set: a request left out defaults to the limit, a
 * LimitRange of the same namespace in the scan supplies defaults, and
 * pod-level resources (spec.resources) bound the pod as a whole. Ephemeral
 * containers cannot have resources, so they are never asked.
 */
import type { JsonPath } from "../../../common/index.js";
import type { KubernetesObject } from "../objects.js";
import type { Container, Workload } from "../workloads.js";
import { containerRule, containerText, hitAt, own, record, records, type KubernetesScan } from "./rule.js";

const MANAGE_RESOURCES = "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/";
const LIMIT_RANGE = "https://kubernetes.io/docs/concepts/policy/limit-range/";

type Resource = "cpu" | "memory";
type Kind = "limits" | "requests";

/** Where a resource amount comes from, when something sets it. */
function amountOf(c: Container, w: Workload, scan: KubernetesScan, kind: Kind, resource: Resource): string | undefined {
  const mine = (k: Kind): boolean => own(record(own(record(c.raw["resources"]), k)), resource) !== undefined;
  const pods = (k: Kind): boolean => own(record(own(record(w.pod.spec["resources"]), k)), resource) !== undefined;
  if (mine(kind)) return "container";
  // The API server defaults a missing request to the limit.
  if (kind === "requests" && mine("limits")) return "container limit";
  if (pods(kind) || (kind === "requests" && pods("limits"))) return "pod";
  if (limitRangeDefault(scan, w.namespace, kind, resource)) return "LimitRange";
  return undefined;
}

/** A LimitRange of the namespace that gives containers a default for this resource (`default` for limits, `defaultRequest` or `default` for requests). */
function limitRangeDefault(scan: KubernetesScan, namespace: string | undefined, kind: Kind, resource: Resource): KubernetesObject | undefined {
  return scan.objects.find((o) => {
    if (o.kind !== "LimitRange" || o.apiVersion !== "v1" || o.namespace !== namespace) return false;
    return records(own(record(o.raw["spec"]), "limits")).some(([limit]) => {
      if (limit["type"] !== "Container") return false;
      const has = (field: string): boolean => own(record(limit[field]), resource) !== undefined;
      return kind === "limits" ? has("default") : has("defaultRequest") || has("default");
    });
  });
}

function resourceRule(spec: { id: string; title: string; severity: "medium" | "low"; why: string; kind: Kind; resource: Resource; mappings: Parameters<typeof containerRule>[0]["mappings"] }) {
  const { kind, resource } = spec;
  return containerRule({
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    why: spec.why,
    remediation: `Set \`resources.${kind}.${resource}\` on every container (or give the namespace a LimitRange with a default).`,
    references: [MANAGE_RESOURCES, LIMIT_RANGE],
    mappings: spec.mappings,
    containers: "not-ephemeral",
    checkContainer(c, w, scan) {
      if (amountOf(c, w, scan, kind, resource) !== undefined) return [];
      const keys: JsonPath = [...c.keys, "resources", kind, resource];
      const also = kind === "requests" ? ` nor resources.limits.${resource}` : "";
      return [hitAt(w.object, keys, `resources.${kind}.${resource} is not set${also} (${containerText(c)})`, { description: `set resources.${kind}.${resource} to what the container needs`, keys }, c)];
    },
  });
}

export const memoryLimit = resourceRule({
  id: "PCS-K8S-020",
  title: "Container has no memory limit",
  severity: "medium",
  why: "Without a memory limit a leaking or attacked container can use all of the node's memory, and the kernel's OOM killer then picks processes of other pods.",
  kind: "limits",
  resource: "memory",
  mappings: { trivy: ["KSV-0018"], checkov: ["CKV_K8S_13"], kubescape: ["C-0004", "C-0271"], kubeLinter: ["unset-memory-requirements"] },
});

export const memoryRequest = resourceRule({
  id: "PCS-K8S-021",
  title: "Container has no memory request",
  severity: "low",
  why: "Without a memory request the scheduler places the pod as if it needed no memory, so nodes get overcommitted and the pod is among the first evicted under pressure.",
  kind: "requests",
  resource: "memory",
  mappings: { trivy: ["KSV-0016"], checkov: ["CKV_K8S_12"], kubescape: ["C-0269"] },
});

export const cpuRequest = resourceRule({
  id: "PCS-K8S-022",
  title: "Container has no CPU request",
  severity: "low",
  why: "Without a CPU request the container gets the smallest share of CPU under contention and the scheduler cannot place it sensibly.",
  kind: "requests",
  resource: "cpu",
  mappings: { trivy: ["KSV-0015"], checkov: ["CKV_K8S_10"], kubescape: ["C-0268"], kubeLinter: ["unset-cpu-requirements"] },
});

export const cpuLimit = resourceRule({
  id: "PCS-K8S-023",
  title: "Container has no CPU limit",
  severity: "low",
  why: "Without a CPU limit one container can take every idle CPU of the node, starving pods that asked for little; some clusters choose that trade-off on purpose.",
  kind: "limits",
  resource: "cpu",
  mappings: { trivy: ["KSV-0011"], checkov: ["CKV_K8S_11"], kubescape: ["C-0270"] },
});
