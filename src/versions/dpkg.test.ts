/**
 * dpkg's version order (Debian Policy 5.6.12), stated rule by rule with real
 * Debian versions, held to the order laws, and checked against the real
 * `dpkg --compare-versions` on this machine.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { dpkg } from "./dpkg.js";
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
    rule: "compares epochs first, as numbers: any higher epoch wins over the rest",
    ascending: [
      ["9.9.9-9", "1:0.1", "1:0.2-1", "2:0", "10:0", "2147483647:0"],
      ["1:2.66-4+deb12u3", "2:1.0"],
    ],
    equal: [
      ["1.0", "0:1.0", "00:1.0"],
      ["7:1.0", "007:1.0"],
    ],
  },
  {
    rule: "compares the upstream version before the revision",
    ascending: [
      ["1.0-9", "1.1-1", "1.1-2", "1.1-10", "1.2-0"],
      ["2.36-9+deb12u10", "2.37-1"],
    ],
  },
  {
    rule: "takes the revision after the last hyphen, so the upstream version may hold hyphens",
    ascending: [["1.0-beta-1", "1.0-beta-2", "1.0-rc-1", "1.0-rc1-1"]],
    equal: [["1.0-beta-1", "0:1.0-beta-1"]],
  },
  {
    rule: "lets the upstream version hold colons when there is an epoch",
    ascending: [["1:2.0", "1:2:3", "1:2:3-1", "1:2:4"]],
  },
  {
    rule: "treats a missing revision like revision 0",
    equal: [["1.0", "1.0-0", "1.0-00", "0:1.0-0"]],
    ascending: [["1.0", "1.0-0.1", "1.0-1"]],
  },
  {
    rule: "sorts ~ before everything, even the end of a part",
    ascending: [
      ["1.0~~", "1.0~~a", "1.0~", "1.0~alpha", "1.0~beta", "1.0~rc1", "1.0~rc2", "1.0", "1.0a", "1.0+b1", "1.0.1"],
      ["3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "3.0.11-1", "3.0.11-1+b1", "3.0.11-1+deb12u1"],
      ["252.30-1~bpo11+1", "252.30-1", "252.30-1+deb12u1"],
      ["0.0~git20230123.b2528b0-1", "0.0~git20230124.1b2c3d4-1", "0.0-1"],
      ["1.46.6~rc1-1", "1.46.6-1"],
    ],
  },
  {
    rule: "sorts the end of a run before letters, letters (in ASCII order) before other characters",
    ascending: [
      ["1.0", "1.0A", "1.0Z", "1.0a", "1.0z", "1.0+", "1.0."],
      ["0:1.0+-1", "0:1.0--1", "0:1.0.-1", "0:1.0:-1"],
      ["1", "1.", "1.1", "1.a"],
      ["1.2.3", "1.2.3a", "1.2.3+dfsg", "1.2.3.1"],
      ["1.34+dfsg-1", "1.34+dfsg-1.1", "1.34+dfsg-1.2+deb12u1", "1.34+dfsg1-1"],
    ],
  },
  {
    rule: "compares runs of digits as numbers of any length, leading zeros aside",
    ascending: [
      ["1.9", "1.10", "1.99", "1.100"],
      ["20231231", "20240101", "202401011200"],
      ["99999999999999999999", "100000000000000000000", "100000000000000000001"],
      [`1.${"9".repeat(40)}`, `1.1${"0".repeat(40)}`, `1.1${"0".repeat(39)}1`],
      [`2.${"0".repeat(30)}12345678901234567890123`, "2.12345678901234567890124"],
    ],
    equal: [
      ["1.01", "1.1", "1.0001"],
      [`${"0".repeat(40)}7`, "7"],
      ["1.", "1.0", "1.00"],
      ["1.0a0", "1.0a", "1.00a00"],
    ],
  },
  {
    rule: "orders real Debian versions as their updates came",
    ascending: [
      ["2.36-9+deb12u3", "2.36-9+deb12u4", "2.36-9+deb12u9", "2.36-9+deb12u10"],
      ["1:9.2p1-2+deb12u2", "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u5"],
      ["7.88.1-10", "7.88.1-10+deb12u1", "7.88.1-10+deb12u5", "8.0.1-1"],
      ["5.2.15-2", "5.2.15-2+b1", "5.2.15-2+b7", "5.2.15-3"],
      ["2.35-0ubuntu3", "2.35-0ubuntu3.1", "2.35-0ubuntu3.10"],
      ["1:1.2.11.dfsg-4.1", "1:1.2.13.dfsg-1"],
      ["2:1.20.11-1+deb11u5", "2:1.20.11-1+deb11u6"],
      ["4.14.5+94-ge49571868d-1", "4.14.5+94-ge49571868d-1+deb11u1", "4.14.6-1"],
      ["102.9.0-1~deb11u1", "102.9.0-1", "1:102.9.0-1~deb11u1"],
    ],
  },
];

/** Every version the rules name. */
const RULE_VERSIONS = [...new Set(RULES.flatMap((r) => [...(r.ascending ?? []), ...(r.equal ?? [])].flat()))];

