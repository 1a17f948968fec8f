/**
 * The Kubernetes rules, specified by fixtures: every rule has manifests that
 * must fail — each declaring where with a comment
 * `# expect: PCS-K8S-nnn line N <JSON path> [fix <JSON path> [= <JSON value>]]` —
 * and manifests that must pass (testdata/rules/<rule id>/fail-*.yaml,
 * pass-*.yaml; a JSON fixture, which cannot hold comments, keeps them in
 * <name>.json.expect beside it). A fixture may set the scan's options with
 * `# options: {"trustedRegistries": [...], "wholeDirectory": true}`.
 * Then the pod-level against container-level security context in all four
 * combinations, and one realistic multi-document file with its full list of
 * findings.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { RULE_ID, type Finding } from "../../common/index.js";
import { KUBERNETES_RULES, checkObjects, objectsOfText, type KubernetesCheckOptions, type KubernetesRule } from "./index.js";

const RULES_DIR = new URL("./testdata/rules/", import.meta.url);
const EXPECT = /^#\s*expect:\s*(PCS-K8S-\d{3})\s+line\s+(\d+)\s+(\S+)(?:\s+fix\s+(\S+)(?:\s+=\s+(.+?))?)?\s*$/gm;
const OPTIONS = /^#\s*options:\s*(.+)$/m;

interface Expected {
  id: string;
  line: number;
  jsonPath: string;
  fixPath?: string;
  fixValue?: unknown;
}

function fixtures(ruleId: string): string[] {
  try {
    return readdirSync(new URL(`${ruleId}/`, RULES_DIR)).filter((f) => f.endsWith(".yaml") || f.endsWith(".json")).sort();
  } catch {
    return [];
  }
}

function expectations(text: string): Expected[] {
  return [...text.matchAll(EXPECT)].map((m) => {
    const e: Expected = { id: m[1]!, line: Number(m[2]), jsonPath: m[3]! };
    if (m[4] !== undefined) e.fixPath = m[4];
    if (m[5] !== undefined) e.fixValue = JSON.parse(m[5]);
    return e;
  });
}

function optionsOf(text: string): KubernetesCheckOptions {
  const m = OPTIONS.exec(text);
  return m ? (JSON.parse(m[1]!) as KubernetesCheckOptions) : {};
}

/** The findings of some rules on a fixture's text, failing on any problem reading it. */
function check(text: string, file: string, rules: readonly KubernetesRule[] = KUBERNETES_RULES, options: KubernetesCheckOptions = optionsOf(text)): Finding[] {
  const { objects, problems } = objectsOfText(text, file);
  assert.deepEqual(
    problems.map((p) => p.error.message),
    [],
    `${file} reads cleanly`,
  );
  const result = checkObjects(objects, options, rules);
  assert.deepEqual(
    result.warnings.map((w) => w.message),
    [],
    `${file} has no fields of the wrong type`,
  );
  return result.findings;
}

const place = (f: Finding): string => `${f.id} line ${f.location?.line} ${f.location?.jsonPath}`;

