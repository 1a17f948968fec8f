/**
 * npm versions and ranges. The `semver` package is npm's own implementation
 * and so the reference: these cases pin what matters to vulnerability
 * matching (prereleases inside advisory ranges, which spellings are read,
 * which ranges are refused), check every range of the npm advisory data, and
 * hold the scheme to semver 2.0 precedence written out independently.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as npmSemver from "semver";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";
import { semver } from "./semver.js";
import { assertOrderLaws } from "../../test/support/order-laws.js";

const NODEJS_WG = new URL("../../../shared/vulndata/npm-nodejs-wg/", import.meta.url);
const GHSA = new URL("../../../shared/vulndata/npm-ghsa/", import.meta.url);
const REFERENCE = { includePrerelease: true };


function assertIncreasing(versions: readonly string[]): void {
  for (let i = 1; i < versions.length; i++) {
    assert.ok(semver.compare(versions[i - 1]!, versions[i]!) < 0, `${versions[i - 1]} < ${versions[i]}`);
    assert.ok(semver.compare(versions[i]!, versions[i - 1]!) > 0, `${versions[i]} > ${versions[i - 1]}`);
  }
}

function assertSame(...spellings: string[]): void {
  for (const a of spellings) for (const b of spellings) assert.equal(semver.compare(a, b), 0, `${JSON.stringify(a)} = ${JSON.stringify(b)}`);
}

function assertMatches(range: string, inside: readonly string[], outside: readonly string[]): void {
  for (const v of inside) assert.equal(semver.satisfies(v, range), true, `${v} is in ${range}`);
  for (const v of outside) assert.equal(semver.satisfies(v, range), false, `${v} is not in ${range}`);
}

describe("npm versions", () => {
  it("orders by semver 2.0 precedence: numbers as numbers, prereleases below their release, identifier by identifier", () => {
    assertIncreasing(["0.0.0", "0.0.1", "0.1.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta"]);
    assertIncreasing(["1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]);
    assertIncreasing(["1.9.0", "1.10.0", "1.11.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0"]);
    assertIncreasing(["1.0.0-0", "1.0.0-1", "1.0.0-10", "1.0.0-A", "1.0.0-a", "1.0.0-a.0", "1.0.0"]);
  });

  it("leaves build metadata out of the order", () => {
    assertSame("1.0.0", "1.0.0+build.1", "1.0.0+sha.5114f85");
    assertIncreasing(["1.0.0-rc.1+build.1", "1.0.0+build.0"]);
  });

  it("reads the loose spellings npm reads from a package.json: v, =, spaces, leading zeros, a prerelease without its hyphen", () => {
    assertSame("1.2.3", "v1.2.3", "=1.2.3", "v=1.2.3", " 1.2.3 ", "01.2.3", "1.02.03");
    assertSame("1.2.3-beta", "1.2.3beta", "v1.2.3-beta");
    assertSame("1.2.3-1", "1.2.3-01");
    // The loose parser reads a trailing hyphen as the prerelease "-", as npm would.
    assertSame("1.2.3-", "1.2.3--");
    assertIncreasing(["1.2.3-", "1.2.3"]);
    assert.equal(semver.valid("v1.2.3"), true);
  });

  it("refuses what npm refuses, and says why", () => {
    const cases: [string, RegExp][] = [
      ["", /not MAJOR\.MINOR\.PATCH/],
      ["1", /not MAJOR\.MINOR\.PATCH/],
      ["1.2", /not MAJOR\.MINOR\.PATCH/],
      // GHSA-r683-j2x4-v87g (node-fetch) writes "introduced": "1.0": no npm version (as a range, >=1.0 reads; see below).
      ["1.0", /not MAJOR\.MINOR\.PATCH/],
      ["1.2.3.4", /not MAJOR\.MINOR\.PATCH/],
      ["latest", /not MAJOR\.MINOR\.PATCH/],
      ["*", /not MAJOR\.MINOR\.PATCH/],
      ["1.x", /not MAJOR\.MINOR\.PATCH/],
      ["^1.2.3", /not MAJOR\.MINOR\.PATCH/],
      ["1.2.3-beta..1", /not MAJOR\.MINOR\.PATCH/],
      ["V1.2.3", /not MAJOR\.MINOR\.PATCH/],
      ["9007199254740992.0.0", /^invalid major version$/],
      [`1.2.3-${"a".repeat(300)}`, /^version is longer than 256 characters$/],
    ];
    for (const [version, reason] of cases) {
      assert.equal(semver.valid(version), false, `${JSON.stringify(version)} is not valid`);
      assert.throws(
        () => semver.compare(version, "1.0.0"),
        (err: unknown) => err instanceof InvalidVersionError && err.scheme === "semver" && err.version === version && reason.test(err.reason),
        `${JSON.stringify(version)}: ${reason}`,
      );
    }
  });
});

describe("npm ranges", () => {
  it("takes a prerelease below a bound: an advisory's <4.17.19 matches 4.17.19-beta.1", () => {
    assertMatches("<4.17.19", ["4.17.19-beta.1", "4.17.18", "4.17.19-0", "1.0.0-rc.1"], ["4.17.19", "4.17.20-beta.1"]);
    assertMatches(">=1.0.0 <2.0.0", ["1.5.0-rc.1", "1.0.0", "2.0.0-beta.1"], ["1.0.0-rc.1", "2.0.0"]);
    // What npm's default would say, and why the scheme does not use it: installers pick, scanners place.
    assert.equal(npmSemver.satisfies("4.17.19-beta.1", "<4.17.19"), false);
    assert.equal(npmSemver.satisfies("1.5.0-rc.1", ">=1.0.0 <2.0.0"), false);
  });

  it("reads ^ and ~ as npm does, below the next major's (minor's) prereleases", () => {
    assertMatches("^1.2.3", ["1.2.3", "1.9.9", "1.3.0-beta.1"], ["1.2.3-beta.1", "2.0.0-beta.1", "2.0.0", "1.2.2"]);
    assertMatches("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0-0", "0.3.0"]);
    assertMatches("^0.0.3", ["0.0.3"], ["0.0.4-0", "0.0.4"]);
    assertMatches("~1.2.3", ["1.2.3", "1.2.9", "1.2.10-rc.1"], ["1.3.0-0", "1.3.0", "1.2.3-rc.1"]);
    assertMatches("~>1.2", ["1.2.0", "1.2.9"], ["1.3.0"]);
    assertMatches("~0.8.0-pre", ["0.8.0-pre", "0.8.0-pre.1", "0.8.5"], ["0.8.0-alpha", "0.9.0-0"]);
  });

  it("reads x-ranges and partial versions, taking the prereleases of the lowest version in them", () => {
    assertMatches("1.x", ["1.0.0-0", "1.0.0", "1.99.0"], ["0.9.9", "2.0.0-0"]);
    assertMatches("2.0.x || 2.1.x", ["2.0.5", "2.1.0-rc.1", "2.1.9"], ["2.2.0-0", "1.9.9"]);
    assertMatches(">= 2.2.x", ["2.2.0-0", "3.0.0"], ["2.1.9"]);
    assertMatches("*", ["0.0.0-0", "1.0.0", "99.0.0-rc.1"], []);
    // GHSA-r683-j2x4-v87g (node-fetch): "introduced": "1.0" is no version, but as a bound it reads as 1.0.0.
    assertMatches(">=1.0 <3.1.1", ["1.0.0", "3.1.0", "2.6.6"], ["0.9.9", "3.1.1"]);
  });

  it("reads hyphen ranges from the lower bound's prereleases on, through a full upper bound or a partial one's whole line", () => {
    assertMatches("1.2.3 - 2.3.4", ["1.2.3", "2.3.4", "2.3.4-rc.1", "1.2.3-beta"], ["2.3.5", "1.2.2"]);
    assertMatches("1.2 - 2.3", ["1.2.0", "2.3.99"], ["2.4.0-0", "1.1.9"]);
  });

  it("needs every comparator of one alternative; || joins alternatives", () => {
    // express, GHSA-rv95-896h-c2vc.
    assertMatches("<4.19.2 || >=5.0.0-alpha.1 <5.0.0-beta.3", ["4.19.1", "5.0.0-alpha.8", "5.0.0-beta.1"], ["4.19.2", "5.0.0-beta.3", "5.0.0"]);
    // Node.js WG advisory 48 style: two closed intervals.
    assertMatches(">=2.0.0-alpha8 <=2.0.0-rc2 || >=2.0.0 <=2.13.0", ["2.0.0-beta1", "2.0.0-rc2", "2.13.0"], ["2.0.0-rc3", "2.13.1", "1.9.9"]);
  });

  it("refuses a blank range or a blank alternative, which npm reads as every version", () => {
    for (const range of ["", " ", "||", "1.2.3 ||", "|| 1.2.3", "1.2.3 || || 2.0.0"]) {
      assert.throws(
        () => semver.satisfies("1.0.0", range),
        (err: unknown) => err instanceof InvalidRangeError && err.range === range && /blank.*npm would read it as "\*"/.test(err.reason),
        JSON.stringify(range),
      );
    }
  });

  it("refuses what it cannot read, where npm's loose parser would drop it (1.2.3, 1.2.4 reads there as 1.2.4)", () => {
    const cases: [string, RegExp][] = [
      ["1.2.3, 1.2.4", /cannot read comparator "1\.2\.3,"/],
      ["1.2.3 foo", /cannot read comparator "foo"/],
      ["1.2.3 - ", /cannot read comparator "-"/],
      [">=1.2.3.4", /cannot read comparator ">=1\.2\.3\.4"/],
      ["!=1.2.3", /cannot read comparator "!=1\.2\.3"/],
      ["latest", /cannot read comparator "latest"/],
      [">=", /cannot read comparator ">="/],
    ];
    for (const [range, reason] of cases) {
      assert.throws(
        () => semver.satisfies("1.0.0", range),
        (err: unknown) => err instanceof InvalidRangeError && err.scheme === "semver" && err.range === range && reason.test(err.reason),
        `${JSON.stringify(range)}: ${reason}`,
      );
    }
    // What the loose parser makes of the first three.
    assert.equal(npmSemver.validRange("1.2.3, 1.2.4", { loose: true }), "1.2.4");
    assert.equal(npmSemver.validRange("1.2.3 foo", { loose: true }), "1.2.3");
    assert.equal(npmSemver.validRange("1.2.3 - ", { loose: true }), "1.2.3");
    assert.throws(() => semver.satisfies("1.0", "<2.0.0"), InvalidVersionError);
  });
});

// ---- real npm advisories ---------------------------------------------------------------------

interface WgAdvisory {
  id: number;
  module_name: string;
  vulnerable_versions?: string | null;
  patched_versions?: string | null;
}
interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}
interface GhsaAdvisory {
  id: string;
  affected: { package: { ecosystem: string; name: string }; ranges?: { events: OsvEvent[] }[]; database_specific?: { last_known_affected_version_range?: string } }[];
}

function loadWg(): WgAdvisory[] {
  return readdirSync(NODEJS_WG)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, NODEJS_WG), "utf8")) as WgAdvisory);
}

function loadGhsa(): GhsaAdvisory[] {
  return readdirSync(GHSA)
    .filter((name) => name.startsWith("GHSA-") && name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, GHSA), "utf8")) as GhsaAdvisory);
}

/** OSV events → an npm range: introduced "0" opens from the start. */
function osvRange(events: readonly OsvEvent[]): string {
  const alternatives: string[] = [];
  let lower: string | undefined;
  for (const e of events) {
    if (e.introduced !== undefined) lower = e.introduced === "0" ? "" : `>=${e.introduced}`;
    const upper = e.fixed !== undefined ? `<${e.fixed}` : e.last_affected !== undefined ? `<=${e.last_affected}` : undefined;
    if (upper !== undefined) {
      alternatives.push(lower ? `${lower} ${upper}` : upper);
      lower = undefined;
    }
  }
  if (lower !== undefined) alternatives.push(lower || "*");
  return alternatives.join(" || ");
}

