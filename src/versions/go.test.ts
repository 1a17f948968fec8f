/**
 * Go module versions: the rules of golang.org/x/mod/semver written out as
 * cases, then checked against x/mod/semver itself (Debian's copy, run in
 * GOPATH mode by a small program of ours, one process for every question)
 * over every version in the Go vulnerability database and over generated
 * ones.
 *
 * Needs: apt-get install -y golang-go golang-golang-x-mod-dev
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { go } from "./go.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

const GO_VULNDB = new URL("../../../shared/vulndata/go/", import.meta.url);


/** The pairs the hand-written cases order (Go release names aside): x/mod/semver is asked about them too. */
const handPickedPairs: [string, string][] = [];
const isReleaseName = (v: string) => v.startsWith("go");

/** Asserts that `versions` are in strictly increasing order, naming the first pair that is not. */
function assertIncreasing(versions: readonly string[]): void {
  for (let i = 1; i < versions.length; i++) {
    if (!isReleaseName(versions[i - 1]!) && !isReleaseName(versions[i]!)) handPickedPairs.push([versions[i - 1]!, versions[i]!]);
    assert.ok(go.compare(versions[i - 1]!, versions[i]!) < 0, `${versions[i - 1]} < ${versions[i]}`);
    assert.ok(go.compare(versions[i]!, versions[i - 1]!) > 0, `${versions[i]} > ${versions[i - 1]}`);
  }
}

function assertSame(...spellings: string[]): void {
  const modules = spellings.filter((v) => !isReleaseName(v));
  for (const b of modules.slice(1)) handPickedPairs.push([modules[0]!, b]);
  for (const a of spellings) for (const b of spellings) assert.equal(go.compare(a, b), 0, `${a} = ${b}`);
}

function assertRefused(version: string, reason: RegExp): void {
  assert.equal(go.valid(version), false, `${JSON.stringify(version)} is not valid`);
  assert.throws(
    () => go.compare(version, "v1.0.0"),
    (err: unknown) => err instanceof InvalidVersionError && err.scheme === "go" && err.version === version && reason.test(err.reason),
    `${JSON.stringify(version)}: ${reason}`,
  );
}