describe("Kubernetes rules (testdata/rules)", () => {
  it("are sorted by id, each with complete metadata and at least one failing and one passing fixture", () => {
    const ids = KUBERNETES_RULES.map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    for (const rule of KUBERNETES_RULES) {
      assert.match(rule.id, RULE_ID);
      assert.ok(rule.id.startsWith("PCS-K8S-"));
      assert.ok(rule.title && rule.why && rule.remediation, `${rule.id}: title, why and remediation`);
      assert.ok(rule.references.length > 0 && rule.references.every((r) => r.startsWith("https://kubernetes.io/docs/")), `${rule.id}: kubernetes.io references`);
      const files = fixtures(rule.id);
      assert.ok(files.some((f) => f.startsWith("fail-")), `${rule.id} has a fail-* fixture`);
      assert.ok(files.some((f) => f.startsWith("pass-")), `${rule.id} has a pass-* fixture`);
    }
  });

  it("are numbered without gaps from PCS-K8S-001", () => {
    assert.deepEqual(
      KUBERNETES_RULES.map((r) => r.id),
      KUBERNETES_RULES.map((_, i) => `PCS-K8S-${String(i + 1).padStart(3, "0")}`),
    );
  });

  it("have no fixture folder without a rule", () => {
    const known = new Set(KUBERNETES_RULES.map((r) => r.id));
    for (const entry of readdirSync(RULES_DIR, { withFileTypes: true })) {
      if (entry.isDirectory()) assert.ok(known.has(entry.name), `testdata/rules/${entry.name} names a rule`);
    }
  });

  for (const rule of KUBERNETES_RULES) {
    describe(`${rule.id} ${rule.title}`, () => {
      for (const file of fixtures(rule.id)) {
        const text = readFileSync(new URL(`${rule.id}/${file}`, RULES_DIR), "utf8");
        const path = `testdata/rules/${rule.id}/${file}`;
        if (file.startsWith("fail-")) {
          it(`fails ${file} exactly where it declares, with the fix it declares`, () => {
            const findings = check(text, path, [rule]);
            const expected = expectations(file.endsWith(".json") ? readFileSync(new URL(`${rule.id}/${file}.expect`, RULES_DIR), "utf8") : text);
            assert.ok(expected.length > 0, `${file} declares what it expects`);
            assert.ok(expected.every((e) => e.id === rule.id), `${file} expects only ${rule.id}`);
            assert.deepEqual(findings.map(place).sort(), expected.map((e) => `${e.id} line ${e.line} ${e.jsonPath}`).sort());
            for (const e of expected) {
              const f = findings.find((x) => place(x) === `${e.id} line ${e.line} ${e.jsonPath}`)!;
              if (e.fixPath !== undefined) assert.equal(f.fix?.jsonPath, e.fixPath, `${place(f)}: fix path`);
              if (Object.hasOwn(e, "fixValue")) assert.deepEqual(f.fix?.value, e.fixValue, `${place(f)}: fix value`);
            }
            for (const f of findings) {
              assert.equal(f.kind, "misconfig");
              assert.equal(f.location?.path, path);
              assert.ok(f.location?.resource?.kind, "names the object");
              assert.ok(f.evidence && !f.evidence.includes("\n"), "evidence is one line");
              assert.ok(f.fix?.description, "the fix says what to change");
            }
          });
        } else {
          it(`passes ${file}`, () => {
            assert.deepEqual(check(text, path, [rule]).map((f) => `${place(f)}: ${f.evidence}`), []);
          });
        }
      }
    });
  }
});

/** What a finding says about one object: rule, JSON path, and the fix's path and value. */
const fixOf = (f: Finding): string => `${f.id} ${f.location?.jsonPath} -> ${f.fix?.jsonPath ?? "-"} = ${JSON.stringify(f.fix?.value)}`;

/** The findings of some rules on a file, grouped by the name of the object they are about. */
function byObject(file: URL, ids: string[]): Map<string, string[]> {
  const rules = KUBERNETES_RULES.filter((r) => ids.includes(r.id));
  const findings = check(readFileSync(file, "utf8"), file.pathname, rules, {});
  const out = new Map<string, string[]>();
  for (const f of findings) out.set(f.location!.resource!.name, [...(out.get(f.location!.resource!.name) ?? []), fixOf(f)]);
  return out;
}

