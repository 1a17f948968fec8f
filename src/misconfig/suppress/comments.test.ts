import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { inlineSuppressions } from "./comments.js";
import type { Suppression } from "./suppression.js";
import { inputError } from "../../../test/support/input-error.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

/** What a test wants to see of a suppression: who, what, where it applies, until when. */
const brief = (s: Suppression) => ({ tool: s.origin.tool, line: s.origin.line, rule: s.rule, lines: s.lines, expires: s.expires });

describe("suppression comments in a Dockerfile (testdata/shop/Dockerfile)", () => {
  const found = inlineSuppressions(fixture("shop/Dockerfile"), "shop/Dockerfile");

  it("reads ours and Trivy's, Hadolint's and Checkov's, each scoped to the file it is in", () => {
    assert.deepEqual(found.map(brief), [
      { tool: "checkov", line: 3, rule: "CKV_DOCKER_2", lines: undefined, expires: undefined },
      { tool: "hadolint", line: 4, rule: "DL3007", lines: { from: 5, to: 5 }, expires: undefined },
      { tool: "portcullis", line: 6, rule: "PCS-DF-008", lines: { from: 7, to: 9 }, expires: "2027-03-31" },
      { tool: "trivy", line: 13, rule: "DS-0004", lines: { from: 14, to: 14 }, expires: undefined },
      { tool: "portcullis", line: 15, rule: "PCS-DF-001", lines: { from: 16, to: 16 }, expires: "2026-01-31" },
    ]);
    for (const s of found) assert.equal(s.file, "shop/Dockerfile");
    for (const s of found) assert.equal(s.origin.kind, "comment");
  });

  it("takes each reason from the comment", () => {
    assert.deepEqual(
      found.map((s) => s.reason),
      [
        "the orchestrator probes the worker over HTTP",
        "no reason given",
        "recommended packages bring the CA bundle the build needs",
        "the bastion pattern needs sshd in this image",
        "the entrypoint drops to uid 10001",
      ],
    );
  });

  it("covers an instruction with its continuation lines, and Checkov's skip the whole file", () => {
    assert.deepEqual(found[2]!.lines, { from: 7, to: 9 });
    assert.equal(found[0]!.lines, undefined);
  });
});

describe("suppression comments in a manifest (testdata/shop/k8s/workloads.yaml)", () => {
  const found = inlineSuppressions(fixture("shop/k8s/workloads.yaml"), "shop/k8s/workloads.yaml");

  it("covers the whole object when the comment sits above a document's first line", () => {
    const s = found.find((x) => x.rule === "PCS-K8S-009")!;
    assert.deepEqual(s.lines, { from: 4, to: 26 }, "apiVersion: to the last line before the next ---");
    assert.equal(s.approvedBy, "sre-lead@shop.example");
    assert.equal(s.expires, undefined);
  });

  it("covers one container when the comment sits above its list item", () => {
    const s = found.find((x) => x.rule === "PCS-K8S-001")!;
    assert.deepEqual(s.lines, { from: 19, to: 22 }, "- name: agent … privileged: true, not the log-shipper after it");
    assert.equal(s.expires, "2027-03-31");
  });

  it("covers the node a trailing comment ends, with Trivy's exp: date", () => {
    const s = found.find((x) => x.origin.tool === "trivy")!;
    assert.deepEqual(brief(s), { tool: "trivy", line: 46, rule: "KSV-0014", lines: { from: 46, to: 48 }, expires: "2026-06-01" });
    const scalar = found.find((x) => x.rule === "PCS-K8S-011")!;
    assert.deepEqual(scalar.lines, { from: 68, to: 68 });
    assert.equal(scalar.reason, "the billing HSM driver needs /dev access");
  });

  it("finds nothing else: annotations are not comments", () => {
    assert.equal(found.length, 4);
  });
});