describe("Go module versions", () => {
  it("orders major, minor and patch as numbers, of any length", () => {
    assertIncreasing([
      "v0.0.0",
      "v0.0.1",
      "v0.1.0",
      "v0.9.0",
      "v0.10.0",
      "v1.0.0",
      "v1.2.3",
      "v1.2.10",
      "v2.0.0",
      "v10.0.0",
      "v99999999999999999999.0.0",
      "v100000000000000000000.0.0",
    ]);
  });

  it("puts prereleases below their release: numbers as numbers and below words, words as ASCII, a longer list above its prefix", () => {
    assertIncreasing([
      "v1.0.0-0",
      "v1.0.0-1",
      "v1.0.0-2",
      "v1.0.0-10",
      "v1.0.0-99999999999999999999",
      "v1.0.0-A",
      "v1.0.0-Z",
      "v1.0.0-alpha",
      "v1.0.0-alpha.1",
      "v1.0.0-alpha.beta",
      "v1.0.0-beta",
      "v1.0.0-beta.2",
      "v1.0.0-beta.11",
      "v1.0.0-rc.1",
      "v1.0.0",
    ]);
  });

  it("compares word identifiers as text, so rc10 sorts below rc9 (runc 1.0.0-rc10 < 1.0.0-rc9)", () => {
    assertIncreasing(["v1.0.0-rc10", "v1.0.0-rc9", "v1.0.0-rc91", "v1.0.0-rc92", "v1.0.0"]);
  });

  it("reads the shorthands v1 and v1.2 as v1.0.0 and v1.2.0", () => {
    assertSame("v1", "v1.0", "v1.0.0", "1", "1.0");
    assertSame("v1.2", "v1.2.0");
    assertIncreasing(["v1.0.0-rc.1", "v1", "v1.1", "v1.1.1", "v2"]);
  });

  it("reads versions without the v, as OSV's Go data writes them", () => {
    assertSame("1.20.10", "v1.20.10");
    assertSame("2.7.0-rc.0+incompatible", "v2.7.0-rc.0");
    assertIncreasing(["1.21.0-0", "v1.21.0-rc.4", "1.21.0", "v1.21.3"]);
  });

  it("leaves build metadata such as +incompatible out of the order", () => {
    assertSame("v3.0.0+incompatible", "v3.0.0", "3.0.0+build.1", "v3.0.0+0001");
    assertIncreasing(["v20.10.13+incompatible", "20.10.14", "v20.10.15+incompatible"]);
  });

  it("orders pseudo-versions as the prereleases they are: below the version they precede, by commit time", () => {
    // vX.0.0-yyyymmddhhmmss-hash: no earlier tag; below every release of that major.
    assertIncreasing(["v0.0.0-20160722212129-ac0cc4484ad4", "v0.0.0-20200131131040-063a3fb69896", "v0.0.0", "v0.1.0"]);
    // vX.Y.(Z+1)-0.yyyymmddhhmmss-hash: after the tag vX.Y.Z, below vX.Y.(Z+1) and its prereleases above "0".
    assertIncreasing([
      "v1.0.3",
      "v1.0.4-0.20180125103619-43913f2f4fbd",
      "v1.0.4-0.20180831054840-1ac3c8ac4f2b",
      "v1.0.4-alpha",
      "v1.0.4",
    ]);
    // vX.Y.Z-pre.0.yyyymmddhhmmss-hash: after the prerelease tag vX.Y.Z-pre, below the next one.
    assertIncreasing([
      "v0.5.0-alpha.5",
      "v0.5.0-alpha.5.0.20190108173120-83c051b701d3",
      "v0.5.0-alpha.5.0.20200423152442-f4b650b51dc4",
      "v0.5.0-alpha.6",
    ]);
    assertIncreasing(["v1.0.0-rc8", "v1.0.0-rc8.0.20190930145003-cad42f6e0932", "v1.0.0-rc9"]);
    // +incompatible pseudo-versions of pre-module majors.
    assertSame("2.1.1-0.20170519163204-f913f5f9c7c6+incompatible", "v2.1.1-0.20170519163204-f913f5f9c7c6");
  });

  it("reads Go releases as the Go vulnerability database does: go1.21.3 is v1.21.3, go1.22rc2 is v1.22.0-rc.2", () => {
    assertSame("go1.21.3", "v1.21.3", "1.21.3");
    assertSame("go1.21", "go1.21.0", "v1.21.0");
    assertSame("go1.9", "v1.9.0");
    assertSame("go1.22rc2", "v1.22.0-rc.2", "1.22.0-rc.2");
    assertSame("go1.21beta1", "v1.21.0-beta.1");
    assertSame("go1.9.2rc2", "v1.9.2-rc.2");
    assertSame("go1", "v1.0.0");
    // The vulnerability database opens a minor line with "1.21.0-0", below its first prerelease.
    assertIncreasing(["go1.20.14", "1.21.0-0", "go1.21beta1", "go1.21rc1", "go1.21rc2", "go1.21.0", "go1.21.1", "go1.22rc1"]);
  });

  it("refuses what x/mod/semver refuses, and says why", () => {
    assertRefused("", /^empty$/);
    assertRefused("v", /expected a number at the end/);
    assertRefused("v1.", /expected a number at the end/);
    assertRefused("vv1.2.3", /expected a number at offset 1/);
    assertRefused("V1.2.3", /expected a number at offset 0/);
    assertRefused(" v1.2.3", /expected a number at offset 0/);
    assertRefused("v1.2.3 ", /unexpected " " at offset 6/);
    assertRefused("v1.2.3.4", /unexpected "\." at offset 6/);
    assertRefused("v01.2.3", /leading zero in 01/);
    assertRefused("v1.02.3", /leading zero in 02/);
    assertRefused("v1.2-pre", /all three numbers \(v1\.2\.0-pre\)/);
    assertRefused("v1+build", /all three numbers/);
    assertRefused("v1.2.3-", /prerelease has an empty identifier/);
    assertRefused("v1.2.3-beta..1", /prerelease has an empty identifier/);
    assertRefused("v1.2.3-01", /prerelease identifier 01 has a leading zero/);
    assertRefused("v1.2.3-beta_1", /prerelease identifier "beta_1" has a character/);
    assertRefused("v1.2.3+", /build metadata has an empty identifier/);
    assertRefused("v1.2.3+a+b", /build metadata identifier "a\+b"/);
    assertRefused("latest", /expected a number at offset 0/);
    assertRefused("devel go1.22-a1b2c3d", /expected a number at offset 0/);
    // Build metadata may have leading zeros; prerelease numbers may not.
    assert.equal(go.valid("v1.2.3+0001"), true);
    assert.equal(go.valid("v1.2.3-0a"), true);
  });

  it("refuses Go release names of other shapes", () => {
    for (const name of ["go", "go1.21.3 X:boringcrypto", "go1.22rc02", "go1.021", "go1.21-pre1", "go1.21.3rc", "go2", "go1rc1", "go1.21.x"]) {
      assertRefused(name, /not a Go release name/);
    }
  });
});

