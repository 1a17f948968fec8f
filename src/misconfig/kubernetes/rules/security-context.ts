/**
 * The security context of each container, as Kubernetes resolves it (the
 * container's value over the pod's): privileged mode, privilege escalation,
 * the user it runs as, capabilities, a writable root filesystem, seccomp,
 * AppArmor and /proc masking. Every rule reads `Container.effective`, so a
 * pod-level runAsNonRoot covers every container that does not say otherwise,
 * and a fix names the place that really decides: the pod's field when one
 * setting there fixes every container, the container's when it overrides it.
 */
import type { Setting } from "../workloads.js";
import { containerRule, containerText, hitAt, type Hit } from "./rule.js";

const SECURITY_CONTEXT = "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/";
const POD_SECURITY_STANDARDS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";
const KERNEL_CONSTRAINTS = "https://kubernetes.io/docs/concepts/security/linux-kernel-security-constraints/";

/** "the container securityContext", "the pod securityContext", "the annotation …". */
function source<T>(s: Setting<T>): string {
  if (s.from === "annotation") return `the annotation ${s.path ?? ""}`.trimEnd();
  return `the ${s.from ?? "container"} securityContext`;
}

export const privilegedContainer = containerRule({
  id: "PCS-K8S-001",
  title: "Container runs privileged",
  severity: "critical",
  why: "A privileged container gets every capability and every host device, with no seccomp or AppArmor confinement: a process in it can take over the node.",
  remediation: "Remove `securityContext.privileged: true`, or set it to false; add only the capabilities the workload needs.",
  references: [SECURITY_CONTEXT, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0017"], checkov: ["CKV_K8S_16"], kubescape: ["C-0057"], kubeLinter: ["privileged-container"], cisKubernetes: ["5.2.2"] },
  checkContainer(c, w) {
    const p = c.effective.privileged;
    if (p.value !== true || !p.keys) return [];
    return [hitAt(w.object, p.keys, `securityContext.privileged is true (${containerText(c)})`, { description: "set securityContext.privileged to false", keys: p.fix.keys, value: false }, c)];
  },
});

export const privilegeEscalation = containerRule({
  id: "PCS-K8S-002",
  title: "Container can gain more privileges than its parent process",
  severity: "medium",
  why: "Unless allowPrivilegeEscalation is false, setuid binaries and file capabilities can raise a process's privileges (no_new_privs is not set); a privileged container or one with CAP_SYS_ADMIN can always escalate, whatever the field says.",
  remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container, and neither run it privileged nor add SYS_ADMIN.",
  references: [SECURITY_CONTEXT, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0001"], checkov: ["CKV_K8S_20"], kubescape: ["C-0016"], kubeLinter: ["privilege-escalation-container"], cisKubernetes: ["5.2.6"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const e = c.effective;
    if (!e.allowPrivilegeEscalationEffective) return [];
    const fix = { description: "set securityContext.allowPrivilegeEscalation to false", keys: e.allowPrivilegeEscalation.fix.keys, value: false };
    const who = containerText(c);
    if (e.privileged.value === true && e.privileged.keys) {
      return [hitAt(w.object, e.privileged.keys, `securityContext.privileged is true, so privilege escalation is always allowed (${who})`, { ...fix, description: "set securityContext.privileged to false and allowPrivilegeEscalation to false" }, c)];
    }
    const forcing = c.addedCapabilities.find((cap) => cap === "SYS_ADMIN" || cap === "ALL");
    if (forcing && e.capabilities.keys) {
      return [
        hitAt(w.object, [...e.capabilities.keys, "add"], `capabilities.add includes ${forcing}, so privilege escalation is always allowed (${who})`, { ...fix, description: `remove ${forcing} from capabilities.add and set allowPrivilegeEscalation to false` }, c),
      ];
    }
    const a = e.allowPrivilegeEscalation;
    if (a.value === true && a.keys) return [hitAt(w.object, a.keys, `securityContext.allowPrivilegeEscalation is true (${who})`, fix, c)];
    return [hitAt(w.object, a.fix.keys, `securityContext.allowPrivilegeEscalation is not set, so it defaults to true (${who})`, fix, c)];
  },
});

/** A UID other than root that the fix suggests; any non-zero UID the image can run as passes. */
const NON_ROOT_UID = 10001;

export const mayRunAsRoot = containerRule({
  id: "PCS-K8S-003",
  title: "Container may run as root",
  severity: "medium",
  why: "Without runAsNonRoot: true (or a non-zero runAsUser) the container runs as whatever user its image names, often root; root in a container is root on the host's files it can reach and one kernel bug away from the node.",
  remediation: "Set `runAsNonRoot: true` in the pod securityContext (it covers every container that does not set it to false) and build images that run as a non-zero UID.",
  references: [SECURITY_CONTEXT, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0012"], checkov: ["CKV_K8S_23"], kubescape: ["C-0013"], kubeLinter: ["run-as-non-root"], cisKubernetes: ["5.2.7"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const { runAsNonRoot, runAsUser } = c.effective;
    // A non-zero UID runs as that user whatever runAsNonRoot says; UID 0 is PCS-K8S-004's finding.
    if (runAsNonRoot.value === true || runAsUser.value !== undefined) return [];
    const who = containerText(c);
    if (runAsNonRoot.value === false && runAsNonRoot.keys) {
      const byContainer = runAsNonRoot.from === "container";
      const keys = byContainer ? runAsNonRoot.fix.keys : runAsNonRoot.podFix!.keys;
      const description = byContainer ? "set runAsNonRoot to true in the container securityContext (it overrides the pod's)" : "set runAsNonRoot to true in the pod securityContext: it applies to every container that does not override it";
      return [hitAt(w.object, runAsNonRoot.keys, `runAsNonRoot is false in ${source(runAsNonRoot)} and runAsUser is not set (${who})`, { description, keys, value: true }, c)];
    }
    return [
      hitAt(w.object, runAsNonRoot.fix.keys, `runAsNonRoot is not set in the pod or container securityContext (${who})`, {
        description: "set runAsNonRoot to true in the pod securityContext: it applies to every container that does not override it",
        keys: runAsNonRoot.podFix!.keys,
        value: true,
      }, c),
    ];
  },
});

export const runsAsUidZero = containerRule({
  id: "PCS-K8S-004",
  title: "Container runs as UID 0",
  severity: "high",
  why: "runAsUser: 0 runs the container's processes as root, overriding the image's USER; a container-level runAsUser: 0 also beats a pod-level runAsNonRoot: true (the kubelet then refuses to start the container).",
  remediation: "Set runAsUser to a non-zero UID the image can run as, or remove it so the image's non-root USER applies.",
  references: [SECURITY_CONTEXT, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0105"], checkov: ["CKV_K8S_23"], kubescape: ["C-0013"], kubeLinter: ["run-as-non-root"], cisKubernetes: ["5.2.7"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const { runAsUser, runAsNonRoot } = c.effective;
    if (runAsUser.value !== 0 || !runAsUser.keys) return [];
    const refused = runAsNonRoot.value === true ? `; with runAsNonRoot true from ${source(runAsNonRoot)} the kubelet refuses to start it` : "";
    const byContainer = runAsUser.from === "container";
    const keys = byContainer ? runAsUser.fix.keys : runAsUser.podFix!.keys;
    const where = byContainer ? "the container securityContext" : "the pod securityContext (it applies to every container that does not override it)";
    return [
      hitAt(w.object, runAsUser.keys, `runAsUser is 0 (root) in ${source(runAsUser)} (${containerText(c)})${refused}`, { description: `set runAsUser in ${where} to a non-zero UID the image can run as`, keys, value: NON_ROOT_UID }, c),
    ];
  },
});

/** Capabilities that hand a container the node or other tenants' traffic: never added without a reason. */
export const DANGEROUS_CAPABILITIES: ReadonlySet<string> = new Set([
  "ALL",
  "SYS_ADMIN",
  "NET_ADMIN",
  "NET_RAW",
  "SYS_PTRACE",
  "SYS_MODULE",
  "SYS_RAWIO",
  "SYS_BOOT",
  "SYS_TIME",
  "DAC_READ_SEARCH",
  "BPF",
  "PERFMON",
  "MAC_ADMIN",
  "MAC_OVERRIDE",
  "SYSLOG",
  "LINUX_IMMUTABLE",
]);

export const dangerousCapability = containerRule({
  id: "PCS-K8S-005",
  title: "Container adds a dangerous capability",
  severity: "high",
  why: "Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE (or ALL) give a container root powers over the kernel, the network or other processes; NET_RAW lets it forge packets and spoof other pods.",
  remediation: "Remove the capability from `securityContext.capabilities.add`; drop ALL and add back only harmless ones such as NET_BIND_SERVICE.",
  references: [SECURITY_CONTEXT, KERNEL_CONSTRAINTS],
  mappings: { trivy: ["KSV-0005", "KSV-0022", "KSV-0119", "KSV-0120"], checkov: ["CKV_K8S_25", "CKV_K8S_39"], kubescape: ["C-0046"], cisKubernetes: ["5.2.9"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const caps = c.effective.capabilities;
    if (!caps.keys || !caps.value) return [];
    const written = caps.value.add;
    const kept = written.filter((_, i) => !DANGEROUS_CAPABILITIES.has(c.addedCapabilities[i]!));
    const hits: Hit[] = [];
    c.addedCapabilities.forEach((cap, i) => {
      if (!DANGEROUS_CAPABILITIES.has(cap)) return;
      hits.push(
        hitAt(w.object, [...caps.keys!, "add", i], `capabilities.add includes ${cap} (${containerText(c)})`, { description: `remove ${cap} from securityContext.capabilities.add`, keys: [...caps.fix.keys, "add"], value: kept }, c),
      );
    });
    return hits;
  },
});

export const capabilitiesNotDropped = containerRule({
  id: "PCS-K8S-006",
  title: "Container does not drop all capabilities",
  severity: "low",
  why: "Container runtimes grant a default set of capabilities (NET_RAW, CHOWN, SETUID, DAC_OVERRIDE and more) that most applications never use; each is attack surface.",
  remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` and add back only what the application needs.",
  references: [SECURITY_CONTEXT, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0003"], checkov: ["CKV_K8S_28", "CKV_K8S_37"], kubescape: ["C-0201"], kubeLinter: ["drop-net-raw-capability"], cisKubernetes: ["5.2.8", "5.2.10"] },
  linuxOnly: true,
  checkContainer(c, w) {
    if (c.droppedCapabilities.includes("ALL")) return [];
    const caps = c.effective.capabilities;
    const dropKeys = [...caps.fix.keys, "drop"];
    const dropped = caps.value?.drop ?? [];
    const evidence = dropped.length > 0 ? `capabilities.drop is [${dropped.join(", ")}], not ALL (${containerText(c)})` : `capabilities.drop does not include ALL (${containerText(c)})`;
    return [hitAt(w.object, dropKeys, evidence, { description: "set securityContext.capabilities.drop to [\"ALL\"]", keys: dropKeys, value: ["ALL"] }, c)];
  },
});

export const writableRootFilesystem = containerRule({
  id: "PCS-K8S-007",
  title: "Container root filesystem is writable",
  severity: "low",
  why: "A writable root filesystem lets an attacker who gets code execution drop tools and change binaries and configuration that the image was built with.",
  remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the application must write (/tmp, caches).",
  references: [SECURITY_CONTEXT],
  mappings: { trivy: ["KSV-0014"], checkov: ["CKV_K8S_22"], kubescape: ["C-0017"], kubeLinter: ["no-read-only-root-fs"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const r = c.effective.readOnlyRootFilesystem;
    if (r.value === true) return [];
    const evidence = r.value === false ? `securityContext.readOnlyRootFilesystem is false (${containerText(c)})` : `securityContext.readOnlyRootFilesystem is not set (${containerText(c)})`;
    return [hitAt(w.object, r.keys ?? r.fix.keys, evidence, { description: "set securityContext.readOnlyRootFilesystem to true", keys: r.fix.keys, value: true }, c)];
  },
});

const CONFINING_PROFILES: ReadonlySet<string> = new Set(["RuntimeDefault", "Localhost"]);
const RUNTIME_DEFAULT = { type: "RuntimeDefault" };

export const seccompNotSet = containerRule({
  id: "PCS-K8S-016",
  title: "Container runs without a seccomp profile",
  severity: "medium",
  why: "Without seccompProfile RuntimeDefault (or a Localhost profile) a container runs Unconfined and can call every system call, including the rarely used ones most kernel exploits need.",
  remediation: "Set `securityContext.seccompProfile: {type: RuntimeDefault}` in the pod securityContext, and override it per container only with a Localhost profile.",
  references: ["https://kubernetes.io/docs/tutorials/security/seccomp/", POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0030", "KSV-0104"], checkov: ["CKV_K8S_31"], kubescape: ["C-0210"], cisKubernetes: ["5.7.2"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const s = c.effective.seccompProfile;
    const type = s.value?.type;
    const podFix = { description: "set seccompProfile to RuntimeDefault in the pod securityContext: it applies to every container that does not override it", keys: s.podFix!.keys, value: RUNTIME_DEFAULT };
    const who = containerText(c);
    if (type !== undefined && CONFINING_PROFILES.has(type)) {
      if (s.from !== "annotation" || !s.keys) return [];
      // The API server stopped copying seccomp annotations into the fields in 1.27: the profile is no longer applied.
      return [hitAt(w.object, s.keys, `seccomp profile ${type} is set only by a deprecated annotation, which Kubernetes no longer applies (${who})`, podFix, c)];
    }
    if (type !== undefined && s.keys) {
      const fix =
        s.from === "pod" || (s.from === "annotation" && !(s.path ?? "").includes("container.seccomp"))
          ? podFix
          : { description: "set seccompProfile to RuntimeDefault in the container securityContext (it overrides the pod's)", keys: s.fix.keys, value: RUNTIME_DEFAULT };
      return [hitAt(w.object, s.keys, `seccomp profile is ${type} in ${source(s)} (${who})`, fix, c)];
    }
    return [hitAt(w.object, s.fix.keys, `seccompProfile is not set in the pod or container securityContext, so the container runs Unconfined (${who})`, podFix, c)];
  },
});

export const appArmorUnconfined = containerRule({
  id: "PCS-K8S-017",
  title: "Container runs without AppArmor confinement",
  severity: "medium",
  why: "An Unconfined AppArmor profile removes the runtime's default profile, which blocks writes to /proc and /sys and mounts that container escapes rely on.",
  remediation: "Remove the Unconfined profile (and the deprecated AppArmor annotation), or set `securityContext.appArmorProfile: {type: RuntimeDefault}` or a Localhost profile.",
  references: ["https://kubernetes.io/docs/tutorials/security/apparmor/", POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0002"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const a = c.effective.appArmorProfile;
    if (a.value?.type !== "Unconfined" || !a.keys) return [];
    const fix =
      a.from === "pod"
        ? { description: "set appArmorProfile to RuntimeDefault in the pod securityContext", keys: a.podFix!.keys, value: RUNTIME_DEFAULT }
        : { description: "set appArmorProfile to RuntimeDefault in the container securityContext (it overrides the pod's and the annotation)", keys: a.fix.keys, value: RUNTIME_DEFAULT };
    return [hitAt(w.object, a.keys, `AppArmor profile is Unconfined in ${source(a)} (${containerText(c)})`, fix, c)];
  },
});

export const unmaskedProcMount = containerRule({
  id: "PCS-K8S-018",
  title: "Container sees an unmasked /proc",
  severity: "high",
  why: "procMount: Unmasked removes the masking of sensitive /proc paths (such as /proc/kcore and /proc/sys) that keeps a container from reading kernel memory and changing kernel settings.",
  remediation: "Remove `securityContext.procMount` or set it to Default.",
  references: [SECURITY_CONTEXT, POD_SECURITY_STANDARDS],
  mappings: { trivy: ["KSV-0027"], kubeLinter: ["unsafe-proc-mount"] },
  linuxOnly: true,
  checkContainer(c, w) {
    const p = c.effective.procMount;
    if (p.value !== "Unmasked" || !p.keys) return [];
    return [hitAt(w.object, p.keys, `securityContext.procMount is Unmasked (${containerText(c)})`, { description: "set securityContext.procMount to Default", keys: p.fix.keys, value: "Default" }, c)];
  },
});

