/**
 * Which build stages end up in the image: the final stage and the stages it
 * is built on (`FROM build AS final`), base first. What only a builder stage
 * does (compilers, caches, tools) is not shipped, so rules about the image's
 * contents and metadata look at these stages alone.
 */
import type { Dockerfile, Instruction, Stage } from "../parse.js";

/** The final stage's chain of base stages, base first, the final stage last. */
export function shippedStages(dockerfile: Dockerfile): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<number>();
  for (let s: number | undefined = dockerfile.finalStage; s !== undefined && !seen.has(s); s = dockerfile.stages[s]?.baseStage) {
    seen.add(s);
    chain.unshift(dockerfile.stages[s]!);
  }
  return chain;
}

/** The instructions of the shipped stages, in build order. */
export function shippedInstructions(dockerfile: Dockerfile, keyword?: Instruction["keyword"]): Instruction[] {
  return shippedStages(dockerfile)
    .flatMap((s) => s.instructions)
    .filter((i) => keyword === undefined || i.keyword === keyword);
}

/** Every instruction of every stage (not the global ARGs), in file order. */
export function stageInstructions(dockerfile: Dockerfile, keyword?: Instruction["keyword"]): Instruction[] {
  return dockerfile.stages.flatMap((s) => s.instructions).filter((i) => keyword === undefined || i.keyword === keyword);
}

/** The final stage's FROM line: where findings about the image as a whole point. */
export function finalFrom(dockerfile: Dockerfile): Instruction {
  return dockerfile.stages[dockerfile.finalStage]!.from;
}

/** Where an instruction is, for a hit. */
export function at(instruction: Instruction): { line: number; endLine: number } {
  return { line: instruction.startLine, endLine: instruction.endLine };
}
