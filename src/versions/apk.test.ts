/**
 * apk-tools 3's version order, stated rule by rule with real Alpine versions,
 * held to the order laws and to a model of the rules built from each
 * version's parts. Debian has no apk binary to compare with.
 */
import { strict as assert } from "node:assert";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertOrderLaws } from "../../test/support/order-laws.js";
import { apk } from "./apk.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

interface Rule {
  readonly rule: string;
  /** Chains of versions, each strictly before the next. */
  readonly ascending?: readonly (readonly string[])[];
  /** Groups of versions that are all equal. */
  readonly equal?: readonly (readonly string[])[];
}

const RULES: readonly Rule[] = [
  {
    rule: "compares dotted numbers as numbers, a longer list being newer",
    ascending: [
      ["0", "0.1", "1", "1.2", "1.2.0", "1.2.0.0", "1.2.1", "1.2.10", "1.3", "1.10", "2.0"],
      ["2024.1.1", "2024.1.2", "2024.10.1"],
      ["1.99999999999999999999", "1.100000000000000000000", "1.100000000000000000001"],
    ],
    equal: [["7.1", "07.1", "007.1"]],
  },
  {
    rule: "compares a number after a dot as text when either starts with 0",
    ascending: [
      ["1.0", "1.00", "1.001", "1.01", "1.1"],
      ["8.2.0", "8.2.001", "8.2.0015", "8.2.002", "8.2.1"],
      ["1.05", "1.1", "1.5", "1.10"],
      ["2.02", "2.06", "2.1", "2.10"],
    ],
  },
  {
    rule: "reads the first number, suffix numbers and releases as plain numbers",
    equal: [
      ["1.0_rc1", "1.0_rc01", "1.0_rc001"],
      ["1.0-r1", "1.0-r01"],
    ],
    ascending: [["1.0_rc9", "1.0_rc10", "1.0_rc0100"]],
  },
  {
    rule: "sorts a letter after the numbers above the plain version and below a further number",
    ascending: [
      ["1.0", "1.0a", "1.0b", "1.0z", "1.0.1"],
      ["1.1.1a-r0", "1.1.1b-r1", "1.1.1d-r1", "1.1.1d-r3", "1.1.1g-r0", "1.1.1l-r0", "1.1.2", "3.0.1-r0"],
    ],
  },
  {
    rule: "sorts alpha < beta < pre < rc < no suffix < cvs < svn < git < hg < p, a number after each",
    ascending: [
      [
        "1.0_alpha",
        "1.0_alpha0",
        "1.0_alpha1",
        "1.0_alpha2",
        "1.0_beta",
        "1.0_beta1",
        "1.0_pre1",
        "1.0_rc1",
        "1.0_rc2",
        "1.0",
        "1.0_cvs",
        "1.0_svn",
        "1.0_git",
        "1.0_hg",
        "1.0_p",
        "1.0_p1",
        "1.0_p2",
      ],
      ["1.2.2_pre2-r0", "1.2.2-r0", "1.2.4-r3"],
      ["9.6_p1-r0", "9.7_p1-r0", "9.7_p1-r1"],
    ],
  },
  {
    rule: "reads suffixes one after another, each taking part in the order",
    ascending: [
      ["1.0_alpha1_pre2", "1.0_alpha1", "1.0_alpha1_p1", "1.0_alpha2"],
      ["0.1_git20240101_pre1", "0.1_git20240101", "0.1_git20240101_p1", "0.1_git20240102"],
    ],
  },
  {
    rule: "puts a pre-release suffix below anything, a post-release suffix below a letter or a number",
    ascending: [
      ["1.0_rc1", "1.0", "1.0-r0", "1.0_p1", "1.0a", "1.0.1"],
      ["1.0_rc1-r9", "1.0-r0"],
      ["1.0_p9", "1.0a"],
      ["1.0_p9", "1.0.0"],
    ],
  },
  {
    rule: "orders the package release -rN after all the rest, no release first",
    ascending: [
      ["1.0", "1.0-r0", "1.0-r1", "1.0-r2", "1.0-r10", "1.0.1", "1.0.1-r0"],
      ["1.36.1-r6", "1.36.1-r7", "1.36.1-r25", "1.36.1-r29", "1.36.1-r31"],
      ["1.0-r9", "1.0_p1"],
    ],
  },
  {
    rule: "compares commit hashes as text, above a release and below a suffix",
    ascending: [
      ["1.0", "1.0-r5", "1.0~1234", "1.0~1234-r0", "1.0~1234-r1", "1.0~2345-r0", "1.0~a", "1.0~abc", "1.0~abcd", "1.0_p1"],
      ["0.1_pre2", "0.1_pre2~1234abcd", "0.1_pre2~1234abcd-r1", "0.1_pre3"],
    ],
  },
  {
    rule: "orders real Alpine versions as their fixes came",
    ascending: [
      ["7.36.0-r0", "7.88.0-r0", "8.0.0-r0", "8.9.1-r0", "8.10.0-r0", "8.14.1-r0", "8.14.1-r2"],
      ["2.9.4-r1", "2.9.10-r4", "2.9.14-r0", "2.10.0-r0", "2.12.10-r0"],
      ["3.28.0-r0", "3.30.1-r1", "3.45.3-r2"],
      ["1.27.2-r4", "1.29.3-r10", "1.30.1-r2", "1.36.1-r2"],
    ],
  },
];

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Asserts that apk.compare(a, b) has the sign `expected`, naming both versions otherwise. */
function assertOrder(a: string, b: string, expected: -1 | 0 | 1): void {
  const got = sign(apk.compare(a, b));
  if (got !== expected) assert.fail(`${a} vs ${b}: expected ${expected}, got ${got}`);
}

