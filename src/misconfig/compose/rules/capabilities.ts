/**
 * PCS-CMP-006: capabilities added beyond Docker's default set. Adding one
 * the engine grants anyway changes nothing (and after `cap_drop: [ALL]` is
 * good practice), so only the others count; `ALL` counts as all of them.
 */
import { CIS, composeRule, hitAt, type Hit } from "./rule.js";

/** The capabilities Docker grants a container by default. */
const DEFAULT_CAPABILITIES: ReadonlySet<string> = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);

export const addedCapabilities = composeRule({
  id: "PCS-CMP-006",
  title: "Service adds Linux capabilities",
  severity: "high",
  why: "Capabilities beyond Docker's default set — SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, ALL… — give root in the container powers over the host kernel that are the usual way out of a container.",
  remediation: "Remove the capability from `cap_add`; start from `cap_drop: [ALL]` and add back only default capabilities the service needs (such as NET_BIND_SERVICE).",
  references: ["https://docs.docker.com/reference/compose-file/services/#cap_add", "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities"],
  mappings: { cisDocker: [CIS.capabilities] },
  check(service) {
    const hits: Hit[] = [];
    service.capAdd.forEach((cap, i) => {
      const name = cap.toUpperCase().replace(/^CAP_/, "");
      if (DEFAULT_CAPABILITIES.has(name)) return;
      hits.push(hitAt(service, ["cap_add", i], `services.${service.name}.cap_add adds ${cap}`, `remove ${cap} from cap_add`));
    });
    return hits;
  },
});