describe("where a comment applies", () => {
  it("targets the line after a run of comments, and nothing across a blank line", () => {
    const text = ["# portcullis:ignore PCS-DF-010 reason=legacy", "# installs need root here", "RUN sudo make install", "", "# portcullis:ignore PCS-DF-011 reason=bastion", "", "EXPOSE 22"].join("\n");
    const found = inlineSuppressions(text, "Dockerfile");
    assert.deepEqual(found[0]!.lines, { from: 3, to: 3 });
    assert.deepEqual(found[1]!.lines, { from: 6, to: 6 }, "a blank line: covers nothing, so it is reported unused");
  });

  it("covers the document after a --- that the comment sits above", () => {
    const text = ["# portcullis:ignore PCS-K8S-003 reason=\"sandbox namespace\"", "---", "apiVersion: v1", "kind: Pod", "metadata:", "  name: sandbox", "---", "apiVersion: v1", "kind: Pod"].join("\n");
    assert.deepEqual(inlineSuppressions(text, "pods.yml")[0]!.lines, { from: 2, to: 6 });
  });

  it("covers a mapping key with everything under it, including a sequence at its own indentation", () => {
    const text = [
      "apiVersion: v1",
      "kind: Pod",
      "spec:",
      "  # portcullis:ignore PCS-K8S-001 reason=\"all containers of the lab pod\"",
      "  containers:",
      "  - name: a",
      "    image: a:1",
      "",
      "  - name: b",
      "    image: b:1",
      "  volumes: []",
    ].join("\n");
    assert.deepEqual(inlineSuppressions(text, "pod.yaml")[0]!.lines, { from: 5, to: 10 });
  });

  it("reads several rule ids, spaced or not, as one suppression each", () => {
    const found = inlineSuppressions('FROM alpine:3.20\n# portcullis:ignore PCS-DF-001, PCS-DF-012,PCS-DF-*  reason="scratch image for CI" approvedBy=ci-team\nUSER root\n', "ci/Dockerfile");
    assert.deepEqual(
      found.map((s) => [s.rule, s.lines, s.approvedBy]),
      [
        ["PCS-DF-001", { from: 3, to: 3 }, "ci-team"],
        ["PCS-DF-012", { from: 3, to: 3 }, "ci-team"],
        ["PCS-DF-*", { from: 3, to: 3 }, "ci-team"],
      ],
    );
  });

  it("reads several Trivy ids on one line, tfsec's prefix, and * for every rule", () => {
    const found = inlineSuppressions("# trivy:ignore:KSV-0017 #tfsec:ignore:AVD-KSV-0014[x=1] trivy:ignore:*:exp:2027-01-01\nkind: Pod\n", "pod.yaml");
    assert.deepEqual(
      found.map((s) => [s.rule, s.expires]),
      [
        ["KSV-0017", undefined],
        ["AVD-KSV-0014", undefined],
        ["*", "2027-01-01"],
      ],
    );
  });

  it("reads Hadolint's global ignore as the whole file, and its trailing comment as the reason", () => {
    const found = inlineSuppressions("# hadolint global ignore=DL3008, DL3015 # pinned by the base image's snapshot\nFROM debian:12\n", "Dockerfile");
    assert.deepEqual(
      found.map((s) => [s.rule, s.lines, s.reason]),
      [
        ["DL3008", undefined, "pinned by the base image's snapshot"],
        ["DL3015", undefined, "pinned by the base image's snapshot"],
      ],
    );
  });

  it("ignores comments that only mention a directive, and # inside values", () => {
    const text = ["# To suppress, write portcullis:ignore above the line.", 'image: "registry/app#portcullis:ignore"', "url: http://x/#trivy:ignore:KSV-0017"].join("\n");
    assert.deepEqual(inlineSuppressions(text, "values.yaml"), []);
  });
});

describe("malformed portcullis:ignore comments are errors naming the file and line", () => {
  const error = (text: string) => inputError(() => inlineSuppressions(text, "deploy/app.yaml"));

  it("requires a reason", () => {
    const err = error("kind: Pod\n# portcullis:ignore PCS-K8S-001\nspec: {}\n");
    assert.equal(err.source, "deploy/app.yaml");
    assert.equal(err.location, "line 2");
    assert.match(err.detail, /a reason is required/);
    assert.match(error('# portcullis:ignore PCS-K8S-001 reason=""\n').detail, /a reason is required/);
  });

  it("refuses unknown keys, naming them", () => {
    assert.equal(error('# portcullis:ignore PCS-K8S-001 reason="x" until=2027-01-01\n').detail, 'portcullis:ignore: unknown key "until"; known keys: reason, expires, approvedBy');
  });

  it("refuses dates that are no calendar day", () => {
    assert.match(error('# portcullis:ignore PCS-K8S-001 reason="x" expires=2027-02-30\n').detail, /expires: expected a date YYYY-MM-DD, got "2027-02-30"/);
    assert.match(inputError(() => inlineSuppressions("# trivy:ignore:DS-0002:exp:2027-13-01\nUSER root\n", "Dockerfile")).detail, /trivy:ignore exp: expected a date YYYY-MM-DD, got "2027-13-01"/);
  });

  it("refuses a comment without rule ids, stray words and repeated keys", () => {
    assert.match(error('# portcullis:ignore reason="x"\n').detail, /expected rule ids/);
    assert.match(error('# portcullis:ignore PCS-K8S-001 because reason="x"\n').detail, /expected key=value pairs .* got "because reason="x""/);
    assert.match(error('# portcullis:ignore PCS-K8S-001 reason="x" reason="y"\n').detail, /"reason" given twice/);
    assert.match(error('# portcullis:ignore PCS-K8S-001 reason="unterminated\n').detail, /expected key=value pairs/);
  });

  it("reads escaped quotes in a reason", () => {
    const [s] = inlineSuppressions('# portcullis:ignore PCS-K8S-001 reason="the \\"agent\\" needs it"\nkind: Pod\n', "pod.yaml");
    assert.equal(s!.reason, 'the "agent" needs it');
  });
});
