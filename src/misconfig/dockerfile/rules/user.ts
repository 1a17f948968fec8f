/**
 * PCS-DF-001: the image runs as root. The user that counts is the last USER
 * of the final stage, or of the stage it is built on (`FROM base`), and so
 * on down the chain; with none, the container runs as the base image's user,
 * which is root for nearly every image.
 */
import type { Instruction } from "../parse.js";
import { dockerfileRule, oneLine } from "./rule.js";
import { at, finalFrom, shippedInstructions, shippedStages } from "./stages.js";

/** Root by name or id, and Windows' administrator account. */
function isRoot(user: string): boolean {
  return user === "root" || /^0+$/.test(user) || user.toLowerCase() === "containeradministrator";
}

export const finalUserRoot = dockerfileRule({
  id: "PCS-DF-001",
  title: "Image runs as root",
  severity: "high",
  why: "A process running as root in a container is root on the host's kernel: a container escape or a writable host mount then gives full control of the host.",
  remediation: "Create an unprivileged user and end the final stage with `USER <name or uid>` (a numeric uid such as 10001 also satisfies runAsNonRoot in Kubernetes).",
  references: ["https://docs.docker.com/build/building/best-practices/#user", "https://docs.docker.com/reference/dockerfile/#user"],
  mappings: { hadolint: ["DL3002"], trivy: ["DS-0002"], checkov: ["CKV_DOCKER_3", "CKV_DOCKER_8"], dockle: ["CIS-DI-0001"], cisDocker: ["4.1"] },
  check(dockerfile) {
    const users = shippedInstructions(dockerfile, "USER");
    const last: Instruction | undefined = users[users.length - 1];
    const fix = { description: "add `USER 10001:10001` (a non-root user created earlier in the image) as the last USER of the final stage" };
    if (!last) {
      const from = finalFrom(dockerfile);
      const base = shippedStages(dockerfile)[0]!;
      // Images published to run unprivileged say so in their tag (distroless `:nonroot`, `-rootless`).
      if (/(^|[-_.])(non-?root|rootless)([-_.]|$)/.test(base.image?.tag ?? "")) return [];
      if (base.scratch) return [{ evidence: "FROM scratch with no USER: the container runs as uid 0", location: at(from), fix }];
      return [{ evidence: `no USER in the final stage or the stages it builds on: the container runs as ${oneLine(from.args[0] ?? "the base image")}'s user, root unless that image sets one`, location: at(from), fix }];
    }
    const user = last.user?.user ?? "";
    if (!isRoot(user)) return [];
    return [{ evidence: `the last USER is ${oneLine(last.args[0] ?? user)}`, location: at(last), fix: { description: `replace \`USER ${last.args[0]}\` with a non-root user, e.g. \`USER 10001:10001\`; switch to root only in earlier steps that need it` } }];
  },
});