describe("Go ranges (comparator lists)", () => {
  it("takes comparator lists over any of the spellings", () => {
    assert.equal(go.satisfies("go1.21.2", ">= 1.21.0-0, < 1.21.3"), true);
    assert.equal(go.satisfies("v1.21.3", ">= 1.21.0-0, < 1.21.3"), false);
    assert.equal(go.satisfies("go1.21rc2", ">= v1.21.0-0 < go1.21.3"), true);
    assert.equal(go.satisfies("v2.0.2-0.20190802080134-634605d06e73+incompatible", "< 2.0.2"), true);
    assert.equal(go.satisfies("v1.5.0", "< v1.2 || >= v1.5"), true);
    assert.equal(go.satisfies("v1.5.0+incompatible", "= 1.5.0"), true);
    assert.equal(go.satisfies("v1.5.0", "!= 1.5"), false);
  });

  it("decides the stdlib ranges of GO-2023-2102 (HTTP/2 rapid reset) as the advisory states", () => {
    const advisory = JSON.parse(readFileSync(new URL("GO-2023-2102.json", GO_VULNDB), "utf8")) as Advisory;
    const stdlib = advisory.affected.find((a) => a.package.name === "stdlib")!;
    const range = osvRange(stdlib.ranges![0]!.events);
    assert.equal(range, "< 1.20.10 || >= 1.21.0-0 < 1.21.3");
    const affected = ["go1.19", "go1.20.9", "go1.21rc2", "go1.21.0", "go1.21.2"];
    const fixed = ["go1.20.10", "go1.20.14", "go1.21.3", "go1.22rc1", "go1.22.0"];
    for (const v of affected) assert.equal(go.satisfies(v, range), true, `${v} is affected`);
    for (const v of fixed) assert.equal(go.satisfies(v, range), false, `${v} is fixed`);
  });

  it("treats a bad bound as a bad range, even in an alternative matching never reaches", () => {
    assert.throws(() => go.satisfies("v1.0.0", "< 1.2.3 || >= 01.2"), (err: unknown) => {
      assert.ok(err instanceof InvalidRangeError);
      assert.equal(err.message, 'go range "< 1.2.3 || >= 01.2": bound "01.2": leading zero in 01');
      return true;
    });
    assert.throws(() => go.satisfies("v1.0.0", "~1.2"), InvalidRangeError);
    assert.throws(() => go.satisfies("v1.0.0", ""), InvalidRangeError);
    assert.throws(() => go.satisfies("v1.0", ">= v1.2.3.4"), InvalidRangeError);
    assert.throws(() => go.satisfies("1.2.3.4", ">= 1.0.0"), InvalidVersionError);
  });
});

interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
}
interface Affected {
  package: { name: string; ecosystem: string };
  ranges?: { type: string; events: OsvEvent[] }[];
}
interface Advisory {
  id: string;
  affected: Affected[];
}

/** OSV events → a comparator range: introduced "0" opens from the start (it is no version to compare with). */
function osvRange(events: readonly OsvEvent[]): string {
  const alternatives: string[] = [];
  let lower: string | undefined;
  for (const e of events) {
    if (e.introduced !== undefined) lower = e.introduced === "0" ? "" : `>= ${e.introduced}`;
    const upper = e.fixed !== undefined ? `< ${e.fixed}` : e.last_affected !== undefined ? `<= ${e.last_affected}` : undefined;
    if (upper !== undefined && lower !== undefined) {
      alternatives.push(lower === "" ? upper : `${lower} ${upper}`);
      lower = undefined;
    }
  }
  if (lower !== undefined) alternatives.push(lower === "" ? ">= 0.0.0-0" : lower);
  return alternatives.join(" || ");
}

function loadAdvisories(): Advisory[] {
  return readdirSync(GO_VULNDB)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(new URL(name, GO_VULNDB), "utf8")) as Advisory);
}

/** Every version named by an event, per module path ("0" left out: it is OSV's "from the start"). */
function versionsByModule(advisories: readonly Advisory[]): Map<string, string[]> {
  const byModule = new Map<string, Set<string>>();
  for (const advisory of advisories) {
    for (const affected of advisory.affected) {
      for (const range of affected.ranges ?? []) {
        for (const event of range.events) {
          for (const version of [event.introduced, event.fixed, event.last_affected]) {
            if (version === undefined || version === "0") continue;
            const set = byModule.get(affected.package.name) ?? new Set<string>();
            set.add(version);
            byModule.set(affected.package.name, set);
          }
        }
      }
    }
  }
  return new Map([...byModule].map(([module, set]) => [module, [...set].sort()]));
}

describe("Go vulnerability database versions", () => {
  const advisories = loadAdvisories();
  const byModule = versionsByModule(advisories);

  it("reads every version an event names", () => {
    const bad = [...byModule].flatMap(([module, versions]) => versions.filter((v) => !go.valid(v)).map((v) => `${module} ${v}`));
    assert.deepEqual(bad, []);
    assert.ok(advisories.length > 4000, `${advisories.length} advisories`);
  });

  it("knows every Go release the stdlib and toolchain events name, under its Go name too", () => {
    const release = /^1\.(\d+)\.(\d+)(?:-(rc|beta)\.(\d+))?$/;
    let names = 0;
    for (const module of ["stdlib", "toolchain"]) {
      for (const version of byModule.get(module) ?? []) {
        const m = release.exec(version);
        if (m === null) continue; // "1.21.0-0": a bound, no release
        const [, minor, patch, stage, number] = m;
        const spellings = stage ? [`go1.${minor}${stage}${number}`] : patch === "0" ? [`go1.${minor}`, `go1.${minor}.0`] : [`go1.${minor}.${patch}`];
        for (const name of spellings) {
          assert.equal(go.compare(name, version), 0, `${name} = ${version}`);
          names++;
        }
      }
    }
    assert.ok(names > 150, `${names} Go release names`);
  });

  it("treats OSV's introduced \"0\" as v0.0.0, which is above pseudo-versions of v0.0.0: matchers must read it as 'from the start'", () => {
    assert.equal(go.compare("0", "v0.0.0"), 0);
    assert.ok(go.compare("v0.0.0-20191109021931-daa7c04131f5", "0") < 0);
  });
});

// ---- the reference: golang.org/x/mod/semver -------------------------------------------------

