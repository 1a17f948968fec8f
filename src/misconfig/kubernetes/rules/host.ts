/**
 * What a pod shares with its node: the host's network, process and IPC
 * namespaces, ports bound on the host, and kernel parameters (sysctls) set
 * for the pod. These are pod-level fields, so the fix is always in the pod
 * spec; a hostPort in a pod on the host network is the host network's
 * finding, not a second one.
 */
import type { Setting, Workload } from "../workloads.js";
import { containerRule, containerText, hitAt, records, workloadRule, type Hit } from "./rule.js";

const POD_SECURITY_STANDARDS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
const POD_SPEC = "https://kubernetes.io/docs/concepts/workloads/pods/";

function hostNamespace(w: Workload, field: "hostNetwork" | "hostPID" | "hostIPC", setting: Setting<boolean>): Hit[] {
  if (setting.value !== true || !setting.keys) return [];
  return [hitAt(w.object, setting.keys, `spec.${field} is true`, { description: `set ${field} to false (or remove it)`, keys: setting.fix.keys, value: false })];
}

export const hostNetwork = workloadRule({
  id: "PCS-K8S-008",
  title: "Pod uses the host's network",
  severity: "high",
  why: "hostNetwork puts the pod in the node's network namespace: it can bind any host port, reach services listening on localhost and sniff the node's traffic, and NetworkPolicies no longer apply to it.",
  remediation: "Remove `hostNetwork: true`; expose the pod through a Service instead.",
  references: [POD_SECURITY_STANDARDS, POD_SPEC],
  mappings: { trivy: ["KSV-0009"], checkov: ["CKV_K8S_19"], kubescape: ["C-0041"], kubeLinter: ["host-network"], cisKubernetes: ["5.2.5"] },
  checkWorkload: (w) => hostNamespace(w, "hostNetwork", w.pod.hostNetwork),
});

export const hostPid = workloadRule({
  id: "PCS-K8S-009",
  title: "Pod uses the host's process namespace",
  severity: "high",
  why: "hostPID lets the pod's containers see and signal every process on the node, and read their environment and memory where ptrace is allowed.",
  remediation: "Remove `hostPID: true`.",
  references: [POD_SECURITY_STANDARDS, POD_SPEC],
  mappings: { trivy: ["KSV-0010"], checkov: ["CKV_K8S_17"], kubescape: ["C-0038"], kubeLinter: ["host-pid"], cisKubernetes: ["5.2.3"] },
  checkWorkload: (w) => hostNamespace(w, "hostPID", w.pod.hostPID),
});

export const hostIpc = workloadRule({
  id: "PCS-K8S-010",
  title: "Pod uses the host's IPC namespace",
  severity: "high",
  why: "hostIPC gives the pod the node's shared memory and message queues, where other processes on the node may keep data.",
  remediation: "Remove `hostIPC: true`.",
  references: [POD_SECURITY_STANDARDS, POD_SPEC],
  mappings: { trivy: ["KSV-0008"], checkov: ["CKV_K8S_18"], kubescape: ["C-0038"], kubeLinter: ["host-ipc"], cisKubernetes: ["5.2.4"] },
  checkWorkload: (w) => hostNamespace(w, "hostIPC", w.pod.hostIPC),
});

export const hostPort = containerRule({
  id: "PCS-K8S-015",
  title: "Container binds a port on the node",
  severity: "medium",
  why: "A hostPort opens the port on the node's own addresses, past NetworkPolicies and Services, and ties the pod to nodes where the port is free.",
  remediation: "Remove `hostPort` from the container's ports and expose the port through a Service.",
  references: ["https://kubernetes.io/docs/concepts/configuration/overview/", POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0024"], checkov: ["CKV_K8S_26"], kubescape: ["C-0044"], cisKubernetes: ["5.2.13"] },
  checkContainer(c, w) {
    // On the host network every containerPort is a host port: that is PCS-K8S-008's finding.
    if (w.pod.hostNetwork.value === true) return [];
    return records(c.raw["ports"]).flatMap(([port, i]) => {
      const value = port["hostPort"];
      if (typeof value !== "number" || value === 0) return [];
      const keys = [...c.keys, "ports", i, "hostPort"];
      return [hitAt(w.object, keys, `ports[${i}].hostPort is ${value} (${containerText(c)})`, { description: "remove hostPort and expose the port through a Service", keys }, c)];
    });
  },
});

/**
 * The sysctls the kubelet allows by default because they are namespaced and
 * isolated between pods (pkg/kubelet/sysctl/safe_sysctls.go, Kubernetes 1.32).
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

/** `net/ipv4/ip_local_port_range` is the same sysctl as `net.ipv4.ip_local_port_range`: Kubernetes swaps `/` and `.` in slash-separated names. */
export function sysctlName(name: string): string {
  return name.includes("/") ? name.replace(/[./]/g, (ch) => (ch === "/" ? "." : "/")) : name;
}

export const unsafeSysctl = workloadRule({
  id: "PCS-K8S-019",
  title: "Pod sets an unsafe sysctl",
  severity: "medium",
  why: "Sysctls outside Kubernetes' safe set are not isolated between pods: they change the kernel's behaviour for other pods on the node, or the node itself, and need the node to allow them explicitly.",
  remediation: "Remove the sysctl from `securityContext.sysctls`, or set it on dedicated nodes through their configuration rather than from a pod.",
  references: ["https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/", POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0026"], kubeLinter: ["unsafe-sysctls"] },
  checkWorkload(w) {
    return w.pod.sysctls.flatMap((s) => {
      if (s.name === undefined || SAFE_SYSCTLS.has(sysctlName(s.name))) return [];
      return [hitAt(w.object, s.keys, `securityContext.sysctls sets ${s.name}${s.value === undefined ? "" : `=${s.value}`}, which is not in Kubernetes' safe set`, { description: `remove ${s.name} from the pod's securityContext.sysctls`, keys: s.keys })];
    });
  },
});


