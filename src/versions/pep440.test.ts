/**
 * Python versions and specifier sets: PEP 440's rules written out as cases,
 * then checked against pip's `packaging` (Debian's python3-packaging, one
 * /usr/bin/python3 process for every question) over the PyPI advisory
 * database's versions and ranges and over generated spellings.
 *
 * Needs: apt-get install -y python3-packaging
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { pep440 } from "./pep440.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

const PYPI_VULNS = new URL("../../../shared/vulndata/pypi/vulns/", import.meta.url);
const PYTHON = "/usr/bin/python3";


/** Every string handed to the scheme by the hand-written cases, and the pairs they order: packaging is asked about them all too. */
const handPicked = new Set<string>();
const handPickedPairs: [string, string][] = [];

function assertIncreasing(versions: readonly string[]): void {
  versions.forEach((v) => handPicked.add(v));
  for (let i = 1; i < versions.length; i++) {
    handPickedPairs.push([versions[i - 1]!, versions[i]!]);
    assert.ok(pep440.compare(versions[i - 1]!, versions[i]!) < 0, `${versions[i - 1]} < ${versions[i]}`);
    assert.ok(pep440.compare(versions[i]!, versions[i - 1]!) > 0, `${versions[i]} > ${versions[i - 1]}`);
  }
}

function assertSame(...spellings: string[]): void {
  spellings.forEach((v) => handPicked.add(v));
  for (const b of spellings.slice(1)) handPickedPairs.push([spellings[0]!, b]);
  for (const a of spellings) for (const b of spellings) assert.equal(pep440.compare(a, b), 0, `${JSON.stringify(a)} = ${JSON.stringify(b)}`);
}

function assertRefused(version: string): void {
  handPicked.add(version);
  assert.equal(pep440.valid(version), false, `${JSON.stringify(version)} is not valid`);
  assert.throws(
    () => pep440.compare("1.0", version),
    (err: unknown) => err instanceof InvalidVersionError && err.scheme === "pep440" && err.version === version && /not a PEP 440 version/.test(err.reason),
  );
}

/** Specifier sets refused by the hand-written cases, for packaging too. */
const handPickedSpecifiers: string[] = [];

/** Specifier sets and verdicts of the hand-written cases, for packaging too. */
const handPickedContains: [string, string][] = [];

function assertMatches(range: string, inside: readonly string[], outside: readonly string[]): void {
  for (const v of inside) {
    handPickedContains.push([v, range]);
    assert.equal(pep440.satisfies(v, range), true, `${v} is in ${range}`);
  }
  for (const v of outside) {
    handPickedContains.push([v, range]);
    assert.equal(pep440.satisfies(v, range), false, `${v} is not in ${range}`);
  }
}

describe("PEP 440 versions", () => {
  it("reads each spelling PEP 440 allows as its normal form: case, separators, implicit numbers, other names", () => {
    assertSame("1.0", "1.0.0", "1.0.0.0", "v1.0", "V1.0", " 1.0 ", "01.00", "0!1.0");
    assertSame("1.0a1", "1.0alpha1", "1.0-a1", "1.0.a.1", "1.0_alpha_1", "1.0A1", "1.0a01");
    assertSame("1.0b2", "1.0beta2", "1.0-beta-2", "1.0.BETA.2");
    assertSame("1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0-rc.1", "1.0RC1");
    assertSame("1.0a0", "1.0a", "1.0alpha", "1.0-a");
    assertSame("1.0.post1", "1.0-1", "1.0post1", "1.0-post1", "1.0.r1", "1.0rev1", "1.0_post_1", "1.0.POST1");
    assertSame("1.0.post0", "1.0.post", "1.0-r", "1.0rev");
    assertSame("1.0.dev0", "1.0.dev", "1.0-dev", "1.0dev0", "1.0_DEV");
    assertSame("1.0+abc.1", "1.0+ABC.1", "1.0+abc-1", "1.0+abc_1", "1.0+abc.01");
  });

  it("orders as PEP 440's own example: dev release, pre-releases, release, its local versions, post-releases, next release", () => {
    assertIncreasing([
      "1.dev0",
      "1.0.dev456",
      "1.0a1",
      "1.0a2.dev456",
      "1.0a12.dev456",
      "1.0a12",
      "1.0b1.dev456",
      "1.0b2",
      "1.0b2.post345.dev456",
      "1.0b2.post345",
      "1.0rc1.dev456",
      "1.0rc1",
      "1.0",
      "1.0+abc.5",
      "1.0+abc.7",
      "1.0+5",
      "1.0.post456.dev34",
      "1.0.post456",
      "1.0.15",
      "1.1.dev1",
    ]);
  });

  it("puts dev releases of pre- and post-releases just below them", () => {
    assertIncreasing(["1.0a1.dev1", "1.0a1", "1.0a1.post1.dev1", "1.0a1.post1", "1.0a2.dev1", "1.0", "1.0.post1.dev0", "1.0.post1", "1.0.post2.dev1"]);
  });

  it("puts the epoch first: 1!0.1 is newer than 2024.10", () => {
    assertIncreasing(["2024.10", "2024.10.post1", "1!0.1", "1!1.0", "2!0.0.1"]);
  });

  it("orders local versions: none lowest, words below numbers, numbers as numbers, a longer label above its prefix", () => {
    assertIncreasing(["1.0", "1.0+1e5", "1.0+a", "1.0+a.1", "1.0+abc", "1.0+b", "1.0+0", "1.0+1", "1.0+2", "1.0+10", "1.0+10.a", "1.0.post1"]);
  });

  it("compares numbers of any length exactly", () => {
    assertIncreasing(["1.0.9007199254740992", "1.0.9007199254740993", "1.0.20230101120000123456", "9007199254740992!0", "9007199254740993!0"]);
    assertIncreasing(["1.0a9007199254740992", "1.0a9007199254740993", "1.0"]);
    assertIncreasing(["1.0+9007199254740992", "1.0+9007199254740993"]);
  });

  it("refuses what PEP 440 does not define", () => {
    const bad = ["", " ", "1.0-", "1.0+", "1.0+a..b", "1.0+a_", "1.0+a b", "foo", "1.0.x", "1..0", ".1", "1.", "1.*"];
    const misplaced = ["1.0a1b1", "1.0.post1.post2", "1!", "!1", "1.0dev1a1", "ab1.0", "1.0 2.0"];
    for (const version of [...bad, ...misplaced]) {
      assertRefused(version);
    }
    // Real strings from the PyPI advisory database's version lists.
    assertRefused("2019-09-12");
    assertRefused("0.2.0-n653");
  });
});

