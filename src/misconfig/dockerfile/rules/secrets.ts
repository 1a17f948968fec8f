/**
 * PCS-DF-006: secrets in ENV and ARG. ENV values are stored in the image's
 * configuration for anyone who pulls it; ARG values used by a RUN are
 * recorded in the image history. A value counts when the secret detectors
 * recognise it or when its name says it is a secret; an ARG with a secret's
 * name and no default counts in the stages that ship, because the value
 * given with --build-arg lands in the history just the same.
 */
import type { Instruction, KeyValue } from "../parse.js";
import { dockerfileRule, oneLine, type Hit } from "./rule.js";
import { isSecretName, secretIn } from "../../secret-values.js";
import { at, shippedInstructions, stageInstructions } from "./stages.js";

/** The value as written, quotes removed: what a reader of the Dockerfile sees. */
function writtenValue(pair: KeyValue): string | undefined {
  const w = pair.written;
  if (w === undefined) return undefined;
  return /^(["']).*\1$/s.test(w) ? w.slice(1, -1) : w;
}

export const secretInEnvOrArg = dockerfileRule({
  id: "PCS-DF-006",
  title: "Secret in ENV or ARG",
  severity: "critical",
  why: "ENV values are kept in the image configuration and ARG values used by RUN are kept in the image history: anyone who can pull the image can read them, in every copy, for ever.",
  remediation: "Pass secrets at build time with `RUN --mount=type=secret,id=<id>` (docker build --secret) and at run time through the orchestrator's secrets or a mounted file; never write them into the Dockerfile.",
  references: ["https://docs.docker.com/build/building/secrets/", "https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/"],
  mappings: { hadolint: ["DL3064"], trivy: ["DS-0031"], dockle: ["CIS-DI-0010"], cisDocker: ["4.10"] },
  check(dockerfile) {
    const hits: Hit[] = [];
    const shipped = new Set(shippedInstructions(dockerfile));
    const globalArgs = dockerfile.instructions.filter((i) => i.keyword === "ARG" && i.stage === undefined);
    const declared: Instruction[] = [...globalArgs, ...stageInstructions(dockerfile).filter((i) => i.keyword === "ENV" || i.keyword === "ARG")];
    const fix = { description: "remove the value from the Dockerfile and mount it where it is used: `RUN --mount=type=secret,id=<name>,env=<NAME> …` with `docker build --secret id=<name>,env=<NAME>`" };
    for (const instruction of declared) {
      for (const pair of instruction.pairs ?? []) {
        const seen = secretIn(pair.key, writtenValue(pair));
        if (seen) {
          hits.push({ evidence: `${instruction.keyword} ${oneLine(seen.evidence)} (${seen.reason})`, location: { line: pair.line, endLine: pair.line }, fix });
        } else if (instruction.keyword === "ARG" && pair.written === undefined && shipped.has(instruction) && isSecretName(pair.key)) {
          hits.push({ evidence: `ARG ${pair.key} takes a secret as a build argument: its value is recorded in the image history`, location: at(instruction), fix });
        } else if (instruction.keyword === "ENV" && shipped.has(instruction) && isSecretName(pair.key) && (pair.written ?? "").trim() !== "") {
          // `ENV DB_PASSWORD=$DB_PASSWORD`: the build argument's value, whatever it is, is kept in the image configuration.
          hits.push({ evidence: `ENV ${pair.key}=${oneLine(pair.written!, 40)} keeps a secret's value in the image configuration`, location: { line: pair.line, endLine: pair.line }, fix });
        }
      }
    }
    return hits;
  },
});