describe("the pod's securityContext against the container's, in every combination", () => {
  it("runAsNonRoot and runAsUser on neither, the pod, the container, or both with conflicting values (testdata/security-context-matrix.yaml)", () => {
    const found = byObject(new URL("./testdata/security-context-matrix.yaml", import.meta.url), ["PCS-K8S-003", "PCS-K8S-004"]);
    const template = "$.spec.template.spec";
    assert.deepEqual(Object.fromEntries(found), {
      // Nothing set: one line in the pod securityContext fixes every container.
      neither: [`PCS-K8S-003 ${template}.containers[0] -> ${template}.securityContext.runAsNonRoot = true`],
      // pod-only and container-only (runAsNonRoot true, non-zero UIDs) pass.
      // Pod says non-root as 1000, the container says runAsNonRoot false and UID 0: the container wins.
      both: [`PCS-K8S-004 ${template}.containers[0].securityContext.runAsUser -> ${template}.containers[0].securityContext.runAsUser = 10001`],
    });
  });

  it("runAsUser 0 on the pod or the container, against runAsNonRoot on the other (testdata/rules/PCS-K8S-004/fail-pod-and-container-combinations.yaml)", () => {
    const found = byObject(new URL("PCS-K8S-004/fail-pod-and-container-combinations.yaml", RULES_DIR), ["PCS-K8S-003", "PCS-K8S-004"]);
    const pod = "$.spec.securityContext.runAsUser";
    const container = "$.spec.containers[0].securityContext.runAsUser";
    assert.deepEqual(Object.fromEntries(found), {
      neither: ["PCS-K8S-003 $.spec.containers[0] -> $.spec.securityContext.runAsNonRoot = true"],
      "pod-root": [`PCS-K8S-004 ${pod} -> ${pod} = 10001`],
      "container-root": [`PCS-K8S-004 ${container} -> ${container} = 10001`],
      "pod-root-container-nonroot": [`PCS-K8S-004 ${pod} -> ${pod} = 10001`],
      "pod-nonroot-container-root": [`PCS-K8S-004 ${container} -> ${container} = 10001`],
      // pod-false-container-true passes: the container's true wins.
    });
  });

  it("says when a container's runAsUser 0 defeats a runAsNonRoot: true (the kubelet will refuse to start it)", () => {
    const text = readFileSync(new URL("PCS-K8S-004/fail-pod-and-container-combinations.yaml", RULES_DIR), "utf8");
    const findings = check(text, "combinations.yaml", KUBERNETES_RULES.filter((r) => r.id === "PCS-K8S-004"), {});
    const refused = findings.filter((f) => f.evidence?.includes("the kubelet refuses to start it")).map((f) => f.location?.resource?.name);
    assert.deepEqual(refused, ["pod-root-container-nonroot", "pod-nonroot-container-root"]);
  });

  it("seccompProfile on neither, the pod, the container, or both with conflicting values (testdata/rules/PCS-K8S-016/fail-pod-and-container-combinations.yaml)", () => {
    const found = byObject(new URL("PCS-K8S-016/fail-pod-and-container-combinations.yaml", RULES_DIR), ["PCS-K8S-016"]);
    const runtimeDefault = JSON.stringify({ type: "RuntimeDefault" });
    assert.deepEqual(Object.fromEntries(found), {
      neither: [`PCS-K8S-016 $.spec.containers[0] -> $.spec.securityContext.seccompProfile = ${runtimeDefault}`],
      // pod-only and container-only pass.
      "pod-default-container-unconfined": [`PCS-K8S-016 $.spec.containers[0].securityContext.seccompProfile -> $.spec.containers[0].securityContext.seccompProfile = ${runtimeDefault}`],
      // The Localhost container passes; its sidecar inherits the pod's Unconfined, fixed at the pod.
      "pod-unconfined-container-localhost": [`PCS-K8S-016 $.spec.securityContext.seccompProfile -> $.spec.securityContext.seccompProfile = ${runtimeDefault}`],
    });
  });
});

