/**
 * The policy flow on a real report: `portcullis image -f json` of the node
 * test image (npm packages with known advisories on Debian 12, scanned with
 * the demo advisories), judged by testdata/policies/shop.yaml at each stage.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inputFromReport, readReport } from "./from-report.js";
import { evaluatePolicy, type Verdict } from "./evaluate.js";
import type { PolicyInput } from "./input.js";
import { loadPolicy } from "./policy-file.js";
import { parseOpenVex } from "./vex.js";

const dir = new URL("./testdata/", import.meta.url);
const POLICY_FILE = "src/policy/testdata/policies/shop.yaml";
const policy = loadPolicy(readFileSync(new URL("policies/shop.yaml", dir), "utf8"), POLICY_FILE);
const vex = policy.vex.flatMap((f) => parseOpenVex(readFileSync(f, "utf8"), f));
const report = readReport(readFileSync(new URL("reports/node-app.json", dir), "utf8"), "node-app.json");
const NOW = new Date("2026-11-22T12:00:00Z");

function judge(stage: string, input: PolicyInput = inputFromReport(report), now = NOW): Verdict {
  return evaluatePolicy(policy, input, stage, { now, vex });
}

function fired(v: Verdict): string[] {
  return v.rules.filter((r) => r.fired).map((r) => `${r.name}:${r.action}`);
}

describe("the shop policy on the node app", () => {
  test("build: the fixable critical in minimist is excepted, VEX clears express, and nothing denies", () => {
    const v = judge("build");
    assert.equal(v.allowed, true, JSON.stringify(v.rules, null, 1));
    assert.deepEqual(fired(v), ["app-highs-warn:warn"]);
    assert.deepEqual(v.exceptions.map((e) => `${e.id} ${e.findings.join(",")}`), ["minimist-not-reachable CVE-2021-44906"]);
    assert.deepEqual(v.vex.map((x) => `${x.vulnerability} ${x.status} ${x.justification}`), ["CVE-2024-29041 not_affected vulnerable_code_not_in_execute_path"]);
    assert.ok(!v.rules.some((r) => r.name === "non-root-in-prod"), "rules of other stages are not evaluated");
  });

  test("promote:prod: root user, no signature, and an expired exception for the secret deny it, each with its reason", () => {
    const v = judge("promote:prod");
    assert.equal(v.allowed, false);
    assert.deepEqual(v.denied, ["no-secrets", "non-root-in-prod", "signed-for-prod"]);
    const reasons = Object.fromEntries(v.rules.map((r) => [r.name, r.reasons]));
    assert.match(reasons["non-root-in-prod"]![0]!, /sets no user, so it runs as root/);
    assert.deepEqual(reasons["signed-for-prod"], ["no verified signature by release", "no verified attestation by release"]);
    assert.match(reasons["no-secrets"]![0]!, /PCS-SEC-019/);
    assert.ok(v.warnings.some((w) => /exception coveralls-token .* expired on 2026-01-31/.test(w)), v.warnings.join("\n"));
    assert.ok(v.rules.find((r) => r.name === "no-debug-in-prod")!.fired, "audit rules fire without denying");
  });

  test("the same report and policy always give the same verdict and score", () => {
    assert.deepEqual(judge("promote:prod"), judge("promote:prod"));
    const shuffled = { ...report, findings: [...report.findings].reverse(), misconfigurations: [...report.misconfigurations].reverse() };
    const a = judge("promote:prod");
    const b = judge("promote:prod", inputFromReport(shuffled));
    assert.equal(b.riskScore.score, a.riskScore.score);
    assert.deepEqual(b.denied, a.denied);
  });

  test("once the minimist exception expires, its critical denies the build and the verdict says why", () => {
    const v = judge("build", inputFromReport(report), new Date("2027-07-01T00:00:00Z"));
    assert.equal(v.allowed, false);
    assert.deepEqual(v.denied, ["no-fixable-criticals"]);
    assert.deepEqual(v.rules.find((r) => r.name === "no-fixable-criticals")!.findings.map((f) => `${f.id} ${f.where}`), ["CVE-2021-44906 minimist 1.2.0"]);
    assert.ok(v.warnings.some((w) => /minimist-not-reachable .* expired on 2027-06-30/.test(w)));
  });

  test("the verdict names the policy's digest, the stage, the DB version and the risk score with its factors", () => {
    const v = judge("registry");
    assert.match(v.policy.digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(v.stage, "registry");
    assert.equal(v.db?.version, report.db?.updatedAt);
    assert.deepEqual(v.riskScore.factors.map((f) => f.factor).sort(), ["misconfiguration", "privilege", "secrets", "vulnerabilities"]);
    assert.ok(v.riskScore.score > 0 && v.riskScore.score <= 100);
  });
});

describe("stages", () => {
  test("each stage evaluates exactly the rules bound to it (promote:* covers every environment)", () => {
    const evaluated = (stage: string) => judge(stage).rules.map((r) => r.name);
    const everywhere = ["app-highs-warn", "risk-under-70", "no-event-stream", "no-agpl", "few-medium-findings"];
    assert.deepEqual(evaluated("build"), ["no-fixable-criticals", ...everywhere]);
    assert.deepEqual(evaluated("registry"), ["no-fixable-criticals", ...everywhere]);
    assert.deepEqual(evaluated("promote:test"), ["no-fixable-criticals", "app-highs-warn", "risk-under-70", "no-event-stream", "no-agpl", "no-secrets", "few-medium-findings"]);
    assert.deepEqual(evaluated("promote:prod"), ["no-fixable-criticals", "app-highs-warn", "risk-under-70", "no-event-stream", "no-agpl", "no-secrets", "non-root-in-prod", "no-debug-in-prod", "signed-for-prod", "few-medium-findings"]);
    assert.deepEqual(evaluated("admission"), ["no-fixable-criticals", "app-highs-warn", "risk-under-70", "no-event-stream", "no-agpl", "our-registries", "few-medium-findings"]);
    assert.deepEqual(evaluated("runtime"), everywhere);
  });
});

describe("rule types", () => {
  const base = inputFromReport(report);

  test("CEL: false fires with the rule's message; a runtime error fails closed", () => {
    const cel = policy.rules.find((r) => r.name === "few-medium-findings")!;
    assert.equal(judge("build").rules.find((r) => r.name === cel.name)!.fired, false, "one medium left after VEX");
    const broken = loadPolicy(
      ["apiVersion: portcullis.dev/v1", "kind: Policy", "metadata: {name: t}", "rules:", "  - name: label", "    type: cel", "    expression: labels['team'] == 'shop'"].join("\n"),
      "t.yaml",
    );
    const v = evaluatePolicy(broken, base, "build", { now: NOW });
    assert.match(v.rules[0]!.reasons[0]!, /could not be evaluated/);
    assert.equal(v.allowed, false);
  });

  test("trusted registries, forbidden packages and licenses, and debug settings", () => {
    const input: PolicyInput = {
      ...base,
      target: { reference: "registry:registry.example.com/other/app:1", registry: "registry.example.com", repository: "other/app", tag: "1" },
      packages: [...base.packages, { name: "telnetd", version: "0.17-44", type: "deb", purl: "pkg:deb/debian/telnetd@0.17-44", licenses: ["BSD-4-Clause"] }, { name: "ghostpdl", version: "1.0.0", type: "npm", purl: "pkg:npm/ghostpdl@1.0.0", licenses: ["AGPL-3.0-only OR LicenseRef-Commercial"] }],
      config: { ...base.config!, env: ["NODE_OPTIONS=--inspect=0.0.0.0:9229", "LOG=info"], exposedPorts: ["8080/tcp", "9229/tcp"] },
    };
    const v = evaluatePolicy(policy, input, "admission", { now: NOW });
    const reasons = Object.fromEntries(v.rules.map((r) => [r.name, r.reasons]));
    assert.match(reasons["our-registries"]![0]!, /registry.example.com\/other\/app is not in the trusted registries/);
    assert.deepEqual(reasons["no-event-stream"], ["package telnetd 0.17-44 is forbidden (telnetd)"]);
    assert.deepEqual(reasons["no-agpl"], ["package ghostpdl 1.0.0 is licensed AGPL-3.0-only, which is forbidden"]);
    const prod = evaluatePolicy(policy, input, "promote:prod", { now: NOW }).rules.find((r) => r.name === "no-debug-in-prod")!;
    assert.deepEqual(prod.reasons.slice(0, 2), ["environment NODE_OPTIONS turns on debugging (NODE_OPTIONS=*--inspect*)", "port 9229 (a debugger's) is exposed"]);
    assert.ok(prod.reasons.includes("ships shell bash"));
  });

  test("maxRiskScore fires above its maximum with the score; maxSeverity can look at base layers or at other kinds", () => {
    const head = ["apiVersion: portcullis.dev/v1", "kind: Policy", "metadata: {name: t}", "rules:"];
    const strict = loadPolicy(
      [...head, "  - {name: low-risk, type: maxRiskScore, max: 5}", "  - {name: base-clean, type: maxSeverity, max: negligible, layers: base}", "  - {name: no-secret-findings, type: maxSeverity, max: low, kinds: [secret]}"].join("\n"),
      "t.yaml",
    );
    const v = evaluatePolicy(strict, base, "runtime", { now: NOW });
    const outcome = Object.fromEntries(v.rules.map((r) => [r.name, r]));
    assert.equal(outcome["low-risk"]!.fired, true);
    assert.match(outcome["low-risk"]!.reasons[0]!, new RegExp(`risk score ${v.riskScore.score} is above 5`));
    assert.deepEqual(outcome["base-clean"]!.findings.map((f) => `${f.id} ${f.where}`), ["CVE-2016-2781 coreutils 9.1-1"], "only Debian's package in the base layer, not the app's npm packages");
    assert.ok(outcome["no-secret-findings"]!.fired && outcome["no-secret-findings"]!.findings.every((f) => f.kind === "secret"));
  });

  test("a signature and a fresh attestation by the named key satisfy signedBy; an old one does not", () => {
    const signed = (created: string): PolicyInput => ({ ...base, signatures: [{ key: "release", kind: "signature" }, { key: "release", kind: "attestation", created, riskScore: 20 }] });
    const rule = (input: PolicyInput) => evaluatePolicy(policy, input, "promote:prod", { now: NOW, vex }).rules.find((r) => r.name === "signed-for-prod")!;
    assert.equal(rule(signed("2026-11-20T10:00:00Z")).fired, false);
    assert.deepEqual(rule(signed("2026-11-01T10:00:00Z")).reasons, ["no attestation by release made within 7d"]);
  });

  test("signedBy's maxRiskScore judges the newest attestation, not the best one", () => {
    const strict = loadPolicy(
      ["apiVersion: portcullis.dev/v1", "kind: Policy", "metadata: {name: t}", "rules:", "  - {name: s, type: signedBy, keys: [release], maxRiskScore: 40}", "keys:", "  release: {publicKey: r.pub}"].join("\n"),
      "t.yaml",
    );
    const att = (created: string, riskScore: number) => ({ key: "release", kind: "attestation" as const, created, riskScore });
    const judgeWith = (...atts: ReturnType<typeof att>[]) => evaluatePolicy(strict, { ...base, signatures: [{ key: "release", kind: "signature" }, ...atts] }, "build", { now: NOW }).rules[0]!;
    assert.equal(judgeWith(att("2026-11-20T10:00:00Z", 30), att("2026-11-10T10:00:00Z", 70)).fired, false);
    assert.deepEqual(judgeWith(att("2026-11-10T10:00:00Z", 30), att("2026-11-20T10:00:00Z", 70)).reasons, ["the newest attestation by release states a risk score of 70, above 40"]);
  });
});

describe("policy errors come with file, line and column before anything is evaluated", () => {
  const load = (lines: string[]) => () => loadPolicy(lines.join("\n"), "p.yaml");
  const head = ["apiVersion: portcullis.dev/v1", "kind: Policy", "metadata: {name: t}", "rules:"];
  test("bad YAML, an unknown rule type or field, a bad stage, duplicate names", () => {
    assert.throws(load([...head, "  - name: a", "    type: [x"]), /^InputError: p\.yaml line 6, column \d+: not valid YAML/);
    assert.throws(load([...head, "  - name: a", "    type: maxSeverty"]), /p\.yaml line 6, column 5: \$\.rules\[0\]\.type: expected a rule type: maxSeverity/);
    assert.throws(load([...head, "  - name: a", "    type: maxSeverity", "    max: high", "    fixible: true"]), /line 8, column 5: \$\.rules\[0\]\.fixible: unknown field "fixible"; this rule type takes: name, type, max, fixable, layers, kinds/);
    assert.throws(load([...head, "  - name: a", "    type: nonRoot", "    stages: [prod]"]), /line 7, column \d+: \$\.rules\[0\]\.stages\[0\]: expected build, registry, promote:<env>/);
    assert.throws(load([...head, "  - {name: a, type: nonRoot}", "  - {name: a, type: nonRoot}"]), /\$\.rules\[1\]\.name: a second rule named "a"/);
  });
  test("signedBy names only keys the policy defines, each with its public key file beside the policy", () => {
    assert.throws(load([...head, "  - {name: a, type: signedBy, keys: [release, ops]}", "keys:", "  release: {publicKey: r.pub}"]), /p\.yaml line 5, column \d+: \$\.rules\[0\]\.keys\[1\]: key "ops" is not defined/);
    assert.throws(load([...head, "  - {name: a, type: nonRoot}", "keys:", "  release: {file: r.pub}"]), /line 7, column \d+: \$\.keys\.release/);
    const p = loadPolicy([...head, "  - {name: a, type: signedBy, keys: [release]}", "keys:", "  release: {publicKey: keys/r.pub}"].join("\n"), "policies/p.yaml");
    assert.deepEqual(p.keys, [{ name: "release", publicKey: "policies/keys/r.pub" }]);
  });
  test("a CEL condition that does not parse or type check points into the expression", () => {
    assert.throws(load([...head, "  - name: a", "    type: cel", "    expression: counts.critical == 0 &&"]), /p\.yaml line 7, column \d+: \$\.rules\[0\]\.expression: not a valid CEL expression/);
    assert.throws(load([...head, "  - name: a", "    type: cel", "    expression: findings.size() > 'many'", ""]), /line 7, column \d+: .*CEL: no such overload/);
    assert.throws(load([...head, "  - name: a", "    type: cel", "    expression: |", "      findings.size() == 0 &&", "      nosuch.x"]), /line 9, column 7: .*Unknown variable: nosuch/);
  });
});
