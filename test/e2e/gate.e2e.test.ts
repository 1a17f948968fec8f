/**
 * `portcullis gate` and `portcullis image --policy` end to end: the node test
 * image scanned against the demo advisories and judged by the shop policy of
 * src/policy/testdata at two stages, from the image and from a saved report.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Verdict } from "../../src/policy/evaluate.js";
import { portcullis } from "../support/cli.js";
import { fixtures, type Fixtures } from "../support/fixtures.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const POLICY = join(root, "src/policy/testdata/policies/shop.yaml");
const work = mkdtempSync(join(tmpdir(), "pcs-e2e-gate-"));
const env = { PORTCULLIS_CACHE_DIR: join(work, "cache") };
const db = join(work, "demo.db");
let fx: Fixtures;

before(async () => {
  fx = await fixtures();
  const r = await portcullis(["db", "import", "--db", db, "-q", join(root, "demo/advisories")], env);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("portcullis gate", () => {
  const target = () => `docker-archive:${fx.node.dockerArchive}`;

  test("allows the build and denies production, exit 0 and 1, with the verdict as JSON", async () => {
    const build = await portcullis(["gate", "--stage", "build", "--policy", POLICY, "--db", db, "-f", "json", "-q", target()], env);
    assert.equal(build.status, 0, build.stderr);
    assert.equal((JSON.parse(build.stdout) as Verdict).allowed, true);
    const prod = await portcullis(["gate", "--stage", "promote:prod", "--policy", POLICY, "--db", db, "-f", "json", "-q", target()], env);
    assert.equal(prod.status, 1, prod.stderr);
    const verdict = JSON.parse(prod.stdout) as Verdict;
    assert.deepEqual(verdict.denied, ["no-secrets", "non-root-in-prod", "signed-for-prod"]);
    assert.equal(verdict.stage, "promote:prod");
  });

  test("judges a saved report exactly as the image it came from", async () => {
    const saved = join(work, "report.json");
    const scan = await portcullis(["image", target(), "--db", db, "-f", "json", "-o", saved, "-q"], env);
    assert.equal(scan.status, 0, scan.stderr);
    const fromImage = JSON.parse((await portcullis(["gate", "--stage", "promote:prod", "--policy", POLICY, "--db", db, "-f", "json", "-q", target()], env)).stdout) as Verdict;
    const fromReport = JSON.parse((await portcullis(["gate", "--stage", "promote:prod", "--policy", POLICY, "-f", "json", saved], env)).stdout) as Verdict;
    assert.deepEqual({ ...fromReport, target: undefined }, { ...fromImage, target: undefined });
  });

  test("image --policy prints the verdict after the report and exits 1 when denied", async () => {
    const r = await portcullis(["image", target(), "--db", db, "-f", "json", "-q", "--policy", POLICY, "--stage", "promote:prod"], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^DENIED: .* at stage promote:prod by policy shop \(risk score \d+\/100\)/m);
    assert.ok(JSON.parse(r.stdout).findings.length > 0, "the report is still written");
  });

  test("a bad policy or stage stops before any scan, naming file and line", async () => {
    const bad = join(work, "bad.yaml");
    writeFileSync(bad, "apiVersion: portcullis.dev/v1\nkind: Policy\nmetadata: {name: x}\nrules:\n  - name: a\n    type: cel\n    expression: counts.critical ==\n");
    const r = await portcullis(["gate", "--stage", "build", "--policy", bad, "--db", join(work, "none.db"), target()], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad\.yaml line 7, column \d+: \$\.rules\[0\]\.expression: not a valid CEL expression/);
    const stage = await portcullis(["gate", "--stage", "prod", "--policy", POLICY, target()], env);
    assert.equal(stage.status, 1);
    assert.match(stage.stderr, /expected build, registry, promote:<env>, admission or runtime, got "prod"/);
  });

  test("policy test runs the policy's test cases", async () => {
    const r = await portcullis(["policy", "test", join(root, "src/policy/testdata/tests/shop.policytest.yaml")], env);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /3 passed, 0 failed/);
  });
});