describe("PEP 440 specifier sets", () => {
  it("matches pre-releases like any other version (packaging's prereleases=True)", () => {
    assertMatches(">=1.0,<2.0", ["1.0", "1.5rc1", "1.9.dev3", "1.9.post1"], ["0.9", "1.0rc1", "2.0"]);
    assertMatches(">=2.0rc1", ["2.0rc1", "2.0", "3.0a1"], ["2.0b9", "2.0rc1.dev1"]);
  });

  it("keeps PEP 440's exclusive <: <2.1 leaves out 2.1's own pre-releases and dev releases, unless it names one", () => {
    assertMatches("<2.1", ["2.0", "2.0.post9", "2.0.dev0", "0.1a1"], ["2.1a1", "2.1rc1", "2.1.dev0", "2.1", "2.1+local"]);
    assertMatches("<2.1rc1", ["2.1a1", "2.1b2", "2.1rc1.dev1", "2.0"], ["2.1rc1", "2.1"]);
    assertMatches("<1!2.0", ["1!1.9", "2.5"], ["1!2.0a1", "1!2.0"]);
  });

  it("keeps PEP 440's exclusive >: >2.0 leaves out 2.0's post-releases and local versions, unless it names a post-release", () => {
    assertMatches(">2.0", ["2.0.1", "2.1.post1", "2.0.1+local", "3.0a1"], ["2.0", "2.0.post1", "2.0.0.post3", "2.0+local", "1.9"]);
    assertMatches(">2.0.post1", ["2.0.post2", "2.1"], ["2.0.post1", "2.0.post1+local", "2.0"]);
  });

  it("reads 'pre-releases of V' and 'post-releases of V' as packaging 26 does: of V itself, not of V's release numbers", () => {
    // pikepdf's PYSEC-2021-34 is fixed in 1.5.0.post0: its 1.5.0 release candidates are affected, as 1.5.0 is.
    assertMatches("<1.5.0.post0", ["1.5.0rc9", "1.5.0rc11", "1.5.0"], ["1.5.0.post0.dev1", "1.5.0.post0"]);
    assertMatches(">1.0a1", ["1.0a2", "1.0", "1.0.post1", "1.0+local", "1.0a2+local"], ["1.0a1", "1.0a1.post1", "1.0a1+local"]);
    assertMatches(">1.0.dev1", ["1.0.post1", "1.0a1"], ["1.0.dev1+local"]);
  });

  it("compares <= and >= with the public version, so a local version of the bound is inside", () => {
    assertMatches("<=2.0", ["2.0", "2.0+local", "2.0rc1", "1.0"], ["2.0.post1", "2.0.1"]);
    assertMatches(">=2.0", ["2.0", "2.0+local", "2.0.post1"], ["2.0rc1", "1.9+local"]);
  });

  it("matches == with zero padding and, for a public version, any local version; != is its opposite", () => {
    assertMatches("==1.0", ["1.0", "1.0.0", "v1.0", "1.0+local.7"], ["1.0.post1", "1.0rc1", "1.0.1"]);
    assertMatches("==1.0+local", ["1.0+local", "1.0.0+LOCAL"], ["1.0", "1.0+other"]);
    assertMatches("!=1.0", ["1.0.1", "1.0.post1", "0.9"], ["1.0.0", "1.0+local"]);
  });

  it("matches ==X.* on the release numbers (padded with zeros), whatever follows them; !=X.* is its opposite", () => {
    assertMatches("==1.1.*", ["1.1", "1.1.0", "1.1.5", "1.1a1", "1.1.post1", "1.1.dev1", "1.1+local"], ["1.10", "1.2", "1.0", "1!1.1"]);
    assertMatches("==1.0.0.*", ["1", "1.0", "1.0.0.0.1"], ["1.0.1", "1.1"]);
    assertMatches("!=1.1.*", ["1.10", "1.2", "1.0.9"], ["1.1", "1.1rc1", "1.1.0.1"]);
    assertMatches("==1!1.*", ["1!1.0a1", "1!1", "1!1.9"], ["1.1", "1!2.0"]);
    assertMatches("==1!1.0.*", ["1!1", "1!1a1"], ["1!1.1"]);
  });

  it("reads ~=X.Y as >=X.Y, ==X.*, ignoring a pre/post/dev suffix for the prefix", () => {
    assertMatches("~=2.2", ["2.2", "2.3", "2.9.post1", "2.10"], ["2.1", "3.0", "3.0a1", "2.2rc1"]);
    assertMatches("~=1.4.5a4", ["1.4.5a4", "1.4.5", "1.4.9", "1.4.5.1"], ["1.4.5a3", "1.5", "1.4.4"]);
    assertMatches("~=2.2.post3", ["2.2.post3", "2.3", "2.2.1"], ["2.2", "2.2.post2", "3.0"]);
    assertMatches("~=2.2.0", ["2.2.0", "2.2.9"], ["2.3.0", "2.1.9"]);
    // packaging reads these two as ==1.0.*, taking the prefix from the text as written.
    assertMatches("~=1.0c1", ["1.0rc1", "1.1"], ["2.0"]);
    assertMatches("~=1.0.pre1", ["1.0rc1", "1.1"], ["2.0"]);
    assertMatches("~=1!1.0", ["1!1.5"], ["1.5", "2!1.0", "1!2.0"]);
    assertMatches("~=1!1.0.0", ["1!1", "1!1.0.5"], ["1!1.1"]);
  });

  it("matches === on the version exactly as written, but for case", () => {
    assertMatches("===1.0", ["1.0"], ["1.0.0", "v1.0", "1.0+local", " 1.0 "]);
    assertMatches("===1.0RC1", ["1.0rc1"], ["1.0c1", "1.0rc01"]);
    assertMatches("===foobar", [], ["1.0"]);
  });

  it("needs every specifier of the set, and reads spaces and empty items as packaging does", () => {
    assertMatches(" >= 1.0 , < 2.0 , != 1.5.* ", ["1.0", "1.4.9", "1.6"], ["1.5", "1.5.1", "2.0"]);
    assertMatches(">=1.0,,<2.0,", ["1.5"], ["2.5"]);
    assertMatches("> 1.0, < 1.0", [], ["1.0", "0.9", "1.1"]);
  });

  it("refuses specifier sets PEP 440 does not define, and says why", () => {
    const cases: [string, RegExp][] = [
      ["", /blank specifier set/],
      [" , ", /blank specifier set/],
      ["1.0", /expected an operator/],
      ["=>1.0", /expected an operator/],
      ["= 1.0", /expected an operator/],
      [">=", /expected a version after >=/],
      [">=1.0+local", /does not take a local version/],
      ["~=1.0+local", /does not take a local version/],
      ["~=1", /~= needs at least two release numbers/],
      ["==1.0a1.*", /with \.\* takes only/],
      ["==1.*.0", /not a PEP 440 version/],
      ["== 1.0 .*", /with \.\* takes only/],
      ["<1.0.*", /only == and != take a \.\* prefix/],
      ["~=1.0.*", /only == and != take a \.\* prefix/],
      [">=1.0 <2.0", /not a PEP 440 version/],
      ["=== 1.0 2.0", /=== takes one word/],
      ["===", /expected a version after ===/],
      [">=1.0, foo", /^specifier 2 "foo": expected an operator/],
      [">=1.0;python_version>'3'", /not a PEP 440 version/],
    ];
    for (const [range, reason] of cases) {
      handPickedSpecifiers.push(range);
      assert.throws(
        () => pep440.satisfies("1.0", range),
        (err: unknown) => err instanceof InvalidRangeError && err.scheme === "pep440" && err.range === range && reason.test(err.reason),
        `${JSON.stringify(range)}: ${reason}`,
      );
    }
    assert.throws(() => pep440.satisfies("1.0-", ">=1.0"), InvalidVersionError);
  });
});

