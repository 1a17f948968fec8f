/**
 * Tests of a policy, for policy authors' CI: saved reports with the verdict
 * each must get at a stage. A test file names its policy and a fixed day, so
 * exception expiry does not turn a passing suite red overnight.
 *
 * ```yaml
 * apiVersion: portcullis.dev/v1
 * kind: PolicyTest
 * policy: shop.yaml              # relative to this file
 * date: 2026-11-22               # the day exceptions are judged against
 * cases:
 *   - name: prod refuses root images
 *     report: reports/app.json   # portcullis image -f json
 *     stage: promote:prod
 *     expect: deny
 *     denied: [non-root-in-prod] # optional: exactly these deny rules fired
 * ```
 */
import { posix } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { InputError, jsonPath } from "../common/index.js";
import { evaluatePolicy, type Verdict } from "./evaluate.js";
import { inputFromReport, readReport } from "./from-report.js";
import { isCalendarDate } from "../misconfig/suppress/index.js";
import { loadPolicy, STAGE } from "./policy-file.js";
import { parseOpenVex } from "./vex.js";

const Case = z.strictObject({
  name: z.string().min(1),
  report: z.string().min(1),
  stage: z.string().regex(STAGE, { error: "expected build, registry, promote:<env>, admission or runtime" }),
  namespace: z.string().min(1).optional(),
  expect: z.enum(["allow", "deny"], { error: "expected allow or deny" }),
  denied: z.array(z.string()).optional(),
});
const TestFile = z.strictObject({
  apiVersion: z.literal("portcullis.dev/v1", { error: "expected apiVersion: portcullis.dev/v1" }),
  kind: z.literal("PolicyTest", { error: "expected kind: PolicyTest" }),
  policy: z.string().min(1),
  date: z.string().refine(isCalendarDate, { error: "expected a date YYYY-MM-DD" }).optional(),
  vex: z.array(z.string()).optional(),
  cases: z.array(Case).min(1, { error: "expected at least one case" }),
});

export interface CaseResult {
  name: string;
  passed: boolean;
  /** What differed from the expectation. */
  problem?: string;
  verdict: Verdict;
}

/** Runs one test file; `read` reads files relative to nothing (paths are already resolved). Throws InputError for a bad test file. */
export async function runPolicyTests(file: string, read: (path: string) => Promise<string>): Promise<CaseResult[]> {
  const lines = new LineCounter();
  const doc = parseDocument(await read(file), { lineCounter: lines, prettyErrors: false, version: "1.2" });
  if (doc.errors[0]) throw new InputError(file, `line ${lines.linePos(doc.errors[0].pos[0]).line}`, `not valid YAML: ${doc.errors[0].message}`);
  const parsed = TestFile.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    throw new InputError(file, node?.range ? `line ${lines.linePos(node.range[0]).line}` : undefined, `${jsonPath(path)}: ${issue.message}`);
  }
  const t = parsed.data;
  const folder = posix.dirname(file.replace(/\\/g, "/"));
  const resolve = (p: string) => (p.startsWith("/") ? p : posix.join(folder, p));
  const policyFile = resolve(t.policy);
  const policy = loadPolicy(await read(policyFile), policyFile);
  const vex = [];
  for (const f of [...policy.vex, ...(t.vex ?? []).map(resolve)]) vex.push(...parseOpenVex(await read(f), f));
  const now = t.date ? new Date(`${t.date}T12:00:00Z`) : new Date();
  const results: CaseResult[] = [];
  for (const c of t.cases) {
    const reportFile = resolve(c.report);
    const report = readReport(await read(reportFile), reportFile);
    const verdict = evaluatePolicy(policy, inputFromReport(report, c.namespace), c.stage, { now, vex });
    let problem: string | undefined;
    const got = verdict.allowed ? "allow" : "deny";
    if (got !== c.expect) problem = `expected ${c.expect}, got ${got}${verdict.denied.length ? ` (denied by ${verdict.denied.join(", ")})` : ""}`;
    else if (c.denied && [...c.denied].sort().join(",") !== [...verdict.denied].sort().join(",")) problem = `expected denials by ${c.denied.join(", ") || "no rule"}, got ${verdict.denied.join(", ") || "none"}`;
    results.push({ name: c.name, passed: problem === undefined, ...(problem ? { problem } : {}), verdict });
  }
  return results;
}
