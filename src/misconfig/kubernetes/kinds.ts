/**
 * The kinds of Kubernetes' built-in API groups, to tell a typo (`kind: Podd`
 * in `v1`, `Deployment` in `batch/v1`) from a custom resource: an object of a
 * built-in group whose kind that group does not serve would be refused by
 * the API server, and none of our checks would see the workload it was
 * meant to be, so the scan warns. Objects of other groups are custom
 * resources and pass silently.
 */
import { InputError } from "../../common/index.js";
import type { KubernetesObject } from "./objects.js";

/** API group (without the version; "" is the core group) → the kinds it serves. */
const BUILTIN: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    "": ["Pod", "Service", "ConfigMap", "Secret", "Namespace", "ServiceAccount", "PersistentVolume", "PersistentVolumeClaim", "ReplicationController", "PodTemplate", "Endpoints", "LimitRange", "ResourceQuota", "Node", "Event", "Binding", "ComponentStatus"],
    apps: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ControllerRevision"],
    batch: ["Job", "CronJob"],
    "rbac.authorization.k8s.io": ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"],
    "networking.k8s.io": ["NetworkPolicy", "Ingress", "IngressClass", "IPAddress", "ServiceCIDR"],
    policy: ["PodDisruptionBudget", "PodSecurityPolicy", "Eviction"],
    autoscaling: ["HorizontalPodAutoscaler", "Scale"],
    "storage.k8s.io": ["StorageClass", "CSIDriver", "CSINode", "VolumeAttachment", "CSIStorageCapacity", "VolumeAttributesClass"],
    "scheduling.k8s.io": ["PriorityClass"],
    "coordination.k8s.io": ["Lease"],
    "discovery.k8s.io": ["EndpointSlice"],
    "admissionregistration.k8s.io": ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding"],
    "apiextensions.k8s.io": ["CustomResourceDefinition"],
    "apiregistration.k8s.io": ["APIService"],
    "certificates.k8s.io": ["CertificateSigningRequest", "ClusterTrustBundle"],
    "node.k8s.io": ["RuntimeClass"],
    "events.k8s.io": ["Event"],
    "flowcontrol.apiserver.k8s.io": ["FlowSchema", "PriorityLevelConfiguration"],
    "resource.k8s.io": ["ResourceClaim", "ResourceClaimTemplate", "DeviceClass", "ResourceSlice"],
  }).map(([group, kinds]) => [group, new Set(kinds)]),
);

/** Insertions, deletions and substitutions from a to b: close kinds are likely typos. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** A warning for an object whose built-in API group does not serve its kind; undefined for the rest. */
export function unknownKind(object: KubernetesObject): InputError | undefined {
  const slash = object.apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : object.apiVersion.slice(0, slash);
  const kinds = BUILTIN.get(group);
  if (!kinds || kinds.has(object.kind) || (object.kind.endsWith("List") && kinds.has(object.kind.slice(0, -4)))) return undefined;
  const distance = new Map([...kinds].map((k) => [k, editDistance(k.toLowerCase(), object.kind.toLowerCase())]));
  const closest = Math.min(...distance.values());
  const near = closest <= 2 ? [...kinds].filter((k) => distance.get(k) === closest) : [];
  const hint = near.length ? ` (did you mean ${near.join(" or ")}?)` : ` (it serves ${[...kinds].join(", ")})`;
  return new InputError(object.file, `line ${object.line}`, `${object.path === "$" ? "" : `${object.path}: `}kind "${object.kind}" is not served by apiVersion ${object.apiVersion}${hint}; the object is not checked`);
}