// ---- the PyPI advisory database ----------------------------------------------------------------

interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}
interface Affected {
  package: { name: string };
  ranges?: { type: string; events: OsvEvent[] }[];
  versions?: string[];
}

interface PypiData {
  /** Every version string of each package's `versions` lists, sorted as text. */
  versionsByPackage: Map<string, string[]>;
  /** ECOSYSTEM ranges: a package and its intervals as specifier sets. */
  ranges: { name: string; specifiers: string[] }[];
  /** Every event value ("0" left out). */
  eventVersions: string[];
}

function loadPypi(): PypiData {
  const versionsByPackage = new Map<string, Set<string>>();
  const ranges: PypiData["ranges"] = [];
  const eventVersions = new Set<string>();
  for (const dir of readdirSync(PYPI_VULNS).sort()) {
    for (const file of readdirSync(new URL(`${dir}/`, PYPI_VULNS)).sort()) {
      // The failsafe schema keeps every scalar a string: 1.10 stays "1.10", not the number 1.1.
      const record = parseYaml(readFileSync(new URL(`${dir}/${file}`, PYPI_VULNS), "utf8"), { schema: "failsafe" }) as { affected?: Affected[] };
      for (const affected of record.affected ?? []) {
        const name = affected.package.name;
        const set = versionsByPackage.get(name) ?? new Set<string>();
        versionsByPackage.set(name, set);
        for (const v of affected.versions ?? []) set.add(v);
        for (const range of affected.ranges ?? []) {
          if (range.type !== "ECOSYSTEM") continue;
          for (const e of range.events) for (const v of [e.introduced, e.fixed, e.last_affected]) if (v !== undefined && v !== "0") eventVersions.add(v);
          ranges.push({ name, specifiers: osvSpecifierSets(range.events) });
        }
      }
    }
  }
  return {
    versionsByPackage: new Map([...versionsByPackage].map(([name, set]) => [name, [...set].sort()])),
    ranges,
    eventVersions: [...eventVersions].sort(),
  };
}

