/**
 * PCS-CMP-007: the root filesystem is writable. A read-only root keeps an
 * intruder from changing binaries or dropping tools; the few paths an
 * application writes to become explicit volumes or tmpfs mounts.
 */
import { CIS, composeRule, hitAt } from "./rule.js";

export const writableRoot = composeRule({
  id: "PCS-CMP-007",
  title: "Service's root filesystem is not read-only",
  severity: "low",
  why: "A writable root filesystem lets a compromised process replace binaries, plant tools and persist changes for the life of the container.",
  remediation: "Set `read_only: true` and mount the paths the service writes to as volumes or `tmpfs` (e.g. `/tmp`).",
  references: ["https://docs.docker.com/reference/compose-file/services/#read_only"],
  mappings: { cisDocker: [CIS.readOnlyRoot] },
  check(service) {
    if (service.readOnly === true) return [];
    if (service.readOnly === undefined && "read_only" in service.value) return []; // set from a variable: not known here
    const evidence = service.readOnly === false ? `services.${service.name}.read_only is false` : `services.${service.name} does not set read_only`;
    const keys = service.readOnly === false ? ["read_only"] : [];
    const hit = hitAt(service, keys, evidence, "set read_only: true and mount writable paths as volumes or tmpfs", true);
    // The fix sets the field even where the hit points at the service.
    return [{ ...hit, fix: { ...hit.fix!, jsonPath: service.jsonPath(["read_only"]) } }];
  },
});