function assertRule({ ascending = [], equal = [] }: Rule): void {
  for (const chain of ascending) {
    for (let i = 0; i + 1 < chain.length; i++) {
      assertOrder(chain[i]!, chain[i + 1]!, -1);
      assertOrder(chain[i + 1]!, chain[i]!, 1);
    }
  }
  for (const group of equal) for (const a of group) for (const b of group) assertOrder(a, b, 0);
}

const RULE_VERSIONS = [...new Set(RULES.flatMap((r) => [...(r.ascending ?? []), ...(r.equal ?? [])].flat()))];

// ---- real versions ---------------------------------------------------------

/** The fixed versions of Alpine's secdb (v3.18 and v3.20 main), keyed by package. */
const secfixes = ["v3.18", "v3.20"].flatMap((release) => {
  const folder = new URL(`../../../shared/vulndata/alpine/${release}/main/`, import.meta.url);
  return readdirSync(folder).map((file) => {
    const { name, secfixes: fixes } = JSON.parse(readFileSync(new URL(file, folder), "utf8")) as { name: string; secfixes: Record<string, string[]> };
    return { release, name, versions: Object.keys(fixes) };
  });
});
const secfixVersions = [...new Set(secfixes.flatMap(({ versions }) => versions))];

/** The versions in the apk analyzer's real installed database. */
const installedVersions = [
  ...readFileSync(new URL("../inventory/analyzers/testdata/apk/installed", import.meta.url), "utf8").matchAll(/^V:(.+)$/gm),
].map((m) => m[1]!);

// ---- a model of the rules --------------------------------------------------

const PRE = ["alpha", "beta", "pre", "rc"];
const POST = ["cvs", "svn", "git", "hg", "p"];

interface Parts {
  numbers: string[];
  letter?: string;
  suffixes: [string, string | undefined][];
  hash?: string;
  release?: string;
}

const render = (p: Parts) =>
  p.numbers.join(".") +
  (p.letter ?? "") +
  p.suffixes.map(([name, n]) => `_${name}${n ?? ""}`).join("") +
  (p.hash === undefined ? "" : `~${p.hash}`) +
  (p.release === undefined ? "" : `-r${p.release}`);

const number = fc.oneof(fc.nat(12).map(String), fc.constantFrom("0", "00", "01", "007", "10", "99999999999999999999", "100000000000000000000"));
const partsArb: fc.Arbitrary<Parts> = fc.record({
  numbers: fc.array(number, { minLength: 1, maxLength: 4 }),
  letter: fc.option(fc.constantFrom("a", "b", "z"), { nil: undefined }),
  suffixes: fc.array(fc.tuple(fc.constantFrom(...PRE, ...POST), fc.option(number, { nil: undefined })), { maxLength: 2 }),
  hash: fc.option(fc.constantFrom("0", "1234", "1234abcd", "abc", "abcd", "f00d"), { nil: undefined }),
  release: fc.option(fc.constantFrom("0", "1", "2", "10", "01"), { nil: undefined }),
});

/** Two versions that differ in one part only: the near misses where order rules matter. */
const nearPartsArb = fc.tuple(partsArb, partsArb, fc.constantFrom("numbers", "letter", "suffixes", "hash", "release")).map(([x, y, part]) => {
  return [x, { ...x, [part]: y[part] }] as [Parts, Parts];
});