/** OSV events → one specifier set per interval (introduced "0" gives no lower bound; an open interval no upper). */
function osvSpecifierSets(events: readonly OsvEvent[]): string[] {
  const sets: string[] = [];
  let lower: string | undefined;
  for (const e of events) {
    if (e.introduced !== undefined) lower = e.introduced === "0" ? "" : `>=${e.introduced}`;
    const upper = e.fixed !== undefined ? `<${e.fixed}` : e.last_affected !== undefined ? `<=${e.last_affected}` : undefined;
    if (upper !== undefined) {
      sets.push(lower ? `${lower},${upper}` : upper);
      lower = undefined;
    }
  }
  if (lower) sets.push(lower);
  return sets;
}

/** At most `n` items, evenly spread over `list`. */
function spread<T>(list: readonly T[], n: number): T[] {
  if (list.length <= n) return [...list];
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * (list.length - 1)) / (n - 1))]!);
}

function allPairs(versions: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < versions.length; i++) for (let j = i + 1; j < versions.length; j++) pairs.push([versions[i]!, versions[j]!]);
  return pairs;
}

// ---- the reference: packaging ------------------------------------------------------------------

const ORACLE = `
import json, sys
import packaging
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

versions = {}
def version(s):
    if s not in versions:
        try:
            versions[s] = Version(s)
        except InvalidVersion:
            versions[s] = None
    return versions[s]

sets = {}
def specifier_set(s):
    if s not in sets:
        try:
            sets[s] = SpecifierSet(s)
        except InvalidSpecifier:
            sets[s] = None
    return sets[s]

def order(a, b):
    x, y = version(a), version(b)
    if x is None or y is None:
        return None
    return (x > y) - (x < y)

def contains(v, s):
    spec = specifier_set(s)
    if spec is None or version(v) is None:
        return None
    # === compares text: give it the text; everything else the parsed version, parsed once.
    return spec.contains(v if "===" in s else version(v), prereleases=True)

memo = {}
def cut(v, post=True, dev=True):
    # v without its local label (and without its post and dev parts, if asked), as a Version
    key = (v, post, dev)
    if key not in memo:
        text = "%d!%s" % (v.epoch, ".".join(str(n) for n in v.release))
        if v.pre is not None:
            text += "%s%d" % v.pre
        if post and v.post is not None:
            text += ".post%d" % v.post
        if dev and v.dev is not None:
            text += ".dev%d" % v.dev
        memo[key] = Version(text)
    return memo[key]

def exclusive(op, v, spec):
    # PEP 440's < and > as packaging 26 reads them: <V leaves out V.dev0 and up (V not a pre-release);
    # >V leaves out the post-releases of V itself (V not a post-release) and V's local versions.
    if op == "<":
        return v < spec and not (not spec.is_prerelease and v.is_prerelease and v >= Version(str(cut(spec, dev=False)) + ".dev0"))
    return (v > spec
        and not (not spec.is_postrelease and v.is_postrelease and cut(v, post=False, dev=False) == spec)
        and not (v.local is not None and cut(v) == spec))

def modelled(v, s, verdict):
    spec = specifier_set(s)
    if spec is None or version(v) is None or not any(one.operator in ("<", ">") for one in spec):
        return verdict
    return all(exclusive(one.operator, version(v), version(one.version)) if one.operator in ("<", ">")
               else one.contains(v if one.operator == "===" else version(v), prereleases=True) for one in spec)

def normal(s):
    v = version(s)
    return None if v is None else str(v)

request = json.load(sys.stdin)
contained = {k: [contains(v, s) for v, s in l] for k, l in request["contains"].items()}
sys.stdout.write(json.dumps({
    "packaging": packaging.__version__,
    "quirks": {
        "epochPrefix": SpecifierSet("==1!1.0.*").contains("1!1", prereleases=True)
            and SpecifierSet("==1!1.*").contains("1!1a1", prereleases=True)
            and SpecifierSet("~=1!1.0.0").contains("1!1.0", prereleases=True),
        "arbitraryAsWritten": not SpecifierSet("===1.0").contains("v1.0", prereleases=True),
        "exclusiveAsPackaging26": SpecifierSet("<1.0.post1").contains("1.0a1", prereleases=True)
            and SpecifierSet(">1.0a1").contains("1.0.post1", prereleases=True)
            and SpecifierSet(">1.0a1").contains("1.0+local", prereleases=True),
    },
    "valid": {k: [version(s) is not None for s in l] for k, l in request["valid"].items()},
    "normal": {k: [normal(s) for s in l] for k, l in request["normal"].items()},
    "compare": {k: [order(a, b) for a, b in l] for k, l in request["compare"].items()},
    "sort": {k: sorted((s for s in l if version(s) is not None), key=lambda s: (version(s), s)) for k, l in request["sort"].items()},
    "specValid": {k: [specifier_set(s) is not None for s in l] for k, l in request["specValid"].items()},
    "contains": contained,
    "modelled": {k: [modelled(v, s, contained[k][i]) for i, (v, s) in enumerate(l)] for k, l in request["contains"].items()},
}))
`;