/** Every npm range in the advisory data: the WG's vulnerable and patched versions, GHSA's events and last known ranges. */
function realRanges(): string[] {
  const ranges = new Set<string>();
  for (const a of loadWg()) for (const r of [a.vulnerable_versions, a.patched_versions]) if (typeof r === "string") ranges.add(r);
  for (const a of loadGhsa()) {
    for (const affected of a.affected) {
      if (affected.package.ecosystem !== "npm") continue;
      for (const range of affected.ranges ?? []) ranges.add(osvRange(range.events));
      const last = affected.database_specific?.last_known_affected_version_range;
      if (last !== undefined) ranges.add(last);
    }
  }
  return [...ranges].sort();
}

/** The versions a range names, and their neighbours: where matching decisions change. */
function versionsAround(range: string): string[] {
  const around = new Set<string>();
  for (const comparators of new npmSemver.Range(range, REFERENCE).set) {
    for (const { semver: bound } of comparators) {
      if (!(bound instanceof npmSemver.SemVer)) continue; // the comparator of "*"
      const { major, minor, patch } = bound;
      around.add(bound.version);
      const release = `${major}.${minor}.${patch}`;
      for (const v of [release, `${release}-0`, `${release}-beta.1`, `${major}.${minor}.${patch + 1}`, `${major}.${minor + 1}.0-rc.1`, `${major + 1}.0.0`]) {
        around.add(v);
      }
      if (patch > 0) around.add(`${major}.${minor}.${patch - 1}`);
    }
  }
  return [...around];
}

