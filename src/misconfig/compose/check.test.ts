/**
 * The Compose rules, specified by fixtures: every rule has Compose files
 * that must fail — each declaring where with a comment
 * `# expect: PCS-CMP-nnn line N $.services.<name>.<field>` — and files that
 * must pass (testdata/rules/<rule id>/fail-*.yaml, pass-*.yaml).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RULE_ID } from "../../common/index.js";
import { COMPOSE_RULES, checkCompose, loadCompose } from "./index.js";

const RULES_DIR = new URL("./testdata/rules/", import.meta.url);
const EXPECT = /^\s*#\s*expect:\s*(PCS-[A-Z]+-\d{3})\s+line\s+(\d+)\s+(\$\S*)\s*$/gm;

function fixtures(ruleId: string): string[] {
  try {
    return readdirSync(new URL(`${ruleId}/`, RULES_DIR)).filter((f) => f.endsWith(".yaml")).sort();
  } catch {
    return [];
  }
}

function expectations(text: string): string[] {
  return [...text.matchAll(EXPECT)].map((m) => `${m[1]} line ${m[2]} ${m[3]}`).sort();
}

describe("Compose rules (testdata/rules)", () => {
  it("are sorted by id, each with complete metadata and at least one failing and one passing fixture", () => {
    const ids = COMPOSE_RULES.map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    for (const rule of COMPOSE_RULES) {
      assert.match(rule.id, RULE_ID);
      assert.ok(rule.id.startsWith("PCS-CMP-"));
      assert.ok(rule.title && rule.why && rule.remediation, `${rule.id}: title, why and remediation`);
      assert.ok(rule.references.length > 0 && rule.references.every((r) => r.startsWith("https://docs.docker.com/")), `${rule.id}: docs.docker.com references`);
      const files = fixtures(rule.id);
      assert.ok(files.some((f) => f.startsWith("fail-")), `${rule.id} has a fail-*.yaml`);
      assert.ok(files.some((f) => f.startsWith("pass-")), `${rule.id} has a pass-*.yaml`);
    }
  });

  it("have no fixture folder without a rule", () => {
    const known = new Set(COMPOSE_RULES.map((r) => r.id));
    for (const dir of readdirSync(RULES_DIR)) assert.ok(known.has(dir), `testdata/rules/${dir} names a rule`);
  });

  for (const rule of COMPOSE_RULES) {
    describe(`${rule.id} ${rule.title}`, () => {
      for (const file of fixtures(rule.id)) {
        const text = readFileSync(new URL(`${rule.id}/${file}`, RULES_DIR), "utf8");
        const path = `testdata/rules/${rule.id}/${file}`;
        const compose = loadCompose(text, path);
        const findings = checkCompose(compose, [rule]);
        it(`reads ${file} without problems`, () => {
          assert.deepEqual(compose.problems.map((p) => p.message), []);
          assert.ok(compose.services.length > 0);
        });
        if (file.startsWith("fail-")) {
          it(`fails ${file} exactly where it declares`, () => {
            const expected = expectations(text);
            assert.ok(expected.length > 0, `${file} declares what it expects`);
            assert.deepEqual(findings.map((f) => `${f.id} line ${f.location?.line} ${f.location?.jsonPath}`).sort(), expected);
            for (const f of findings) {
              assert.equal(f.kind, "misconfig");
              assert.equal(f.location?.path, path);
              assert.ok(f.evidence && !f.evidence.includes("\n"), "evidence is one line");
              assert.ok(f.fix?.description && f.fix.jsonPath?.startsWith("$.services"), "the fix says what to change and where");
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

describe("checkCompose fixes", () => {
  const fixOf = (yaml: string, id: string): unknown => checkCompose(loadCompose(yaml, "compose.yaml")).find((f) => f.id === id)?.fix;

  it("give the JSON path and the value that passes where one value fixes the finding", () => {
    assert.deepEqual(fixOf("services:\n  web:\n    image: x\n    privileged: true\n", "PCS-CMP-001"), {
      description: "set privileged to false (or remove it) and grant only the capabilities or devices needed",
      jsonPath: "$.services.web.privileged",
      value: false,
    });
    assert.deepEqual(fixOf("services:\n  web:\n    image: x\n", "PCS-CMP-007"), {
      description: "set read_only: true and mount writable paths as volumes or tmpfs",
      jsonPath: "$.services.web.read_only",
      value: true,
    });
  });

  it("never show a secret in full", () => {
    const findings = checkCompose(loadCompose("services:\n  db:\n    image: x\n    environment:\n      DB_PASSWORD: pr0d-Passw0rd-2024\n", "compose.yaml"));
    const secret = findings.find((f) => f.id === "PCS-CMP-010");
    assert.ok(secret);
    assert.ok(!JSON.stringify(secret).includes("pr0d-Passw0rd-2024"));
    assert.match(secret.evidence ?? "", /DB_PASSWORD=pr\*\*\*\*… \(sha256:[0-9a-f]{16}\)/);
  });
});
