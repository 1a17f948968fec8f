/**
 * Custom policy conditions in CEL, the expression language of Kubernetes'
 * admission policies: safe (no loops, no side effects), fast, and already
 * known to the people who write cluster policy. A condition is true when
 * the image passes, as in a ValidatingAdmissionPolicy. Expressions are
 * parsed and type checked when the policy is loaded; the variables they see
 * are described in docs/policy.md and built by `celContext`.
 */
import { Environment } from "@marcbachmann/cel-js";
import { SEVERITIES, type Finding } from "../common/index.js";
import type { PolicyInput } from "./input.js";

/** The variables a condition sees: each a CEL map, list or string. */
const VARIABLES = {
  findings: "list",
  vulnerabilities: "list",
  misconfigurations: "list",
  secrets: "list",
  counts: "map",
  packages: "list",
  image: "map",
  labels: "map",
  signatures: "list",
  risk: "map",
  stage: "string",
  kubernetesNamespace: "string",
} as const;

const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false, limits: { maxAstNodes: 5000, maxDepth: 64 } });
for (const [name, type] of Object.entries(VARIABLES)) env.registerVariable(name, type);

export type CompiledCondition = (context: CelContext) => boolean;
export type CelContext = Record<keyof typeof VARIABLES, unknown>;

export type Compiled = { ok: true; condition: CompiledCondition } | { ok: false; error: string; offset: number };

/** Parses and type checks; errors carry the offset in the expression they point at. */
export function compileCondition(expression: string): Compiled {
  let program: ReturnType<typeof env.parse>;
  try {
    program = env.parse(expression);
  } catch (err) {
    return { ok: false, error: `not a valid CEL expression: ${firstLine(err)}`, offset: offsetOf(err) };
  }
  const checked = env.check(expression);
  if (!checked.valid) return { ok: false, error: `CEL: ${firstLine(checked.error)}`, offset: offsetOf(checked.error) };
  return {
    ok: true,
    condition: (context) => {
      const result = program(context as Record<string, unknown>);
      if (typeof result !== "boolean") throw new Error(`the condition gave ${typeof result === "bigint" ? "an int" : typeof result}, not true or false`);
      return result;
    },
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
}

function offsetOf(err: unknown): number {
  const node = (err as { node?: { pos?: number } } | undefined)?.node;
  return typeof node?.pos === "number" ? node.pos : 0;
}

/** CEL has int and double: counts and sizes are ints (BigInt here), other numbers stay doubles. */
function celValue(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(celValue);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, celValue(v)]));
  return value;
}

function countsOf(findings: readonly Finding[]): Record<string, bigint> {
  const counts: Record<string, bigint> = Object.fromEntries(SEVERITIES.map((s) => [s, 0n]));
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0n) + 1n;
  counts.total = BigInt(findings.length);
  return counts;
}

/** The variables for one evaluation: the findings that still apply after VEX and exceptions, and the risk score. */
export function celContext(input: PolicyInput, findings: readonly Finding[], stage: string, risk: { score: number; factors: { factor: string; points: number }[] }): CelContext {
  const config = input.config;
  return {
    findings: celValue(findings) as unknown[],
    vulnerabilities: celValue(findings.filter((f) => f.kind === "vulnerability")),
    misconfigurations: celValue(findings.filter((f) => f.kind === "misconfig")),
    secrets: celValue(findings.filter((f) => f.kind === "secret")),
    counts: countsOf(findings),
    packages: celValue(input.packages),
    image: celValue({ ...input.target, user: config?.user ?? "", env: config?.env ?? [], exposedPorts: config?.exposedPorts ?? [], entrypoint: config?.entrypoint ?? [], cmd: config?.cmd ?? [], layers: input.layers, baseLayers: input.baseLayers ?? 0 }),
    labels: config?.labels ?? {},
    signatures: celValue(input.signatures),
    risk: celValue({ score: risk.score, factors: Object.fromEntries(risk.factors.map((f) => [f.factor, f.points])) }),
    stage,
    kubernetesNamespace: input.namespace ?? "",
  };
}
