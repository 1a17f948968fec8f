/**
 * The Kubernetes rules, sorted by id: what checkObjects runs and the catalog
 * lists.
 */
import { podExec, readsSecrets, wildcardInRole, clusterAdminBinding } from "./rbac.js";
import { secretInEnv } from "./env.js";
import { hostIpc, hostNetwork, hostPid, hostPort, unsafeSysctl } from "./host.js";
import { latestTag, notPinnedByDigest, untrustedRegistry } from "./images.js";
import { defaultNamespace } from "./namespaces.js";
import { noNetworkPolicy } from "./network.js";
import { noLivenessProbe, noReadinessProbe } from "./probes.js";
import { cpuLimit, cpuRequest, memoryLimit, memoryRequest } from "./resources.js";
import type { KubernetesRule } from "./rule.js";
import {
  appArmorUnconfined,
  capabilitiesNotDropped,
  dangerousCapability,
  mayRunAsRoot,
  privilegeEscalation,
  privilegedContainer,
  runsAsUidZero,
  seccompNotSet,
  unmaskedProcMount,
  writableRootFilesystem,
} from "./security-context.js";
import { tokenMounted } from "./service-accounts.js";
import { hostPathVolume, runtimeSocketMounted, sensitiveHostPath, writableHostMount } from "./volumes.js";

export const KUBERNETES_RULES: readonly KubernetesRule[] = [
  privilegedContainer,
  privilegeEscalation,
  mayRunAsRoot,
  runsAsUidZero,
  dangerousCapability,
  capabilitiesNotDropped,
  writableRootFilesystem,
  hostNetwork,
  hostPid,
  hostIpc,
  runtimeSocketMounted,
  sensitiveHostPath,
  hostPathVolume,
  writableHostMount,
  hostPort,
  seccompNotSet,
  appArmorUnconfined,
  unmaskedProcMount,
  unsafeSysctl,
  memoryLimit,
  memoryRequest,
  cpuRequest,
  cpuLimit,
  latestTag,
  notPinnedByDigest,
  untrustedRegistry,
  secretInEnv,
  tokenMounted,
  defaultNamespace,
  noLivenessProbe,
  noReadinessProbe,
  wildcardInRole,
  clusterAdminBinding,
  readsSecrets,
  podExec,
  noNetworkPolicy,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export { containerText, isWindows, type KubernetesCheckOptions, type KubernetesRule, type KubernetesScan } from "./rule.js";
export { DANGEROUS_CAPABILITIES } from "./security-context.js";
export { SAFE_SYSCTLS, sysctlName } from "./host.js";
export { RUNTIME_SOCKETS, SENSITIVE_HOST_PATHS, hostPathKind, normalizeHostPath, type HostPathKind } from "./volumes.js";
export { fromTrustedRegistry } from "./images.js";
export { isLongRunning } from "./probes.js";
export { selects } from "./network.js";
