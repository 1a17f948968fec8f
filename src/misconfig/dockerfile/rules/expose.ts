/**
 * PCS-DF-011: EXPOSE 22. A published SSH port means an SSH server in the
 * container: another daemon, keys or passwords to manage, and a way in that
 * bypasses the engine's access control (`docker exec` and `kubectl exec` do
 * that job). Ranges that include 22 count; udp does not.
 */
import { dockerfileRule, type Hit } from "./rule.js";
import { at, shippedInstructions } from "./stages.js";

export const exposeSsh = dockerfileRule({
  id: "PCS-DF-011",
  title: "SSH port 22 exposed",
  severity: "medium",
  why: "Port 22 means an SSH daemon runs in the container: one more service to patch and harden, credentials baked into or mounted into the image, and remote access outside the engine's audit and access control.",
  remediation: "Remove port 22 from EXPOSE and the SSH server from the image; use `docker exec` or `kubectl exec` (or an ephemeral debug container) to get into a running container.",
  references: ["https://docs.docker.com/reference/dockerfile/#expose"],
  mappings: { trivy: ["DS-0004"], checkov: ["CKV_DOCKER_1"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const expose of shippedInstructions(dockerfile, "EXPOSE")) {
      const ssh = (expose.ports ?? []).find((p) => p.protocol === "tcp" && p.start !== undefined && p.start <= 22 && 22 <= (p.end ?? p.start));
      if (!ssh) continue;
      const rest = (expose.ports ?? []).filter((p) => p !== ssh).map((p) => p.text);
      hits.push({
        evidence: `EXPOSE ${expose.args.join(" ")} includes tcp port 22`,
        location: at(expose),
        fix: { description: rest.length > 0 ? `write \`EXPOSE ${rest.join(" ")}\` and remove the SSH server` : "remove this EXPOSE and the SSH server" },
      });
    }
    return hits;
  },
});
