/**
 * PCS-DF-009: package manager caches left in the image. apt's lists, apk's,
 * yum's, dnf's and zypper's caches and pip's wheel cache are tens of
 * megabytes nobody uses at run time. Each RUN is a layer, so only cleaning
 * in the same RUN (or a cache mount) keeps them out; only shipped stages count.
 */
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { runCommands } from "./shell.js";
import { CLEANUP, installsOf, leavesCache } from "./packages.js";
import { at, shippedStages } from "./stages.js";

export const packageCacheLeft = dockerfileRule({
  id: "PCS-DF-009",
  title: "Package manager cache left in the image",
  severity: "low",
  why: "Package indexes and download caches ship in the layer of the RUN that made them, even if a later RUN deletes them: a bigger image to pull and store, with stale package metadata in it.",
  remediation: "Clean up in the same RUN as the install (`&& rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `yum clean all`, `dnf clean all`, `zypper clean`, `pip install --no-cache-dir`) or use a build cache mount (`RUN --mount=type=cache,target=/var/cache/apt …`).",
  references: ["https://docs.docker.com/build/building/best-practices/#apt-get", "https://docs.docker.com/build/cache/optimize/#use-cache-mounts"],
  mappings: {
    hadolint: ["DL3009", "DL3019", "DL3032", "DL3036", "DL3040", "DL3042"],
    trivy: ["DS-0015", "DS-0019", "DS-0020", "DS-0025", "DS-0027"],
    dockle: ["DKL-DI-0004", "DKL-DI-0005"],
  },
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const stage of shippedStages(dockerfile)) {
      for (const run of stage.instructions.filter((i) => i.keyword === "RUN")) {
        const commands = runCommands(run);
        const reported = new Set<string>();
        for (const install of installsOf(commands)) {
          if (reported.has(install.manager) || !leavesCache(install, run, commands, stage)) continue;
          reported.add(install.manager);
          hits.push({
            evidence: oneLine(install.command.words.join(" ")),
            location: install.command.line === run.startLine ? at(run) : { line: install.command.line, endLine: install.command.line },
            fix: { description: CLEANUP[install.manager] },
          });
        }
      }
    }
    return hits;
  },
});
