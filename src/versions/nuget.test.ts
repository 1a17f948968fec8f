import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { nuget } from "./nuget.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

// No NuGet client runs here (Debian's `nuget` is an old Mono build of NuGet 2),
// so every expectation below comes from NuGet's documentation ("Package
// versioning": version basics, pre-release sort order, version ranges,
// normalized version numbers) and from SemVer 2.0.0's precedence rules, which
// NuGet follows, plus NuGet.Versioning's documented leniencies (legacy four-part
// versions, case-insensitive labels).

/** Reads chains such as "1.0.0-alpha < 1.0.0-beta = 1.0.0-BETA": each neighbour pair compares as written. */
function chain(text: string): { a: string; b: string; order: number }[] {
  const tokens = text.split(" ");
  const pairs: { a: string; b: string; order: number }[] = [];
  for (let i = 1; i < tokens.length; i += 2) {
    const op = tokens[i];
    assert.ok(op === "<" || op === "=" || op === ">", `operator in ${text}`);
    pairs.push({ a: tokens[i - 1]!, b: tokens[i + 1]!, order: op === "<" ? -1 : op === "=" ? 0 : 1 });
  }
  return pairs;
}

/** A rule stated by example: every chain compares as written and keeps the order laws. */
function rule(title: string, chains: readonly string[]): void {
  it(title, () => {
    assertAgrees(nuget.compare, chains.flatMap(chain), "the rule");
    for (const text of chains) assertOrderLaws(nuget.compare, text.split(" ").filter((_, i) => i % 2 === 0));
  });
}

/** A range stated by example: versions it admits and versions it refuses. */
function range(title: string, cases: readonly [range: string, yes: readonly string[], no: readonly string[]][]): void {
  it(title, () => {
    for (const [text, yes, no] of cases) {
      for (const v of yes) assert.equal(nuget.satisfies(v, text), true, `${v} satisfies ${text}`);
      for (const v of no) assert.equal(nuget.satisfies(v, text), false, `${v} does not satisfy ${text}`);
    }
  });
}

// ---------------------------------------------------------------------------
// Generated versions: one to four numbers (some with leading zeros, some at
// the 32-bit limit), labels of every kind, metadata, and whitespace around.

const number = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("00", "01", "010", "2147483647") },
);
const labelPart = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("alpha", "beta", "rc", "RC", "Beta", "preview", "a", "zzz", "open", "aaa", "build", "x-y", "-", "0a", "A1") },
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("2147483647", "2147483648", "99999999999", "-1", "-0", "-2147483648", "-2147483649") },
);
const generatedVersion = fc
  .tuple(
    fc.array(number, { minLength: 1, maxLength: 4 }),
    fc.option(fc.array(labelPart, { minLength: 1, maxLength: 3 }), { freq: 2 }),
    fc.constantFrom("", "", "", "+build.5", "+sha.0abc", "+001"),
  )
  .map(([numbers, labels, metadata]) => numbers.join(".") + (labels === null ? "" : `-${labels.join(".")}`) + metadata);
const paddedVersion = fc
  .tuple(fc.constantFrom("", "", "", " ", "\t"), generatedVersion, fc.constantFrom("", "", "", " ", "\n"))
  .map(([before, version, after]) => before + version + after);

// ---------------------------------------------------------------------------

