import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { LineCounter, parseAllDocuments } from "yaml";
import type { FindingResource } from "../../common/index.js";
import { annotationSuppressions } from "./annotations.js";
import type { Suppression } from "./suppression.js";
import { inputError } from "../../../test/support/input-error.js";

const FILE = "shop/k8s/workloads.yaml";

/** Each object of the fixture with its annotations and first line, as the CLI hands them over. */
function objectsOf(text: string): { resource: FindingResource; annotations: Record<string, string>; line: number }[] {
  const lines = new LineCounter();
  return parseAllDocuments(text, { lineCounter: lines }).flatMap((doc) => {
    const value = doc.toJS() as { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } } | null;
    if (!value) return [];
    const resource: FindingResource = { kind: value.kind, name: value.metadata.name };
    if (value.metadata.namespace) resource.namespace = value.metadata.namespace;
    return [{ resource, annotations: value.metadata.annotations ?? {}, line: lines.linePos(doc.contents!.range[0]).line }];
  });
}

const objects = objectsOf(readFileSync(new URL("./testdata/shop/k8s/workloads.yaml", import.meta.url), "utf8"));
const all: Suppression[] = objects.flatMap((o) => annotationSuppressions(o.annotations, o.resource, FILE, o.line));

describe("suppressions in object annotations (testdata/shop/k8s/workloads.yaml)", () => {
  it("reads ours, Checkov's and kube-linter's, each for the object it annotates", () => {
    assert.deepEqual(
      all.map((s) => [s.origin.tool, s.rule, s.object, s.origin.line]),
      [
        ["portcullis", "PCS-K8S-003", { kind: "Deployment", namespace: "shop", name: "web" }, 28],
        ["checkov", "CKV_K8S_23", { kind: "Deployment", namespace: "shop", name: "web" }, 28],
        ["kube-linter", "privileged-container", { kind: "Deployment", namespace: "shop", name: "legacy-billing" }, 50],
      ],
    );
    for (const s of all) assert.equal(s.file, FILE);
    for (const s of all) assert.equal(s.origin.kind, "annotation");
  });

  it("reads our value as reason, then expiry and approver", () => {
    assert.equal(all[0]!.reason, "the image's entrypoint drops root");
    assert.equal(all[0]!.expires, "2027-01-31");
    assert.equal(all[0]!.approvedBy, "alice@shop.example");
  });

  it("takes Checkov's and kube-linter's reasons from the value", () => {
    assert.equal(all[1]!.reason, "root is needed for port 80 until the chart moves to 8080");
    assert.equal(all[2]!.reason, "runs on the dedicated billing node pool");
  });
});

describe("annotation forms", () => {
  const web: FindingResource = { kind: "Deployment", namespace: "shop", name: "web" };
  const read = (annotations: Record<string, string>, file = "web.yaml") => annotationSuppressions(annotations, web, file, 7);

  it("reads Checkov's skip without a number or a reason, and its other prefixes", () => {
    assert.deepEqual(
      read({ "checkov.io/skip": "CKV_K8S_14", "bridgecrew.io/skip2": "CKV_K8S_11=BestEffort QoS on purpose" }).map((s) => [s.rule, s.reason]),
      [
        ["CKV_K8S_14", "no reason given"],
        ["CKV_K8S_11", "BestEffort QoS on purpose"],
      ],
    );
  });

  it("reads kube-linter's ignore-all as every rule", () => {
    assert.deepEqual(
      read({ "kube-linter.io/ignore-all": "managed by the operator" }).map((s) => [s.rule, s.reason]),
      [["*", "managed by the operator"]],
    );
  });

  it("leaves other annotations alone", () => {
    assert.deepEqual(read({ "deployment.kubernetes.io/revision": "3", "checkov.io/other": "x", "ignore.portcullis.dev": "x" }), []);
  });

  it("does not scope to a file when the object comes from none", () => {
    const [s] = read({ "ignore.portcullis.dev/PCS-K8S-001": "lab cluster" }, "");
    assert.equal(s!.file, undefined);
    assert.deepEqual(s!.object, web);
  });

  it("refuses malformed values of ours, naming the file, the object's line and the annotation", () => {
    const err = inputError(() => read({ "ignore.portcullis.dev/PCS-K8S-001": "; expires=2027-01-01" }));
    assert.equal(err.source, "web.yaml");
    assert.equal(err.location, "line 7");
    assert.match(err.detail, /^annotation "ignore.portcullis.dev\/PCS-K8S-001" of Deployment\/shop\/web: expected "reason\[; expires=YYYY-MM-DD\]\[; approvedBy=who\]"/);
    assert.match(inputError(() => read({ "ignore.portcullis.dev/PCS-K8S-001": "ok; until=2027-01-01" })).detail, /unknown key "until"; known keys: expires, approvedBy/);
    assert.match(inputError(() => read({ "ignore.portcullis.dev/PCS-K8S-001": "ok; expires=2027-02-30" })).detail, /got "2027-02-30", which is no calendar day/);
    assert.match(inputError(() => read({ "ignore.portcullis.dev/PCS-K8S-001": "ok; next quarter" })).detail, /expected key=value after the reason/);
    assert.match(inputError(() => read({ "ignore.portcullis.dev/": "ok" })).detail, /expected a rule id/);
  });

  it("refuses a Checkov skip without a check id", () => {
    assert.match(inputError(() => read({ "checkov.io/skip1": "=no id" })).detail, /expected CHECK_ID=reason/);
  });
});
