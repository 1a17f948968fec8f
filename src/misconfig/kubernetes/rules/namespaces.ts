/**
 * Objects put in the `default` namespace. Only a namespace written in the
 * manifest counts: one left out goes wherever the apply puts it (`kubectl
 * -n`, a Helm release, a kustomization), which the manifest cannot know.
 */
import { hitAt, objectRule } from "./rule.js";

/** Kinds that live outside namespaces: a namespace on them means nothing. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "StorageClass",
  "PriorityClass",
  "RuntimeClass",
  "IngressClass",
  "CSIDriver",
  "CSINode",
  "VolumeAttachment",
  "APIService",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "CertificateSigningRequest",
  "PodSecurityPolicy",
]);

export const defaultNamespace = objectRule({
  id: "PCS-K8S-029",
  title: "Object is put in the default namespace",
  severity: "low",
  why: "The default namespace is shared by everything deployed without a namespace: RBAC, quotas and NetworkPolicies cannot separate what runs there.",
  remediation: "Give the application a namespace of its own and set `metadata.namespace` to it (or leave it to the apply with `-n`).",
  references: ["https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"],
  mappings: { trivy: ["KSV-0110"], checkov: ["CKV_K8S_21"], kubescape: ["C-0061", "C-0212"], kubeLinter: ["use-namespace"], cisKubernetes: ["5.7.4"] },
  checkObject(o) {
    if (o.namespace !== "default" || CLUSTER_SCOPED.has(o.kind)) return [];
    // Objects Kubernetes itself keeps in default.
    if ((o.kind === "ServiceAccount" && o.name === "default") || (o.kind === "Service" && o.name === "kubernetes")) return [];
    const keys = [...o.root, "metadata", "namespace"];
    return [hitAt(o, keys, `metadata.namespace is default (${o.kind} "${o.name ?? ""}")`, { description: "set metadata.namespace to the application's own namespace", keys })];
  },
});
