/**
 * rpm's version order: rpmvercmp on its own, then on epoch:version-release,
 * stated rule by rule, held to the order laws, and checked against the real
 * rpm on this machine (its Lua `rpm.vercmp`, one process for a whole batch).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { rpm, rpmvercmp } from "./rpm.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

interface Rule {
  readonly rule: string;
  /** Chains of versions, each strictly before the next. */
  readonly ascending?: readonly (readonly string[])[];
  /** Groups of versions that are all equal. */
  readonly equal?: readonly (readonly string[])[];
}

/** rpmvercmp on plain version strings (no epoch, no release). */
const SEGMENT_RULES: readonly Rule[] = [
  {
    rule: "compares runs of digits as numbers of any length, leading zeros aside",
    ascending: [
      ["1.9", "1.10", "1.99", "1.100"],
      ["20231231", "20240101", "202401011200"],
      ["99999999999999999999", "100000000000000000000", "100000000000000000001"],
      [`1.${"9".repeat(40)}`, `1.1${"0".repeat(40)}`],
    ],
    equal: [
      ["1.10", "1.010", "1.0010"],
      ["1.0", "1.00", "01.0"],
    ],
  },
  {
    rule: "compares runs of letters as ASCII text, a prefix first",
    ascending: [["1.A", "1.Z", "1.a", "1.alpha", "1.b", "1.beta", "1.rc"]],
  },
  {
    rule: "takes a run of digits as newer than a run of letters",
    ascending: [
      ["1.a", "1.0"],
      ["1.0a", "1.0.1"],
      ["2.0.1a", "2.0.1.1"],
      ["5.5p1", "5.5p2", "5.5.1"],
    ],
  },
  {
    rule: "treats every other character as a separator that only splits runs",
    equal: [
      ["1.0", "1_0", "1+0", "1.0.", "1%0", "1{0}", "1..0", "1:0"],
      ["1a", "1.a", "1_a"],
    ],
  },
  {
    rule: "takes the version with runs left over as the newer",
    ascending: [
      ["1.0", "1.0.a", "1.0.0"],
      ["1.0", "1.0a"],
      ["2.34", "2.34.1"],
    ],
  },
  {
    rule: "sorts ~ before everything, even the end",
    ascending: [["1.0~~", "1.0~~a", "1.0~", "1.0~rc1", "1.0~rc2", "1.0", "1.0a"]],
  },
  {
    rule: "sorts ^ after the end but before anything else",
    ascending: [
      ["1.0", "1.0^", "1.0^git1", "1.0^git2", "1.0a", "1.0.1"],
      ["1.0~rc1", "1.0~rc1^git1", "1.0"],
      ["0^20240101git1a2b3c", "0^20240102git0d1e2f", "0.1"],
    ],
  },
];