/** Each neighbouring pair of the rules' chains and every pair of their groups. */
const RULE_PAIRS: [string, string][] = RULES.flatMap((r) => [
  ...(r.ascending ?? []).flatMap((chain) => chain.slice(1).map((v, i) => [chain[i]!, v] as [string, string])),
  ...(r.equal ?? []).flatMap((group) => group.slice(1).map((v) => [group[0]!, v] as [string, string])),
]);

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Asserts that dpkg.compare(a, b) has the sign `expected`, naming both versions otherwise. */
function assertOrder(a: string, b: string, expected: -1 | 0 | 1): void {
  const got = sign(dpkg.compare(a, b));
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

// ---- real versions ---------------------------------------------------------

const vulndata = (path: string) => new URL(`../../../shared/vulndata/${path}`, import.meta.url);

interface TrackerRelease {
  status: string;
  repositories: Record<string, string>;
  fixed_version?: string;
}
const tracker = JSON.parse(readFileSync(vulndata("debian/tracker-subset.json"), "utf8")) as Record<
  string,
  Record<string, { releases: Record<string, TrackerRelease> }>
>;
const trackerReleases = Object.values(tracker).flatMap((cves) => Object.values(cves).flatMap((cve) => Object.entries(cve.releases)));
const trackerVersions = [
  ...new Set(trackerReleases.flatMap(([, r]) => [...(r.fixed_version === undefined ? [] : [r.fixed_version]), ...Object.values(r.repositories)])),
];

/** The fixed versions of the DSA and DLA lists (`[release] - package version`), less markers such as `<not-affected>`. */
const advisoryVersions = [
  ...new Set(
    ["DSA/list", "DLA/list"].flatMap((list) =>
      [...readFileSync(vulndata(`debian-dsa/${list}`), "utf8").matchAll(/^\t\[[a-z-]+\] - \S+ ([^<\s]\S*)/gm)].map((m) => m[1]!),
    ),
  ),
];

/** The versions of the packages installed on this machine. */
const installedVersions = [...new Set(execFileSync("dpkg-query", ["-W", "-f", "${Version}\\n"], { encoding: "utf8" }).split("\n").filter(Boolean))];

/** Every `step`-th item of the sorted list: a spread-out sample that does not change from run to run. */
const every = (step: number, list: readonly string[]) => [...list].sort().filter((_, i) => i % step === 0);

// ---- the real tool ---------------------------------------------------------

const ORDER_OF: Record<string, number> = { lt: -1, eq: 0, gt: 1 };
const OP_OF = ["lt", "eq", "gt"];

// Reads (a, b, our guess) triples; asks dpkg our guess first, so a pair costs one
// dpkg run unless dpkg disagrees. Prints dpkg's relation, or "error" when dpkg
// refuses a version.
const ASK_DPKG = `
while IFS= read -r a && IFS= read -r b && IFS= read -r guess; do
  answer=none
  for op in "$guess" lt eq gt; do
    dpkg --compare-versions "$a" "$op" "$b" 2>/dev/null
    case $? in
      0) answer=$op; break ;;
      1) ;;
      *) answer=error; break ;;
    esac
  done
  echo "$answer"
done`;

function run(command: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
    child.stdin.end(input);
  });
}

/**
 * Feeds `records` (each some lines of input) to a few copies of `script` running
 * side by side; each record must print one line. Returns the lines in order.
 */
