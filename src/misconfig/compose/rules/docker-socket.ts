/**
 * PCS-CMP-005: the container engine's socket mounted into a service. Whoever
 * talks to that socket can start a privileged container with the host's
 * root filesystem mounted: it is root on the host, read-only mount or not.
 */
import { CIS, composeRule, hitAt, type Hit } from "./rule.js";

/** Engine API sockets (Docker, Podman, containerd, CRI-O) and the directories that hold them. */
const SOCKETS = /^\/(var\/)?run\/(docker\.sock|podman\/podman\.sock|containerd\/containerd\.sock|crio\/crio\.sock|user\/\d+\/(docker|podman\/podman)\.sock)$/;
const SOCKET_DIRS = /^\/(var\/)?run(\/(podman|containerd|crio|docker))?$/;

export const dockerSocket = composeRule({
  id: "PCS-CMP-005",
  title: "Container engine socket mounted into the service",
  severity: "critical",
  why: "The Docker (or Podman, containerd) API socket gives full control of the engine: a process that can reach it can run a privileged container with the host's filesystem and take over the host, even when the mount is read-only.",
  remediation: "Do not mount the engine socket; if a tool must talk to the engine, put a filtering proxy that allows only the needed API calls in front of it, or use rootless Docker for that service.",
  references: ["https://docs.docker.com/engine/security/#docker-daemon-attack-surface", "https://docs.docker.com/reference/compose-file/services/#volumes"],
  mappings: { cisDocker: [CIS.dockerSocket] },
  check(service) {
    const hits: Hit[] = [];
    for (const v of service.volumes) {
      const source = v.source?.replace(/\/+$/, "");
      if (v.type !== "bind" || source === undefined || !(SOCKETS.test(source) || SOCKET_DIRS.test(source))) continue;
      const what = SOCKETS.test(source) ? source : `${source} (which holds the engine socket)`;
      hits.push(hitAt(service, ["volumes", v.index], `services.${service.name}.volumes[${v.index}] mounts ${what}${v.readOnly ? " (read-only does not limit API calls)" : ""}`, `remove this volume; give the service a socket proxy limited to the API calls it needs if it must reach the engine`));
    }
    return hits;
  },
});