/**
 * The rules restated on a version's parts rather than its text: one token per
 * part, each with a rank that says who wins when the two versions differ in
 * kind at that place (the higher rank is the newer version), and a value that
 * decides between tokens of the same kind.
 */
type Token = { rank: number; compare?: (other: Token) => number; value: string | number };
const END_RANK = 1;
function tokens(p: Parts): Token[] {
  const asNumber = (n: string): Token => ({ rank: 0, value: n, compare: (o) => sign(Number(BigInt(n) - BigInt(o.value))) });
  const asText = (rank: number, t: string): Token => ({ rank, value: t, compare: (o) => (t < o.value ? -1 : t > o.value ? 1 : 0) });
  const list: Token[] = [{ ...asNumber(p.numbers[0]!), rank: 99 }];
  for (const n of p.numbers.slice(1)) {
    list.push({
      rank: 8,
      value: n,
      compare: (o) => (n.startsWith("0") || String(o.value).startsWith("0") ? asText(8, n).compare!(o) : asNumber(n).compare!(o)),
    });
  }
  if (p.letter !== undefined) list.push(asText(7, p.letter));
  for (const [name, n] of p.suffixes) {
    const pre = PRE.includes(name);
    const order = [...PRE, "", ...POST].indexOf(name);
    list.push({ rank: pre ? 0 : 6, value: order, compare: (o) => sign(order - Number(o.value)) });
    if (n !== undefined) list.push({ ...asNumber(n), rank: 5 });
  }
  if (p.hash !== undefined) list.push(asText(4, p.hash));
  if (p.release !== undefined) list.push({ ...asNumber(p.release), rank: 3 });
  list.push({ rank: END_RANK, value: "" });
  return list;
}

function modelCompare(x: Parts, y: Parts): number {
  const a = tokens(x);
  const b = tokens(y);
  for (let i = 0; ; i++) {
    const s = a[i]!;
    const t = b[i]!;
    if (s.rank !== t.rank) return s.rank < t.rank ? -1 : 1;
    if (s.rank === END_RANK) return 0;
    const order = s.compare!(t);
    if (order !== 0) return order;
  }
}

// ---- the specification -----------------------------------------------------

