/**
 * Gate benchmark: evaluations per second of a 20-rule policy (every built-in
 * rule type, CEL conditions among them, exceptions and a VEX document) over
 * a report of 500 findings, and that time over the floor of parsing the
 * same report's JSON, measured in the same run.
 * Usage: npm run bench:gate
 */
import { readFileSync } from "node:fs";
import { evaluatePolicy } from "../src/policy/evaluate.js";
import { inputFromReport, readReport } from "../src/policy/from-report.js";
import { loadPolicy } from "../src/policy/policy-file.js";
import { parseOpenVex } from "../src/policy/vex.js";
import type { ImageReport } from "../src/scan/report.js";

const testdata = new URL("../src/policy/testdata/", import.meta.url);
const base = readReport(readFileSync(new URL("reports/node-app.json", testdata), "utf8"), "node-app.json");
const SEVERITIES = ["critical", "high", "medium", "low", "negligible"] as const;

// 500 findings: the real ones, then copies of them under other ids and severities.
const seeds = [...base.findings, ...base.misconfigurations, ...base.secrets];
const findings = Array.from({ length: 500 }, (_, i) => {
  const f = seeds[i % seeds.length]!;
  return i < seeds.length ? f : { ...f, id: `${f.id}-${i}`, severity: SEVERITIES[i % SEVERITIES.length]!, ...(i % 3 === 0 ? { fixedVersion: "9.9.9" } : {}) };
});
const report: ImageReport = { ...base, findings: findings.filter((f) => f.kind === "vulnerability"), misconfigurations: findings.filter((f) => f.kind === "misconfig"), secrets: findings.filter((f) => f.kind === "secret") };
const reportJson = JSON.stringify(report);

const rules = [
  "  - {name: r1, type: maxSeverity, max: high, fixable: true}",
  "  - {name: r2, type: maxSeverity, max: medium, layers: app, action: warn}",
  "  - {name: r3, type: maxSeverity, max: high, kinds: [misconfig, secret]}",
  "  - {name: r4, type: maxRiskScore, max: 80}",
  "  - {name: r5, type: forbiddenPackages, packages: [telnetd, 'pkg:npm/event-stream@3.3.6', 'openssh-*']}",
  "  - {name: r6, type: forbiddenLicenses, licenses: ['AGPL-*', 'SSPL-1.0']}",
  "  - {name: r7, type: noSecrets, min: high}",
  "  - {name: r8, type: nonRoot, action: warn}",
  "  - {name: r9, type: trustedRegistries, registries: [registry.example.com], action: audit}",
  "  - {name: r10, type: signedBy, keys: [release], attestation: true, maxAge: 7d, action: audit}",
  "  - {name: r11, type: noDebug, action: warn}",
  "  - {name: r12, type: cel, expression: 'counts.critical == 0'}",
  "  - {name: r13, type: cel, expression: 'vulnerabilities.filter(f, f.severity == \"high\" && has(f.fixedVersion)).size() < 50'}",
  "  - {name: r14, type: cel, expression: 'risk.score < 90'}",
  "  - {name: r15, type: cel, expression: 'secrets.all(s, s.severity != \"critical\")'}",
  "  - {name: r16, type: cel, expression: 'packages.all(p, p.name != \"telnetd\")'}",
  "  - {name: r17, type: cel, expression: 'image.user != \"root\" || stage == \"build\"'}",
  "  - {name: r18, type: cel, expression: 'findings.exists(f, f.id.startsWith(\"CVE-2021\")) == false', action: warn}",
  "  - {name: r19, type: cel, expression: 'misconfigurations.size() < 1000'}",
  "  - {name: r20, type: maxSeverity, max: low, layers: base, action: audit}",
];
const policyText = ["apiVersion: portcullis.dev/v1", "kind: Policy", "metadata: {name: bench}", "rules:", ...rules, "exceptions:", "  - {findings: ['CVE-2021-*'], reason: bench, approvedBy: bench}", "  - {packages: [lodash], rules: [r1], reason: bench, approvedBy: bench, expires: 2020-01-01}", "keys:", "  release: {publicKey: release.pub}"].join("\n");
const policy = loadPolicy(policyText, "bench.yaml");
const vexFile = new URL("vex/node-app.openvex.json", testdata).pathname;
const vex = parseOpenVex(readFileSync(vexFile, "utf8"), vexFile);
const now = new Date("2026-11-22T12:00:00Z");

function perSecond(seconds: number, fn: () => void): { rate: number; ms: number } {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    fn();
    n++;
  }
  const ms = (performance.now() - start) / n;
  return { rate: 1000 / ms, ms };
}

const floor = perSecond(2, () => readReport(reportJson, "report.json"));
const gate = perSecond(3, () => evaluatePolicy(policy, inputFromReport(readReport(reportJson, "report.json")), "promote:prod", { now, vex }));
const verdict = evaluatePolicy(policy, inputFromReport(report), "promote:prod", { now, vex });
console.log(`gate     ${policy.rules.length} rules over ${findings.length} findings (${(reportJson.length / 1024).toFixed(0)} KiB report): ${gate.rate.toFixed(0)} evaluations/s (${gate.ms.toFixed(2)} ms each, report parse included)`);
console.log(`         ${(gate.ms / floor.ms).toFixed(1)}x the floor of parsing the same report (${floor.ms.toFixed(2)} ms); ${verdict.rules.filter((r) => r.fired).length} rules fired, risk score ${verdict.riskScore.score}`);
