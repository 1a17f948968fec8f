import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import { parseTrivyIgnore } from "./trivyignore.js";

describe("Trivy's .trivyignore (testdata/shop/.trivyignore)", () => {
  const found = parseTrivyIgnore(readFileSync(new URL("./testdata/shop/.trivyignore", import.meta.url), "utf8"), "shop/.trivyignore");

  it("reads one id a line, with its exp: date and the comment above it as the reason", () => {
    assert.deepEqual(
      found.map((s) => [s.rule, s.expires, s.reason, s.origin]),
      [
        ["DS-0002", "2027-01-01", "Accepted until the worker moves to a distroless base image", { kind: "ignore-file", tool: "trivy", file: "shop/.trivyignore", line: 2 }],
        ["aws-access-key-id", undefined, "The SDK's test fixtures hold revoked example keys", { kind: "ignore-file", tool: "trivy", file: "shop/.trivyignore", line: 5 }],
      ],
    );
  });

  it("applies to every file, as Trivy does", () => {
    for (const s of found) assert.deepEqual([s.path, s.file, s.lines, s.resource], [undefined, undefined, undefined, undefined]);
  });
});

describe(".trivyignore lines", () => {
  it("reads ids without a comment above, and ends a field list at a #", () => {
    const found = parseTrivyIgnore("CVE-2023-1234\n\n# stale comment\n\nAVD-KSV-0017 # kept from 0.4x\nKSV012 exp:2026-12-31 # until the chart fix\r\n", ".trivyignore");
    assert.deepEqual(
      found.map((s) => [s.rule, s.expires, s.reason]),
      [
        ["CVE-2023-1234", undefined, "no reason given"],
        ["AVD-KSV-0017", undefined, "no reason given"],
        ["KSV012", "2026-12-31", "no reason given"],
      ],
    );
  });

  it("refuses an exp: that is no calendar day, naming the line", () => {
    assert.throws(
      () => parseTrivyIgnore("DS-0002 exp:2027-02-30\n", "ci/.trivyignore"),
      (err: unknown) => err instanceof InputError && err.message === 'ci/.trivyignore line 1: DS-0002 exp: expected a date YYYY-MM-DD, got "2027-02-30", which is no calendar day',
    );
  });
});
