/**
 * `portcullis config` end to end: a small repository with a Kubernetes
 * manifest, a Dockerfile, a compose file, an env file and a broken manifest;
 * every output format; suppressions; and the promise that a secret is never
 * printed in full, in any format.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigReport } from "../../src/misconfig/scan-files.js";
import { portcullis } from "../support/cli.js";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A fresh token of the given shape for each run, so no output can contain it by accident. */
function token(prefix: string, length: number): string {
  return prefix + Array.from(randomBytes(length), (b) => ALNUM[b % ALNUM.length]).join("");
}

const work = mkdtempSync(join(tmpdir(), "pcs-e2e-config-"));
const repo = join(work, "repo");
const github = token("ghp_", 36);
const stripe = token("sk_live_", 32);
const gitlab = token("glpat-", 20);
const binaryToken = token("ghp_", 36);
const secrets = [github, stripe, gitlab, binaryToken];

function write(path: string, text: string): void {
  mkdirSync(join(repo, path, ".."), { recursive: true });
  writeFileSync(join(repo, path), text);
}

before(() => {
  write(
    "k8s/web.yaml",
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.example.com/shop/web:1.4.2
        env:
        - name: GITHUB_TOKEN
          value: ${github}
        securityContext:
          privileged: true
`,
  );
  write("k8s/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n");
  write("Dockerfile", `FROM debian:bookworm\nENV STRIPE_KEY=${stripe}\nRUN apt-get update && apt-get install -y curl\nCMD ["sleep", "infinity"]\n`);
  write("compose.yaml", "services:\n  app:\n    image: registry.example.com/shop/app:2\n    privileged: true\n");
  write("deploy/.env", `GITLAB_TOKEN=${gitlab}\n`);
  // A real program with a token linked into it.
  mkdirSync(join(repo, "bin"), { recursive: true });
  writeFileSync(join(repo, "bin/tool"), Buffer.concat([readFileSync("/usr/bin/true"), Buffer.from(`\0GITHUB_TOKEN=${binaryToken}\0`)]));
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("portcullis config", () => {
  let report: ConfigReport;

  before(async () => {
    const r = await portcullis(["config", repo, "-f", "json", "-q"]);
    assert.equal(r.status, 1, "a file that does not parse makes the exit status 1");
    report = JSON.parse(r.stdout) as ConfigReport;
    assert.match(r.stderr, /broken\.yaml.*line \d+/, "the broken manifest is named with its line");
  });

  test("detects each file's type and scans the others when one is broken", () => {
    const types = Object.fromEntries(report.files.map((f) => [f.path.slice(repo.length + 1), f.type]));
    assert.deepEqual(types, { Dockerfile: "dockerfile", "bin/tool": "other", "compose.yaml": "compose", "deploy/.env": "other", "k8s/broken.yaml": "kubernetes", "k8s/web.yaml": "kubernetes" });
    assert.equal(report.summary.errors, 1);
  });

  test("finds misconfigurations with file, line, resource and the fix", () => {
    const privileged = report.findings.find((f) => f.kind === "misconfig" && f.location?.path?.endsWith("web.yaml") && f.evidence?.includes("privileged"));
    assert.ok(privileged, "the privileged container is found");
    assert.equal(privileged.location?.line, 20);
    assert.deepEqual(privileged.location?.resource, { kind: "Deployment", namespace: "shop", name: "web" });
    assert.equal(privileged.location?.container, "web");
    assert.equal(privileged.fix?.jsonPath, "$.spec.template.spec.containers[0].securityContext.privileged");
    assert.equal(privileged.fix?.value, false);
    assert.ok(report.findings.some((f) => f.id.startsWith("PCS-DF-") && f.location?.path?.endsWith("Dockerfile")));
    assert.ok(report.findings.some((f) => f.id.startsWith("PCS-CMP-") && f.location?.line === 4));
  });

  test("finds the secret in the manifest, the Dockerfile and the env file", () => {
    const found = report.findings.filter((f) => f.kind === "secret").map((f) => `${f.id} ${f.location?.path?.slice(repo.length + 1)}:${f.location?.line}`);
    assert.ok(found.includes("PCS-SEC-007 k8s/web.yaml:18"), found.join(", "));
    assert.ok(found.includes("PCS-SEC-011 Dockerfile:2"), found.join(", "));
    assert.ok(found.includes("PCS-SEC-008 deploy/.env:1"), found.join(", "));
  });

  test("skips binaries unless asked, then finds the secret inside one", async () => {
    assert.equal(report.files.find((f) => f.path.endsWith("bin/tool"))?.skipped, "binary");
    assert.ok(!report.findings.some((f) => f.location?.path?.endsWith("bin/tool")));
    const r = await portcullis(["config", join(repo, "bin"), "--secret-binaries", "-f", "json", "-q"]);
    assert.equal(r.status, 0, r.stderr);
    const asked = JSON.parse(r.stdout) as ConfigReport;
    assert.deepEqual(asked.findings.map((f) => f.id), ["PCS-SEC-007"]);
    assert.ok(!r.stdout.includes(binaryToken));
  });

  test("never prints a secret in full, in any format", async () => {
    for (const format of ["json", "table", "sarif"]) {
      const r = await portcullis(["config", repo, "-f", format, "-q"]);
      assert.ok(r.stdout.length > 0, format);
      for (const secret of secrets) {
        assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format} output holds a secret in full`);
        assert.ok(!r.stdout.includes(secret.slice(-12)), `${format} output holds the end of a secret`);
      }
    }
  });

  test("SARIF points at the file and lines of each finding", async () => {
    const r = await portcullis(["config", join(repo, "k8s/web.yaml"), "-f", "sarif", "-q"]);
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const run = sarif.runs[0]!;
    assert.ok(run.results.length > 0);
    for (const result of run.results) {
      assert.ok(result.locations[0]!.physicalLocation.artifactLocation.uri.endsWith("k8s/web.yaml"));
      assert.ok(result.locations[0]!.physicalLocation.region.startLine > 1);
    }
    assert.ok(run.tool.driver.rules.every((rule) => rule.help.text.includes("Remediation:")), "rule help comes from the catalog");
  });

  test("a .portcullisignore suppresses with a reason, and an expired one stops applying and says so", async () => {
    const dir = join(work, "suppressed");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "compose.yaml"), readFileSync(join(repo, "compose.yaml")));
    const privileged = report.findings.find((f) => f.id.startsWith("PCS-CMP-") && f.location?.line === 4)!;
    writeFileSync(join(dir, ".portcullisignore"), `suppressions:\n  - rule: ${privileged.id}\n    path: compose.yaml\n    reason: the app drives a USB device\n    expires: 2099-12-31\n`);
    const kept = await portcullis(["config", dir, "-f", "json", "-q"]);
    const keptReport = JSON.parse(kept.stdout) as ConfigReport;
    assert.ok(!keptReport.findings.some((f) => f.id === privileged.id));
    assert.equal(keptReport.suppressed.find((s) => s.finding.id === privileged.id)?.by.reason, "the app drives a USB device");

    writeFileSync(join(dir, ".portcullisignore"), `suppressions:\n  - rule: ${privileged.id}\n    path: compose.yaml\n    reason: the app drives a USB device\n    expires: 2020-01-31\n`);
    const expired = await portcullis(["config", dir, "-f", "json", "-q"]);
    assert.ok((JSON.parse(expired.stdout) as ConfigReport).findings.some((f) => f.id === privileged.id));
    assert.match(expired.stderr, /expired on 2020-01-31/);
  });

  test("rules list and show read the same catalog the checks run", async () => {
    const list = await portcullis(["rules", "list", "-f", "json"]);
    const rules = JSON.parse(list.stdout) as { id: string }[];
    for (const family of ["K8S", "DF", "CMP", "IMG", "SEC"]) assert.ok(rules.some((r) => r.id.startsWith(`PCS-${family}-`)), family);
    const ids = new Set(rules.map((r) => r.id));
    assert.ok(report.findings.every((f) => ids.has(f.id)), "every finding's id is in the catalog");
    const show = await portcullis(["rules", "show", report.findings[0]!.id]);
    assert.match(show.stdout, /Why: .+\n\nRemediation: /);
    const unknown = await portcullis(["rules", "show", "PCS-K8S-999"]);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no rule has the id "PCS-K8S-999"/);
  });
});