/** epoch:version-release as rpmverCmp reads it. */
const EVR_RULES: readonly Rule[] = [
  {
    rule: "compares epochs first, as numbers; no epoch (or an empty one) is epoch 0",
    ascending: [["9.9-9", "1:0.1-1", "2:0-0", "10:0"]],
    equal: [["1.0-1", "0:1.0-1", "00:1.0-1", ":1.0-1"]],
  },
  {
    rule: "then compares the versions, then the releases",
    ascending: [
      ["1.0-9", "1.1-1", "1.1-2", "1.1-10"],
      ["1.0-1.el8_9", "1.0-1.el8_10"],
    ],
  },
  {
    rule: "sorts a missing release before any release, as rpmverCmp does",
    ascending: [
      ["1.2", "1.2-0", "1.2-1", "1.2.1"],
      ["1:1.2", "1:1.2-1.el9"],
    ],
  },
  {
    rule: "orders real RHEL, Fedora and SUSE versions as their updates came",
    ascending: [
      ["5.14.0-70.13.1.el9_0", "5.14.0-362.8.1.el9_3", "5.14.0-427.13.1.el9_4", "5.14.0-427.16.1.el9_4"],
      ["1:3.0.1-43.el9_0", "1:3.0.7-24.el9", "1:3.0.7-25.el9_3", "1:3.0.7-27.el9"],
      ["2.34-60.el9", "2.34-83.el9_3.7", "2.34-100.el9", "2.34-100.el9_4.2"],
      ["4.18.0-513.5.1.el8_9", "4.18.0-553.el8_10"],
      ["2:8.2.2637-16.el9_0.3", "2:8.2.2637-20.el9_1"],
      ["6.8.5-301.fc40", "6.8.7-300.fc40"],
      ["1.0~rc1-1.fc40", "1.0-1.fc40", "1.0^20240101git1a2b3c4-1.fc40", "1.0.1-1.fc40"],
      ["1.1.1l-150400.7.60.2", "3.0.8-150500.5.20.1"],
    ],
  },
];

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Asserts that rpm.compare(a, b) has the sign `expected`, naming both versions otherwise. */
function assertOrder(a: string, b: string, expected: -1 | 0 | 1): void {
  const got = sign(rpm.compare(a, b));
  if (got !== expected) assert.fail(`${a} vs ${b}: expected ${expected}, got ${got}`);
}

function assertRule(compare: (a: string, b: string) => number, { ascending = [], equal = [] }: Rule): void {
  for (const chain of ascending) {
    for (let i = 0; i + 1 < chain.length; i++) {
      assert.equal(sign(compare(chain[i]!, chain[i + 1]!)), -1, `${chain[i]} < ${chain[i + 1]}`);
      assert.equal(sign(compare(chain[i + 1]!, chain[i]!)), 1, `${chain[i + 1]} > ${chain[i]}`);
    }
  }
  for (const group of equal) {
    for (const a of group) for (const b of group) assert.equal(compare(a, b), 0, `${a} = ${b}`);
  }
}

const versionsOf = (rules: readonly Rule[]) => [...new Set(rules.flatMap((r) => [...(r.ascending ?? []), ...(r.equal ?? [])].flat()))];

/** Each neighbouring pair of the rules' chains and every pair of their groups. */
const pairsOf = (rules: readonly Rule[]): [string, string][] =>
  rules.flatMap((r) => [
    ...(r.ascending ?? []).flatMap((chain) => chain.slice(1).map((v, i) => [chain[i]!, v] as [string, string])),
    ...(r.equal ?? []).flatMap((group) => group.slice(1).map((v) => [group[0]!, v] as [string, string])),
  ]);

// ---- the real tool ---------------------------------------------------------

// rpm.vercmp reads both arguments as [epoch:]version[-release] (rpmverParse) and
// compares them with rpmverCmp. One rpm process answers a whole batch, one pair a line.
const RPM_VERCMP = '%{lua: for line in io.lines() do local a, b = line:match("^(.-)\\t(.*)$"); io.write(rpm.vercmp(a, b), "\\n") end}';

/** rpm.vercmp's verdict on each pair of EVRs. */
function rpmVerdicts(pairs: readonly (readonly [string, string])[]): { a: string; b: string; order: number }[] {
  const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join("");
  const out = execFileSync("rpm", ["--eval", RPM_VERCMP], { input, encoding: "utf8", maxBuffer: 1 << 26 });
  const answers = out.split("\n").filter((line) => /^-?\d+$/.test(line));
  assert.equal(answers.length, pairs.length, "one answer from rpm per pair");
  return pairs.map(([a, b], i) => ({ a, b, order: Number(answers[i]) }));
}

/**
 * rpm's plain rpmvercmp on each pair: an explicit epoch 0 in front makes
 * rpm.vercmp read all the rest as the version (the strings hold no hyphen).
 */
function rpmvercmpVerdicts(pairs: readonly (readonly [string, string])[]): { a: string; b: string; order: number }[] {
  for (const [a, b] of pairs) assert.ok(!a.includes("-") && !b.includes("-"), `${a} and ${b} have no release`);
  return rpmVerdicts(pairs.map(([a, b]) => [`0:${a}`, `0:${b}`])).map(({ order }, i) => ({ a: pairs[i]![0], b: pairs[i]![1], order }));
}

