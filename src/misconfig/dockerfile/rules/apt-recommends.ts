/**
 * PCS-DF-008: apt installs that pull in recommended packages. Without
 * `--no-install-recommends`, apt adds every "Recommends" of every package:
 * often more than the packages asked for, each one more to patch and to scan.
 * Only the stages that ship are judged; a builder stage's extras stay behind.
 */
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { runCommands } from "./shell.js";
import { installsOf } from "./packages.js";
import { at, shippedInstructions } from "./stages.js";

/** `-o APT::Install-Recommends=false` (or 0) on the command line. */
const RECOMMENDS_OFF = /^APT::Install-Recommends=(false|0|no)$/i;
/** An apt configuration written earlier in the image that turns recommends off. */
const RECOMMENDS_OFF_CONFIG = /APT::Install-Recommends\s+"?(false|0)"?/i;

export const aptInstallRecommends = dockerfileRule({
  id: "PCS-DF-008",
  title: "apt-get install without --no-install-recommends",
  severity: "low",
  why: "Recommended packages are installed by default and often outnumber the ones asked for: a bigger image, more packages to patch, more vulnerabilities reported and more tools for an attacker.",
  remediation: "Install with `apt-get install -y --no-install-recommends <packages>` and add back explicitly any recommended package the software really needs.",
  references: ["https://docs.docker.com/build/building/best-practices/#apt-get"],
  mappings: { hadolint: ["DL3015"], trivy: ["DS-0029"], cisDocker: ["4.3"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    let configured = false;
    for (const run of shippedInstructions(dockerfile, "RUN")) {
      const commands = runCommands(run);
      for (const install of installsOf(commands)) {
        if (install.manager !== "apt-get" || configured) continue;
        const args = install.command.args;
        if (args.includes("--no-install-recommends") || args.some((a) => RECOMMENDS_OFF.test(a))) continue;
        hits.push({
          evidence: oneLine(install.command.words.join(" ")),
          location: install.command.line === run.startLine ? at(run) : { line: install.command.line, endLine: install.command.line },
          fix: { description: `add --no-install-recommends: \`${install.command.name} install -y --no-install-recommends ${install.packages.join(" ")}\`` },
        });
        break; // one finding per RUN
      }
      if (RECOMMENDS_OFF_CONFIG.test(run.raw)) configured = true;
    }
    return hits;
  },
});
