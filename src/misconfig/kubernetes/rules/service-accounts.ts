/**
 * Service account tokens mounted into pods. Whether a pod gets one is decided
 * the way the ServiceAccount admission plugin decides it: the pod's own
 * automountServiceAccountToken, else its ServiceAccount's (when the scan has
 * that ServiceAccount), else true.
 */
import { tokenAutomount } from "../workloads.js";
import { hitAt, workloadRule } from "./rule.js";

export const tokenMounted = workloadRule({
  id: "PCS-K8S-028",
  title: "Pod gets a service account token it may not need",
  severity: "low",
  why: "Every pod gets a token for its ServiceAccount unless told otherwise; most applications never call the Kubernetes API, and a stolen token lets an attacker act with the account's permissions.",
  remediation: "Set `automountServiceAccountToken: false` on the pod (or on its ServiceAccount), and mount a projected token only into pods that call the API.",
  references: ["https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/", "https://kubernetes.io/docs/concepts/security/service-accounts/"],
  mappings: { trivy: ["KSV-0036"], checkov: ["CKV_K8S_38"], kubescape: ["C-0034", "C-0190"], cisKubernetes: ["5.1.6"] },
  checkWorkload(w, scan) {
    const decided = tokenAutomount(w, scan.serviceAccounts);
    if (!decided.value) return [];
    const field = w.pod.automountServiceAccountToken;
    const account = w.pod.serviceAccountName.value || "default";
    const fix = { description: "set automountServiceAccountToken to false in the pod spec (or on its ServiceAccount)", keys: field.fix.keys, value: false };
    if (decided.from === "pod" && field.keys) return [hitAt(w.object, field.keys, "automountServiceAccountToken is true in the pod spec", fix)];
    const evidence =
      decided.from === "service-account"
        ? `automountServiceAccountToken is not set in the pod spec and ServiceAccount "${account}" sets it to true`
        : `automountServiceAccountToken is not set in the pod spec${decided.serviceAccount ? ` nor in ServiceAccount "${account}"` : ""}, so the token of ServiceAccount "${account}" is mounted`;
    return [hitAt(w.object, field.fix.keys, evidence, fix)];
  },
});