const ORACLE = `package main

import (
	"encoding/json"
	"os"

	"golang.org/x/mod/semver"
)

type request struct {
	Valid   map[string][]string    \`json:"valid"\`
	Compare map[string][][2]string \`json:"compare"\`
	Sort    map[string][]string    \`json:"sort"\`
}

type answer struct {
	Valid   map[string][]bool   \`json:"valid"\`
	Compare map[string][]int    \`json:"compare"\`
	Sort    map[string][]string \`json:"sort"\`
}

func main() {
	var in request
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := answer{map[string][]bool{}, map[string][]int{}, map[string][]string{}}
	for name, list := range in.Valid {
		verdicts := make([]bool, len(list))
		for i, v := range list {
			verdicts[i] = semver.IsValid(v)
		}
		out.Valid[name] = verdicts
	}
	for name, pairs := range in.Compare {
		orders := make([]int, len(pairs))
		for i, p := range pairs {
			orders[i] = semver.Compare(p[0], p[1])
		}
		out.Compare[name] = orders
	}
	for name, list := range in.Sort {
		semver.Sort(list)
		out.Sort[name] = list
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
`;

interface OracleRequest {
  valid: Record<string, string[]>;
  compare: Record<string, [string, string][]>;
  sort: Record<string, string[]>;
}
interface OracleAnswer {
  valid: Record<string, boolean[]>;
  compare: Record<string, number[]>;
  sort: Record<string, string[]>;
}

/** Runs the request through x/mod/semver: one `go run` in GOPATH mode over Debian's copy of golang.org/x/mod. */
async function xmodSemver(request: OracleRequest): Promise<OracleAnswer> {
  const dir = await mkdtemp(join(tmpdir(), "portcullis-xmod-"));
  try {
    const program = join(dir, "oracle.go");
    await writeFile(program, ORACLE);
    const env = { ...process.env, GO111MODULE: "off", GOPATH: "/usr/share/gocode", GOCACHE: join(dir, "cache"), GOFLAGS: "", GOTOOLCHAIN: "local" };
    const stdout = await run("go", ["run", program], JSON.stringify(request), env);
    return JSON.parse(stdout) as OracleAnswer;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`${command} ${args.join(" ")} exited with ${code}: ${Buffer.concat(err).toString("utf8")}`));
    });
    child.stdin.end(input);
  });
}

/** The spelling x/mod/semver reads: ours without the "v" gains one (Go release names have none there). */
function xmodSpelling(version: string): string {
  return version.startsWith("v") ? version : `v${version}`;
}

function allPairs(versions: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < versions.length; i++) for (let j = i + 1; j < versions.length; j++) pairs.push([versions[i]!, versions[j]!]);
  return pairs;
}

