/**
 * PCS-IMG rules: the risks an image carries by itself, whatever deploys it —
 * the user it runs as, what it exposes, the tools an intruder would find in
 * it, special permission bits, caches left behind, and an entrypoint that
 * runs a whole process tree in one container. They read the image's
 * configuration and the hardening facts of its final filesystem.
 */
import { defineRule, type Hit, type Rule } from "../rule.js";
import type { ImageHardening, ShippedTool } from "./hardening.js";
import type { ImageSubject } from "./subject.js";
import type { ToolCategory } from "./tools.js";

export interface ImageCheck {
  image: ImageSubject;
  hardening: ImageHardening;
}

export type ImageRule = Rule<ImageCheck>;

const CIS_DOCKER_USER = "4.1";
const CIS_DOCKER_HEALTHCHECK = "4.6";
const CIS_DOCKER_SETUID = "4.8";
const DISTROLESS = "https://github.com/GoogleContainerTools/distroless";
const MULTI_STAGE = "https://docs.docker.com/build/building/multi-stage/";

export function mib(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** "root" for every way of writing the root user in a config's User. */
export function isRootUser(user: string): boolean {
  const name = user.split(":")[0]!.trim();
  return name === "" || name === "root" || name === "0";
}

const runsAsRoot = defineRule<ImageCheck>({
  id: "PCS-IMG-001",
  title: "Image runs as root",
  severity: "high",
  why: "Without a USER, the container's processes run as root: a compromise of the application is root inside the container, one kernel bug or misconfiguration away from root on the host.",
  remediation: "Create an unprivileged user in the image and end the Dockerfile with `USER <uid>:<gid>` (numeric ids let Kubernetes verify runAsNonRoot).",
  references: ["https://docs.docker.com/build/building/best-practices/#user", "https://kubernetes.io/docs/concepts/security/pod-security-standards/"],
  mappings: { dockle: ["CIS-DI-0001"], cisDocker: [CIS_DOCKER_USER] },
  check({ image }) {
    const user = image.config.User ?? "";
    if (!isRootUser(user)) return [];
    return [{ evidence: user === "" ? "the image config sets no User, so processes run as root" : `the image config's User is "${user}"`, location: { jsonPath: "$.config.User" } }];
  },
});

const exposesSsh = defineRule<ImageCheck>({
  id: "PCS-IMG-002",
  title: "Image exposes the SSH port",
  severity: "medium",
  why: "An SSH server in a container is a second way in that bypasses the orchestrator's access control and audit, and keys or passwords for it end up baked into the image.",
  remediation: "Remove the SSH server and EXPOSE 22; use `kubectl exec` or `docker exec` for access, which the orchestrator authenticates and logs.",
  references: ["https://docs.docker.com/reference/dockerfile/#expose"],
  mappings: {},
  check({ image }) {
    const ports = Object.keys(image.config.ExposedPorts ?? {});
    return ports.filter((p) => /^22(\/tcp)?$/i.test(p)).map((p) => ({ evidence: `the image config exposes ${p}`, location: { jsonPath: `$.config.ExposedPorts["${p}"]` } }));
  },
});

function specialBits(mode: number): string {
  if ((mode & 0o6000) === 0o6000) return "setuid and setgid";
  return mode & 0o4000 ? "setuid" : "setgid";
}

const setuidFiles = defineRule<ImageCheck>({
  id: "PCS-IMG-003",
  title: "Setuid or setgid file in the image",
  severity: "medium",
  why: "A setuid or setgid program runs with its owner's or group's privileges whoever starts it: a flaw in it turns any process in the container into root. Containers rarely need one.",
  remediation: "Remove the bits in the image (`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`) or remove the programs; run the container with allowPrivilegeEscalation: false (no_new_privs) so no bit can take effect.",
  references: ["https://man7.org/linux/man-pages/man2/execve.2.html", "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"],
  mappings: { dockle: ["CIS-DI-0008"], cisDocker: [CIS_DOCKER_SETUID] },
  check({ hardening }) {
    return hardening.setuid.map((f) => ({
      evidence: `${f.path} has mode ${f.mode} (${specialBits(Number.parseInt(f.mode, 8))}), ${f.bytes} bytes`,
      location: { path: f.path, ...(f.layer ? { layer: f.layer } : {}) },
    }));
  },
});

const worldWritable = defineRule<ImageCheck>({
  id: "PCS-IMG-004",
  title: "World-writable file or directory in the image",
  severity: "medium",
  why: "Any user in the container can change a world-writable file — a program, a script or a configuration file — or plant files in a world-writable directory without the sticky bit, and so change what other processes run or read.",
  remediation: "Remove write permission for others (`chmod o-w`), or give the directory the sticky bit (`chmod +t`) when it must be shared, like /tmp.",
  references: ["https://man7.org/linux/man-pages/man7/inode.7.html"],
  mappings: {},
  check({ hardening }) {
    return hardening.worldWritable.map((f) => ({
      evidence: `${f.kind} ${f.path} has mode ${f.mode}${f.kind === "directory" ? " without the sticky bit" : ""}`,
      location: { path: f.path, ...(f.layer ? { layer: f.layer } : {}) },
    }));
  },
});

interface SurfaceSpec {
  id: string;
  category: ToolCategory;
  title: string;
  severity: ImageRule["severity"];
  why: string;
  remediation: string;
  mappings?: ImageRule["mappings"];
}

function toolHit(t: ShippedTool): Hit {
  return {
    evidence: `${t.tool} (${t.programs.join(", ")}): ${mib(t.bytes)}, added in layer ${t.layerIndex + 1}`,
    location: { path: t.programs[0]!, ...(t.layer ? { layer: t.layer } : {}) },
  };
}

function surfaceRule(spec: SurfaceSpec): ImageRule {
  return defineRule<ImageCheck>({
    id: spec.id,
    title: spec.title,
    severity: spec.severity,
    why: spec.why,
    remediation: spec.remediation,
    references: [MULTI_STAGE, DISTROLESS],
    mappings: spec.mappings ?? {},
    check({ hardening }) {
      return hardening.attackSurface.filter((t) => t.category === spec.category).map(toolHit);
    },
  });
}

const shells = surfaceRule({
  id: "PCS-IMG-005",
  category: "shell",
  title: "Shell shipped in the image",
  severity: "low",
  why: "A shell is what turns a code-execution flaw into an interactive session: with it an intruder runs any command and script. An application that does not call a shell does not need one.",
  remediation: "Build the application in a build stage and copy only it and its runtime into a minimal final stage (distroless, scratch); keep a debug variant of the image for troubleshooting.",
});

const packageManagers = surfaceRule({
  id: "PCS-IMG-006",
  title: "Package manager shipped in the image",
  category: "package-manager",
  severity: "medium",
  why: "A package manager lets an intruder install whatever tools they need, and lets anyone with a shell change the image's software at run time, so the image no longer matches its scan.",
  remediation: "Install packages in a build stage and copy the result into a final stage without the package manager, or remove it in the last step of the image (`dpkg --purge --force-remove-essential apt` is fragile: prefer a distroless base).",
  mappings: { dockle: ["DKL-LI-0003"] },
});

const compilers = surfaceRule({
  id: "PCS-IMG-007",
  category: "compiler",
  title: "Compiler or build tool shipped in the image",
  severity: "medium",
  why: "Compilers, linkers and build tools let an intruder build exploits and tools inside the container, and they add hundreds of megabytes and their own vulnerabilities.",
  remediation: "Compile in a build stage of a multi-stage build and copy only the artefacts into the final stage.",
});

const debuggers = surfaceRule({
  id: "PCS-IMG-008",
  category: "debugger",
  title: "Debugger or tracer shipped in the image",
  severity: "medium",
  why: "Debuggers and tracers (gdb, strace, perf) read and change the memory of other processes — secrets, keys, sessions — when the container has the ptrace or perf capability.",
  remediation: "Remove them from production images; attach an ephemeral debug container (`kubectl debug`) when you need one.",
});

const networkTools = surfaceRule({
  id: "PCS-IMG-009",
  category: "network-tool",
  title: "Network tool shipped in the image",
  severity: "low",
  why: "curl, wget, netcat and the like are how an intruder downloads the next stage of an attack, opens a reverse shell or sends data out.",
  remediation: "Fetch files at build time in a build stage; if the application needs HTTP, it has its own client library. Remove the tools from the final stage.",
});

/** Programs that start and watch several services: one container then runs a process tree. */
const SUPERVISORS = new Set(["supervisord", "runsvdir", "runsv", "s6-svscan", "monit", "circusd", "honcho", "foreman", "pm2", "forego"]);
const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh"]);

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Why the command line starts more than one long-running process, or undefined. Judged from the command alone. */
export function supervisorOf(command: readonly string[]): string | undefined {
  const program = command[0] === undefined ? undefined : basename(command[0]);
  if (program === undefined) return undefined;
  if (SUPERVISORS.has(program)) return `it starts the process supervisor ${program}`;
  if (program === "tini" || program === "dumb-init") return command.length > 1 ? supervisorOf(command.slice(command[1] === "--" ? 2 : 1)) : undefined;
  if (SHELLS.has(program)) {
    const c = command.indexOf("-c");
    const script = c > 0 ? command[c + 1] : undefined;
    if (script !== undefined) {
      // A lone & (not &&) sends a process to the background: the shell then runs two at once.
      if (/(^|[^&>])&(?![&>])/.test(script)) return `its shell command sends a process to the background: "${script.replace(/\s+/g, " ").slice(0, 100)}"`;
      const first = script.trim().split(/\s+/)[0];
      if (first !== undefined && SUPERVISORS.has(basename(first))) return `its shell command starts the process supervisor ${basename(first)}`;
    }
  }
  return undefined;
}

const supervisorEntrypoint = defineRule<ImageCheck>({
  id: "PCS-IMG-010",
  title: "Entrypoint runs several processes in one container",
  severity: "low",
  why: "A container is managed as one process: with a supervisor or a shell that backgrounds processes, a crashed service goes unnoticed by the orchestrator, signals do not reach every process, logs mix, and every service shares the others' privileges and attack surface.",
  remediation: "Run one service per container (several containers in one pod if they belong together), with the service itself as the entrypoint; use a minimal init (tini) only to reap zombies.",
  references: ["https://docs.docker.com/engine/containers/multi-service_container/"],
  mappings: {},
  check({ image }) {
    const command = [...(image.config.Entrypoint ?? []), ...(image.config.Cmd ?? [])];
    const why = supervisorOf(command);
    return why ? [{ evidence: `the entrypoint ${JSON.stringify(command).slice(0, 120)}: ${why}`, location: { jsonPath: image.config.Entrypoint?.length ? "$.config.Entrypoint" : "$.config.Cmd" } }] : [];
  },
});

const noHealthcheck = defineRule<ImageCheck>({
  id: "PCS-IMG-011",
  title: "Image has no HEALTHCHECK",
  severity: "low",
  why: "Without a health check, an engine running the image alone (Docker, Compose) cannot tell a hung service from a working one and never restarts it. Kubernetes ignores HEALTHCHECK and uses its own probes.",
  remediation: "Add a `HEALTHCHECK CMD` that exits 0 only when the service answers, or define liveness and readiness probes where the image is deployed to Kubernetes.",
  references: ["https://docs.docker.com/reference/dockerfile/#healthcheck"],
  mappings: { dockle: ["CIS-DI-0006"], cisDocker: [CIS_DOCKER_HEALTHCHECK] },
  check({ image }) {
    const hc = image.config.Healthcheck as { Test?: string[] } | undefined;
    if (hc && !(hc.Test?.[0] === "NONE")) return [];
    return [{ evidence: hc ? "the image config disables the health check (NONE)" : "the image config has no Healthcheck", location: { jsonPath: "$.config.Healthcheck" } }];
  },
});

const packageCaches = defineRule<ImageCheck>({
  id: "PCS-IMG-012",
  title: "Package manager cache left in the image",
  severity: "low",
  why: "Package lists and downloaded packages left in a layer make the image bigger for nothing and reveal the repositories used; deleting them in a later layer does not make the image smaller.",
  remediation: "Remove the cache in the same RUN that installs (`apt-get install … && rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `dnf clean all`), or use a cache mount (`RUN --mount=type=cache`).",
  references: ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://docs.docker.com/build/cache/optimize/#use-cache-mounts"],
  mappings: { dockle: ["DKL-DI-0005"] },
  check({ hardening }) {
    return hardening.packageCaches.map((c) => ({ evidence: `${c.path} holds ${mib(c.bytes)}`, location: { path: c.path, ...(c.layer ? { layer: c.layer } : {}) } }));
  },
});

export const IMAGE_RULES: readonly ImageRule[] = [
  runsAsRoot,
  exposesSsh,
  setuidFiles,
  worldWritable,
  shells,
  packageManagers,
  compilers,
  debuggers,
  networkTools,
  supervisorEntrypoint,
  noHealthcheck,
  packageCaches,
];

/** The rules that read only the filesystem: what a directory tree without an image configuration can be checked for. */
export const FILESYSTEM_RULES: readonly ImageRule[] = [setuidFiles, worldWritable, shells, packageManagers, compilers, debuggers, networkTools, packageCaches];
