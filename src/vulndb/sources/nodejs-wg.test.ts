/**
 * The Node.js security working group's legacy npm advisories: the npm range
 * kept as written, the first patched version beside it, CVEs as aliases.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { severityFromVector } from "../cvss.js";
import { parseNodejsWg } from "./nodejs-wg.js";

const corpus = fileURLToPath(new URL("../../../../shared/vulndata/npm-nodejs-wg/", import.meta.url));
const read = (file: string) => readFileSync(join(corpus, file), "utf8");

describe("Node.js working group advisories", () => {
  it("keep the npm range as written, the first patched version, CVEs as aliases and the scored vector", () => {
    const r = parseNodejsWg(read("1.json"), "1.json", severityFromVector);
    assert.deepEqual(r.warnings, []);
    const a = r.advisories[0]!;
    assert.deepEqual([a.id, a.aliases, a.affected[0]!.package, a.affected[0]!.expression, a.affected[0]!.fixedVersion], ["NSWG-ECO-1", ["CVE-2014-7205"], "bassmaster", "<=1.5.1", "1.5.2"]);
    assert.equal(a.severities[0]!.score, 6.5);
  });

  it("read the index of all of them, warning only on the one vector in it that is not one", () => {
    const r = parseNodejsWg(read("index.json"), "index.json", severityFromVector);
    const files = readdirSync(corpus).filter((f) => /^\d+\.json$/.test(f));
    assert.equal(r.advisories.length, files.length);
    // Advisory 504 gives "…/C:H/I:U/A:U" (with score 7.5): U is no value of I or A.
    assert.deepEqual(r.warnings, ['index.json $["504"].cvss_vector: CVSS vector "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U": I:U is not a value of I (X, N, L, H)']);
  });
});
