/**
 * Policy × input × stage → verdict. In order: VEX statements resolve the
 * vulnerabilities their vendors say do not apply; exceptions in force set
 * aside what was accepted (an expired one does not, and the verdict says
 * so); the risk score is computed on what remains; each rule bound to the
 * stage looks at what remains and fires or not. The image is allowed when no
 * `deny` rule fired. Pure and deterministic: the day and time are inputs.
 */
import type { Finding } from "../common/index.js";
import { celContext } from "./cel.js";
import { applyExceptions, exceptionApplies, exceptionExpired, exceptionMatches, type PolicyException } from "./exceptions.js";
import type { PolicyInput } from "./input.js";
import { ruleApplies, type Policy, type PolicyRule } from "./policy-file.js";
import { riskScore, type RiskScore } from "./risk.js";
import { violations, type Violation } from "./rules.js";
import { applyVex, type VexStatement } from "./vex.js";

export interface FindingRef {
  id: string;
  kind: Finding["kind"];
  severity: Finding["severity"];
  /** Package name and version, or the path/JSON path the finding points at. */
  where?: string;
}

export interface RuleOutcome {
  name: string;
  type: PolicyRule["type"];
  action: PolicyRule["action"];
  fired: boolean;
  /** Why it fired, one line each. */
  reasons: string[];
  findings: FindingRef[];
  /** Findings of this rule an exception set aside. */
  excepted: number;
}

export interface Verdict {
  apiVersion: "portcullis.dev/v1";
  kind: "Verdict";
  allowed: boolean;
  stage: string;
  /** The day exceptions were judged against (YYYY-MM-DD). */
  date: string;
  target: { reference: string; digest?: string };
  policy: { name: string; file: string; digest: string };
  db?: { version: string };
  riskScore: RiskScore;
  /** Every rule bound to the stage, fired or not, in policy order. */
  rules: RuleOutcome[];
  /** Names of the deny rules that fired. */
  denied: string[];
  warnings: string[];
  exceptions: { id: string; reason: string; approvedBy: string; expires?: string; findings: string[] }[];
  vex: { vulnerability: string; status: string; justification?: string; statement: string; findings: string[] }[];
}

export interface EvaluateOptions {
  now: Date;
  /** Statements from OpenVEX documents (the policy's and the caller's). */
  vex?: readonly VexStatement[];
}

function ref(f: Finding): FindingRef {
  const where = f.package ? `${f.package.name} ${f.package.version}` : (f.location?.path ?? f.location?.jsonPath);
  return { id: f.id, kind: f.kind, severity: f.severity, ...(where ? { where } : {}) };
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A package violation as a finding, so exceptions scoped to packages set it aside too. */
function packageFinding(v: Violation, rule: PolicyRule): Finding {
  const p = v.package!;
  return { kind: "misconfig", id: `${rule.type}:${p.name}`, aliases: [], severity: "unknown", title: v.what, references: [], package: { name: p.name, version: p.version, type: p.type, purl: p.purl } };
}

export function evaluatePolicy(policy: Policy, input: PolicyInput, stage: string, options: EvaluateOptions): Verdict {
  const { now } = options;
  const warnings: string[] = [];
  const scope = { target: input.target, ...(input.namespace ? { namespace: input.namespace } : {}) };

  const vexed = applyVex(input.findings, options.vex ?? [], input.target);
  // Exceptions not limited to rules apply to everything, the risk score included.
  const general = policy.exceptions.filter((e) => !e.rules?.length);
  const generalApplied = applyExceptions(vexed.findings, general, scope, now);
  const remaining = generalApplied.findings;
  const used = new Map<PolicyException, Set<string>>();
  const use = (e: PolicyException, f: Finding) => {
    const set = used.get(e) ?? new Set<string>();
    set.add(f.id);
    used.set(e, set);
  };
  for (const { finding, exception } of generalApplied.excepted) use(exception, finding);
  const expired = new Map<PolicyException, number>();
  for (const { exception, findings } of generalApplied.expired) expired.set(exception, (expired.get(exception) ?? 0) + findings.length);

  const risk = riskScore({ ...input, findings: remaining }, stage);
  const context = celContext(input, remaining, stage, risk);

  const outcomes: RuleOutcome[] = [];
  for (const rule of policy.rules) {
    if (!ruleApplies(rule, stage)) continue;
    const scoped = policy.exceptions.filter((e) => e.rules?.includes(rule.name));
    let found: Violation[];
    if (rule.type === "cel") {
      try {
        found = rule.condition(context) ? [] : [{ what: rule.message ?? `the condition ${rule.expression} is false` }];
      } catch (err) {
        // A condition that cannot be evaluated must not let an image through.
        found = [{ what: `the condition could not be evaluated: ${(err as Error).message.split("\n")[0]}` }];
      }
    } else {
      found = violations(rule, { input, findings: remaining, riskScore: risk.score, now, warn: (m) => warnings.push(m) });
    }
    let excepted = 0;
    const kept = found.filter((v) => {
      const finding = v.finding ?? (v.package ? packageFinding(v, rule) : undefined);
      if (!finding) return true;
      for (const e of scoped) {
        if (exceptionApplies(e, finding, scope, now, rule.name)) {
          use(e, finding);
          excepted++;
          return false;
        }
        if (exceptionExpired(e, now) && exceptionMatches(e, finding, scope, rule.name)) {
          expired.set(e, (expired.get(e) ?? 0) + 1);
        }
      }
      return true;
    });
    const fired = kept.length > 0;
    outcomes.push({
      name: rule.name,
      type: rule.type,
      action: rule.action,
      fired,
      reasons: fired && rule.message && rule.type !== "cel" ? [rule.message, ...kept.map((v) => v.what)] : kept.map((v) => v.what),
      findings: kept.flatMap((v) => (v.finding ? [ref(v.finding)] : [])),
      excepted,
    });
  }
  for (const [e, n] of expired) warnings.push(`exception ${e.id} (${e.origin.file}:${e.origin.line}) expired on ${e.expires}${n ? `; ${n} finding${n === 1 ? "" : "s"} it covered ${n === 1 ? "is" : "are"} judged again` : ""}`);

  const denied = outcomes.filter((o) => o.fired && o.action === "deny").map((o) => o.name);
  return {
    apiVersion: "portcullis.dev/v1",
    kind: "Verdict",
    allowed: denied.length === 0,
    stage,
    date: day(now),
    target: { reference: input.target.reference, ...(input.target.digest ? { digest: input.target.digest } : {}) },
    policy: { name: policy.name, file: policy.file, digest: policy.digest },
    ...(input.dbVersion ? { db: { version: input.dbVersion } } : {}),
    riskScore: risk,
    rules: outcomes,
    denied,
    warnings: [...new Set(warnings)],
    exceptions: [...used].map(([e, ids]) => ({ id: e.id, reason: e.reason, approvedBy: e.approvedBy, ...(e.expires ? { expires: e.expires } : {}), findings: [...ids].sort() })),
    vex: vexSummary(vexed.resolved),
  };
}

function vexSummary(resolved: { finding: Finding; statement: VexStatement }[]): Verdict["vex"] {
  const by = new Map<VexStatement, string[]>();
  for (const { finding, statement } of resolved) by.set(statement, [...(by.get(statement) ?? []), `${finding.id}${finding.package ? ` ${finding.package.name}` : ""}`]);
  return [...by].map(([s, findings]) => ({
    vulnerability: s.vulnerability,
    status: s.status,
    ...(s.justification ? { justification: s.justification } : {}),
    statement: `${s.origin.file}#${s.origin.index}`,
    findings,
  }));
}