async function inParallel(script: string, records: readonly (readonly string[])[]): Promise<string[]> {
  const workers = 4;
  const size = Math.ceil(records.length / workers);
  const outputs = await Promise.all(
    Array.from({ length: workers }, (_, k) => {
      const input = records
        .slice(k * size, (k + 1) * size)
        .map((lines) => lines.map((line) => `${line}\n`).join(""))
        .join("");
      return run("sh", ["-c", script], input);
    }),
  );
  const answers = outputs.flatMap((out) => out.split("\n").filter(Boolean));
  assert.equal(answers.length, records.length, "one answer from dpkg per question");
  return answers;
}

/** dpkg's verdict on each pair. */
async function dpkgVerdicts(pairs: readonly (readonly [string, string])[]): Promise<{ a: string; b: string; order: number }[]> {
  const answers = await inParallel(
    ASK_DPKG,
    pairs.map(([a, b]) => [a, b, OP_OF[sign(dpkg.compare(a, b)) + 1]!]),
  );
  return pairs.map(([a, b], i) => {
    const order = ORDER_OF[answers[i]!];
    if (order === undefined) assert.fail(`dpkg could not compare ${a} and ${b}: ${answers[i]}`);
    return { a, b, order };
  });
}

/** Sorts `versions` our way and asks dpkg about each neighbouring pair. */
async function assertDpkgSortsAlike(versions: readonly string[]): Promise<number> {
  // Our sort must be lawful first; then if dpkg agrees on every neighbouring pair,
  // it agrees on every pair, since its own order is transitive too.
  assertOrderLaws(dpkg.compare, versions);
  const sorted = [...versions].sort(dpkg.compare);
  const pairs = sorted.slice(1).map((v, i) => [sorted[i]!, v] as const);
  assertAgrees(dpkg.compare, await dpkgVerdicts(pairs), "dpkg --compare-versions");
  return pairs.length;
}

// ---- generated versions ----------------------------------------------------

const digits = fc.constantFrom("0", "1", "2", "9", "10", "00", "007", "99999999999999999999");
const upstreamUnit = fc.oneof(digits, fc.constantFrom("a", "b", "z", "A", "Z", ".", "+", "~", "~~", "dfsg", "git"));
const revisionUnit = fc.oneof(digits, fc.constantFrom("a", "b", ".", "+", "~", "deb12u", "bpo", "ubuntu"));
const units = (unit: fc.Arbitrary<string>, minLength: number) => fc.array(unit, { minLength, maxLength: 6 }).map((parts) => parts.join(""));

/** Versions dpkg's own grammar allows, built from the pieces that make its order interesting. */
const versionArb = fc
  .record({
    epoch: fc.option(fc.constantFrom("0", "1", "2", "10", "01"), { nil: undefined }),
    upstream: fc.tuple(fc.constantFrom("0", "1", "2", "10"), units(upstreamUnit, 0)).map(([first, rest]) => first + rest),
    inner: fc.constantFrom("", "", "-1", ":2"),
    revision: fc.option(units(revisionUnit, 1), { nil: undefined }),
  })
  .map(({ epoch, upstream, inner, revision }) => {
    // A hyphen inside the upstream version needs a revision, a colon an epoch.
    if (inner === "-1" && revision !== undefined) upstream += inner;
    if (inner === ":2" && epoch !== undefined) upstream += inner;
    return `${epoch === undefined ? "" : `${epoch}:`}${upstream}${revision === undefined ? "" : `-${revision}`}`;
  });

/** A version and a small change of it: the near misses where order rules matter. */
const nearPairArb = fc
  .tuple(versionArb, fc.constantFrom("~", "~1", "a", "+1", ".0", "0", "-0", "-1", "~~"), fc.nat(20))
  .map(([v, piece, at]) => {
    const cut = Math.min(at, v.length);
    const near = `${v.slice(0, cut)}${piece}${v.slice(cut)}`;
    return [v, dpkg.valid(near) ? near : `${v}${piece.replace(/^-/, "+")}`] as const;
  });

// ---- the specification -----------------------------------------------------

