import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { LineCounter, parseAllDocuments } from "yaml";
import type { Finding, FindingResource } from "../../common/index.js";
import { annotationSuppressions } from "./annotations.js";
import { applySuppressions, expiredNotice, unusedNotice } from "./apply.js";
import { inlineSuppressions } from "./comments.js";
import { parseIgnoreFile } from "./ignore-file.js";
import type { Suppression } from "./suppression.js";
import { parseTrivyIgnore } from "./trivyignore.js";

const read = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

/** The findings a scan of testdata/shop reports before suppressions. */
const findings = JSON.parse(read("shop/findings.json")) as Finding[];

/** The annotations of each object of a manifest, as the CLI hands them over. */
function annotationsOf(text: string, file: string): Suppression[] {
  const lines = new LineCounter();
  return parseAllDocuments(text, { lineCounter: lines }).flatMap((doc) => {
    const value = doc.toJS() as { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } } | null;
    if (!value) return [];
    const resource: FindingResource = { kind: value.kind, name: value.metadata.name, namespace: value.metadata.namespace };
    return annotationSuppressions(value.metadata.annotations ?? {}, resource, file, lines.linePos(doc.contents!.range[0]).line);
  });
}

/** Every suppression of the shop repository, in the order the CLI gathers them. */
const suppressions: Suppression[] = [
  ...parseIgnoreFile(read("shop/.portcullisignore"), "shop/.portcullisignore"),
  ...parseTrivyIgnore(read("shop/.trivyignore"), "shop/.trivyignore"),
  ...inlineSuppressions(read("shop/Dockerfile"), "shop/Dockerfile"),
  ...inlineSuppressions(read("shop/k8s/workloads.yaml"), "shop/k8s/workloads.yaml"),
  ...annotationsOf(read("shop/k8s/workloads.yaml"), "shop/k8s/workloads.yaml"),
];

const TODAY = new Date("2026-06-15T12:00:00Z");
const where = (f: Finding): string => `${f.id} ${f.location?.path}:${f.location?.line}`;
const by = (s: Suppression): string => `${s.origin.tool} ${s.rule} ${s.origin.file}:${s.origin.line}`;

describe("suppressing the findings of the shop repository (testdata/shop) on 2026-06-15", () => {
  const result = applySuppressions(findings, suppressions, TODAY);

  it("reports what no suppression in force covers", () => {
    assert.deepEqual(result.findings.map(where), [
      "PCS-DF-005 shop/Dockerfile:11",
      "PCS-K8S-001 shop/k8s/workloads.yaml:26",
      "PCS-K8S-007 shop/k8s/workloads.yaml:47",
    ]);
  });

  it("says which suppression covers each other finding, whatever syntax it was written in", () => {
    assert.deepEqual(
      result.suppressed.map((s) => [where(s.finding), by(s.by)]),
      [
        ["PCS-DF-004 shop/Dockerfile:5", "hadolint DL3007 shop/Dockerfile:4"],
        ["PCS-DF-008 shop/Dockerfile:7", "portcullis PCS-DF-008 shop/Dockerfile:6"],
        ["PCS-DF-012 shop/Dockerfile:11", "checkov CKV_DOCKER_2 shop/Dockerfile:3"],
        ["PCS-DF-011 shop/Dockerfile:14", "trivy DS-0004 shop/Dockerfile:13"],
        ["PCS-DF-001 shop/Dockerfile:16", "trivy DS-0002 shop/.trivyignore:2"],
        ["PCS-K8S-009 shop/k8s/workloads.yaml:16", "portcullis PCS-K8S-009 shop/k8s/workloads.yaml:3"],
        ["PCS-K8S-001 shop/k8s/workloads.yaml:22", "portcullis PCS-K8S-001 shop/k8s/workloads.yaml:18"],
        ["PCS-K8S-003 shop/k8s/workloads.yaml:48", "portcullis PCS-K8S-003 shop/k8s/workloads.yaml:28"],
        ["PCS-K8S-001 shop/k8s/workloads.yaml:68", "kube-linter privileged-container shop/k8s/workloads.yaml:50"],
        ["PCS-SEC-001 shop/sdk/tests/fixtures/credentials.env:3", "trivy aws-access-key-id shop/.trivyignore:5"],
      ],
    );
  });

  it("keeps a suppression for one container off the container beside it", () => {
    const shipper = result.findings.find((f) => f.location?.container === "log-shipper");
    assert.ok(shipper, "the log-shipper's privileged finding stays reported");
    assert.ok(result.suppressed.some((s) => s.finding.location?.container === "agent"));
  });

  it("reports expired suppressions, with the findings reported again because of them", () => {
    assert.deepEqual(
      result.expired.map((e) => [by(e.suppression), e.suppression.expires, e.findings.map(where)]),
      [
        ["portcullis PCS-K8S-001 shop/.portcullisignore:2", "2026-06-14", ["PCS-K8S-001 shop/k8s/workloads.yaml:26"]],
        ["portcullis PCS-DF-001 shop/Dockerfile:15", "2026-01-31", []],
        ["trivy KSV-0014 shop/k8s/workloads.yaml:46", "2026-06-01", ["PCS-K8S-007 shop/k8s/workloads.yaml:47"]],
      ],
    );
    assert.equal(
      expiredNotice(result.expired[0]!),
      "suppression of PCS-K8S-001 in shop/.portcullisignore:2 expired on 2026-06-14; the finding is reported again",
    );
    assert.equal(expiredNotice(result.expired[1]!), "suppression of PCS-DF-001 in shop/Dockerfile:15 expired on 2026-01-31; remove or renew it");
  });

  it("reports suppressions in force that cover nothing", () => {
    assert.deepEqual(result.unused.map(by), ["portcullis PCS-DF-* shop/.portcullisignore:9", "portcullis PCS-K8S-011 shop/k8s/workloads.yaml:68"]);
    assert.equal(unusedNotice(result.unused[0]!), "suppression of PCS-DF-* in shop/.portcullisignore:9 matches no finding");
  });

  it("loses no finding and counts a suppression used when a first one already covered the finding", () => {
    assert.equal(result.findings.length + result.suppressed.length, findings.length);
    assert.ok(!result.unused.some((s) => s.rule === "CKV_K8S_23"), "Checkov's skip covers the same finding as ours");
  });
});

describe("expiry", () => {
  const finding = findings.find((f) => f.id === "PCS-DF-011")!;
  const until = (expires: string): Suppression => ({
    rule: "PCS-DF-011",
    reason: "bastion image",
    expires,
    origin: { kind: "ignore-file", tool: "portcullis", file: ".portcullisignore", line: 2 },
  });

  it("applies before the expiry date and stops on it", () => {
    assert.equal(applySuppressions([finding], [until("2026-06-16")], TODAY).suppressed.length, 1, "tomorrow: in force");
    assert.equal(applySuppressions([finding], [until("2026-06-15")], TODAY).suppressed.length, 0, "today: expired");
    const yesterday = applySuppressions([finding], [until("2026-06-14")], TODAY);
    assert.deepEqual(yesterday.findings, [finding]);
    assert.equal(yesterday.expired.length, 1);
    assert.deepEqual(yesterday.unused, [], "an expired suppression is reported as expired, not as unused");
  });

  it("reads today as a UTC calendar day", () => {
    assert.equal(applySuppressions([finding], [until("2026-06-16")], new Date("2026-06-15T23:59:59Z")).suppressed.length, 1);
    assert.equal(applySuppressions([finding], [until("2026-06-16")], new Date("2026-06-16T00:00:00Z")).suppressed.length, 0);
  });
});
