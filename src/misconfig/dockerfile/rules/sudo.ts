/**
 * PCS-DF-010: sudo in a RUN. Build steps already run as the current USER;
 * sudo adds a setuid binary and a sudoers policy to the image, behaves
 * differently without a TTY, and usually means USER was set too early.
 */
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { runCommands } from "./shell.js";
import { at, stageInstructions } from "./stages.js";

export const sudoInRun = dockerfileRule({
  id: "PCS-DF-010",
  title: "RUN uses sudo",
  severity: "medium",
  why: "sudo in an image means a setuid-root binary and a sudoers policy a compromised process can use to become root; in a build it hides which steps need root.",
  remediation: "Run the steps that need root before switching user (`USER root` … `USER app`), and do not install sudo; at run time use gosu or su-exec in the entrypoint if a process must drop privileges.",
  references: ["https://docs.docker.com/build/building/best-practices/#user"],
  mappings: { hadolint: ["DL3004"], trivy: ["DS-0010"], checkov: ["CKV2_DOCKER_1"], dockle: ["DKL-DI-0001"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const run of stageInstructions(dockerfile, "RUN")) {
      const c = runCommands(run).find((x) => x.sudo);
      if (!c) continue;
      hits.push({
        evidence: oneLine(c.words.join(" ")),
        location: c.line === run.startLine ? at(run) : { line: c.line, endLine: c.line },
        fix: { description: "drop `sudo`; run this step before the USER that switches away from root, or under `USER root` switched back afterwards" },
      });
    }
    return hits;
  },
});