describe("a realistic multi-document file (testdata/rules/shop-bundle.yaml)", () => {
  const text = readFileSync(new URL("shop-bundle.yaml", RULES_DIR), "utf8");
  const { objects } = objectsOfText(text, "k8s/shop.yaml");
  const { findings, warnings } = checkObjects(objects, { wholeDirectory: true });
  const deployment = "$.spec.template.spec.containers";
  const cronJob = "$.spec.jobTemplate.spec.template.spec";

  it("finds exactly these, sorted by line then rule id", () => {
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      findings.map((f) => `${f.id} line ${f.location?.line} ${f.location?.jsonPath}${f.location?.container ? ` (${f.location.container})` : ""}`),
      [
        "PCS-K8S-036 line 8 $.metadata.namespace",
        `PCS-K8S-025 line 29 ${deployment}[0].image (web)`,
        `PCS-K8S-027 line 36 ${deployment}[0].env[1].value (web)`,
        `PCS-K8S-023 line 44 ${deployment}[0].resources.limits (web)`,
        // The metrics sidecar inherits runAsNonRoot and seccomp from the pod, but sets nothing of its own.
        `PCS-K8S-002 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-006 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-007 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-020 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-021 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-022 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-023 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-030 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-031 line 49 ${deployment}[1] (metrics)`,
        `PCS-K8S-025 line 50 ${deployment}[1].image (metrics)`,
        "PCS-K8S-035 line 84 $.rules[1].resources[0]",
        "PCS-K8S-034 line 87 $.rules[2].resources[0]",
        // The CronJob runs as the namespace's default ServiceAccount, which the file does not define; no probes are expected of it.
        `PCS-K8S-028 line 114 ${cronJob}`,
        `PCS-K8S-002 line 117 ${cronJob}.containers[0] (report)`,
        `PCS-K8S-003 line 117 ${cronJob}.containers[0] (report)`,
        `PCS-K8S-006 line 117 ${cronJob}.containers[0] (report)`,
        `PCS-K8S-007 line 117 ${cronJob}.containers[0] (report)`,
        `PCS-K8S-016 line 117 ${cronJob}.containers[0] (report)`,
        `PCS-K8S-024 line 118 ${cronJob}.containers[0].image (report)`,
      ],
    );
  });

  it("names the object and the fix for each, and carries the rule's catalog data", () => {
    const escalation = findings.find((f) => f.id === "PCS-K8S-002" && f.location?.container === "report")!;
    assert.deepEqual(escalation.location?.resource, { kind: "CronJob", namespace: "shop", name: "nightly-report" });
    assert.deepEqual(escalation.fix, { description: "set securityContext.allowPrivilegeEscalation to false", jsonPath: `${cronJob}.containers[0].securityContext.allowPrivilegeEscalation`, value: false });
    assert.equal(escalation.location?.path, "k8s/shop.yaml");
    assert.equal(escalation.severity, "medium");
    assert.ok(escalation.aliases.includes("KSV-0001") && escalation.aliases.includes("CKV_K8S_20"));
    const network = findings.find((f) => f.id === "PCS-K8S-036")!;
    assert.equal(network.evidence, 'namespace "shop" has 2 workload(s) (Deployment/storefront, CronJob/nightly-report) and no NetworkPolicy');
    assert.deepEqual(network.fix?.value, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: "shop" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
  });

  it("never shows the secret it found", () => {
    for (const f of findings) assert.ok(!JSON.stringify(f).includes("s3cr3t-Sh0p-2024"), `${f.id} hides the password`);
    assert.match(findings.find((f) => f.id === "PCS-K8S-027")?.evidence ?? "", /^env DB_PASSWORD=s3\*\*\*\*… \(sha256:[0-9a-f]{16}\)/);
  });
});

describe("checkObjects", () => {
  it("returns the workloads' warnings beside the findings, and counts a wrongly typed value as unset", () => {
    const { objects } = objectsOfText('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: lab}\nspec:\n  containers:\n    - name: app\n      image: registry.example.com/lab/app:1.0.0\n      securityContext: {privileged: "true"}\n', "pod.yaml");
    const { findings, warnings } = checkObjects(objects, {}, KUBERNETES_RULES.filter((r) => r.id === "PCS-K8S-001"));
    assert.deepEqual(findings, []);
    assert.deepEqual(
      warnings.map((w) => w.message),
      ["pod.yaml line 8: $.spec.containers[0].securityContext.privileged: expected a boolean, got a string"],
    );
  });

  it("finds the same in a List as in separate documents, with the item's path", () => {
    const pod = "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: lab}, spec: {containers: [{name: app, image: 'registry.example.com/lab/app:1.0.0', securityContext: {privileged: true}}]}}";
    const { objects } = objectsOfText(`apiVersion: v1\nkind: List\nitems:\n  - ${pod}\n`, "list.yaml");
    const { findings } = checkObjects(objects, {}, KUBERNETES_RULES.filter((r) => r.id === "PCS-K8S-001"));
    assert.deepEqual(findings.map((f) => [f.location?.jsonPath, f.fix?.jsonPath]), [["$.items[0].spec.containers[0].securityContext.privileged", "$.items[0].spec.containers[0].securityContext.privileged"]]);
  });

  it("sorts by file first, so findings of several files come out in a stable order", () => {
    const text = readFileSync(new URL("PCS-K8S-001/fail-privileged-container.yaml", RULES_DIR), "utf8");
    const a = objectsOfText(text, "b.yaml").objects;
    const b = objectsOfText(text, "a.yaml").objects;
    const { findings } = checkObjects([...a, ...b]);
    const files = findings.map((f) => f.location?.path);
    assert.deepEqual(files, [...files].sort());
    assert.equal(files[0], "a.yaml");
  });
});
