/** Shannon entropy and character classes: the gates of the generic rule. */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { characterClasses, shannonEntropy } from "./entropy.js";

describe("shannonEntropy", () => {
  it("is 0 for nothing and for one character repeated", () => {
    assert.equal(shannonEntropy(""), 0);
    assert.equal(shannonEntropy("aaaaaaaa"), 0);
  });
  it("is log2 of the count of equally frequent characters", () => {
    assert.equal(shannonEntropy("ab"), 1);
    assert.equal(shannonEntropy("abcd"), 2);
    assert.equal(shannonEntropy("0123456789abcdef"), 4);
    assert.equal(shannonEntropy("aabb"), 1);
  });
  it("ranks words and placeholders below random tokens", () => {
    for (const word of ["changeme", "password", "secret12"]) assert.ok(shannonEntropy(word) <= 3, word);
    const base64 = Buffer.from(Array.from({ length: 30 }, (_, i) => (i * 97 + 13) % 256)).toString("base64");
    assert.ok(shannonEntropy(base64) > 4.5, base64);
  });
});

describe("characterClasses", () => {
  it("counts lower case, upper case, digits and the rest", () => {
    assert.equal(characterClasses(""), 0);
    assert.equal(characterClasses("abc"), 1);
    assert.equal(characterClasses("abcXYZ"), 2);
    assert.equal(characterClasses("abcXYZ123"), 3);
    assert.equal(characterClasses("abcXYZ123!"), 4);
    assert.equal(characterClasses("ünï"), 2, "letters outside ASCII count as other");
  });
});
