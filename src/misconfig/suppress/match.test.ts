import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Finding } from "../../common/index.js";
import { findingPath, normalId, resourceMatches, ruleMatches, suppressionMatches } from "./match.js";
import type { Suppression } from "./suppression.js";

const privileged: Finding = {
  kind: "misconfig",
  id: "PCS-K8S-001",
  aliases: ["KSV-0017", "CKV_K8S_16", "C-0057", "privileged-container"],
  severity: "high",
  title: "Container runs privileged",
  references: [],
  location: {
    path: "./deploy/agent.yaml",
    line: 22,
    resource: { kind: "DaemonSet", namespace: "kube-system", name: "node-agent" },
    container: "agent",
  },
};

const inImage: Finding = {
  kind: "secret",
  id: "PCS-SEC-001",
  aliases: ["aws-access-key-id"],
  severity: "high",
  title: "AWS access key ID",
  references: [],
  location: { path: "usr/share/doc/awscli/examples.txt", line: 12, layer: "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1" },
};

const suppression = (scope: Partial<Suppression>): Suppression => ({
  rule: "PCS-K8S-001",
  reason: "test",
  origin: { kind: "ignore-file", tool: "portcullis", file: ".portcullisignore", line: 1 },
  ...scope,
});

describe("rule ids", () => {
  it("compare Trivy's spellings of one check as equal", () => {
    assert.equal(normalId("KSV017"), "KSV-17");
    assert.equal(normalId("ksv-0017"), "KSV-17");
    assert.equal(normalId("AVD-KSV-0017"), "KSV-17");
    assert.equal(normalId("CKV_K8S_16"), "CKV_K8S_16");
    assert.equal(normalId("DL3002"), "DL-3002");
  });

  it("name a finding by our id, a glob of ours, or any alias", () => {
    for (const rule of ["PCS-K8S-001", "pcs-k8s-001", "PCS-K8S-*", "*", "KSV-0017", "AVD-KSV-0017", "KSV017", "CKV_K8S_16", "C-0057", "privileged-container"]) {
      assert.equal(ruleMatches(rule, privileged), true, rule);
    }
    for (const rule of ["PCS-K8S-003", "PCS-DF-*", "KSV-0014", "CKV_K8S_1", "C-0001", "privileged"]) {
      assert.equal(ruleMatches(rule, privileged), false, rule);
    }
  });
});

describe("scopes", () => {
  it("match paths by glob, with the finding's path normalized", () => {
    assert.equal(findingPath(privileged), "deploy/agent.yaml");
    assert.equal(suppressionMatches(suppression({ path: "deploy/*.yaml" }), privileged), true);
    assert.equal(suppressionMatches(suppression({ path: "deploy/**" }), privileged), true);
    assert.equal(suppressionMatches(suppression({ path: "charts/**" }), privileged), false);
  });

  it("match paths inside images as absolute paths", () => {
    assert.equal(findingPath(inImage), "/usr/share/doc/awscli/examples.txt");
    assert.equal(suppressionMatches(suppression({ rule: "PCS-SEC-*", path: "/usr/share/doc/**" }), inImage), true);
    assert.equal(suppressionMatches(suppression({ rule: "PCS-SEC-*", path: "usr/share/doc/**" }), inImage), false);
  });

  it("match layers by their full diff id or its start", () => {
    assert.equal(suppressionMatches(suppression({ rule: "*", layer: "sha256:4f4fb700ef54" }), inImage), true);
    assert.equal(suppressionMatches(suppression({ rule: "*", layer: "sha256:5f4fb700ef54" }), inImage), false);
    assert.equal(suppressionMatches(suppression({ layer: "sha256:4f4fb700ef54" }), privileged), false, "no layer: no match");
  });

  it("match resources by Kind/namespace/name or Kind/name, with globs", () => {
    const r = privileged.location!.resource!;
    assert.equal(resourceMatches("DaemonSet/kube-system/node-agent", r), true);
    assert.equal(resourceMatches("daemonset/kube-system/node-agent", r), true, "kinds without regard to case");
    assert.equal(resourceMatches("DaemonSet/node-agent", r), true, "two parts: any namespace");
    assert.equal(resourceMatches("*/kube-system/*", r), true);
    assert.equal(resourceMatches("DaemonSet/default/node-agent", r), false);
    assert.equal(resourceMatches("Deployment/node-agent", r), false);
    assert.equal(resourceMatches("DaemonSet/*/node-agent", { kind: "DaemonSet", name: "node-agent" }), true);
    assert.equal(resourceMatches("DaemonSet/kube-system/node-agent", { kind: "DaemonSet", name: "node-agent" }), false);
  });

  it("match one container, never another or none", () => {
    assert.equal(suppressionMatches(suppression({ container: "agent" }), privileged), true);
    assert.equal(suppressionMatches(suppression({ container: "log-shipper" }), privileged), false);
    const podLevel: Finding = { ...privileged, location: { ...privileged.location!, container: undefined } };
    assert.equal(suppressionMatches(suppression({ container: "agent" }), podLevel), false);
  });

  it("match in-file suppressions by file and first line", () => {
    const inFile = suppression({ file: "deploy/agent.yaml", lines: { from: 19, to: 22 } });
    assert.equal(suppressionMatches(inFile, privileged), true);
    assert.equal(suppressionMatches({ ...inFile, lines: { from: 23, to: 26 } }, privileged), false);
    assert.equal(suppressionMatches({ ...inFile, file: "deploy/other.yaml" }, privileged), false);
  });

  it("match annotations' objects exactly", () => {
    assert.equal(suppressionMatches(suppression({ object: { kind: "DaemonSet", namespace: "kube-system", name: "node-agent" } }), privileged), true);
    assert.equal(suppressionMatches(suppression({ object: { kind: "DaemonSet", name: "node-agent" } }), privileged), false);
  });

  it("need every scope to match", () => {
    assert.equal(suppressionMatches(suppression({ path: "deploy/*.yaml", resource: "DaemonSet/node-agent", container: "agent" }), privileged), true);
    assert.equal(suppressionMatches(suppression({ path: "deploy/*.yaml", resource: "DaemonSet/node-agent", container: "init" }), privileged), false);
  });
});