describe("dpkg versions", () => {
  describe("order", () => {
    for (const rule of RULES) it(rule.rule, () => assertRule(rule));

    it("ignores spaces and tabs around a version, as dpkg does", () => {
      assertOrder(" 1.0-1\t", "1.0-1", 0);
      assertOrder("\t2:1.0 ", "2:1.0", 0);
    });

    it("reads the epoch as C's strtol does: a sign is allowed and -0 is 0", () => {
      assertOrder("+1:2.0", "1:2.0", 0);
      assertOrder("-0:2.0", "2.0", 0);
    });

    it("orders versions whose upstream part does not start with a digit (dpkg only warns)", () => {
      assertOrder("a1.0", "1.0", 1);
      assertOrder("~1.0", "1.0", -1);
      assertOrder("kernel-image-2.4.17-ia64", "kernel-image-2.4.18-ia64", -1);
    });

    it("keeps the order laws over every hand-picked and real version", () => {
      assertOrderLaws(dpkg.compare, [...RULE_VERSIONS, ...trackerVersions, ...every(80, advisoryVersions), ...every(10, installedVersions)]);
    });
  });

  describe("properties", () => {
    it("is antisymmetric and transitive over generated versions", () => {
      fc.assert(fc.property(fc.array(versionArb, { maxLength: 12 }), (versions) => assertOrderLaws(dpkg.compare, versions)));
    });

    it("puts a version with ~ and anything appended below the version itself", () => {
      fc.assert(
        fc.property(versionArb, units(revisionUnit, 0), (v, tail) => {
          assertOrder(`${v}~${tail}`, v, -1);
        }),
      );
    });

    it("puts a version with a letter, + or . and anything appended above the version itself", () => {
      fc.assert(
        fc.property(versionArb, fc.constantFrom("a", "+", "."), units(revisionUnit, 0), (v, first, tail) => {
          assertOrder(`${v}${first}${tail}`, v, 1);
        }),
      );
    });

    it("is not changed by an epoch 0, a revision 0 or leading zeros", () => {
      fc.assert(
        fc.property(versionArb, (v) => {
          if (!/^\d+:/.test(v)) assertOrder(`0:${v}`, v, 0);
          if (!v.includes("-")) assertOrder(`${v}-0`, v, 0);
          const zeroed = v.replace(/(^|[^0-9])([0-9])/g, (_, before: string, digit: string) => `${before}0${digit}`);
          assertOrder(zeroed, v, 0);
        }),
      );
    });
  });

  describe("validity", () => {
    const VALID = [
      "0",
      "1.0",
      "1:1.0-1",
      "1.0-beta-1",
      "2:1.0:2-3",
      "1.0~",
      "1.0+b1",
      " 1.0\t",
      "+1:2",
      "-0:2",
      "2147483647:1",
      "0000000000002147483647:1",
      // dpkg only warns that these do not start with a digit
      "a1.0",
      "~1",
      "kernel-image-2.4.17-ia64",
    ];
    const INVALID: [string, RegExp][] = [
      ["", /the version is empty/],
      [" \t", /the version is empty/],
      ["1.0 beta", /space inside the version at offset 3/],
      [":1.0", /the epoch before the colon is empty/],
      ["a:1.0", /the epoch is not a number/],
      ["1.0:1", /the epoch is not a number \("\." at offset 1\)/],
      ["1.0-1:2", /the epoch is not a number/],
      ["+:1", /the epoch is not a number/],
      ["-1:1.0", /the epoch is negative/],
      ["2147483648:1", /the epoch is larger than 2147483647/],
      ["99999999999999999999:1", /the epoch is larger than 2147483647/],
      ["1:", /nothing after the epoch's colon/],
      ["1.0-", /the revision after the last hyphen is empty/],
      ["-1", /the upstream version is empty/],
      ["1:-1", /the upstream version is empty/],
      ["1_0", /invalid character "_" in the upstream version at offset 1/],
      ["1.0-a_b", /invalid character "_" in the revision at offset 5/],
      ["1:2-3:4", /invalid character ":" in the revision at offset 5/],
      ["1.0ä", /invalid character "ä" in the upstream version/],
      ["1.0\n", /invalid character "\\n"/],
      ["<unfixed>", /invalid character "<"/],
      ["n/a", /invalid character "\/"/],
    ];

    it("accepts what dpkg accepts, including versions not starting with a digit", () => {
      for (const v of VALID) assert.equal(dpkg.valid(v), true, v);
    });

    it("refuses dpkg's errors and its invalid characters, naming the problem and where", () => {
      for (const [v, reason] of INVALID) {
        assert.equal(dpkg.valid(v), false, JSON.stringify(v));
        assert.throws(
          () => dpkg.compare("1.0", v),
          (err: unknown) => err instanceof InvalidVersionError && err.scheme === "dpkg" && err.version === v && reason.test(err.message),
          JSON.stringify(v),
        );
        assert.throws(() => dpkg.compare(v, "1.0"), InvalidVersionError);
      }
    });

    it("accepts every real version: installed here, in the security tracker and in the DSA/DLA lists", () => {
      const refused = [...installedVersions, ...trackerVersions, ...advisoryVersions].filter((v) => !dpkg.valid(v));
      assert.deepEqual(refused, []);
    });

    it("accepts what dpkg reads cleanly and refuses what dpkg refuses or finds an invalid character in", async () => {
      // A leading space keeps dpkg from reading "-0:2" as an option; dpkg trims it, as we do.
      // The empty version is left out: dpkg reads it as its blank version, we refuse it.
      const versions = [...VALID, ...INVALID.map(([v]) => v)].filter((v) => v.trim() !== "" && !v.includes("\n"));
      const script = `while IFS= read -r v; do
        if out=$(dpkg --compare-versions " $v" eq " $v" 2>&1); then
          if [ -z "$out" ]; then echo clean; else echo "$out" | head -n 1; fi
        else echo error; fi
      done`;
      const verdicts = await inParallel(script, versions.map((v) => [v]));
      const wrong = versions.filter((v, i) => {
        const verdict = verdicts[i]!;
        if (verdict === "clean") return !dpkg.valid(v);
        if (verdict === "error" || verdict.includes("invalid character")) return dpkg.valid(v);
        // dpkg names only its first warning, "does not start with digit": our call, specified above.
        return false;
      });
      assert.deepEqual(wrong, []);
      assert.ok(verdicts.filter((v) => v === "clean").length >= 8 && verdicts.filter((v) => v === "error").length >= 12, "both clean and refused versions were asked");
    });
  });

  describe("ranges", () => {
    it("takes comparator lists with dpkg's << and >>", () => {
      assert.equal(dpkg.satisfies("2.36-9+deb12u4", ">= 2.36-9+deb12u4, << 2.37"), true);
      assert.equal(dpkg.satisfies("2.36-9+deb12u3", ">= 2.36-9+deb12u4, << 2.37"), false);
      assert.equal(dpkg.satisfies("1:2.0", ">> 3.0"), true);
      assert.equal(dpkg.satisfies("3.0.11-1~deb12u2", "<< 3.0.11-1"), true);
      assert.equal(dpkg.satisfies("1.0", "= 1.0-0 || = 2.0"), true);
      assert.equal(dpkg.satisfies("1.5", "<< 1.0 || >= 2.0"), false);
    });

    it("agrees with the security tracker: every resolved bookworm version is at least its fixed version", () => {
      const resolved = trackerReleases.filter(([release, r]) => release === "bookworm" && r.status === "resolved" && r.fixed_version !== undefined);
      assert.ok(resolved.length >= 50, `${resolved.length} resolved records`);
      for (const [, r] of resolved) {
        assert.equal(dpkg.satisfies(r.repositories.bookworm!, `>= ${r.fixed_version}`), true, `${r.repositories.bookworm} >= ${r.fixed_version}`);
      }
    });

    it("throws InvalidVersionError for a bad version and InvalidRangeError for a bad range", () => {
      assert.throws(() => dpkg.satisfies("1.0", ">= 1:"), InvalidVersionError);
      assert.throws(() => dpkg.satisfies("1_0", ">= 1.0"), InvalidVersionError);
      assert.throws(() => dpkg.satisfies("1.0", "~ 1.0"), InvalidRangeError);
    });
  });

  describe("against dpkg --compare-versions", () => {
    it("agrees on every pair of the rules above", async () => {
      assertAgrees(dpkg.compare, await dpkgVerdicts(RULE_PAIRS), "dpkg --compare-versions");
    });

    it("sorts real versions as dpkg does: the tracker's, a sample of the DSA/DLA lists' and of this machine's", async () => {
      const versions = [...new Set([...trackerVersions, ...every(120, advisoryVersions), ...every(10, installedVersions)])];
      const compared = await assertDpkgSortsAlike(versions);
      assert.ok(compared >= 200, `${compared} neighbouring pairs`);
    });

    it("agrees on generated near misses", async () => {
      const pairs = fc.sample(nearPairArb, { seed: 5612, numRuns: 150 });
      assertAgrees(dpkg.compare, await dpkgVerdicts(pairs), "dpkg --compare-versions");
    });
  });
});
