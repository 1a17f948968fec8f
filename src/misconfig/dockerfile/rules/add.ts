/**
 * PCS-DF-002 and PCS-DF-003: ADD where COPY does the job, and ADD fetching
 * from a URL. ADD extracts local tar archives and fetches remote sources;
 * for plain files it does what COPY does with surprises added, and a remote
 * file it fetches is not verified unless `--checksum` pins it.
 */
import { flag, type Instruction } from "../parse.js";
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { at, stageInstructions } from "./stages.js";

/** Archives ADD extracts (by name: Docker looks at the content, but a name is what the author meant). */
const ARCHIVE = /\.(tar|tar\.(gz|bz2|xz|zst|lz4)|tgz|tbz2?|txz|tzst)$/i;
const URL = /^(https?|ftp):\/\//i;
/** Git sources: ADD clones them; a commit pins them the way a checksum pins a file. */
const GIT = /^(git@|git:\/\/|[^#]+\.git(#|$))|^https?:\/\/[^#]+#/i;

/** The sources of an ADD (not its destination); empty for heredoc sources. */
function sources(add: Instruction): string[] {
  const words = add.expanded ?? add.args;
  return words.slice(0, -1).filter((w) => !w.startsWith("<<"));
}

export const addInsteadOfCopy = dockerfileRule({
  id: "PCS-DF-002",
  title: "ADD used where COPY does the job",
  severity: "low",
  why: "ADD also extracts archives and fetches URLs, so a plain file copy written as ADD can behave unexpectedly when the source changes; COPY does only what it says.",
  remediation: "Use COPY for local files, directories and heredocs; keep ADD for local tar archives meant to be extracted.",
  references: ["https://docs.docker.com/build/building/best-practices/#add-or-copy", "https://docs.docker.com/reference/dockerfile/#add"],
  mappings: { hadolint: ["DL3020"], trivy: ["DS-0005"], checkov: ["CKV_DOCKER_4"], dockle: ["CIS-DI-0009"], cisDocker: ["4.9"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const add of stageInstructions(dockerfile, "ADD")) {
      const srcs = sources(add);
      const local = srcs.filter((s) => !URL.test(s) && !GIT.test(s));
      if (local.some((s) => ARCHIVE.test(s)) || (srcs.length > 0 && local.length < srcs.length)) continue;
      if (flag(add, "unpack") === "true") continue;
      hits.push({
        evidence: oneLine(`ADD ${add.args.join(" ")}`),
        location: at(add),
        fix: { description: `write COPY instead of ADD: \`${oneLine(`COPY ${add.raw.replace(/^\s*ADD\s+/i, "")}`, 120)}\`` },
      });
    }
    return hits;
  },
});

export const addFromUrl = dockerfileRule({
  id: "PCS-DF-003",
  title: "ADD fetches a remote file without a checksum",
  severity: "medium",
  why: "A file fetched at build time is whatever the server returns that day: a compromised or changed download goes into the image unnoticed unless its checksum is pinned.",
  remediation: "Pin the download with `ADD --checksum=sha256:<digest> <url> <dest>`, or fetch it in a RUN with curl and verify it with sha256sum before use.",
  references: ["https://docs.docker.com/reference/dockerfile/#add---checksum", "https://docs.docker.com/build/building/best-practices/#add-or-copy"],
  mappings: {},
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const add of stageInstructions(dockerfile, "ADD")) {
      if (flag(add, "checksum") !== undefined) continue;
      const remote = sources(add).filter((s) => URL.test(s) && !GIT.test(s));
      if (remote.length === 0) continue;
      hits.push({
        evidence: oneLine(`ADD ${add.args.join(" ")}`),
        location: at(add),
        fix: { description: `add the file's digest: \`ADD --checksum=sha256:<sha256 of the file> ${oneLine(remote[0]!, 80)} …\`` },
      });
    }
    return hits;
  },
});