describe("apk versions", () => {
  describe("order", () => {
    for (const rule of RULES) it(rule.rule, () => assertRule(rule));

    it("keeps the order laws over every hand-picked and real version", () => {
      assertOrderLaws(apk.compare, [...RULE_VERSIONS, ...secfixVersions, ...installedVersions]);
    });

    it("puts the secdb's 0 (never affected) below every version it fixes", () => {
      for (const { versions } of secfixes) {
        for (const v of versions) if (v !== "0") assertOrder("0", v, -1);
      }
    });
  });

  describe("properties", () => {
    it("orders every generated pair as the rules, restated on the versions' parts, say", () => {
      fc.assert(
        fc.property(fc.oneof(fc.tuple(partsArb, partsArb), nearPartsArb), ([x, y]) => {
          assert.equal(sign(apk.compare(render(x), render(y))), modelCompare(x, y), `${render(x)} vs ${render(y)}`);
        }),
        { numRuns: 3000 },
      );
    });

    it("is antisymmetric and transitive over generated versions", () => {
      fc.assert(fc.property(fc.array(partsArb.map(render), { maxLength: 12 }), (versions) => assertOrderLaws(apk.compare, versions)));
    });

    it("puts a version below itself with a pre-release suffix added, above itself with a post-release one", () => {
      fc.assert(
        fc.property(partsArb, fc.constantFrom(...PRE), fc.constantFrom(...POST), fc.option(number, { nil: undefined }), (p, pre, post, n) => {
          const base = { ...p, hash: undefined, release: undefined };
          const v = render(base);
          assertOrder(render({ ...base, suffixes: [...base.suffixes, [pre, n]] }), v, -1);
          assertOrder(render({ ...base, suffixes: [...base.suffixes, [post, n]] }), v, 1);
        }),
      );
    });

    it("puts a version below itself with a release or a commit hash added", () => {
      fc.assert(
        fc.property(partsArb, (p) => {
          assertOrder(render({ ...p, release: undefined }), render({ ...p, release: p.release ?? "0" }), -1);
          assertOrder(render({ ...p, hash: undefined }), render({ ...p, hash: p.hash ?? "0" }), -1);
        }),
      );
    });

    it("accepts every generated version", () => {
      fc.assert(fc.property(partsArb, (p) => assert.ok(apk.valid(render(p)), render(p))));
    });
  });

  describe("validity", () => {
    const VALID = [
      "0",
      "1",
      "1.2.3",
      "1.2.3a",
      "1.2.3_rc1",
      "1.2.3_p2_git20240101",
      "1.2.3~af12cd",
      "1.2.3-r4",
      "1.2.3a_rc1~abc-r0",
      "2024.01.01",
      "1.0_alpha1_pre2",
      "0.1_pre2~1234abcd",
    ];
    const INVALID: [string, RegExp][] = [
      ["", /the version must start with a number at offset 0/],
      ["a", /the version must start with a number at offset 0/],
      ["v1.0", /the version must start with a number at offset 0/],
      [".1", /the version must start with a number at offset 0/],
      ["1.", /expected a number after the dot at offset 2/],
      ["1..2", /expected a number after the dot at offset 2/],
      ["1.0a1", /unexpected "1" at offset 4/],
      ["1.0ab", /unexpected "b" at offset 4/],
      ["1.0a.1", /unexpected "\." at offset 4/],
      ["1.0A", /unexpected "A" at offset 3/],
      ["1.0_", /unknown suffix "_" at offset 3/],
      ["1.0_foo", /unknown suffix "_foo" at offset 3/],
      ["1.0_1", /unknown suffix "_" at offset 3/],
      ["1.0__alpha", /unknown suffix "_" at offset 3/],
      ["1.0_pre_", /unknown suffix "_" at offset 7/],
      ["1.0_Alpha", /unknown suffix "_" at offset 3/],
      ["1.0-r", /expected a number after -r at offset 5/],
      ["1.0-1", /unexpected "-" at offset 3/],
      ["1.0-r1-r2", /unexpected "-" at offset 6/],
      ["1.0-r1.1", /unexpected "\." at offset 6/],
      ["1.0-r2_pre1", /unexpected "_" at offset 6/],
      ["1.0-r1~abc", /unexpected "~" at offset 6/],
      ["1.0~", /expected a commit hash \(lowercase hex digits\) after the tilde at offset 4/],
      ["1.0~xyz", /expected a commit hash/],
      ["1.0~ABC", /expected a commit hash/],
      ["1.0~abcxyz", /unexpected "x" at offset 7/],
      ["1.0~abc~def", /unexpected "~" at offset 7/],
      ["1.0~abc_pre1", /unexpected "_" at offset 7/],
      ["1.0 ", /unexpected " " at offset 3/],
    ];

    it("accepts numbers, a letter, suffixes, a commit hash and a release, in that order", () => {
      for (const v of VALID) assert.equal(apk.valid(v), true, v);
    });

    it("refuses anything else, naming the problem and where", () => {
      for (const [v, reason] of INVALID) {
        assert.equal(apk.valid(v), false, JSON.stringify(v));
        assert.throws(
          () => apk.compare("1.0", v),
          (err: unknown) => err instanceof InvalidVersionError && err.scheme === "apk" && err.version === v && reason.test(err.message),
          JSON.stringify(v),
        );
        assert.throws(() => apk.compare(v, "1.0"), InvalidVersionError);
      }
    });

    it("checks the whole version even when the start already decides the order", () => {
      assert.throws(() => apk.compare("1.0", "2.0_foo"), /unknown suffix "_foo"/);
      assert.throws(() => apk.compare("3.0-rx", "2.0"), /expected a number after -r/);
    });

    it("accepts every real version: the secdb's fixes and an installed database's", () => {
      assert.deepEqual(
        [...secfixVersions, ...installedVersions].filter((v) => !apk.valid(v)),
        [],
      );
    });
  });

  describe("ranges", () => {
    it("takes comparator lists", () => {
      assert.equal(apk.satisfies("1.36.1-r28", ">= 1.36.1-r27, < 1.36.1-r29"), true);
      assert.equal(apk.satisfies("1.36.1-r29", ">= 1.36.1-r27, < 1.36.1-r29"), false);
      assert.equal(apk.satisfies("3.1.4-r5", "< 3.1.4-r5 || = 3.1.4-r5"), true);
      assert.equal(apk.satisfies("1.2.2_pre2-r0", "< 1.2.2-r0"), true);
    });

    it("throws InvalidVersionError for a bad version and InvalidRangeError for a bad range", () => {
      assert.throws(() => apk.satisfies("1.0", ">= 1.0-r"), InvalidVersionError);
      assert.throws(() => apk.satisfies("1.0_foo", ">= 1.0"), InvalidVersionError);
      assert.throws(() => apk.satisfies("1.0", "~ 1.0"), InvalidRangeError);
    });
  });
});
