/**
 * The Dockerfile rules, specified by fixtures: every rule has Dockerfiles
 * that must fail — each declaring the lines it fails on with a comment
 * `# expect: PCS-DF-nnn line N` — and Dockerfiles that must pass
 * (testdata/rules/<rule id>/fail-*.Dockerfile, pass-*.Dockerfile).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RULE_ID } from "../../common/index.js";
import { DOCKERFILE_RULES, checkDockerfile, parseDockerfile } from "./index.js";

const RULES_DIR = new URL("./testdata/rules/", import.meta.url);
const EXPECT = /^#\s*expect:\s*(PCS-[A-Z]+-\d{3})\s+line\s+(\d+)\s*$/gm;

function fixtures(ruleId: string): string[] {
  try {
    return readdirSync(new URL(`${ruleId}/`, RULES_DIR)).filter((f) => f.endsWith(".Dockerfile")).sort();
  } catch {
    return [];
  }
}

/** "PCS-DF-001 line 9" for every expectation the fixture declares. */
function expectations(text: string): string[] {
  return [...text.matchAll(EXPECT)].map((m) => `${m[1]} line ${m[2]}`).sort();
}

describe("Dockerfile rules (testdata/rules)", () => {
  it("are sorted by id, each with complete metadata and at least one failing and one passing fixture", () => {
    const ids = DOCKERFILE_RULES.map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    for (const rule of DOCKERFILE_RULES) {
      assert.match(rule.id, RULE_ID);
      assert.ok(rule.id.startsWith("PCS-DF-"));
      assert.ok(rule.title && rule.why && rule.remediation, `${rule.id}: title, why and remediation`);
      assert.ok(rule.references.length > 0 && rule.references.every((r) => r.startsWith("https://docs.docker.com/")), `${rule.id}: docs.docker.com references`);
      const files = fixtures(rule.id);
      assert.ok(files.some((f) => f.startsWith("fail-")), `${rule.id} has a fail-*.Dockerfile`);
      assert.ok(files.some((f) => f.startsWith("pass-")), `${rule.id} has a pass-*.Dockerfile`);
    }
  });

  it("have no fixture folder without a rule", () => {
    const known = new Set(DOCKERFILE_RULES.map((r) => r.id));
    for (const dir of readdirSync(RULES_DIR)) assert.ok(known.has(dir), `testdata/rules/${dir} names a rule`);
  });

  for (const rule of DOCKERFILE_RULES) {
    describe(`${rule.id} ${rule.title}`, () => {
      for (const file of fixtures(rule.id)) {
        const text = readFileSync(new URL(`${rule.id}/${file}`, RULES_DIR), "utf8");
        const path = `testdata/rules/${rule.id}/${file}`;
        const findings = checkDockerfile(parseDockerfile(text, path), [rule]);
        if (file.startsWith("fail-")) {
          it(`fails ${file} exactly on the lines it declares`, () => {
            const expected = expectations(text);
            assert.ok(expected.length > 0, `${file} declares what it expects`);
            assert.ok(expected.every((e) => e.startsWith(`${rule.id} `)), `${file} expects only ${rule.id}`);
            assert.deepEqual(findings.map((f) => `${f.id} line ${f.location?.line}`).sort(), expected);
            for (const f of findings) {
              assert.equal(f.kind, "misconfig");
              assert.equal(f.location?.path, path);
              assert.ok(f.location?.endLine !== undefined && f.location.endLine >= f.location.line!);
              assert.ok(f.evidence && !f.evidence.includes("\n"), "evidence is one line");
              assert.ok(f.fix?.description, "the fix says what to write instead");
            }
          });
        } else {
          it(`passes ${file}`, () => {
            assert.deepEqual(findings.map((f) => `${f.id} line ${f.location?.line}: ${f.evidence}`), []);
          });
        }
      }
    });
  }
});

describe("checkDockerfile", () => {
  const text = readFileSync(new URL("PCS-DF-006/fail-env-literal-secrets.Dockerfile", RULES_DIR), "utf8");
  const findings = checkDockerfile(parseDockerfile(text, "Dockerfile"));

  it("runs every rule and sorts findings by line, then id", () => {
    const order = findings.map((f) => [f.location!.line!, f.id] as const);
    assert.deepEqual(order, [...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    assert.ok(new Set(findings.map((f) => f.id)).size > 2, "several rules fire on this file");
  });

  it("never shows a secret in full", () => {
    for (const secret of ["Sup3rS3cretPassw0rd", "ghp_9aZ4kQ2mX7pL1vB8nC3dF6gH0jK5sT2wY4eR", "npm_Qw3rTy8uIo0pAs9dFg7hJk6lZx5cVb4nM2qW"]) {
      for (const f of findings) assert.ok(!JSON.stringify(f).includes(secret), `${f.id} hides ${secret.slice(0, 4)}…`);
    }
    assert.ok(findings.some((f) => f.id === "PCS-DF-006" && /\*\*\*\*/.test(f.evidence ?? "")), "the evidence shows the redacted form");
  });

  it("carries the rule's catalog data and the ids of other tools as aliases", () => {
    const root = findings.find((f) => f.id === "PCS-DF-001");
    assert.ok(root);
    assert.equal(root.severity, "high");
    assert.ok(root.aliases.includes("DL3002") && root.aliases.includes("DS-0002"));
    assert.deepEqual(root.location, { path: "Dockerfile", line: 1, endLine: 1 });
  });
});
