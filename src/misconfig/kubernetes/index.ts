/**
 * Kubernetes manifests: the loader (YAML and JSON documents with positions
 * and limits), the objects and workloads read from them (the effective
 * security context of every container), and the misconfiguration rules run
 * over a scan's objects.
 */
export { DEFAULT_LIMITS, MAX_DEPTH, MAX_DOCUMENTS, MAX_MANIFEST_LENGTH, MAX_NODES, MAX_YAML_ALIASES, loadDocuments, type DocumentResult, type LoadLimits, type ManifestDocument, type SourcePosition } from "./load.js";
export { isListKind, locationOf, objectsOf, objectsOfText, type FileProblem, type KubernetesObject, type ObjectsOf } from "./objects.js";
export {
  CONTAINER_FIELDS,
  podSpecPath,
  serviceAccountsOf,
  tokenAutomount,
  workloadOf,
  workloadsOf,
  type Container,
  type ContainerType,
  type EffectiveSecurityContext,
  type Pod,
  type ServiceAccounts,
  type Setting,
  type SettingSource,
  type Site,
  type TokenAutomount,
  type Volume,
  type Workload,
} from "./workloads.js";
export { checkObjects, type KubernetesCheckResult } from "./check.js";
export { KUBERNETES_RULES, type KubernetesCheckOptions, type KubernetesRule, type KubernetesScan } from "./rules/index.js";
