import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { parseComparatorRange, satisfiesComparators } from "./comparator-range.js";
import { InvalidRangeError } from "./scheme.js";

// Plain numeric order is enough to specify the range language itself.
const numeric = { name: "dpkg" as const, compare: (a: string, b: string) => Number(a) - Number(b) };

describe("comparator ranges", () => {
  it("reads comparators joined by commas or spaces, with or without a space after the operator", () => {
    assert.deepEqual(parseComparatorRange("dpkg", ">= 1, <2"), [
      [
        { op: ">=", version: "1" },
        { op: "<", version: "2" },
      ],
    ]);
    assert.deepEqual(parseComparatorRange("dpkg", ">=1 <2"), parseComparatorRange("dpkg", ">= 1, <2"));
  });

  it("treats dpkg's << and >> as strict and == as =", () => {
    assert.deepEqual(parseComparatorRange("dpkg", "<< 3 >> 1 == 2"), [
      [
        { op: "<", version: "3" },
        { op: ">", version: "1" },
        { op: "=", version: "2" },
      ],
    ]);
  });

  it("needs every comparator of one alternative", () => {
    assert.equal(satisfiesComparators(numeric, "1.5", ">= 1, < 2"), true);
    assert.equal(satisfiesComparators(numeric, "2", ">= 1, < 2"), false);
    assert.equal(satisfiesComparators(numeric, "3", ">= 1, < 2 || = 3"), true);
    assert.equal(satisfiesComparators(numeric, "3", "!= 3"), false);
  });

  it("names the offset of what it cannot read", () => {
    assert.throws(() => parseComparatorRange("dpkg", ">= 1, ~2"), (err: unknown) => {
      assert.ok(err instanceof InvalidRangeError);
      assert.match(err.message, /^dpkg range ">= 1, ~2": expected an operator and a version at offset 6$/);
      return true;
    });
    assert.throws(() => parseComparatorRange("dpkg", ">= 1 || "), /offset 8/);
    assert.throws(() => parseComparatorRange("dpkg", ""), InvalidRangeError);
  });
});