/** Sorts `versions` our way and asks rpm about each neighbouring pair. */
function assertRpmSortsAlike(versions: readonly string[]): number {
  // If rpm agrees on every neighbouring pair of our lawful sort, it agrees on
  // every pair, since its own order is transitive too.
  const sorted = [...versions].sort(rpm.compare);
  const pairs = sorted.slice(1).map((v, i) => [sorted[i]!, v] as const);
  assertAgrees(rpm.compare, rpmVerdicts(pairs), "rpm.vercmp");
  return pairs.length;
}

// ---- real versions ---------------------------------------------------------

/**
 * Real-world version strings that are also well-formed EVRs: Debian's fixed
 * versions from the DSA/DLA lists and this machine's installed packages use
 * the same `epoch:version-release` shape and rpm's characters (`~`, `+`, `.`).
 */
const debianVersions = [
  ...new Set([
    ...["DSA/list", "DLA/list"].flatMap((list) =>
      [...readFileSync(new URL(`../../../shared/vulndata/debian-dsa/${list}`, import.meta.url), "utf8").matchAll(/^\t\[[a-z-]+\] - \S+ ([^<\s]\S*)/gm)].map(
        (m) => m[1]!,
      ),
    ),
    ...execFileSync("dpkg-query", ["-W", "-f", "${Version}\\n"], { encoding: "utf8" }).split("\n").filter(Boolean),
  ]),
].filter((v) => rpm.valid(v));

// ---- generated versions ----------------------------------------------------

const digitRun = fc.constantFrom("0", "1", "2", "9", "10", "00", "007", "99999999999999999999");
const letterRun = fc.constantFrom("a", "b", "z", "A", "Z", "alpha", "rc", "git");
const separator = fc.constantFrom(".", "_", "+", "%", "{", "}");
const plainUnit = fc.oneof(digitRun, digitRun, letterRun, separator, fc.constantFrom("~", "^"));

/** Strings for rpmvercmp alone: any characters but hyphen, tab and newline. */
const anyPlainArb = fc
  .array(fc.oneof(plainUnit, fc.constantFrom(":", "/", " ", "#", "é", "..")), { minLength: 1, maxLength: 8 })
  .map((units) => units.join(""));

/** Versions and releases as rpmbuild allows them (no "..", not empty). */
const partArb = fc
  .array(plainUnit, { minLength: 1, maxLength: 6 })
  .map((units) => units.join("").replace(/\.{2,}/g, "."))
  .filter((part) => part !== "");

const evrArb = fc
  .record({
    epoch: fc.option(fc.constantFrom("", "0", "1", "2", "10", "01"), { nil: undefined }),
    version: partArb,
    release: fc.option(partArb, { nil: undefined }),
  })
  .map(({ epoch, version, release }) => `${epoch === undefined ? "" : `${epoch}:`}${version}${release === undefined ? "" : `-${release}`}`);

/** Two EVRs sharing most of their text: the near misses where order rules matter. */
const nearEvrPairArb = fc.tuple(evrArb, fc.constantFrom("~", "^", "a", "0", ".1", "_", "~~", "^1", "-1"), fc.nat(20)).map(([v, piece, at]) => {
  const cut = Math.min(at, v.length);
  const near = `${v.slice(0, cut)}${piece}${v.slice(cut)}`;
  return [v, rpm.valid(near) ? near : `${v}${piece.replace(/^[-.]/, "_")}`] as const;
});

// ---- the specification -----------------------------------------------------