describe("NuGet versions (NuGetVersion, VersionComparer.Default)", () => {
  rule("fills missing numbers with zeros, up to four", [
    "1 = 1.0 = 1.0.0 = 1.0.0.0",
    "1.0.0 < 1.0.0.1 < 1.0.1 < 1.1",
    "4.1.10311 < 6.1.3 < 6.11.1231",
    "1.2.3.4 > 1.2.3 = 1.2.3.0",
    "2.0.0.0 = 2",
  ]);

  rule("ignores leading zeros in numbers, as NuGet's normalized form does", [
    "1.00 = 1.0",
    "1.01.1 = 1.1.1",
    "1.00.0.1 = 1.0.0.1",
    "1.0.01.0 = 1.0.1",
    "01.010 = 1.10",
  ]);

  rule("sorts a prerelease below its release, even with a fourth number", [
    "1.0.0-alpha < 1.0.0 < 1.0.0.1-beta < 1.0.0.1 < 1.0.1-rc",
    "6.2.0-beta1 < 6.2.0",
    "4.3.1-rc < 4.3.1",
    "2.2.44-beta.1 < 2.2.44",
  ]);

  rule("orders prereleases as NuGet's documentation lists them", [
    "1.0.1-aaa < 1.0.1-alpha10 < 1.0.1-alpha2 < 1.0.1-beta < 1.0.1-open < 1.0.1-rc.2 < 1.0.1-rc.10 < 1.0.1-zzz < 1.0.1",
  ]);

  rule("compares labels one by one as SemVer 2.0.0 says", [
    "1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0",
    "1.0.0-1 < 1.0.0-2 < 1.0.0-10 < 1.0.0-a",
    "1.0.0-beta < 1.0.0-beta.0 < 1.0.0-beta.a",
    "1.0.0-x < 1.0.0-x.y < 1.0.0-x-y",
    "1.0.0-0a < 1.0.0-1a",
  ]);

  rule("ignores case in labels, comparing them ordinally", [
    "1.0.0-BETA = 1.0.0-beta = 1.0.0-Beta",
    "1.0.0-Beta.1 = 1.0.0-beta.1",
    "1.0.0-RC < 1.0.0-rc.1",
    "1.0.0-ALPHA < 1.0.0-beta < 1.0.0-GAMMA",
    "1.0.0-a-b < 1.0.0-a0",
  ]);

  rule("reads a label as a number only when it fits a 32-bit signed integer, as the NuGet client does", [
    "1.0.0-rc.2147483647 < 1.0.0-rc.2147483648",
    "1.0.0-rc.10000000000 < 1.0.0-rc.9999999999",
    "1.0.0-rc.2147483648 < 1.0.0-rc.a",
    "1.0.0--1 < 1.0.0-0 = 1.0.0--0 < 1.0.0-1",
    "1.0.0-rc.-2147483648 < 1.0.0-rc.-1 < 1.0.0-rc.-2147483649",
  ]);

  rule("ignores build metadata", [
    "1.0.7+r3456 = 1.0.7 = 1.0.7+other",
    "1.0.0-beta+exp.sha.5114f85 = 1.0.0-beta",
    "1.0+001 = 1.0.0.0",
    "1.0-a+b-c = 1.0-A",
  ]);

  it("ignores surrounding whitespace", () => {
    assert.equal(nuget.compare(" 1.0 ", "1"), 0);
    assert.equal(nuget.compare("\t1.0.0-beta\n", "1.0.0-BETA"), 0);
  });

  it("accepts NuGet's versions and refuses everything else", () => {
    const valid = ["1", "1.0", "1.0.0.0", "01.1", "2147483647.0", "1.0-0", "1.0.0-0A", "1.0.0--1", "1.0.0-a.b-c", "1.0+build.01", "1.0.0+a-b", " 1.0 "];
    for (const v of valid) assert.equal(nuget.valid(v), true, JSON.stringify(v));
    const invalid = [
      "", " ", "1.", ".1", "1..0", "1.0.0.0.0", "1.0-", "1.0+", "1.0-+b", "1.0-beta+", "1.0-beta.01", "1.0-beta..1", "1.0-beta.",
      "1.0-beta_1", "v1.0", "1.0 beta", "1 .0", "1.0.0-é", "2147483648.0", "-1.0", "1.0.*", "1.0+meta..x", "1,0", "a.b", "1.+2", "1.0\u00a0",
    ];
    for (const v of invalid) {
      assert.equal(nuget.valid(v), false, JSON.stringify(v));
      assert.throws(() => nuget.compare(v, "1"), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => nuget.compare("1", v), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => nuget.satisfies(v, "[1.0,)"), InvalidVersionError, JSON.stringify(v));
    }
  });

  it("names where a version goes wrong", () => {
    const cases: [string, string][] = [
      ["1.0-beta.01", 'nuget version "1.0-beta.01": numeric a prerelease part "01" has a leading zero at offset 9'],
      ["1.0.0.0.0", 'nuget version "1.0.0.0.0": more than four numbers at offset 8'],
      ["1.0 beta", 'nuget version "1.0 beta": " " cannot stand in a version number at offset 3'],
      ["1.0-", 'nuget version "1.0-": empty prerelease at offset 4'],
      ["3000000000", 'nuget version "3000000000": 3000000000 is above 2147483647 at offset 0'],
    ];
    for (const [version, message] of cases) {
      assert.throws(
        () => nuget.compare(version, "1"),
        (err: unknown) => err instanceof InvalidVersionError && err.scheme === "nuget" && err.message === message,
        version,
      );
    }
  });

  it("keeps the order laws on generated versions", () => {
    fc.assert(
      fc.property(fc.array(paddedVersion.filter((v) => nuget.valid(v)), { minLength: 2, maxLength: 25 }), (versions) => {
        assertOrderLaws(nuget.compare, versions);
      }),
      { seed: 20240611, numRuns: 400 },
    );
  });

  it("gives the same order after padding numbers, changing label case or adding metadata", () => {
    fc.assert(
      fc.property(generatedVersion.filter((v) => nuget.valid(v)), (v) => {
        const [core, ...rest] = v.split("+")[0]!.split("-");
        const numbers = core!.split(".");
        const padded = [...numbers, "0", "0", "0"].slice(0, 4).join(".") + (rest.length > 0 ? `-${rest.join("-")}` : "");
        return nuget.compare(v, padded) === 0 && nuget.compare(v, v.toUpperCase()) === 0 && nuget.compare(v, `${v.split("+")[0]}+meta.1`) === 0;
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});

describe("NuGet version ranges", () => {
  range("reads NuGet's interval notation as its documentation's table says", [
    ["[1.0,)", ["1.0", "1.0.0.0", "1.0.1", "99"], ["0.9", "1.0-rc"]],
    ["(1.0,)", ["1.0.0.1", "1.0.1-beta", "2"], ["1.0", "1.0.0", "0.1"]],
    ["[1.0]", ["1.0", "1.0.0.0", "1.0+build"], ["1.0.1", "1.0-beta", "0.9"]],
    ["(,1.0]", ["1.0", "0.9", "1.0-beta", "0.0.0-a"], ["1.0.0.1", "1.1"]],
    ["(,1.0)", ["0.9.9", "1.0-rc.1"], ["1.0", "1.0.0"]],
    ["[1.0,2.0]", ["1.0", "1.5", "2.0"], ["0.9", "2.0.0.1"]],
    ["(1.0,2.0)", ["1.0.1", "2.0-beta"], ["1.0", "2.0"]],
    ["[1.0,2.0)", ["1.0", "1.9.9.9", "2.0.0-rc.1"], ["2.0", "0.9", "1.0-beta"]],
  ]);

  range("reads a bare version as NuGet does: that version or any later one", [
    ["1.0", ["1.0", "1.0.1", "2.0-beta"], ["0.9", "1.0-rc"]],
    ["  4.1.2  ", ["4.1.2", "4.1.3"], ["4.1.1"]],
  ]);

  range("allows whitespace around the bounds", [
    [" [ 1.0 , 2.0 ) ", ["1.0", "1.5"], ["2.0"]],
    ["( , 4.1.2)", ["4.1.1", "0.0.1"], ["4.1.2"]],
  ]);

  range("compares bounds by NuGet's order: padding, case and metadata do not matter", [
    ["[1.0.0.0,2)", ["1", "1.9"], ["2.0.0.0"]],
    ["[1.0.0-BETA,1.0.0-rc]", ["1.0.0-beta", "1.0.0-beta.1", "1.0.0-RC"], ["1.0.0-alpha", "1.0.0"]],
    ["[1.0+build,]", ["1.0"], ["0.9"]],
    ["(1.0,1.0)", [], ["1.0", "0.9", "1.1"]],
  ]);

  range("falls back to comparator lists for anything else", [
    [">= 1.0, < 2.0", ["1.0", "1.9"], ["2.0", "0.9"]],
    [">=1.0.0 <1.2.3 || >=2.0.0", ["1.2.2", "2.0.0", "3"], ["1.2.3", "0.9", "1.5"]],
    ["= 1.0", ["1.0.0.0"], ["1.0.1"]],
    ["< 1.0.0-beta.2", ["1.0.0-beta.1", "0.9"], ["1.0.0-beta.2", "1.0.0-beta.10"]],
    ["!= 1.0-RC", ["1.0"], ["1.0-rc"]],
  ]);

  it("agrees with its definition on generated intervals", () => {
    const anyVersion = generatedVersion.filter((v) => nuget.valid(v));
    fc.assert(
      fc.property(anyVersion, anyVersion, anyVersion, fc.boolean(), fc.boolean(), (a, b, v, minIn, maxIn) => {
        const [lo, hi] = nuget.compare(a, b) <= 0 ? [a, b] : [b, a];
        if (nuget.compare(lo, hi) === 0 && minIn !== maxIn) return;
        const text = `${minIn ? "[" : "("}${lo}, ${hi}${maxIn ? "]" : ")"}`;
        const low = nuget.compare(v, lo);
        const high = nuget.compare(v, hi);
        const expected = (minIn ? low >= 0 : low > 0) && (maxIn ? high <= 0 : high < 0);
        assert.equal(nuget.satisfies(v, text), expected, `${v} in ${text}`);
        assert.equal(nuget.satisfies(v, `(,${hi}${maxIn ? "]" : ")"}`), maxIn ? high <= 0 : high < 0);
        assert.equal(nuget.satisfies(v, `${minIn ? "[" : "("}${lo},)`), minIn ? low >= 0 : low > 0);
        assert.equal(nuget.satisfies(v, `[${lo}]`), low === 0);
        assert.equal(nuget.satisfies(v, lo), low >= 0);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it("throws InvalidRangeError naming the offset of what it cannot read", () => {
    const cases: [string, RegExp][] = [
      ["", /: empty at offset 0$/],
      ["   ", /: empty at offset 3$/],
      ["[1.0", /expected '\]' or '\)' to close the range at offset 4$/],
      ["[1.0,2.0", /expected '\]' or '\)' to close the range at offset 8$/],
      ["[", /expected '\]' or '\)' to close the range at offset 1$/],
      ["(1.0)", /a single version must be written \[version\] at offset 0$/],
      ["[1.0)", /a single version must be written \[version\] at offset 0$/],
      ["[]", /expected a version at offset 1$/],
      ["(,)", /a range needs a lower or an upper bound at offset 0$/],
      ["( , )", /a range needs a lower or an upper bound at offset 0$/],
      ["[1.0,2.0,3.0]", /a range has at most one comma at offset 8$/],
      ["[2.0,1.0]", /the lower bound is above the upper bound at offset 0$/],
      ["(1.0,1.0]", /a bound cannot be both in and out of the range at offset 0$/],
      ["[1.0,1.0)", /a bound cannot be both in and out of the range at offset 0$/],
      ["[x,2.0]", /"x" cannot stand in a version number at offset 1$/],
      ["[1.0, 2.0-beta.01)", /leading zero at offset 15$/],
      ["1.0.*", /floating versions .* at offset 4$/],
      ["*", /floating versions .* at offset 0$/],
      [">= 1.0 <", /expected an operator and a version at offset 7$/],
      [">= x", /"x" cannot stand in a version number at offset 3$/],
      ["< 1.0 || >= 2.0-", /empty prerelease at offset 16$/],
      ["1.0 2.0", /expected an operator and a version at offset 0$/],
      ["[1.0,2.0) || [3.0,4.0)", /one interval; unions with '\|\|' are not read at offset 10$/],
    ];
    for (const [text, reason] of cases) {
      assert.throws(
        () => nuget.satisfies("1", text),
        (err: unknown) => err instanceof InvalidRangeError && err.scheme === "nuget" && reason.test(err.message),
        JSON.stringify(text),
      );
    }
  });

  it("checks the version before the range", () => {
    assert.throws(() => nuget.satisfies("1 0", "[1,2)"), InvalidVersionError);
    assert.throws(() => nuget.satisfies("1 0", "[1,"), InvalidVersionError);
  });
});