interface OracleRequest {
  valid: Record<string, string[]>;
  normal: Record<string, string[]>;
  compare: Record<string, [string, string][]>;
  sort: Record<string, string[]>;
  specValid: Record<string, string[]>;
  contains: Record<string, [string, string][]>;
}
interface OracleAnswer {
  packaging: string;
  /** Departures from PEP 440 of older packaging releases, found by asking it. */
  quirks: { epochPrefix: boolean; arbitraryAsWritten: boolean; exclusiveAsPackaging26: boolean };
  valid: Record<string, boolean[]>;
  normal: Record<string, (string | null)[]>;
  compare: Record<string, (number | null)[]>;
  sort: Record<string, string[]>;
  specValid: Record<string, boolean[]>;
  contains: Record<string, (boolean | null)[]>;
  /** The same verdicts with < and > decided as packaging 26 decides them (by a model in the script above). */
  modelled: Record<string, (boolean | null)[]>;
}

function packaging(request: OracleRequest): Promise<OracleAnswer> {
  return new Promise((resolve, reject) => {
    // -I: isolated from PYTHONPATH and the user's site-packages, so the packaging asked is Debian's.
    const child = spawn(PYTHON, ["-I", "-c", ORACLE], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as OracleAnswer);
      else reject(new Error(`${PYTHON} (packaging) exited with ${code}: ${Buffer.concat(err).toString("utf8")}`));
    });
    child.stdin.end(JSON.stringify(request));
  });
}

// ---- generated versions and specifiers ---------------------------------------------------------

const smallNumber = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 12 }).map(String) }, { weight: 1, arbitrary: fc.bigInt(0n, 10n ** 22n).map(String) });
const localWord = fc.string({ unit: fc.constantFrom(..."abcz0129"), minLength: 1, maxLength: 5 });

/** A version's parts, and how to spell them (PEP 440 allows many spellings of one version). */
const versionParts = fc.record({
  epoch: fc.option(smallNumber, { freq: 6 }),
  release: fc.array(smallNumber, { minLength: 1, maxLength: 4 }),
  pre: fc.option(fc.tuple(fc.constantFrom("a", "b", "rc"), smallNumber), { freq: 3 }),
  post: fc.option(smallNumber, { freq: 4 }),
  dev: fc.option(smallNumber, { freq: 4 }),
  local: fc.option(fc.array(localWord, { minLength: 1, maxLength: 3 }), { freq: 5 }),
});
type Parts = typeof versionParts extends fc.Arbitrary<infer T> ? T : never;

const ALIASES: Record<string, string[]> = { a: ["a", "alpha", "A", "Alpha"], b: ["b", "beta", "B"], rc: ["rc", "c", "pre", "preview", "RC", "C"] };
const spelling = fc.record({
  v: fc.constantFrom("", "", "", "v", "V"),
  space: fc.constantFrom("", "", "", " ", "\t"),
  zeros: fc.boolean(),
  padding: fc.nat(2),
  alias: fc.nat(5),
  seps: fc.array(fc.constantFrom("", ".", "-", "_"), { minLength: 6, maxLength: 6 }),
  omitZero: fc.boolean(),
  postForm: fc.constantFrom("post", "rev", "r", "POST", "dash"),
  localSeps: fc.array(fc.constantFrom(".", "-", "_"), { minLength: 2, maxLength: 2 }),
});
type Spelling = typeof spelling extends fc.Arbitrary<infer T> ? T : never;

/** The normal form, as packaging prints it. */
function canonical(p: Parts, { local = true } = {}): string {
  return (
    (p.epoch === null ? "" : `${p.epoch}!`) +
    p.release.join(".") +
    (p.pre === null ? "" : `${p.pre[0]}${p.pre[1]}`) +
    (p.post === null ? "" : `.post${p.post}`) +
    (p.dev === null ? "" : `.dev${p.dev}`) +
    (p.local === null || !local ? "" : `+${p.local.join(".")}`)
  );
}

/** One of the other spellings of the same version. */
function spelled(p: Parts, s: Spelling): string {
  const [s1, s2, s3, s4, s5, s6] = s.seps as [string, string, string, string, string, string];
  const number = (n: string, sep: string) => (s.omitZero && n === "0" ? "" : `${sep}${s.zeros ? "0" : ""}${n}`);
  const aliases = p.pre === null ? [] : ALIASES[p.pre[0]]!;
  // "1.0a-1" is 1.0a1, not 1.0a0.post1: before a post-release spelt "-N", the pre-release keeps its number.
  const preNumber = p.post !== null && s.postForm === "dash" ? `${s2}${p.pre?.[1]}` : number(p.pre?.[1] ?? "", s2);
  const pre = p.pre === null ? "" : `${s1}${aliases[s.alias % aliases.length]}${preNumber}`;
  const post = p.post === null ? "" : s.postForm === "dash" ? `-${p.post}` : `${s3}${s.postForm}${number(p.post, s4)}`;
  const dev = p.dev === null ? "" : `${s5}dev${number(p.dev, s6)}`;
  const local = p.local === null ? "" : `+${p.local.map((w, i) => (i === 0 ? w : `${s.localSeps[(i - 1) % 2]}${w}`)).join("")}`;
  const release = [...p.release, ...Array<string>(s.padding).fill("0")].join(".");
  return `${s.space}${s.v}${p.epoch === null ? "" : `${p.epoch}!`}${release}${pre}${post}${dev}${local}${s.space}`;
}