/** Our sort, ties broken by the text as x/mod/semver's Sort breaks them. */
function sortLikeXmod(versions: readonly string[]): string[] {
  return [...versions].sort((a, b) => go.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

// ---- generated versions ----------------------------------------------------------------------

const IDENT_CHARS = [..."0123456789abcrxyzABCXYZ-"];
const number = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 21 }).map(String) }, { weight: 1, arbitrary: fc.bigInt(0n, 10n ** 30n).map(String) });
const word = fc.string({ unit: fc.constantFrom(...IDENT_CHARS), minLength: 1, maxLength: 6 }).filter((s) => !/^[0-9]+$/.test(s));
const identifier = fc.oneof(number, word, fc.constantFrom("alpha", "beta", "rc", "pre", "0", "20191109021931-daa7c04131f5"));
const prerelease = fc.array(identifier, { minLength: 1, maxLength: 4 }).map((ids) => `-${ids.join(".")}`);
const build = fc
  .array(fc.string({ unit: fc.constantFrom(...IDENT_CHARS), minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 2 })
  .map((ids) => `+${ids.join(".")}`);
const moduleVersion = fc
  .tuple(fc.constantFrom("v", ""), number, number, number, fc.option(prerelease), fc.option(build))
  .map(([v, major, minor, patch, pre, meta]) => `${v}${major}.${minor}.${patch}${pre ?? ""}${meta ?? ""}`);
const shorthand = fc
  .tuple(fc.constantFrom("v", ""), number, fc.option(number))
  .map(([v, major, minor]) => (minor === null ? `${v}${major}` : `${v}${major}.${minor}`));
/** yyyymmddhhmmss, as pseudo-versions write commit times. */
const timestamp = fc
  .date({ min: new Date("2010-01-01T00:00:00Z"), max: new Date("2030-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/[-:T]/g, "").slice(0, 14));
const hash = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 12, maxLength: 12 });
const small = fc.integer({ min: 0, max: 3 }).map(String);
/** The three pseudo-version forms: vX.0.0-ts-hash, vX.Y.(Z+1)-0.ts-hash, vX.Y.Z-pre.0.ts-hash. */
const pseudoVersion = fc.oneof(
  fc.tuple(small, timestamp, hash).map(([major, ts, h]) => `v${major}.0.0-${ts}-${h}`),
  fc.tuple(small, small, small, timestamp, hash).map(([major, minor, patch, ts, h]) => `v${major}.${minor}.${patch}-0.${ts}-${h}`),
  fc
    .tuple(small, small, small, fc.constantFrom("rc.1", "beta", "pre"), timestamp, hash)
    .map(([major, minor, patch, pre, ts, h]) => `v${major}.${minor}.${patch}-${pre}.0.${ts}-${h}`),
);
const goVersion = fc.oneof({ weight: 6, arbitrary: moduleVersion }, { weight: 1, arbitrary: shorthand }, { weight: 2, arbitrary: pseudoVersion });
/** Strings near the grammar, mostly not versions. */
const nearVersion = fc.string({ unit: fc.constantFrom(..."v0123456789..--+aZ_ "), maxLength: 12 });

describe("against golang.org/x/mod/semver", () => {
  const byModule = versionsByModule(loadAdvisories());
  const everyVersion = [...new Set([...byModule.values()].flat())].sort();
  const generated = [...new Set(fc.sample(goVersion, { seed: 20240611, numRuns: 400 }))];
  const near = [...new Set(fc.sample(nearVersion, { seed: 20240612, numRuns: 3000 }))];
  const handPicked = [
    "v1",
    "v1.2",
    "v1.2-pre",
    "v1.2.3-01",
    "v1.2.3-0a",
    "v1.2.3+01",
    "v1.2.3-",
    "v1.2.3+",
    "v1.2.3-a+b+c",
    "v01.2.3",
    "v1.2.3.4",
    "vv1.2.3",
    "v",
    "v1.0.0-rc10",
    "v1.0.0-rc9",
    "v99999999999999999999.0.0",
  ];
  const pairsByModule = [...byModule.values()].flatMap((versions) => allPairs(versions));
  const generatedPairs = allPairs(generated);
  let oracle: OracleAnswer;

  before(async () => {
    const toXmod = (pairs: [string, string][]) => pairs.map(([a, b]): [string, string] => [xmodSpelling(a), xmodSpelling(b)]);
    oracle = await xmodSemver({
      valid: { near: near.map(xmodSpelling), handPicked: handPicked.map(xmodSpelling), generated: generated.map(xmodSpelling) },
      compare: { database: toXmod(pairsByModule), generated: toXmod(generatedPairs), handPicked: toXmod(handPickedPairs) },
      sort: { database: everyVersion.map(xmodSpelling) },
    });
  });

  /** x/mod's verdicts for `pairs`, in the shape assertAgrees takes. */
  function verdicts(pairs: [string, string][], orders: number[] | undefined) {
    assert.equal(orders?.length, pairs.length);
    return pairs.map(([a, b], i) => ({ a, b, order: orders![i]! }));
  }

  it("orders the cases above as x/mod/semver does", (t) => {
    assert.ok(handPickedPairs.length > 50, `${handPickedPairs.length} pairs`);
    assertAgrees(go.compare, verdicts(handPickedPairs, oracle.compare.handPicked), "x/mod/semver");
    t.diagnostic(`${handPickedPairs.length} pairs`);
  });

  it(`orders every pair of versions of each module in the Go vulnerability database as x/mod/semver does`, (t) => {
    assert.ok(pairsByModule.length > 50_000, `${pairsByModule.length} pairs`);
    t.diagnostic(`${pairsByModule.length} pairs over ${byModule.size} modules`);
    assertAgrees(go.compare, verdicts(pairsByModule, oracle.compare.database), "x/mod/semver");
  });

  it("sorts all distinct versions of the database as x/mod/semver's Sort does", (t) => {
    assert.ok(everyVersion.length > 2000, `${everyVersion.length} versions`);
    t.diagnostic(`${everyVersion.length} versions`);
    assert.deepEqual(sortLikeXmod(everyVersion.map(xmodSpelling)), oracle.sort.database);
  });

  it("agrees on which strings are versions: generated near misses and hand-picked edge cases", (t) => {
    t.diagnostic(`${near.length + handPicked.length + generated.length} strings`);
    for (const [name, list] of [
      ["near", near],
      ["handPicked", handPicked],
      ["generated", generated],
    ] as const) {
      const wrong = list.filter((v, i) => go.valid(v) !== oracle.valid[name]![i]).map((v) => `${JSON.stringify(v)}: x/mod/semver says ${!go.valid(v)}`);
      assert.deepEqual(wrong, [], `${name}: ${wrong.length} of ${list.length} disagree`);
    }
    assert.ok(near.filter((v) => go.valid(v)).length > 50, "the near misses include some versions");
  });

  it("orders every pair of generated versions (releases, prereleases, builds, shorthands, pseudo-versions) as x/mod/semver does", (t) => {
    assert.ok(generatedPairs.length > 50_000, `${generatedPairs.length} pairs`);
    t.diagnostic(`${generatedPairs.length} pairs of ${generated.length} versions`);
    assertAgrees(go.compare, verdicts(generatedPairs, oracle.compare.generated), "x/mod/semver");
  });
});

describe("order laws (fast-check)", () => {
  it("keeps the order laws over generated versions", () => {
    fc.assert(fc.property(fc.array(goVersion, { maxLength: 25 }), (versions) => assertOrderLaws(go.compare, versions)), { seed: 7 });
  });

  it("gives the same place to every spelling of a version: with or without v, with build metadata", () => {
    fc.assert(
      fc.property(moduleVersion, build, (version, meta) => {
        const bare = version.startsWith("v") ? version.slice(1) : version;
        const plain = bare.split("+")[0]!;
        assert.equal(go.compare(`v${bare}`, bare), 0);
        assert.equal(go.compare(plain, `${plain}${meta}`), 0);
      }),
    );
  });

  it("puts a pseudo-version vX.Y.(Z+1)-0.ts-hash strictly between vX.Y.Z and vX.Y.(Z+1), later commits later", () => {
    fc.assert(
      fc.property(small, small, small, timestamp, timestamp, hash, hash, (major, minor, patch, t1, t2, h1, h2) => {
        const next = `${major}.${minor}.${Number(patch) + 1}`;
        const early = `v${next}-0.${t1 < t2 ? t1 : t2}-${h1}`;
        const late = `v${next}-0.${t1 < t2 ? t2 : t1}-${h2}`;
        assert.ok(go.compare(`v${major}.${minor}.${patch}`, early) < 0);
        assert.ok(go.compare(late, `v${next}`) < 0);
        if (t1 !== t2) assert.ok(go.compare(early, late) < 0);
      }),
    );
  });

  it("reads go1.N[.P] and go1.N(rc|beta)K as v1.N.P and v1.N.0-(rc|beta).K", () => {
    fc.assert(
      fc.property(fc.nat(40), fc.option(fc.nat(30)), fc.option(fc.tuple(fc.constantFrom("rc", "beta"), fc.integer({ min: 1, max: 9 }))), (minor, patch, pre) => {
        const name = `go1.${minor}${patch === null ? "" : `.${patch}`}${pre === null ? "" : `${pre[0]}${pre[1]}`}`;
        const semverForm = `v1.${minor}.${patch ?? 0}${pre === null ? "" : `-${pre[0]}.${pre[1]}`}`;
        assert.equal(go.compare(name, semverForm), 0, `${name} = ${semverForm}`);
      }),
    );
  });
});
