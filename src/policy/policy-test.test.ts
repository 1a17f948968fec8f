import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { runPolicyTests } from "./policy-test.js";

const read = (p: string) => readFile(p, "utf8");
const FILE = "src/policy/testdata/tests/shop.policytest.yaml";

test("a policy test runs each case against its saved report on the file's fixed day", async () => {
  const results = await runPolicyTests(FILE, read);
  assert.deepEqual(results.map((r) => `${r.passed ? "pass" : "FAIL"} ${r.name}${r.problem ? `: ${r.problem}` : ""}`), [
    "pass the node app builds",
    "pass the node app is refused in production for root, its secret and no signature",
    "pass admission requires our registry",
  ]);
});

test("a case whose verdict differs fails with what was expected and what came", async () => {
  const text = (await read(FILE)).replace("stage: build\n    expect: allow", "stage: build\n    expect: deny").replace("denied: [our-registries]", "denied: [non-root-in-prod]");
  const results = await runPolicyTests(FILE, async (p) => (p === FILE ? text : read(p)));
  assert.deepEqual(results.filter((r) => !r.passed).map((r) => r.problem), ["expected deny, got allow", "expected denials by non-root-in-prod, got our-registries"]);
});

test("a bad test file names the file, line and field", async () => {
  await assert.rejects(runPolicyTests(FILE, async (p) => (p === FILE ? "apiVersion: portcullis.dev/v1\nkind: PolicyTest\npolicy: x.yaml\ncases:\n  - name: a\n    report: r.json\n    stage: prod\n    expect: allow\n" : read(p))), /shop\.policytest\.yaml line 7: \$\.cases\[0\]\.stage: expected build, registry/);
});
