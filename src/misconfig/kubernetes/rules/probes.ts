/**
 * Liveness and readiness probes of long-running workloads. They apply to
 * the regular containers of pods that are meant to keep running —
 * Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers,
 * and bare Pods that restart Always — not to Jobs and CronJobs, which run to
 * completion, nor to init and ephemeral containers.
 */
import type { Container, Workload } from "../workloads.js";
import { containerRule, containerText, hitAt } from "./rule.js";

const PROBES = "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/";
const LONG_RUNNING: ReadonlySet<string> = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"]);

/** Whether the workload's pods are meant to run until stopped. */
export function isLongRunning(w: Workload): boolean {
  if (LONG_RUNNING.has(w.object.kind)) return true;
  if (w.object.kind !== "Pod") return false;
  const policy = w.pod.spec["restartPolicy"];
  return policy === undefined || policy === null || policy === "Always";
}

function missingProbe(field: "livenessProbe" | "readinessProbe", what: string): (c: Container, w: Workload) => ReturnType<typeof hitAt>[] {
  return (c, w) => {
    if (c.raw[field] !== undefined && c.raw[field] !== null) return [];
    const keys = [...c.keys, field];
    return [hitAt(w.object, keys, `${field} is not set (${containerText(c)})`, { description: `add a ${field} that ${what}`, keys }, c)];
  };
}

export const noLivenessProbe = containerRule({
  id: "PCS-K8S-030",
  title: "Long-running container has no liveness probe",
  severity: "low",
  why: "Without a liveness probe a container that hangs (deadlocked, stuck on a lost connection) keeps running and keeps failing requests until someone restarts it.",
  remediation: "Add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) that fails only when the process cannot recover by itself.",
  references: [PROBES],
  mappings: { checkov: ["CKV_K8S_8"], kubescape: ["C-0056"], kubeLinter: ["no-liveness-probe"] },
  containers: "regular",
  appliesTo: isLongRunning,
  checkContainer: missingProbe("livenessProbe", "fails when the process is stuck"),
});

export const noReadinessProbe = containerRule({
  id: "PCS-K8S-031",
  title: "Long-running container has no readiness probe",
  severity: "low",
  why: "Without a readiness probe a pod receives Service traffic as soon as its containers start, before it can serve, and keeps receiving it while it cannot.",
  remediation: "Add a `readinessProbe` that succeeds only when the container can serve requests.",
  references: [PROBES],
  mappings: { checkov: ["CKV_K8S_9"], kubescape: ["C-0018"], kubeLinter: ["no-readiness-probe"] },
  containers: "regular",
  appliesTo: isLongRunning,
  checkContainer: missingProbe("readinessProbe", "succeeds only when the container can serve"),
});
