export { loadPolicy, ruleApplies, STAGE, type Policy, type PolicyRule } from "./policy-file.js";
export { evaluatePolicy, type EvaluateOptions, type Verdict } from "./evaluate.js";
export { inputFromReport, readReport } from "./from-report.js";
export { riskScore, RISK_FORMULA, type RiskScore } from "./risk.js";
export { parseOpenVex, type VexStatement } from "./vex.js";
export type { PolicyInput, PolicySignature, PolicyTarget } from "./input.js";
export { runPolicyTests } from "./policy-test.js";
