/**
 * PCS-DF-013: world-writable files and directories in the image — `chmod
 * 777`, `chmod -R o+w`, `COPY --chmod=777`. Any process in the container,
 * whatever its user, can then change the application or plant code the
 * application runs. Only the stages that ship are judged.
 */
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { flag, type Instruction } from "../parse.js";
import { runCommands } from "./shell.js";
import { at, shippedInstructions } from "./stages.js";

/** An octal mode whose "others" digit has the write bit: 777, 0666, 1777 is /tmp's sticky exception. */
function worldWritableOctal(mode: string): boolean {
  if (!/^[0-7]{3,4}$/.test(mode)) return false;
  if (mode.length === 4 && "1357".includes(mode[0]!)) return false; // sticky bit: /tmp-style, others cannot remove others' files
  return "2367".includes(mode[mode.length - 1]!);
}

/** A symbolic mode that gives others (or all) write: `o+w`, `a+rwx`, `+w` (all, as umask allows), `o=rwx`. */
function worldWritableSymbolic(mode: string): boolean {
  return mode.split(",").some((clause) => {
    const m = /^([ugoa]*)([-+=])([rwxXst]*)$/.exec(clause);
    if (!m || m[2] === "-" || !m[3]!.includes("w")) return false;
    return /[oa]/.test(m[1]!); // no "who" (`+w`) follows the umask, which keeps others out
  });
}

function worldWritable(mode: string): boolean {
  return worldWritableOctal(mode) || worldWritableSymbolic(mode);
}

export const worldWritablePermissions = dockerfileRule({
  id: "PCS-DF-013",
  title: "World-writable permissions (chmod 777)",
  severity: "medium",
  why: "A world-writable file or directory lets any process in the container, whatever user it runs as, modify the application, its configuration or code it later executes.",
  remediation: "Give ownership to the user that needs to write (`COPY --chown=app:app`, `chown`) and use modes such as 755 for directories and 644 for files; 1777 (sticky) only for shared temporary directories.",
  references: ["https://docs.docker.com/reference/dockerfile/#copy---chown---chmod", "https://docs.docker.com/build/building/best-practices/#user"],
  mappings: {},
  check(dockerfile) {
    const hits: Hit[] = [];
    const fix = (what: string): { description: string } => ({ description: `${what}; give the writing user ownership instead (\`chown app:app\` or \`COPY --chown=app:app\`) with mode 755 (directories) or 644 (files)` });
    for (const instruction of shippedInstructions(dockerfile)) {
      if (instruction.keyword === "COPY" || instruction.keyword === "ADD") {
        const mode = flag(instruction, "chmod");
        if (mode !== undefined && worldWritable(mode)) hits.push({ evidence: oneLine(`${instruction.keyword} --chmod=${mode} ${instruction.args.join(" ")}`), location: at(instruction), fix: fix(`replace --chmod=${mode} with --chmod=755 or 644`) });
      } else if (instruction.keyword === "RUN") {
        const hit = chmodHit(instruction);
        if (hit) hits.push({ ...hit, fix: fix(`replace \`chmod ${hit.mode}\` with a mode that does not let others write`) });
      }
    }
    return hits;
  },
});

function chmodHit(run: Instruction): { evidence: string; location: { line: number; endLine: number }; mode: string } | undefined {
  for (const c of runCommands(run)) {
    if (c.name !== "chmod") continue;
    const mode = c.args.find((a) => !a.startsWith("-")); // the first operand; options (-R, --recursive) come before it
    if (mode === undefined || !worldWritable(mode)) continue;
    return { evidence: oneLine(c.words.join(" ")), location: c.line === run.startLine ? at(run) : { line: c.line, endLine: c.line }, mode };
  }
  return undefined;
}
