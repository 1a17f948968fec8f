/**
 * RBAC: Roles and ClusterRoles that grant more than they name (wildcards),
 * read every Secret, or open a shell in pods, and bindings that hand out
 * cluster-admin. A rule of a role is read as the authorizer reads it: `*`
 * matches every verb, resource and API group, and Secrets and pods live in
 * the core group ("").
 */
import type { JsonPath } from "../../../common/index.js";
import type { KubernetesObject } from "../objects.js";
import { hitAt, objectRule, own, record, records, strings, type Hit } from "./rule.js";

const RBAC = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";
const RBAC_GOOD_PRACTICES = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";

const isRbac = (o: KubernetesObject): boolean => o.apiVersion.startsWith("rbac.authorization.k8s.io/");
const isRole = (o: KubernetesObject): boolean => isRbac(o) && (o.kind === "Role" || o.kind === "ClusterRole");

/** One rule of a role, as written. */
interface PolicyRule {
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

function policyRules(o: KubernetesObject): PolicyRule[] {
  return records(own(o.raw, "rules")).map(([r, index]) => ({
    index,
    apiGroups: strings(r["apiGroups"]),
    resources: strings(r["resources"]),
    verbs: strings(r["verbs"]).map((v) => v.toLowerCase()),
    resourceNames: strings(r["resourceNames"]),
  }));
}

const roleText = (o: KubernetesObject): string => `${o.kind} "${o.name ?? ""}"`;
const ruleKeys = (o: KubernetesObject, r: PolicyRule): JsonPath => [...o.root, "rules", r.index];

/** Whether the rule covers the core API group, where Secrets and pods are. */
const coreGroup = (r: PolicyRule): boolean => r.apiGroups.includes("") || r.apiGroups.includes("*");

export const wildcardInRole = objectRule({
  id: "PCS-K8S-032",
  title: "Role grants wildcard verbs or resources",
  severity: "high",
  why: "A `*` in verbs or resources grants everything, including verbs and resources added later (CRDs, new subresources): the role's reach cannot be reviewed from the manifest.",
  remediation: "List the verbs and resources the subject needs instead of `*`.",
  references: [RBAC, RBAC_GOOD_PRACTICES],
  mappings: { trivy: ["KSV-0044", "KSV-0045", "KSV-0046"], checkov: ["CKV_K8S_49"], kubescape: ["C-0187"], kubeLinter: ["wildcard-in-rules"], cisKubernetes: ["5.1.3"] },
  checkObject(o) {
    if (!isRole(o)) return [];
    return policyRules(o).flatMap((r): Hit[] => {
      const verb = r.verbs.indexOf("*");
      const resource = r.resources.indexOf("*");
      if (verb < 0 && resource < 0) return [];
      const keys = ruleKeys(o, r);
      const first = verb >= 0 ? [...keys, "verbs", verb] : [...keys, "resources", resource];
      const evidence = `rules[${r.index}] grants verbs [${r.verbs.join(", ")}] on resources [${r.resources.join(", ")}] (${roleText(o)})`;
      return [hitAt(o, first, evidence, { description: "replace * with the verbs and resources the subject needs", keys })];
    });
  },
});

export const clusterAdminBinding = objectRule({
  id: "PCS-K8S-033",
  title: "Binding grants cluster-admin",
  severity: "high",
  why: "cluster-admin allows every action on every resource; bound in a RoleBinding it still allows everything in the namespace, Secrets and RBAC included.",
  remediation: "Bind a role that grants only what the subjects need; keep cluster-admin for break-glass access outside manifests.",
  references: [RBAC, RBAC_GOOD_PRACTICES],
  mappings: { trivy: ["KSV-0111"], kubescape: ["C-0035", "C-0185"], kubeLinter: ["cluster-admin-role-binding"], cisKubernetes: ["5.1.1"] },
  checkObject(o) {
    if (!isRbac(o) || (o.kind !== "RoleBinding" && o.kind !== "ClusterRoleBinding")) return [];
    const roleRef = record(own(o.raw, "roleRef"));
    if (own(roleRef, "kind") !== "ClusterRole" || own(roleRef, "name") !== "cluster-admin") return [];
    const subjects = records(own(o.raw, "subjects")).map(([s]) => {
      const ns = typeof s["namespace"] === "string" ? `${s["namespace"]}/` : "";
      return `${String(s["kind"] ?? "?")} ${ns}${String(s["name"] ?? "?")}`;
    });
    const keys = [...o.root, "roleRef", "name"];
    const to = subjects.length > 0 ? subjects.join(", ") : "no subjects";
    return [hitAt(o, keys, `${o.kind} "${o.name ?? ""}" binds ClusterRole cluster-admin to ${to}`, { description: "bind a role with only the permissions the subjects need", keys })];
  },
});

const READ_VERBS: ReadonlySet<string> = new Set(["get", "list", "watch", "*"]);

export const readsSecrets = objectRule({
  id: "PCS-K8S-034",
  title: "Role can read Secrets",
  severity: "high",
  why: "Read access to Secrets is read access to every credential in them, service account tokens included; list and watch return their contents too, not just their names.",
  remediation: "Remove get, list and watch on secrets; if a workload needs one Secret, mount it, or grant get on that Secret alone with resourceNames.",
  references: [RBAC_GOOD_PRACTICES, "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"],
  mappings: { trivy: ["KSV-0041", "KSV-0113"], kubescape: ["C-0015", "C-0186"], kubeLinter: ["access-to-secrets"], cisKubernetes: ["5.1.2"] },
  checkObject(o) {
    if (!isRole(o)) return [];
    return policyRules(o).flatMap((r): Hit[] => {
      const resource = r.resources.findIndex((x) => x === "secrets" || x === "*");
      const verbs = r.verbs.filter((v) => READ_VERBS.has(v));
      if (!coreGroup(r) || resource < 0 || verbs.length === 0) return [];
      // get on named Secrets only is the narrow grant the remediation recommends.
      if (r.resourceNames.length > 0 && verbs.every((v) => v === "get")) return [];
      const keys = ruleKeys(o, r);
      return [hitAt(o, [...keys, "resources", resource], `rules[${r.index}] grants ${verbs.join(", ")} on ${r.resources[resource]} (${roleText(o)})`, { description: "remove the read verbs on secrets from this rule", keys })];
    });
  },
});

const EXEC_RESOURCES: ReadonlySet<string> = new Set(["pods/exec", "pods/attach", "*/exec", "*/attach", "*"]);
/** kubectl exec and attach POST with create; over WebSockets they open with GET, which older API servers authorize as get. */
const EXEC_VERBS: ReadonlySet<string> = new Set(["create", "get", "*"]);

export const podExec = objectRule({
  id: "PCS-K8S-035",
  title: "Role can exec or attach into pods",
  severity: "high",
  why: "pods/exec and pods/attach open a shell or a stream in a running container: whoever has them can read the container's Secrets and tokens and act as the workload.",
  remediation: "Remove pods/exec and pods/attach from the role; give debugging access through a separate, audited role bound only when needed.",
  references: [RBAC, RBAC_GOOD_PRACTICES],
  mappings: { trivy: ["KSV-0053", "KSV-0054"], kubescape: ["C-0002"] },
  checkObject(o) {
    if (!isRole(o)) return [];
    return policyRules(o).flatMap((r): Hit[] => {
      const resource = r.resources.findIndex((x) => EXEC_RESOURCES.has(x));
      const verbs = r.verbs.filter((v) => EXEC_VERBS.has(v));
      if (!coreGroup(r) || resource < 0 || verbs.length === 0) return [];
      const keys = ruleKeys(o, r);
      return [hitAt(o, [...keys, "resources", resource], `rules[${r.index}] grants ${verbs.join(", ")} on ${r.resources[resource]} (${roleText(o)})`, { description: "remove pods/exec and pods/attach from this rule", keys })];
    });
  },
});
