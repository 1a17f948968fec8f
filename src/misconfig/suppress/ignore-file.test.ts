import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseIgnoreFile } from "./ignore-file.js";
import { inputError } from "../../../test/support/input-error.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/ignore/${name}`, import.meta.url), "utf8");

describe(".portcullisignore (testdata/ignore/shop.portcullisignore)", () => {
  const suppressions = parseIgnoreFile(fixture("shop.portcullisignore"), "shop/.portcullisignore");

  it("reads every entry, with the line it starts on", () => {
    assert.deepEqual(
      suppressions.map((s) => [s.rule, s.origin.line]),
      [
        ["PCS-K8S-001", 4],
        ["CKV_K8S_16", 13],
        ["PCS-DF-*", 17],
        ["PCS-SEC-*", 21],
      ],
    );
    for (const s of suppressions) assert.deepEqual({ ...s.origin, line: 0 }, { kind: "ignore-file", tool: "portcullis", file: "shop/.portcullisignore", line: 0 });
  });

  it("keeps every scope, reason, expiry and approver", () => {
    assert.deepEqual(suppressions[0], {
      rule: "PCS-K8S-001",
      reason: "the node agent reads other containers' cgroups and needs privileged mode",
      origin: { kind: "ignore-file", tool: "portcullis", file: "shop/.portcullisignore", line: 4 },
      path: "shop/k8s/**/*.yaml",
      resource: "DaemonSet/kube-system/node-agent",
      container: "agent",
      expires: "2027-03-31",
      approvedBy: "security@shop.example",
    });
    assert.equal(suppressions[1]!.expires, undefined, "no expiry: applies until removed");
    assert.equal(suppressions[1]!.resource, "Deployment/legacy-billing");
  });

  it("resolves relative paths against the ignore file's folder, and keeps image paths absolute", () => {
    assert.equal(suppressions[2]!.path, "shop/tools/Dockerfile.debug");
    assert.equal(suppressions[3]!.path, "/usr/share/doc/**");
    assert.equal(suppressions[3]!.layer, "sha256:4f4fb700ef54461cfa02571ae0db9a0dc1e0cdb5577484a6d75e68dc38e8acc1");
    assert.equal(parseIgnoreFile(fixture("shop.portcullisignore"), ".portcullisignore")[2]!.path, "tools/Dockerfile.debug");
  });

  it("holds no suppressions when empty or only comments", () => {
    assert.deepEqual(parseIgnoreFile("", ".portcullisignore"), []);
    assert.deepEqual(parseIgnoreFile("# nothing suppressed yet\n", ".portcullisignore"), []);
    assert.deepEqual(parseIgnoreFile("suppressions: []\n", ".portcullisignore"), []);
  });
});

describe(".portcullisignore errors name the file, the line and the field", () => {
  it("refuses an unknown field in an entry, naming it and the known ones", () => {
    const err = inputError(() => parseIgnoreFile(fixture("unknown-field.portcullisignore"), "repo/.portcullisignore"));
    assert.equal(err.source, "repo/.portcullisignore");
    assert.equal(err.location, "line 6");
    assert.match(err.detail, /^\$\.suppressions\[1\]: unknown field "namspace"; known fields: rule, reason, path, resource, container, layer, expires, approvedBy$/);
  });

  it("refuses an unknown top-level field", () => {
    const err = inputError(() => parseIgnoreFile(fixture("unknown-top.portcullisignore"), ".portcullisignore"));
    assert.equal(err.location, "line 4");
    assert.match(err.detail, /unknown field "ignore"; known fields: suppressions/);
  });

  it("refuses invalid YAML with its line and column", () => {
    const err = inputError(() => parseIgnoreFile(fixture("bad-yaml.portcullisignore"), ".portcullisignore"));
    assert.match(err.location ?? "", /^line \d+, column \d+$/);
    assert.match(err.detail, /^not valid YAML: /);
  });

  it("refuses a date that is no calendar day, and accepts the day before it", () => {
    const err = inputError(() => parseIgnoreFile(fixture("bad-date.portcullisignore"), ".portcullisignore"));
    assert.equal(err.location, "line 7");
    assert.equal(err.detail, '$.suppressions[1].expires: expected a date YYYY-MM-DD, got "2027-02-30", which is no calendar day');
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  - rule: X\n    reason: r\n    expires: 31/03/2027\n", "f")).detail, /expected a date YYYY-MM-DD/);
  });

  it("requires a reason, and refuses an empty one", () => {
    const missing = inputError(() => parseIgnoreFile(fixture("no-reason.portcullisignore"), ".portcullisignore"));
    assert.equal(missing.location, "line 2");
    assert.match(missing.detail, /^\$\.suppressions\[0\]\.reason: expected the reason for the suppression$/);
    const empty = inputError(() => parseIgnoreFile(fixture("no-reason.portcullisignore").replace("path: k8s/agent.yaml", "reason: agent"), ".portcullisignore"));
    assert.equal(empty.location, "line 5");
    assert.match(empty.detail, /reason: expected the reason for the suppression, got an empty string/);
  });

  it("checks the shape of rules, resources, layers and the list itself", () => {
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  - rule: PCS K8S\n    reason: r\n", "f")).detail, /rule: a rule id holds only/);
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  - rule: X\n    reason: r\n    resource: web\n", "f")).detail, /resource: expected Kind\/namespace\/name or Kind\/name/);
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  - rule: X\n    reason: r\n    layer: sha256:abc\n", "f")).detail, /layer: expected a layer diff id/);
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  rule: X\n", "f")).detail, /^\$\.suppressions: expected a list of suppressions$/);
    assert.equal(inputError(() => parseIgnoreFile("- rule: X\n  reason: r\n", "f")).detail, "$: expected a mapping with a suppressions: list");
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  - rule: 17\n    reason: r\n", "f")).detail, /rule: expected a rule id/);
  });

  it("refuses duplicate keys and several documents", () => {
    assert.match(inputError(() => parseIgnoreFile("suppressions:\n  - rule: A\n    rule: B\n    reason: r\n", "f")).detail, /unique/);
    assert.match(inputError(() => parseIgnoreFile("suppressions: []\n---\nsuppressions: []\n", "f")).detail, /documents/);
  });
});
