/**
 * hostPath volumes: a directory or file of the node inside the pod. Each
 * hostPath volume gets the one finding that fits it best — a container
 * runtime's socket (the node itself), a sensitive host directory, or any
 * other host path — and every mount of one that is not read-only gets its
 * own, since that is where the fix goes.
 */
import { posix } from "node:path";
import type { Volume, Workload } from "../workloads.js";
import { containerRule, containerText, hitAt, records, workloadRule, type Hit } from "./rule.js";

const HOST_PATH = "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath";
const POD_SECURITY_STANDARDS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

/** Sockets of container runtimes: whoever can write to one can start a privileged container on the node. */
export const RUNTIME_SOCKETS: readonly string[] = [
  "/var/run/docker.sock",
  "/run/docker.sock",
  "/var/run/containerd/containerd.sock",
  "/run/containerd/containerd.sock",
  "/run/k3s/containerd/containerd.sock",
  "/var/run/crio/crio.sock",
  "/run/crio/crio.sock",
  "/var/run/cri-dockerd.sock",
  "/run/cri-dockerd.sock",
  "/run/podman/podman.sock",
  "/var/run/podman/podman.sock",
];

/** Host directories whose contents (or anything under them) give away the node: its configuration, kernel, devices, credentials. */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  "/etc",
  "/proc",
  "/sys",
  "/boot",
  "/dev",
  "/root",
  "/lib",
  "/usr",
  "/var/lib/kubelet",
  "/var/lib/docker",
  "/var/lib/containerd",
];

/** `/var/run/../run//docker.sock/` as the kernel resolves it: `/run/docker.sock` is not `/var/run/...` here, as on most nodes it is a symlink we cannot see. */
export function normalizeHostPath(path: string): string {
  const clean = posix.normalize(path.trim());
  return clean.length > 1 ? clean.replace(/\/+$/, "") : clean;
}

/** `/var` holds `/var/lib/kubelet`; `/var/lib/kubelet/pods` is inside it. */
const within = (path: string, dir: string): boolean => path === dir || path.startsWith(`${dir}/`);

export type HostPathKind = "runtime-socket" | "sensitive" | "other";

/** Which of the hostPath rules a host path belongs to. */
export function hostPathKind(path: string): HostPathKind {
  const p = normalizeHostPath(path);
  if (p !== "/" && RUNTIME_SOCKETS.some((socket) => within(socket, p))) return "runtime-socket";
  if (p === "/" || SENSITIVE_HOST_PATHS.some((dir) => within(p, dir) || within(dir, p))) return "sensitive";
  return "other";
}

/** The containers that mount a volume, for the evidence. */
function mountedBy(w: Workload, volume: Volume): string {
  const users = w.containers.filter((c) => records(c.raw["volumeMounts"]).some(([m]) => m["name"] === volume.name)).map(containerText);
  return users.length > 0 ? `mounted by ${users.join(", ")}` : "not mounted by any container";
}

function hostPathHits(w: Workload, kind: HostPathKind, what: string): Hit[] {
  return w.pod.volumes.flatMap((v) => {
    const path = v.hostPath?.path;
    if (path === undefined || hostPathKind(path) !== kind) return [];
    const evidence = `hostPath volume "${v.name ?? `#${v.index}`}" mounts ${what} ${path} (${mountedBy(w, v)})`;
    return [hitAt(w.object, [...v.keys, "hostPath", "path"], evidence, { description: `remove the hostPath volume "${v.name ?? `#${v.index}`}" and its mounts`, keys: v.keys })];
  });
}

export const runtimeSocketMounted = workloadRule({
  id: "PCS-K8S-011",
  title: "Pod mounts a container runtime socket",
  severity: "critical",
  why: "The Docker, containerd or CRI-O socket controls every container on the node: a pod that can reach it can start a privileged container and own the node.",
  remediation: "Remove the hostPath volume of the socket (or of a directory holding it); build images with a rootless builder rather than the node's runtime.",
  references: [HOST_PATH, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0006"], checkov: ["CKV_K8S_27"], kubescape: ["C-0074"], kubeLinter: ["docker-sock"] },
  checkWorkload: (w) => hostPathHits(w, "runtime-socket", "the container runtime socket path"),
});

export const sensitiveHostPath = workloadRule({
  id: "PCS-K8S-012",
  title: "Pod mounts a sensitive host path",
  severity: "high",
  why: "The node's root, /etc, /proc, /sys, /boot, /dev or the kubelet's directory hold its configuration, credentials, kernel interfaces and devices: reading them leaks secrets, writing them takes over the node.",
  remediation: "Remove the hostPath volume; mount a ConfigMap, Secret or emptyDir instead, or a narrow host path that holds nothing else.",
  references: [HOST_PATH, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0121"], kubeLinter: ["sensitive-host-mounts"] },
  checkWorkload: (w) => hostPathHits(w, "sensitive", "the sensitive host path"),
});

export const hostPathVolume = workloadRule({
  id: "PCS-K8S-013",
  title: "Pod mounts a host path",
  severity: "medium",
  why: "A hostPath volume ties the pod to one node's files and exposes them to the container: pods that write there can fill the node's disk or plant files other pods read.",
  remediation: "Use a persistentVolumeClaim, emptyDir, ConfigMap or Secret; keep hostPath for node agents that need it, read-only.",
  references: [HOST_PATH, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0023"], kubescape: ["C-0048"], cisKubernetes: ["5.2.12"] },
  checkWorkload: (w) => hostPathHits(w, "other", "the host path"),
});

export const writableHostMount = containerRule({
  id: "PCS-K8S-014",
  title: "Container mounts a host path writable",
  severity: "medium",
  why: "A writable mount of a host path lets the container change files on the node, which other pods and the node's own services may trust.",
  remediation: "Set `readOnly: true` on the volumeMount (or the hostPath volume's mount in every container).",
  references: [HOST_PATH],
  mappings: { kubescape: ["C-0045"], kubeLinter: ["writable-host-mount"] },
  checkContainer(c, w) {
    const hostPaths = new Map(w.pod.volumes.filter((v) => v.hostPath && v.name !== undefined).map((v) => [v.name!, v.hostPath!.path]));
    return records(c.raw["volumeMounts"]).flatMap(([mount, i]) => {
      const name = mount["name"];
      if (typeof name !== "string" || !hostPaths.has(name) || mount["readOnly"] === true) return [];
      const keys = [...c.keys, "volumeMounts", i];
      const readOnly = [...keys, "readOnly"];
      const evidence = `volumeMounts[${i}] mounts hostPath volume "${name}" (${hostPaths.get(name) ?? "?"}) writable at ${String(mount["mountPath"] ?? "?")} (${containerText(c)})`;
      return [hitAt(w.object, mount["readOnly"] === false ? readOnly : keys, evidence, { description: "set readOnly to true on the volumeMount", keys: readOnly, value: true }, c)];
    });
  },
});