const generatedVersion = fc.oneof(
  versionParts.map((p) => canonical(p)),
  fc.tuple(versionParts, spelling).map(([p, s]) => spelled(p, s)),
);
/** Strings near the grammar, mostly not versions. */
const nearVersion = fc.string({ unit: fc.constantFrom(..."0123456789..!+-_ abcdeloprstvABC"), maxLength: 10 });

const OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "~=", "===", "==*", "!=*"] as const;
/** A specifier over a generated bound, in the shape its operator allows. */
function specifierFor(op: (typeof OPERATORS)[number], p: Parts, cut: number): string {
  switch (op) {
    case "==*":
    case "!=*":
      return `${op.slice(0, 2)}${p.epoch === null ? "" : `${p.epoch}!`}${p.release.slice(0, 1 + (cut % p.release.length)).join(".")}.*`;
    case "~=":
      return `~=${canonical({ ...p, release: p.release.length < 2 ? [...p.release, "0"] : p.release }, { local: false })}`;
    case "==":
    case "!=":
    case "===":
      return `${op}${canonical(p)}`;
    default:
      return `${op}${canonical(p, { local: false })}`;
  }
}
const generatedSpecifier = fc.tuple(fc.constantFrom(...OPERATORS), versionParts, fc.nat(3)).map(([op, p, cut]) => specifierFor(op, p, cut));
/** Versions near each other, so that the operators' edge cases come up: a bound and variations of it. */
const nearbyVersion = (p: Parts) =>
  fc.oneof(
    fc.constant(canonical(p)),
    fc.constant(canonical({ ...p, local: null })),
    fc.constant(canonical({ ...p, pre: null, post: null, dev: null, local: null })),
    fc
      .record({ pre: fc.option(fc.tuple(fc.constantFrom("a", "b", "rc"), smallNumber)), post: fc.option(smallNumber), dev: fc.option(smallNumber) })
      .map((x) => canonical({ ...p, ...x })),
    fc.tuple(smallNumber, fc.nat(3)).map(([n, i]) => canonical({ ...p, release: p.release.map((r, j) => (j === i ? n : r)) })),
    fc.tuple(versionParts, spelling).map(([q, s]) => spelled(q, s)),
  );
const generatedContains = fc
  .tuple(fc.constantFrom(...OPERATORS), versionParts, fc.nat(3))
  .chain(([op, p, cut]) => fc.tuple(nearbyVersion(p), fc.constant(specifierFor(op, p, cut))));
const nearSpecifier = fc
  .tuple(fc.constantFrom("", "=", "==", "~=", "<", ">=", "!=", "===", "=>", "~"), fc.constantFrom("", " "), nearVersion, fc.constantFrom("", ".*", ",", ", <2"))
  .map((t) => t.join(""));

const EPOCH = /[0-9]!/;

