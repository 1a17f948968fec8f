/**
 * PCS-DF-012: no HEALTHCHECK in the image. Without one the engine only
 * knows whether the process is alive, not whether it serves; the last
 * HEALTHCHECK of the shipped stages is the one the image keeps, and
 * `HEALTHCHECK NONE` turns off even the base image's.
 */
import { dockerfileRule } from "./rule.js";
import { at, finalFrom, shippedInstructions } from "./stages.js";

export const missingHealthcheck = dockerfileRule({
  id: "PCS-DF-012",
  title: "No HEALTHCHECK in the image",
  severity: "low",
  why: "Without a health check Docker and Compose cannot tell a hung or broken service from a healthy one, so it is neither restarted nor taken out of rotation.",
  remediation: "Add a cheap check of the service itself to the final stage, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD [\"/app/healthcheck\"]` (Kubernetes ignores it: define probes there).",
  references: ["https://docs.docker.com/reference/dockerfile/#healthcheck"],
  mappings: { hadolint: ["DL3057"], trivy: ["DS-0026"], checkov: ["CKV_DOCKER_2"], dockle: ["CIS-DI-0006"], cisDocker: ["4.6"] },
  check(dockerfile) {
    const checks = shippedInstructions(dockerfile, "HEALTHCHECK");
    const last = checks[checks.length - 1];
    const fix = { description: 'add `HEALTHCHECK --interval=30s --timeout=3s CMD ["<command that exits 0 when the service answers>"]` to the final stage' };
    if (!last) return [{ evidence: "no HEALTHCHECK in the final stage or the stages it builds on", location: at(finalFrom(dockerfile)), fix }];
    if (last.healthcheck?.kind === "none") return [{ evidence: "HEALTHCHECK NONE turns health checking off", location: at(last), fix }];
    return [];
  },
});
