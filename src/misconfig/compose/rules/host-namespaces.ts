/**
 * PCS-CMP-002..004: sharing the host's network, process or IPC namespace
 * (`network_mode: host`, `pid: host`, `ipc: host`) removes the isolation
 * that namespace gives.
 */
import type { ComposeService } from "../load.js";
import { CIS, composeRule, hitAt, type ComposeRule } from "./rule.js";

function hostNamespace(field: "network_mode" | "pid" | "ipc", read: (s: ComposeService) => string | undefined, rule: Omit<ComposeRule, "check">, fix: string): ComposeRule {
  return composeRule({
    ...rule,
    check(service) {
      if (read(service)?.toLowerCase() !== "host") return [];
      return [hitAt(service, [field], `services.${service.name}.${field} is host`, fix)];
    },
  });
}

export const hostNetwork = hostNamespace(
  "network_mode",
  (s) => s.networkMode,
  {
    id: "PCS-CMP-002",
    title: "Service shares the host's network namespace",
    severity: "high",
    why: "With the host's network the container can bind any host port, reach services listening on localhost only and see all host traffic on the interfaces.",
    remediation: "Remove `network_mode: host`, attach the service to a Compose network and publish only the ports it serves (`ports`).",
    references: ["https://docs.docker.com/reference/compose-file/services/#network_mode", "https://docs.docker.com/engine/network/drivers/host/"],
    mappings: { cisDocker: [CIS.hostNetwork] },
  },
  "remove network_mode: host, put the service on a Compose network and publish the ports it needs",
);

export const hostPid = hostNamespace(
  "pid",
  (s) => s.pid,
  {
    id: "PCS-CMP-003",
    title: "Service shares the host's process namespace",
    severity: "high",
    why: "With the host's PID namespace the container sees every host process, their command lines and environments, and with enough privilege can signal or trace them.",
    remediation: "Remove `pid: host`; to share processes between services use `pid: service:<name>`.",
    references: ["https://docs.docker.com/reference/compose-file/services/#pid", "https://docs.docker.com/engine/containers/run/#pid-settings---pid"],
    mappings: { cisDocker: [CIS.hostPid] },
  },
  "remove pid: host",
);

export const hostIpc = hostNamespace(
  "ipc",
  (s) => s.ipc,
  {
    id: "PCS-CMP-004",
    title: "Service shares the host's IPC namespace",
    severity: "medium",
    why: "With the host's IPC namespace the container can read and write the host's shared memory segments and message queues, and those of other processes using them.",
    remediation: "Remove `ipc: host`; to share memory between services use `ipc: shareable` on one and `ipc: service:<name>` on the other.",
    references: ["https://docs.docker.com/reference/compose-file/services/#ipc", "https://docs.docker.com/engine/containers/run/#ipc-settings---ipc"],
    mappings: { cisDocker: [CIS.hostIpc] },
  },
  "remove ipc: host (or use ipc: shareable and ipc: service:<name> between services)",
);
