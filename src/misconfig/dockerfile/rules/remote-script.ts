/**
 * PCS-DF-007: a script downloaded and run in one go — `curl … | sh`,
 * `wget -qO- … | bash`, `sh -c "$(curl …)"`, `bash <(curl …)`. Nothing
 * checks what was downloaded before it runs with the build's privileges.
 * Downloading to a file and checking its checksum first passes.
 */
import type { Instruction } from "../parse.js";
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { SHELLS, options, runCommands, type ShellCommand } from "./shell.js";
import { at, stageInstructions } from "./stages.js";

const DOWNLOADERS: ReadonlySet<string> = new Set(["curl", "wget", "fetch"]);
/** Interpreters that run a program read from stdin when given no script. */
const INTERPRETERS: ReadonlySet<string> = new Set([...SHELLS, "python", "python2", "python3", "perl", "ruby", "node", "php"]);
/** Commands that run the text they are given as shell code. */
const EVALUATORS: ReadonlySet<string> = new Set(["eval", "source", "."]);

function isInterpreter(name: string): boolean {
  return INTERPRETERS.has(name) || /^python\d(\.\d+)?$/.test(name);
}

/** An interpreter that runs stdin: no script named (`bash`, `sh -s -- --flag`, `python3 -`), no `-c`. */
function runsStdin(c: ShellCommand): boolean {
  if (!isInterpreter(c.name)) return false;
  if (options(c).some((o) => /^-[a-z]*c[a-z]*$/.test(o) || o === "-e" || o === "--eval")) return false;
  const end = c.args.indexOf("--");
  const operands = (end < 0 ? c.args : c.args.slice(0, end)).filter((a) => !a.startsWith("-") || a === "-");
  return operands.length === 0 || operands[0] === "-";
}

/** A command that runs code produced by a download: `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget -O- …)"`. */
function runsSubstitutedDownload(c: ShellCommand): boolean {
  if (!isInterpreter(c.name) && !EVALUATORS.has(c.name)) return false;
  return c.substituted.some((s) => DOWNLOADERS.has(s.name));
}

/** The first command of the RUN that runs downloaded code, if any. */
function remoteScript(run: Instruction): { downloader: ShellCommand | undefined; runner: ShellCommand } | undefined {
  const commands = runCommands(run);
  for (const c of commands) {
    if (runsSubstitutedDownload(c)) return { downloader: c.substituted.find((s) => DOWNLOADERS.has(s.name)), runner: c };
    if (c.position === 0 || !runsStdin(c)) continue;
    const downloader = commands.find((d) => d.pipeline === c.pipeline && d.position < c.position && DOWNLOADERS.has(d.name));
    if (downloader) return { downloader, runner: c };
  }
  return undefined;
}

export const remoteScriptPiped = dockerfileRule({
  id: "PCS-DF-007",
  title: "Downloaded script piped to a shell",
  severity: "high",
  why: "Piping a download straight into a shell runs whatever the server (or anyone on the path to it) sends, unreviewed and unverified, with the build's privileges; a truncated download can also run half a script.",
  remediation: "Download to a file, verify it against a known sha256 (`echo \"<sha256>  install.sh\" | sha256sum -c -`), then run it; better, install from a package repository with signed metadata or COPY a vetted copy.",
  references: ["https://docs.docker.com/build/building/best-practices/#using-pipes", "https://docs.docker.com/reference/dockerfile/#add---checksum"],
  mappings: {},
  check(dockerfile) {
    const hits: Hit[] = [];
    for (const run of stageInstructions(dockerfile, "RUN")) {
      const found = remoteScript(run);
      if (!found) continue;
      const { downloader, runner } = found;
      const shown = downloader && downloader !== runner ? `${downloader.words.join(" ")} | ${runner.words.join(" ")}` : runner.words.join(" ");
      hits.push({
        evidence: oneLine(shown),
        location: runner.line === run.startLine ? at(run) : { line: runner.line, endLine: runner.line },
        fix: { description: "download to a file, check it with `sha256sum -c` against a pinned digest, then run the file" },
      });
    }
    return hits;
  },
});