describe("rpm versions", () => {
  describe("rpmvercmp, on plain versions", () => {
    for (const rule of SEGMENT_RULES) it(rule.rule, () => assertRule(rpmvercmp, rule));

    it("takes identical strings as equal, whatever they hold", () => {
      assert.equal(rpmvercmp("", ""), 0);
      assert.equal(rpmvercmp("~^!", "~^!"), 0);
      assert.equal(rpmvercmp("", "0"), -1);
    });
  });

  describe("order of epoch:version-release", () => {
    // The segment rules hold for whole EVRs too, where their versions are valid ones.
    for (const rule of [...SEGMENT_RULES.filter((r) => versionsOf([r]).every((v) => rpm.valid(v))), ...EVR_RULES]) {
      it(rule.rule, () => assertRule(rpm.compare, rule));
    }

    it("keeps the order laws over every hand-picked and real version", () => {
      const sample = debianVersions.filter((_, i) => i % 40 === 0);
      assertOrderLaws(rpm.compare, [...versionsOf(SEGMENT_RULES).filter((v) => rpm.valid(v)), ...versionsOf(EVR_RULES), ...sample]);
    });
  });

  describe("properties", () => {
    it("is antisymmetric and transitive over generated versions", () => {
      fc.assert(fc.property(fc.array(evrArb, { maxLength: 12 }), (versions) => assertOrderLaws(rpm.compare, versions)));
    });

    it("puts a version with ~ and anything appended below the version itself, with ^ above", () => {
      fc.assert(
        fc.property(evrArb, partArb, (v, tail) => {
          assertOrder(`${v}~${tail}`, v, -1);
          assertOrder(`${v}^${tail}`, v, 1);
        }),
      );
    });

    it("puts a version with ^ below the same version with another run appended", () => {
      fc.assert(
        fc.property(evrArb, fc.constantFrom("a", "z", "_0", "_1", "+a"), (v, next) => {
          assertOrder(`${v}^`, `${v}${next}`, -1);
        }),
      );
    });

    it("is not changed by an epoch 0 or by separators at the end", () => {
      fc.assert(
        fc.property(evrArb, (v) => {
          if (!v.includes(":")) assertOrder(`0:${v}`, v, 0);
          assertOrder(`${v}_`, v, 0);
        }),
      );
    });
  });

  describe("validity", () => {
    const VALID = ["1", "1.0", "1.0-1", "0:1.0-1", "1:3.0.7-27.el9", ":1.0-1", "1.0~rc1^git2_3+4", "1.0%{dist}", "2:2024a-1.el9", "0^20240101git1a2b3c", "A"];
    const INVALID: [string, RegExp][] = [
      ["", /the version is empty/],
      ["1.0-", /the release after the hyphen is empty/],
      ["-1", /the version is empty/],
      ["1:", /the version is empty/],
      ["1:-1", /the version is empty/],
      ["a:1.0", /the epoch is not a number \("a" at offset 0\)/],
      ["1.0:1", /the epoch is not a number/],
      ["1:2:3", /a second colon at offset 3/],
      ["1.0-1-2", /a second hyphen at offset 5/],
      ["1.0-1:2", /a colon after the release's hyphen at offset 5/],
      ["1..0", /"\.\." at offset 1/],
      ["1.0 1", /invalid character " " at offset 3/],
      ["1.0ä", /invalid character "ä" at offset 3/],
      ["1/0", /invalid character "\/"/],
      ["<unfixed>", /invalid character "<"/],
    ];

    it("accepts the EVRs rpmbuild accepts", () => {
      for (const v of VALID) assert.equal(rpm.valid(v), true, v);
    });

    it("refuses anything else, naming the problem and where", () => {
      for (const [v, reason] of INVALID) {
        assert.equal(rpm.valid(v), false, JSON.stringify(v));
        assert.throws(
          () => rpm.compare("1.0", v),
          (err: unknown) => err instanceof InvalidVersionError && err.scheme === "rpm" && err.version === v && reason.test(err.message),
          JSON.stringify(v),
        );
        assert.throws(() => rpm.compare(v, "1.0"), InvalidVersionError);
      }
    });
  });

  describe("ranges, as rpm's dependency matching reads them", () => {
    it("compares only epoch and version when the bound has no release", () => {
      for (const range of ["= 1.2", "<= 1.2", ">= 1.2", ">= 1.2, <= 1.2"]) assert.equal(rpm.satisfies("1.2-5.el9", range), true, range);
      for (const range of ["> 1.2", "< 1.2", "!= 1.2"]) assert.equal(rpm.satisfies("1.2-5.el9", range), false, range);
      assert.equal(rpm.satisfies("1.2", "= 1.2-5.el9"), true);
    });

    it("compares the release too when both have one", () => {
      assert.equal(rpm.satisfies("1.2-5.el9", "> 1.2-4.el9"), true);
      assert.equal(rpm.satisfies("1.2-5.el9", "= 1.2-4.el9"), false);
      assert.equal(rpm.satisfies("1.2-4.el9", ">= 0:1.2-3.el9, < 0:1.2-5.el9"), true);
      assert.equal(rpm.satisfies("1.2-5.el9", ">= 0:1.2-3.el9, < 0:1.2-5.el9"), false);
    });

    it("compares epochs first, a missing one being 0", () => {
      assert.equal(rpm.satisfies("1:1.0-1", "> 2.0"), true);
      assert.equal(rpm.satisfies("0:1.0-1", "= 1.0-1"), true);
      assert.equal(rpm.satisfies("1.0-1", "< 1:0.1 || = 3.0"), true);
    });

    it("throws InvalidVersionError for a bad version and InvalidRangeError for a bad range", () => {
      assert.throws(() => rpm.satisfies("1.0-1", ">= 1.0-"), InvalidVersionError);
      assert.throws(() => rpm.satisfies("1..0", ">= 1.0"), InvalidVersionError);
      assert.throws(() => rpm.satisfies("1.0", "~ 1.0"), InvalidRangeError);
    });
  });

  describe("against rpm's own rpm.vercmp", () => {
    it("is told by rpm that rpm.vercmp reads EVRs: epoch first, a missing release sorted first", () => {
      const verdicts = rpmVerdicts([
        ["1:1.0", "2.0"],
        ["1.2", "1.2-1"],
        ["0:1.0", "1.0"],
        ["1.0-2", "1.0-10"],
      ]);
      assert.deepEqual(
        verdicts.map(({ order }) => order),
        [1, -1, 0, -1],
      );
    });

    it("agrees on every pair of the rules above", () => {
      assertAgrees(rpmvercmp, rpmvercmpVerdicts(pairsOf(SEGMENT_RULES)), "rpmvercmp");
      assertAgrees(rpm.compare, rpmVerdicts(pairsOf(EVR_RULES)), "rpm.vercmp");
    });

    it("agrees with rpmvercmp on generated strings of any characters", () => {
      const pairs = fc.sample(fc.tuple(anyPlainArb, anyPlainArb), { seed: 4180, numRuns: 3000 });
      const prefixed = fc.sample(fc.tuple(anyPlainArb, anyPlainArb, anyPlainArb), { seed: 4181, numRuns: 3000 }).map(([p, a, b]) => [p + a, p + b] as const);
      assertAgrees(rpmvercmp, rpmvercmpVerdicts([...pairs, ...prefixed]), "rpmvercmp");
    });

    it("agrees on generated EVRs and near misses", () => {
      const pairs = [...fc.sample(fc.tuple(evrArb, evrArb), { seed: 4182, numRuns: 3000 }), ...fc.sample(nearEvrPairArb, { seed: 4183, numRuns: 3000 })];
      assertAgrees(rpm.compare, rpmVerdicts(pairs), "rpm.vercmp");
    });

    it("sorts thousands of real-world version strings as rpm does", () => {
      assert.ok(debianVersions.length > 5000, `${debianVersions.length} versions`);
      const compared = assertRpmSortsAlike(debianVersions);
      assert.ok(compared > 5000, `${compared} neighbouring pairs`);
    });
  });
});