/** Normal spellings only: packaging takes the ~= prefix from the text, and knows only these suffix spellings there. */
const NORMAL_SPELLING = /^(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?$/;

describe("against packaging (python3-packaging)", () => {
  const data = loadPypi();
  const packages = [...data.versionsByPackage.keys()];
  const everyVersion = [...new Set([...data.versionsByPackage.values()].flat())].sort();
  const valid = everyVersion.filter((v) => pep440.valid(v));
  const sampled = packages.filter((_, i) => i % 6 === 0);
  const fewer = sampled.filter((_, i) => i % 2 === 0);
  const packagePairs = sampled.flatMap((name) => allPairs(spread(data.versionsByPackage.get(name)!.filter((v) => pep440.valid(v)), 80)));

  // Each ECOSYSTEM interval over the package's versions (and the bounds themselves).
  const rangeItems: [string, string][] = [];
  for (const { name, specifiers } of data.ranges) {
    const known = spread(data.versionsByPackage.get(name)!.filter((v) => pep440.valid(v)), 16);
    for (const specifier of specifiers) {
      const bounds = specifier.split(",").map((s) => s.replace(/^[<>=]+/, ""));
      if (!bounds.every((b) => pep440.valid(b))) continue;
      for (const v of new Set([...known, ...bounds])) rangeItems.push([v, specifier]);
    }
  }

  // Every operator, with bounds from the package's own versions.
  const operatorItems: [string, string][] = [];
  for (const name of fewer) {
    const known = spread(data.versionsByPackage.get(name)!.filter((v) => pep440.valid(v)), 24);
    for (const bound of spread(known, 4)) {
      const publicBound = bound.split("+")[0]!;
      const release = /^v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)/i.exec(bound.trim())!;
      const epoch = release[1] === undefined ? "" : `${release[1]}!`;
      const numbers = release[2]!.split(".");
      const specifiers = [`==${bound}`, `!=${bound}`, `===${bound}`, `<${publicBound}`, `<=${publicBound}`, `>${publicBound}`, `>=${publicBound}`];
      for (let n = 1; n <= numbers.length; n++) specifiers.push(`==${epoch}${numbers.slice(0, n).join(".")}.*`, `!=${epoch}${numbers.slice(0, n).join(".")}.*`);
      if (NORMAL_SPELLING.test(publicBound) && numbers.length >= 2) specifiers.push(`~=${publicBound}`);
      for (const specifier of specifiers) for (const v of known) operatorItems.push([v, specifier]);
    }
  }

  const generated = [...new Set(fc.sample(generatedVersion, { seed: 440, numRuns: 500 }))];
  const generatedValid = generated.filter((v) => pep440.valid(v));
  const generatedPairs = allPairs(generatedValid);
  const near = [...new Set(fc.sample(nearVersion, { seed: 441, numRuns: 3000 }))];
  const containsItems = fc.sample(generatedContains, { seed: 442, numRuns: 12_000 });
  const specifiers = [...new Set([...fc.sample(generatedSpecifier, { seed: 443, numRuns: 1000 }), ...fc.sample(nearSpecifier, { seed: 444, numRuns: 3000 })])];

  let oracle: OracleAnswer;

  before(async () => {
    const arbitrary = [...rangeItems, ...operatorItems, ...containsItems, ...handPickedContains].filter(([, s]) => s.startsWith("===")).map(([v]) => v);
    oracle = await packaging({
      valid: { database: everyVersion, events: data.eventVersions, generated, near, handPicked: [...handPicked] },
      normal: { arbitrary },
      compare: { packages: packagePairs, generated: generatedPairs, handPicked: handPickedPairs },
      sort: { database: valid },
      specValid: { generated: specifiers, handPicked: handPickedSpecifiers },
      contains: { ranges: rangeItems, operators: operatorItems, generated: containsItems, handPicked: handPickedContains },
    });
    const normal = new Map(arbitrary.map((v, i) => [v, oracle.normal.arbitrary![i]]));
    knownDeparture = ([v, s]) =>
      (!oracle.quirks.epochPrefix && (s.includes("~=") || s.includes(".*")) && (EPOCH.test(v) || EPOCH.test(s))) ||
      (!oracle.quirks.arbitraryAsWritten && s.startsWith("===") && normal.get(v) !== v.toLowerCase());
  });

  /**
   * Verdicts where this packaging is known to depart from PEP 440 and newer
   * packaging releases (asked at run time, so a fixed packaging is held to
   * them): prefix matches with an epoch (23.0 glues the epoch to the first
   * release number and pads nothing), and === on a version not written in
   * normal form (23.0 compares the normal form).
   */
  let knownDeparture: (item: [string, string]) => boolean = () => false;

  /**
   * Our verdicts against packaging's. Where the installed packaging predates
   * packaging 26's reading of < and >, its verdict is replaced by the oracle
   * script's model of that reading (and counted).
   */
  function agreesOnContains(t: { diagnostic(message: string): void }, name: string, items: readonly [string, string][], least: number): void {
    const verdicts = oracle.contains[name]!;
    const modelled = oracle.modelled[name]!;
    assert.equal(verdicts.length, items.length);
    const expected = oracle.quirks.exclusiveAsPackaging26 ? verdicts : modelled;
    const compared = items.map((item, i) => ({ item, verdict: expected[i] })).filter(({ item }) => !knownDeparture(item));
    const wrong = compared
      .filter(({ item: [v, s], verdict }) => ours(v, s) !== verdict)
      .map(({ item: [v, s], verdict }) => `${JSON.stringify(v)} in ${JSON.stringify(s)}: packaging says ${verdict}, we say ${ours(v, s)}`);
    assert.deepEqual(wrong, [], `${wrong.length} of ${compared.length} verdicts disagree with packaging ${oracle.packaging}`);
    assert.ok(compared.length >= least, `${compared.length} verdicts`);
    const fromModel = items.filter((item, i) => !knownDeparture(item) && verdicts[i] !== modelled[i]).length;
    const leftOut = items.length - compared.length;
    t.diagnostic(`${compared.length} verdicts (${fromModel} by the model of packaging 26's < and >; ${leftOut} left out as known departures of packaging ${oracle.packaging})`);
  }

  /** Our verdict, or "invalid" where we refuse the version or the range. */
  function ours(version: string, range: string): boolean | null {
    try {
      return pep440.satisfies(version, range);
    } catch (err) {
      if (err instanceof InvalidVersionError || err instanceof InvalidRangeError) return null;
      throw err;
    }
  }

  function agreesOnOrder(t: { diagnostic(message: string): void }, name: string, pairs: readonly [string, string][], least: number): void {
    const orders = oracle.compare[name]!;
    assert.equal(orders.length, pairs.length);
    assertAgrees(pep440.compare, pairs.map(([a, b], i) => ({ a, b, order: orders[i] ?? Number.NaN })), `packaging ${oracle.packaging}`);
    assert.ok(pairs.length >= least, `${pairs.length} pairs`);
    t.diagnostic(`${pairs.length} pairs`);
  }

  it("agrees on which strings are versions: every version string of the PyPI advisory database, generated spellings, near misses, the cases above", (t) => {
    let count = 0;
    for (const [name, list] of Object.entries({ database: everyVersion, events: data.eventVersions, generated, near, handPicked: [...handPicked] })) {
      const verdicts = oracle.valid[name]!;
      const wrong = list.filter((v, i) => pep440.valid(v) !== verdicts[i]).map((v) => `${JSON.stringify(v)}: packaging says ${!pep440.valid(v)}`);
      assert.deepEqual(wrong, [], `${name}: ${wrong.length} of ${list.length} disagree`);
      count += list.length;
    }
    assert.ok(everyVersion.length > 12_000, `${everyVersion.length} versions`);
    t.diagnostic(`${count} strings`);
  });

  it("orders the cases above as packaging does", (t) => {
    agreesOnOrder(t, "handPicked", handPickedPairs, 50);
  });

  it("sorts all distinct versions of the PyPI advisory database as packaging does", (t) => {
    const ordered = [...valid].sort((a, b) => pep440.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(ordered, oracle.sort.database);
    t.diagnostic(`${valid.length} versions`);
  });

  it("orders every pair of versions of a sixth of the database's packages as packaging does", (t) => {
    agreesOnOrder(t, "packages", packagePairs, 50_000);
  });

  it("orders every pair of generated versions (each spelling PEP 440 allows) as packaging does", (t) => {
    agreesOnOrder(t, "generated", generatedPairs, 50_000);
    assertOrderLaws(pep440.compare, generatedValid.slice(0, 150));
  });

  it("decides every ECOSYSTEM range of the database, as specifier sets over the package's versions, as packaging does", (t) => {
    agreesOnContains(t, "ranges", rangeItems, 50_000);
  });

  it("decides every operator, with bounds taken from the versions of a twelfth of the packages, as packaging does", (t) => {
    agreesOnContains(t, "operators", operatorItems, 50_000);
  });

  it("decides generated specifiers over versions near their bounds as packaging does", (t) => {
    agreesOnContains(t, "generated", containsItems, 8_000);
  });

  it("decides the cases above as packaging does, but where PEP 440 and packaging differ", (t) => {
    // packaging departs from PEP 440 for ~= with a suffix spelt otherwise than a, b, rc (see pep440.ts).
    const pep440Only = (s: string) => s === "~=1.0c1" || s === "~=1.0.pre1";
    const items = handPickedContains.map((item, i) => ({ item, i })).filter(({ item: [, s] }) => !pep440Only(s));
    const verdicts = oracle.quirks.exclusiveAsPackaging26 ? oracle.contains.handPicked! : oracle.modelled.handPicked!;
    const wrong = items
      .filter(({ item, i }) => !knownDeparture(item) && ours(...item) !== verdicts[i])
      .map(({ item: [v, s], i }) => `${v} in ${s}: packaging says ${verdicts[i]}`);
    assert.deepEqual(wrong, []);
    const compatible = handPickedContains.findIndex(([v, s]) => v === "1.1" && s === "~=1.0c1");
    assert.equal(oracle.contains.handPicked![compatible], false, "packaging still reads ~=1.0c1 as ==1.0.*");
    t.diagnostic(`${items.length} verdicts`);
  });

  it("agrees on which specifier sets are valid, but for two refusals of ours: a blank set, and === with nothing after it (PEP 508 wants a version)", (t) => {
    const deliberate = (s: string) => s.split(",").every((item) => item.trim() === "") || s.split(",").some((item) => item.trim() === "===");
    let count = 0;
    for (const [name, list] of Object.entries({ generated: specifiers, handPicked: handPickedSpecifiers })) {
      const verdicts = oracle.specValid[name]!;
      const wrong = list
        .map((s, i) => ({ s, verdict: verdicts[i] }))
        .filter(({ s }) => !deliberate(s))
        .filter(({ s, verdict }) => (ours("1.0", s) !== null) !== verdict)
        .map(({ s, verdict }) => `${JSON.stringify(s)}: packaging says ${verdict ? "valid" : "invalid"}`);
      assert.deepEqual(wrong, [], `${name}: ${wrong.length} of ${list.length} disagree`);
      count += list.length;
    }
    t.diagnostic(`${count} specifier sets`);
  });
});

describe("properties (fast-check)", () => {
  it("places every spelling of a version where its normal form is", () => {
    fc.assert(
      fc.property(versionParts, spelling, (p, s) => {
        assert.equal(pep440.compare(spelled(p, s), canonical(p)), 0, `${JSON.stringify(spelled(p, s))} = ${canonical(p)}`);
      }),
    );
  });

  it("keeps the order laws", () => {
    fc.assert(fc.property(fc.array(generatedVersion, { maxLength: 20 }), (versions) => assertOrderLaws(pep440.compare, versions)));
  });

  it("decides <=V and >=V by where the version, its local label aside, stands against V", () => {
    fc.assert(
      fc.property(versionParts, spelling, versionParts, (p, s, q) => {
        const v = spelled(p, s);
        const bound = canonical(q, { local: false });
        const order = pep440.compare(canonical({ ...p, local: null }), bound);
        assert.equal(pep440.satisfies(v, `<=${bound}`), order <= 0);
        assert.equal(pep440.satisfies(v, `>=${bound}`), order >= 0);
      }),
    );
  });

  it("makes != the opposite of ==, and !=X.* the opposite of ==X.*", () => {
    fc.assert(
      fc.property(generatedVersion, versionParts, fc.nat(3), (v, q, cut) => {
        for (const [yes, no] of [
          [specifierFor("==", q, cut), specifierFor("!=", q, cut)],
          [specifierFor("==*", q, cut), specifierFor("!=*", q, cut)],
        ] as const) {
          assert.equal(pep440.satisfies(v, yes), !pep440.satisfies(v, no), `${v}: ${yes} / ${no}`);
        }
      }),
    );
  });
});