describe("the npm advisory data", () => {
  const ranges = realRanges();

  it("reads every range of the Node.js security WG and GHSA npm advisories", (t) => {
    const bad = ranges.filter((range) => {
      try {
        semver.satisfies("1.0.0", range);
        return false;
      } catch {
        return true;
      }
    });
    assert.deepEqual(bad, []);
    assert.ok(ranges.length > 500, `${ranges.length} ranges`);
    t.diagnostic(`${ranges.length} distinct ranges`);
  });

  it("reads every version of a GHSA event, but node-fetch's \"1.0\" and OSV's \"0\" (from the start)", () => {
    const events = loadGhsa()
      .flatMap((a) => a.affected.filter((x) => x.package.ecosystem === "npm"))
      .flatMap((x) => (x.ranges ?? []).flatMap((r) => r.events.flatMap((e) => [e.introduced, e.fixed, e.last_affected])));
    const bad = [...new Set(events.filter((v): v is string => v !== undefined && !semver.valid(v)))].sort();
    assert.deepEqual(bad, ["0", "1.0"]);
  });

  it("decides each range over the versions it names, their neighbours and a sample of all such versions as the semver package does with includePrerelease", (t) => {
    let verdicts = 0;
    const wrong: string[] = [];
    const everywhere = [...new Set(ranges.flatMap(versionsAround))].sort();
    const sample = everywhere.filter((_, i) => i % Math.ceil(everywhere.length / 40) === 0);
    for (const range of ranges) {
      for (const v of new Set([...versionsAround(range), ...sample])) {
        verdicts++;
        if (semver.satisfies(v, range) !== npmSemver.satisfies(v, range, REFERENCE)) wrong.push(`${v} in ${range}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(verdicts > 20_000, `${verdicts} verdicts`);
    t.diagnostic(`${verdicts} verdicts`);
  });

  it("decides real advisories as their text says", () => {
    // semver, GHSA-c2qf-rxjj-qqgw (ReDoS): fixed in 5.7.2, 6.3.1 and 7.5.2.
    const semverRedos = "<5.7.2 || >=6.0.0 <6.3.1 || >=7.0.0 <7.5.2";
    assertMatches(semverRedos, ["5.7.1", "6.3.0", "7.5.1", "7.5.2-rc.0", "6.0.0"], ["5.7.2", "6.3.1", "7.5.2", "7.6.0", "6.4.0-0"]);
    // node-fetch, GHSA-w7rc-rwvf-8q5r: prereleases of 3.0.0 up to beta.8.
    assertMatches("<2.6.1 || >=3.0.0-beta.1 <3.0.0-beta.9", ["2.6.0", "3.0.0-beta.1", "3.0.0-beta.8"], ["2.6.1", "3.0.0-beta.9", "3.0.0", "3.0.0-alpha.1"]);
    assertMatches("<= 3.0.0-beta.8", ["3.0.0-beta.8", "2.6.1"], ["3.0.0-beta.9"]);
    // minimist, GHSA-xvch-5gv4-984h: prototype pollution before 0.2.4 and 1.2.6.
    assertMatches("<0.2.4 || >=1.0.0 <1.2.6", ["0.2.3", "1.2.0", "1.2.5"], ["0.2.4", "1.2.6", "0.9.0", "1.0.0-rc.1"]);
    // The Node.js WG's electron advisory (495) writes overlapping intervals: every version below 5.0.0-beta.5 is in it.
    const electron = loadWg().find((a) => a.id === 495)!;
    assertMatches(electron.vulnerable_versions!, ["2.0.18", "4.0.9", "5.0.0-beta.4"], ["5.0.0-beta.5", "5.0.0"]);
  });
});

// ---- properties ------------------------------------------------------------------------------

const numeric = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }) });
const word = fc.string({ unit: fc.constantFrom(..."abzAZ-0189"), minLength: 1, maxLength: 5 }).filter((s) => !/^[0-9]+$/.test(s));
const identifier = fc.oneof(numeric, word);
interface Model {
  core: [number, number, number];
  pre: (number | string)[];
  build: string | null;
}
const model: fc.Arbitrary<Model> = fc.record({
  core: fc.tuple(numeric, numeric, numeric),
  pre: fc.oneof(fc.constant<(number | string)[]>([]), fc.array(identifier, { minLength: 1, maxLength: 3 })),
  build: fc.option(fc.string({ unit: fc.constantFrom(..."abc019-"), minLength: 1, maxLength: 4 })),
});
const render = (m: Model) => `${m.core.join(".")}${m.pre.length ? `-${m.pre.join(".")}` : ""}${m.build === null ? "" : `+${m.build}`}`;

/** Semver 2.0 precedence (semver.org, item 11), written out. */
function precedence(a: Model, b: Model): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! < b.core[i]! ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return Math.sign(a.pre.length - b.pre.length);
}

const comparator = fc.oneof(
  fc.tuple(fc.constantFrom("", "=", "<", "<=", ">", ">=", "^", "~"), model).map(([op, m]) => `${op}${render({ ...m, build: null })}`),
  fc.tuple(numeric, fc.option(numeric)).map(([major, minor]) => (minor === null ? `${major}.x` : `${major}.${minor}.x`)),
);
/** One alternative: comparators, or a hyphen range (which stands alone in npm's grammar). */
const alternative = fc.oneof(
  { weight: 3, arbitrary: fc.array(comparator, { minLength: 1, maxLength: 2 }).map((c) => c.join(" ")) },
  { weight: 1, arbitrary: fc.tuple(model, model).map(([a, b]) => `${render({ ...a, build: null })} - ${render({ ...b, build: null })}`) },
);
const range = fc.array(alternative, { minLength: 1, maxLength: 2 }).map((alternatives) => alternatives.join(" || "));

describe("properties (fast-check)", () => {
  it("orders as semver 2.0 precedence, written out in the test", () => {
    fc.assert(fc.property(model, model, (a, b) => assert.equal(Math.sign(semver.compare(render(a), render(b))), precedence(a, b))), { numRuns: 2000 });
  });

  it("keeps the order laws", () => {
    fc.assert(fc.property(fc.array(model.map(render), { maxLength: 25 }), (versions) => assertOrderLaws(semver.compare, versions)));
  });

  it("places each loose spelling where its strict form is", () => {
    fc.assert(
      fc.property(model, fc.constantFrom("v", "=", "v=", " "), (m, prefix) => {
        assert.equal(semver.compare(`${prefix}${render(m)}`, render(m)), 0);
      }),
    );
  });

  it("decides generated ranges as the semver package does with includePrerelease (refusing those it cannot read)", () => {
    fc.assert(
      fc.property(model.map(render), range, (v, r) => {
        if (npmSemver.validRange(r, REFERENCE) === null) {
          // e.g. the hyphen range 1.0.0 - 0.0.9007199254740991, whose upper bound semver turns into <0.0.9007199254740992-0
          assert.throws(() => semver.satisfies(v, r), InvalidRangeError);
        } else {
          assert.equal(semver.satisfies(v, r), npmSemver.satisfies(v, r, REFERENCE), `${v} in ${r}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses the generated strings the semver package cannot read as a range, and only those", () => {
    const text = fc.string({ unit: fc.constantFrom(..."0123456789.x*^~<>=- |v"), maxLength: 14 });
    fc.assert(
      fc.property(text, (r) => {
        fc.pre(r.split("||").every((alternative) => alternative.trim() !== "")); // blank ones are refused on purpose (above)
        let readable = true;
        try {
          new npmSemver.Range(r, REFERENCE);
        } catch {
          readable = false;
        }
        let refused = false;
        try {
          semver.satisfies("1.0.0", r);
        } catch (err) {
          assert.ok(err instanceof InvalidRangeError);
          refused = true;
        }
        assert.equal(refused, !readable, JSON.stringify(r));
      }),
      { numRuns: 3000 },
    );
  });
});
