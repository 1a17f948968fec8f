import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyLicense, conjunction, licenseRefs, splitConjunction } from "./licenses.js";

describe("license strings", () => {
  it("tells listed SPDX ids, SPDX expressions and free text apart", () => {
    assert.deepEqual(classifyLicense("MIT"), { kind: "id", id: "MIT" });
    assert.deepEqual(classifyLicense(" Apache-2.0 "), { kind: "id", id: "Apache-2.0" });
    assert.deepEqual(classifyLicense("GPL-2.0"), { kind: "id", id: "GPL-2.0" }, "deprecated ids are still ids");
    assert.deepEqual(classifyLicense("GPL-2.0+"), { kind: "expression", expression: "GPL-2.0+" });
    assert.deepEqual(classifyLicense("GPL-2.0-only WITH Classpath-exception-2.0"), {
      kind: "expression",
      expression: "GPL-2.0-only WITH Classpath-exception-2.0",
    });
    assert.deepEqual(classifyLicense("(MIT OR WTFPL)"), { kind: "expression", expression: "(MIT OR WTFPL)" });
    assert.deepEqual(classifyLicense("LicenseRef-scancode-public-domain"), { kind: "expression", expression: "LicenseRef-scancode-public-domain" });
    // Lower-case operators parse, and are written the way the SPDX spec spells them.
    assert.deepEqual(classifyLicense("MIT and (Apache-2.0 or BSD-3-Clause)"), {
      kind: "expression",
      expression: "MIT AND (Apache-2.0 OR BSD-3-Clause)",
    });
    // Debian copyright short names and other free text are not SPDX.
    for (const text of ["GPL-2+", "BSD-4-clause-UC", "public-domain", "Artistic or GPL-1+", "mit", ""]) {
      assert.deepEqual(classifyLicense(text), { kind: "name", name: text });
    }
  });

  it("joins licenses that all apply with AND, and splits them back", () => {
    const list = ["CC-BY-3.0", "MIT OR Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-x"];
    const joined = conjunction(list);
    assert.equal(joined, "CC-BY-3.0 AND (MIT OR Apache-2.0) AND GPL-2.0-only WITH Classpath-exception-2.0 AND LicenseRef-x");
    assert.deepEqual(splitConjunction(joined), list);
    assert.equal(conjunction(["(MIT OR WTFPL)"]), "(MIT OR WTFPL)");
  });

  it("leaves an expression whole unless its top level is AND", () => {
    assert.deepEqual(splitConjunction("(MIT OR WTFPL)"), ["(MIT OR WTFPL)"]);
    assert.deepEqual(splitConjunction("MIT AND BSD-2-Clause OR Apache-2.0"), ["MIT AND BSD-2-Clause OR Apache-2.0"]);
    assert.deepEqual(splitConjunction("(MIT AND BSD-2-Clause)"), ["MIT", "BSD-2-Clause"]);
    assert.deepEqual(splitConjunction("(MIT) AND (ISC OR 0BSD)"), ["MIT", "ISC OR 0BSD"]);
  });

  it("finds the LicenseRefs a document must declare, not those of other documents", () => {
    assert.deepEqual(licenseRefs("MIT AND LicenseRef-a.1 OR DocumentRef-spdx-tool-1.2:LicenseRef-b"), ["LicenseRef-a.1"]);
  });
});
