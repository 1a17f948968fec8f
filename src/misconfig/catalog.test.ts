import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { RULE_ID } from "../common/index.js";
import { allRules, findRules, ruleMeta } from "./catalog.js";
import { catalogMarkdown } from "./catalog-markdown.js";

describe("the rule catalog", () => {
  it("lists every rule once, sorted, with complete metadata", () => {
    const ids = allRules().map((r) => r.id);
    assert.deepEqual(ids, [...new Set(ids)].sort());
    for (const r of allRules()) {
      assert.match(r.id, RULE_ID);
      assert.ok(r.title && r.why && r.remediation, `${r.id} has a title, why and remediation`);
      assert.ok(r.references.length > 0, `${r.id} has references`);
    }
  });

  it("finds a rule by our id or by the id another tool gives the same check", () => {
    const first = allRules()[0]!;
    assert.deepEqual(findRules(first.id.toLowerCase()), [first]);
    const mapped = allRules().find((r) => Object.values(r.mappings).some((m) => m?.length));
    assert.ok(mapped, "some rule maps to another tool");
    const other = Object.values(mapped.mappings).find((m) => m?.length)![0]!;
    assert.ok(findRules(other.toUpperCase()).some((r) => r.id === mapped.id));
    assert.deepEqual(findRules("CVE-2024-0001"), []);
    assert.equal(ruleMeta("CVE-2024-0001"), undefined);
  });

  it("is documented in docs/rules.md exactly as the code has it (regenerate with npm run docs:rules)", async () => {
    const committed = await readFile(new URL("../../docs/rules.md", import.meta.url), "utf8");
    assert.equal(committed, catalogMarkdown(allRules()));
  });
});
