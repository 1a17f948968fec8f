/** PCS-CMP-001: `privileged: true` gives the container every capability and every host device. */
import { CIS, composeRule, hitAt } from "./rule.js";

export const privileged = composeRule({
  id: "PCS-CMP-001",
  title: "Service runs privileged",
  severity: "critical",
  why: "A privileged container has all capabilities, every host device and no seccomp or AppArmor confinement: root in it is root on the host.",
  remediation: "Remove `privileged: true`; add only the capabilities (`cap_add`) or devices (`devices`) the service really needs.",
  references: ["https://docs.docker.com/reference/compose-file/services/#privileged", "https://docs.docker.com/engine/containers/run/#runtime-privilege-and-linux-capabilities"],
  mappings: { cisDocker: [CIS.privileged] },
  check(service) {
    if (service.privileged !== true) return [];
    return [hitAt(service, ["privileged"], `services.${service.name}.privileged is true`, "set privileged to false (or remove it) and grant only the capabilities or devices needed", false)];
  },
});
