import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { maven } from "./maven.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

// ---------------------------------------------------------------------------
// The real tool: Maven's own ComparableVersion and VersionRange (Debian's
// libmaven3-core-java, installed by scripts/test-packages.sh), driven by a tiny
// Java program that answers one request per line, all in one process.

const MAVEN_JARS = ["/usr/share/java/maven3-artifact.jar", "/usr/share/java/commons-lang3.jar"];
const MAVEN_REPO = "/usr/share/maven-repo";
const INSTALL_HINT = "install Debian's libmaven3-core-java and a JDK (bash scripts/test-packages.sh)";

const ORACLE = `
import java.io.*;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.*;

public class MavenOracle {
  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new BufferedOutputStream(System.out), false, "UTF-8");
    for (String line; (line = in.readLine()) != null; ) {
      String[] field = line.split("\\t", -1);
      if (field[0].equals("compare")) {
        out.println(Integer.signum(new ComparableVersion(field[1]).compareTo(new ComparableVersion(field[2]))));
      } else {
        try {
          VersionRange range = VersionRange.createFromVersionSpec(field[1]);
          out.println(range.containsVersion(new DefaultArtifactVersion(field[2])) ? "true" : "false");
        } catch (InvalidVersionSpecificationException e) {
          out.println("invalid");
        }
      }
    }
    out.flush();
  }
}
`;


type Request = { kind: "compare"; a: string; b: string } | { kind: "contains"; range: string; version: string };

let oracleDir: string | undefined;

/** Sends every request to one Maven process and returns its answers in order. */
function askMaven(requests: readonly Request[]): string[] {
  for (const jar of MAVEN_JARS) if (!existsSync(jar)) throw new Error(`${jar} is missing: ${INSTALL_HINT}`);
  oracleDir ??= mkdtempSync(join(tmpdir(), "portcullis-maven-oracle-"));
  const source = join(oracleDir, "MavenOracle.java");
  if (!existsSync(source)) writeFileSync(source, ORACLE);
  const input = requests
    .map((r) => {
      const fields = r.kind === "compare" ? ["compare", r.a, r.b] : ["contains", r.range, r.version];
      assert.ok(fields.every((f) => !/[\t\n\r]/.test(f)), `request cannot carry tabs or newlines: ${JSON.stringify(fields)}`);
      return fields.join("\t");
    })
    .join("\n");
  const output = execFileSync("java", ["-cp", MAVEN_JARS.join(":"), source], { input: input + "\n", encoding: "utf8", maxBuffer: 1 << 28 });
  const answers = output.split("\n").slice(0, -1);
  assert.equal(answers.length, requests.length, "Maven answered every request");
  return answers;
}

after(() => {
  if (oracleDir !== undefined) rmSync(oracleDir, { recursive: true, force: true });
});

/** Our verdict in the oracle's words: "true", "false" or "invalid". */
function ourContains(range: string, version: string): string {
  try {
    return String(maven.satisfies(version, range));
  } catch (err) {
    if (err instanceof InvalidRangeError) return "invalid";
    throw err;
  }
}

/**
 * Reads chains such as "1-alpha < 1-beta = 1-b1 < 1": every neighbour pair
 * must compare as written (and, by the laws, so must the whole chain).
 */
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

/** Every hand-picked pair is also put to Maven itself (below), so no expectation here is only our opinion. */
const handPicked: { a: string; b: string; order: number }[] = [];

/** A rule stated by example: registers a test that checks each chain, and keeps its pairs for Maven. */
function rule(title: string, chains: readonly string[]): void {
  const pairs = chains.flatMap(chain);
  handPicked.push(...pairs);
  it(title, () => {
    assertAgrees(maven.compare, pairs, "the rule");
    for (const text of chains) assertOrderLaws(maven.compare, text.split(" ").filter((_, i) => i % 2 === 0));
  });
}

/** A cycle Maven itself walks: every step as written, so no order can hold all of them. */
function cycle(title: string, text: string): void {
  const pairs = chain(text);
  assert.equal(pairs[0]!.a, pairs[pairs.length - 1]!.b, `${text} closes`);
  handPicked.push(...pairs);
  it(title, () => assertAgrees(maven.compare, pairs, "Maven's cycle"));
}

// ---------------------------------------------------------------------------
// Real version strings: Debian's Maven repository and jar names on this
// machine (whatever the installed packages bring), and version strings in the
// shapes well-known projects publish on Maven Central. The vulnerability corpus
// in shared/vulndata holds almost no Maven data (one GHSA with `4.7.7`).

function debianRepoVersions(): string[] {
  if (!existsSync(MAVEN_REPO)) throw new Error(`${MAVEN_REPO} is missing: ${INSTALL_HINT}`);
  const versions = new Set<string>();
  for (const path of readdirSync(MAVEN_REPO, { recursive: true, encoding: "utf8" })) {
    if (path.endsWith(".pom")) versions.add(basename(join(path, "..")));
  }
  for (const jar of readdirSync("/usr/share/java")) {
    const match = /^[A-Za-z][\w.]*(?:-[A-Za-z][\w.]*)*-(\d.*)\.jar$/.exec(jar);
    if (match !== null) versions.add(match[1]!);
  }
  return [...versions].filter((v) => maven.valid(v));
}

const CENTRAL_VERSIONS = [
  // Spring, Spring Boot, Spring Cloud release trains
  "5.3.27", "5.3.0.RELEASE", "5.2.9.RELEASE", "6.0.0-M1", "6.0.0-RC2", "6.1.0-SNAPSHOT", "2.7.0-RC1", "3.1.0-M2",
  "Hoxton.SR12", "Hoxton.RELEASE", "Greenwich.SR6", "Finchley.M9", "2021.0.8", "2022.0.0-RC3",
  // Jackson, Netty, Hibernate, JBoss, Red Hat builds
  "2.12.7.1", "2.12.7", "2.15.0-rc1", "2.13.4.2", "4.1.108.Final", "4.1.107.Final", "5.0.0.Alpha2",
  "5.6.15.Final", "6.0.0.Alpha7", "6.0.0.CR1", "6.2.0.CR4", "7.1.0.GA", "3.8.0.SP1", "3.8.0.SP1-redhat-00001",
  "3.8.0.redhat-00001", "2.3.1.redhat-00001", "1.0.0.Final-redhat-1", "4.1.108.Final-redhat-00001",
  // Log4j, Logback, SLF4J, Commons, HttpComponents
  "2.0-beta9", "2.0-rc1", "2.0-rc2", "2.0", "2.14.1", "2.15.0", "2.17.1", "1.2.17", "1.3.0-alpha16", "1.4.7",
  "2.0.0-alpha1", "2.0.7", "3.2.2", "20040616", "1.9.4", "4.5.14", "5.0-beta1", "5.2.1", "1.15",
  // Guava, Jetty, Tomcat, Groovy, Kotlin, Scala
  "31.1-jre", "32.0.0-android", "32.1.3-jre", "r09", "r05", "9.4.51.v20230217", "9.4.9.v20180320", "10.0.0.beta3",
  "12.0.0.alpha1", "9.0.71", "10.1.0-M17", "8.5.93", "4.0.0-rc-2", "3.0.0-beta-3", "2.5.23", "1.9.0-Beta",
  "1.8.20-RC2", "1.9.20-dev-5418", "2.13.0-M5", "3.3.0-RC6", "2.12.18",
  // JDBC drivers and databases
  "42.6.0", "42.2.5.jre6", "9.4.1212.jre7", "9.4-1201-jdbc41", "8.0.33", "5.1.49", "2.1.214", "1.4.200",
  "10.14.2.0", "19.3.0.0", "12.2.0.1",
  // Test and build tooling
  "5.10.0-M1", "5.9.3", "4.13.2", "4.13-beta-1", "5.3.1", "2.0.2-beta", "3.0.0-M5", "3.0.0-M7", "2.22.2",
  "3.11.0", "1.0-alpha-9-stable-1", "1.0-beta-3.0.5", "2.0.0.v20100930", "3.7.0.I20110603-0909",
  "3.1.1-v20050928",
  // Data, messaging, web frameworks
  "3.4.0", "0.10.2.1", "3.8.1", "3.5.0-alpha", "9.6.0", "4.0.0-ALPHA", "4.0.0-BETA", "3.3.5", "2.10.2",
  "3.20.5", "4.0.0-M3", "4.4.2", "4.0.0.Beta1", "4.0.0-milestone5", "6.2.4.Final", "1.55.1", "3.23.2",
  "4.0.0-rc-2", "2.6.20", "2.8.0-M3", "2.8.19", "1.4.20", "1.33", "2.10.1", "5.0.0-alpha.11", "2.39.1",
  "3.1.0-M8", "27.0.0.Final", "21.1.2", "8.8.0", "7.17.10", "1.11.0", "2.0.0-alpha-2", "5.18.1",
  "2.401.1", "1.651.3", "5.8.3", "6.1.0-RC1", "1.70", "1.78.1", "1.0.0.RC1", "1.0.0.CR1", "1.1.0.Beta2",
  "1.0-rc-1", "1.0.0-alpha-4", "1.9.22.1", "2.5.30", "3.17-beta1", "5.2.3", "2.7.3", "2.12.2", "1.16",
  "0.1.0-SNAPSHOT", "999-SNAPSHOT", "1.0-SNAPSHOT", "1.0.0-SNAPSHOT", "1.0-20230101.120000-1",
];

// ---------------------------------------------------------------------------
// Generated versions: numbers (some past int and long), every well-known
// qualifier and alias in both cases, unknown words, and all three kinds of
// separator, including doubled and leading ones.

const token = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("00", "010", "2147483647", "2147483648", "9223372036854775808", "123456789012345678901234567890") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "alpha", "a", "ALPHA", "beta", "b", "Beta", "milestone", "m", "M", "rc", "RC", "cr", "CR", "snapshot",
      "SNAPSHOT", "ga", "GA", "final", "Final", "release", "RELEASE", "sp", "SP", "jre", "android", "redhat",
      "v", "x", "foo", "pfd", "dev", "preview", "_", "+", "~",
    ),
  },
  { weight: 1, arbitrary: fc.constant("") },
);
const separator = fc.constantFrom(".", "-", "", ".", "-");
/** Any string of the tokens above: the whole input space, odd corners included. */
const generatedVersion = fc
  .tuple(token, fc.array(fc.tuple(separator, token), { maxLength: 6 }))
  .map(([first, rest]) => first + rest.map(([s, t]) => s + t).join(""))
  .filter((v) => v.length > 0);

/**
 * Versions shaped as most projects write them: numbers joined by dots, then
 * maybe a qualifier after `-` (with or without a build number, maybe then
 * -SNAPSHOT), or a last qualifier after `.` (`.Final`, `.RC1`). Maven's order
 * is transitive on these, though not on every string (see the cycles below).
 */
const conventionalVersion = fc
  .tuple(
    fc.array(fc.oneof(fc.nat({ max: 12 }).map(String), fc.constantFrom("0", "00", "2147483648", "9223372036854775808")), { minLength: 1, maxLength: 4 }),
    fc.oneof(
      fc.tuple(
        fc.constant("-"),
        fc.constantFrom("alpha", "a", "beta", "b", "M", "milestone", "RC", "cr", "sp", "jre", "android", "redhat", "v"),
        fc.constantFrom("", "1", "10", "-1", "-00001"),
        fc.constantFrom("", "-SNAPSHOT"),
      ),
      fc.tuple(fc.constant("-"), fc.constantFrom("SNAPSHOT", "ga", "GA", "final", "RELEASE"), fc.constant(""), fc.constant("")),
      fc.tuple(
        fc.constant("."),
        fc.constantFrom("alpha", "a", "beta", "b", "M", "RC", "cr", "SNAPSHOT", "ga", "Final", "RELEASE", "sp", "jre", "redhat", "v"),
        fc.constantFrom("", "1", "10"),
        fc.constant(""),
      ),
      fc.constant(null),
    ),
  )
  .map(([numbers, tail]) => numbers.join(".") + (tail === null ? "" : tail.join("")));
// ---------------------------------------------------------------------------

describe("Maven versions (ComparableVersion, Maven 3.8)", () => {
  rule("splits at dots, hyphens and every switch between digits and letters", [
      "1.0alpha1 = 1.0-alpha-1 = 1.0-alpha1 = 1-alpha-1",
      "1.0RC1 = 1.0-rc-1 = 1.0-RC1",
      "2.0b3 = 2.0-beta-3 = 2-beta3",
      "1.0.0.RC1 < 1.0.0-RC2",
      "9.4.51.v20230217 > 9.4.51.v20230101 > 9.4.51",
    ]);

  rule("ignores case", ["1.0-SNAPSHOT = 1.0-snapshot = 1.0-Snapshot", "4.1.108.Final = 4.1.108.final = 4.1.108.FINAL", "1-FOO = 1-foo"]);

  rule("drops trailing zeros, empty qualifiers and empty lists: 1.0.0 = 1", [
      "1 = 1.0 = 1.0.0 = 1-0 = 1.0-0.0 = 1.0.0-0",
      "1.0-final = 1.ga = 1-GA = 1.0.RELEASE = 1-release = 1",
      "5.3.0.RELEASE = 5.3 = 5.3.0",
      "1.0-1 = 1-1",
      "0 = 0.0 = 0-0",
    ]);

  rule("keeps zeros that something non-null follows", ["1.0.1 > 1.0", "1.0.0.1 > 1", "1.0-alpha < 1", "1.0.0-1 > 1"]);

  rule("ranks alpha < beta < milestone < rc = cr < snapshot < release < sp", [
      "1-alpha < 1-beta < 1-milestone < 1-rc < 1-snapshot < 1 < 1-sp",
      "1-rc = 1-cr",
      "2.0-alpha-2 < 2.0-beta-1 < 2.0-M1 < 2.0-RC1 < 2.0-SNAPSHOT < 2.0 < 2.0-SP1 < 2.0.1",
      "6.2.0.CR4 < 6.2.0.Final < 6.2.0.SP1",
    ]);

  rule("reads a, b and m as alpha, beta and milestone only when a digit follows at once", [
      "1-a1 = 1-alpha-1",
      "1-b2 = 1-beta-2",
      "1-m3 = 1-milestone-3",
      "1-a1 < 1",
      "1 < 1-a < 1-b < 1-m",
      "1-alpha < 1-a-1",
    ]);

  rule("puts unknown qualifiers after all known ones, in lexical order", [
      "1-sp < 1-abc < 1-abd < 1-b < 1-foo < 1-jre",
      "31.1-android < 31.1-jre",
      "3.8.0.redhat-00001 > 3.8.0.SP1-redhat-00001",
      "1-zeta > 1-sp",
    ]);

  rule("orders a number above a nested list above a qualifier: 1.1 > 1-1 > 1-sp", ["1-sp < 1-1 < 1.1", "1-SNAPSHOT < 1-1", "2.0.1 > 2.0-1", "1.0.0.1 > 1-1"]);

  rule("treats a trailing qualifier the same after a dot or a hyphen", ["1.sp = 1-sp", "1.0.x = 1-x = 1.0.0.x", "2.0.RC = 2.0-RC"]);

  rule("compares numbers of any size exactly, ignoring leading zeros", [
      "1.2147483647 < 1.2147483648 < 1.9223372036854775807 < 1.9223372036854775808",
      "1.99999999999999999999999 < 1.100000000000000000000000",
      "1.01 = 1.1 = 1.00001",
      "1.0010 = 1.10",
      "1.000000000000000000000000001 = 1.1",
    ]);

  rule("orders real releases the way their projects mean them", [
      "2.12.7 < 2.12.7.1 < 2.13.0",
      "4.1.107.Final < 4.1.108.Final",
      "2.0-beta9 < 2.0-rc1 < 2.0-rc2 < 2.0 < 2.0.1",
      "32.0.0-android < 32.0.0-jre",
      "5.3.0.RELEASE < 5.3.1",
      "1.0-SNAPSHOT < 1.0 < 1.0.1-SNAPSHOT < 1.0.1",
      "6.0.0.Alpha7 < 6.0.0.Beta1 < 6.0.0.CR1 < 6.0.0.Final",
    ]);

  cycle("is not transitive where Maven is not: a dropped zero before a list meets a number", "1.0-sp < 1.0.alpha-SNAPSHOT < 1.0 < 1.0-sp");
  cycle("is not transitive where Maven is not: a dropped zero makes a list face a word", "1-a < 1-0.alpha < 1 < 1-a");
  cycle("is not transitive where Maven is not: a dropped `ga` nests -SNAPSHOT one list deeper", "0-ga-SNAPSHOT < 0 < 0-redhat < 0-ga-SNAPSHOT");

  it("accepts printable ASCII without spaces, banned characters or range syntax", () => {
    for (const v of ["1", "1.0", "1.0-SNAPSHOT", "r09", "latest", "0.1~+svn49", "1_2", ".", "-1", "1..2"]) {
      assert.equal(maven.valid(v), true, v);
    }
    for (const v of ["", " 1", "1.0 ", "1\t0", "1/0", "1:0", "1*", "1?", "<1", "1|2", '1"', "1\\0", "[1]", "(1)", "1,2", "1.0é"]) {
      assert.equal(maven.valid(v), false, JSON.stringify(v));
      assert.throws(() => maven.compare(v, "1"), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => maven.compare("1", v), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => maven.satisfies(v, "[1,2)"), InvalidVersionError, JSON.stringify(v));
    }
  });

  it("names the offending character and its offset", () => {
    assert.throws(
      () => maven.compare("1.0 beta", "1"),
      (err: unknown) => err instanceof InvalidVersionError && err.message === 'maven version "1.0 beta": " " at offset 3 is not allowed in a Maven version',
    );
    assert.throws(() => maven.compare("", "1"), /maven version "": empty/);
  });

  it("keeps the order laws on versions shaped as projects write them", () => {
    fc.assert(
      fc.property(fc.array(conventionalVersion, { minLength: 2, maxLength: 25 }), (versions) => {
        assertOrderLaws(maven.compare, versions);
      }),
      { seed: 20240611, numRuns: 400 },
    );
  });

  it("is blind to case on generated versions", () => {
    fc.assert(
      fc.property(generatedVersion, (v) => maven.compare(v, v.toUpperCase()) === 0 && maven.compare(v.toLowerCase(), v) === 0),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe("Maven version ranges (VersionRange.createFromVersionSpec)", () => {
  const inRange = (range: string, yes: readonly string[], no: readonly string[]) => {
    for (const v of yes) assert.equal(maven.satisfies(v, range), true, `${v} in ${range}`);
    for (const v of no) assert.equal(maven.satisfies(v, range), false, `${v} not in ${range}`);
  };

  it("reads [a,b) as a <= v < b", () => {
    inRange("[1.0,2.0)", ["1.0", "1", "1.0.0", "1.5", "1.9.9", "1.99999"], ["0.9", "1.0-SNAPSHOT", "2.0", "2", "2.0.1"]);
  });

  it("lets an exclusive upper bound admit that version's prereleases, as Maven does", () => {
    inRange("[1.0,2.0)", ["2.0-SNAPSHOT", "2.0-alpha-1", "2.0-RC1"], ["2.0-SP1", "2.0.0"]);
  });

  it("reads (,b] and [a,) as open on one side", () => {
    inRange("(,1.0]", ["0.1", "1.0", "1.0.0", "1.0-RC1", "0.0.0-alpha"], ["1.0.1", "1.0-SP1", "1.1"]);
    inRange("[2.17.1,)", ["2.17.1", "2.17.2", "3", "2.17.1-1"], ["2.17.0", "2.17.1-rc1"]);
    inRange("(1.0,)", ["1.0.1", "1.0-1"], ["1.0", "1.0.0", "1.0-rc1"]);
  });

  it("reads [v] as exactly v, in Maven's order", () => {
    inRange("[1.2]", ["1.2", "1.2.0", "1.2-ga", "1.2.Final"], ["1.2.1", "1.2-SNAPSHOT", "1.1"]);
    inRange("[1.2,1.2]", ["1.2.0"], ["1.2.0.1"]);
  });

  it("reads a bare version as exactly that version (Maven's soft requirement would match everything)", () => {
    inRange("1.0", ["1.0", "1", "1.0.0"], ["1.0.1", "0.9", "2.0"]);
    inRange(" 2.17.1 ", ["2.17.1"], ["2.17.0"]);
  });

  it("reads a comma-separated union: any restriction may hold", () => {
    inRange("[1,2),[3,4)", ["1", "1.5", "3", "3.9"], ["2", "2.5", "4", "0.1"]);
    inRange("(,1.0],[1.2,)", ["0.5", "1.0", "1.2", "9"], ["1.1", "1.0.1"]);
    inRange("[1.0.0,1.0.5],[1.1.0,1.1.2),[2.0.0]", ["1.0.3", "1.1.1", "2"], ["1.0.6", "1.1.2", "2.0.1"]);
  });

  it("ignores whitespace around bounds, restrictions and the whole range", () => {
    inRange(" [ 1.0 , 2.0 ) , [ 3.0 ] ", ["1.0", "3.0"], ["2.0", "3.1"]);
    inRange("[1,2),", ["1.5"], ["2"]);
  });

  it("throws InvalidRangeError naming the offset of what it cannot read", () => {
    const cases: [string, RegExp][] = [
      ["", /: empty$/],
      ["   ", /: empty$/],
      ["[1.0,2.0", /opened at offset 0 is not closed/],
      ["[1,2),[3,4", /opened at offset 6 is not closed/],
      ["(1.0)", /single version must be written \[version\] \(offset 0\)/],
      ["[1.0)", /single version/],
      ["[2.0,1.0]", /range at offset 0 is empty/],
      ["(1.0,1.0]", /range at offset 0 is empty/],
      ["[1.0,1.0)", /range at offset 0 is empty/],
      ["[1,3),[2,4)", /range at offset 6 overlaps/],
      ["[1,2),(,3]", /range at offset 6 overlaps/],
      ["[1,2)x", /expected '\[' or '\(' at offset 5/],
      ["[1,2],,[3,4]", /expected '\[' or '\(' at offset 6/],
      ["[1,2],3", /expected '\[' or '\(' at offset 6/],
      ["[1,2,3]", /"," at offset 4 cannot stand in a version/],
      ["[1 0,2]", /" " at offset 2 cannot stand in a version/],
      ["[]", /expected a version at offset 1/],
      ["1.0 2.0", /" " at offset 3 cannot stand in a version/],
    ];
    for (const [range, reason] of cases) {
      assert.throws(
        () => maven.satisfies("1", range),
        (err: unknown) => err instanceof InvalidRangeError && err.scheme === "maven" && reason.test(err.message),
        JSON.stringify(range),
      );
    }
  });

  it("checks the version before the range", () => {
    assert.throws(() => maven.satisfies("1 0", "[1,2)"), InvalidVersionError);
  });
});

describe("Maven versions and ranges against Maven itself", () => {
  const realVersions = [...new Set([...debianRepoVersions(), ...CENTRAL_VERSIONS])];
  const generated = fc.sample(generatedVersion, { seed: 1337, numRuns: 300 });
  const conventional = fc.sample(conventionalVersion, { seed: 2024, numRuns: 300 });
  const conventionalPairs = conventional.flatMap((a, i) => conventional.slice(i + 1, i + 100).map((b) => ({ kind: "compare" as const, a, b })));
  const realPairs = realVersions.flatMap((a, i) => realVersions.slice(i + 1).map((b) => ({ kind: "compare" as const, a, b })));
  const generatedPairs = generated.flatMap((a, i) => generated.slice(i + 1, i + 120).map((b) => ({ kind: "compare" as const, a, b })));
  const padded = generated.flatMap((v) => [".0", "-0", ".0.0", "-ga", ".final"].map((tail) => ({ kind: "compare" as const, a: v, b: v + tail })));
  const mixed = realVersions.flatMap((a, i) => generated.slice(i % 200, (i % 200) + 15).map((b) => ({ kind: "compare" as const, a, b })));

  // Ranges built from real versions in every bracket style, in and out of order, alone and in unions.
  const ranges = fc.sample(
    fc
      .array(
        fc.oneof(
          fc
            .tuple(fc.constantFrom("[", "("), fc.constantFrom(...realVersions, ""), fc.constantFrom(...realVersions, ""), fc.constantFrom("]", ")"), fc.constantFrom("", " "))
            .map(([open, lower, upper, close, space]) => `${open}${space}${lower}${space},${space}${upper}${space}${close}`),
          fc.tuple(fc.constantFrom("[", "("), fc.constantFrom(...realVersions), fc.constantFrom("]", ")")).map(([open, v, close]) => `${open}${v}${close}`),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .chain((parts) => fc.constantFrom(",", ", ", " , ").map((glue) => parts.join(glue))),
    { seed: 99, numRuns: 2500 },
  );
  const sortedRanges = fc.sample(
    fc.uniqueArray(fc.constantFrom(...realVersions), { minLength: 2, maxLength: 6, comparator: (a, b) => maven.compare(a, b) === 0 }).map((bounds) => {
      const sorted = [...bounds].sort(maven.compare);
      const parts: string[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) parts.push(`${i % 4 === 0 ? "[" : "("}${sorted[i]},${sorted[i + 1]}${i % 4 === 0 ? ")" : "]"}`);
      return parts.join(",");
    }),
    { seed: 5, numRuns: 1500 },
  );
  const candidates = [...realVersions, ...generated.slice(0, 100)];
  const contains = [...ranges, ...sortedRanges].flatMap((range, i) =>
    Array.from({ length: 24 }, (_, j) => ({ kind: "contains" as const, range, version: candidates[(i * 31 + j * 17) % candidates.length]! })),
  );

  // Where we read ranges differently from Maven on purpose, Maven's own verdicts, to show the difference.
  const differences: Request[] = [
    { kind: "contains", range: "1.0", version: "3.0" },
    { kind: "contains", range: " [1.0,2.0)", version: "3.0" },
    { kind: "contains", range: "", version: "1" },
    { kind: "contains", range: "[1,2,3]", version: "1.5" },
  ];

  const batches: Record<string, readonly Request[]> = {
    handPicked: handPicked.map(({ a, b }) => ({ kind: "compare", a, b })),
    realPairs,
    generatedPairs,
    conventionalPairs,
    padded,
    mixed,
    contains,
    differences,
  };
  const answers = new Map<string, string[]>();

  before(() => {
    const all = askMaven(Object.values(batches).flat());
    let at = 0;
    for (const [name, requests] of Object.entries(batches)) {
      answers.set(name, all.slice(at, at + requests.length));
      at += requests.length;
    }
  });

  /** Maven's order for each pair of a batch of comparisons. */
  const verdicts = (name: string) => {
    const got = answers.get(name)!;
    return (batches[name] as Extract<Request, { kind: "compare" }>[]).map((r, i) => ({ a: r.a, b: r.b, order: Number(got[i]) }));
  };

  it("agrees with every hand-picked case above, and so does Maven", () => {
    assert.ok(handPicked.length > 80, `${handPicked.length} hand-picked pairs`);
    assertAgrees(maven.compare, verdicts("handPicked"), "Maven 3.8.7");
    const got = answers.get("handPicked")!;
    const misstated = handPicked.flatMap(({ a, b, order }, i) => (Number(got[i]) === order ? [] : [`${a} vs ${b}: stated ${order}, Maven ${got[i]}`]));
    assert.deepEqual(misstated, []);
  });

  it(`orders every pair of ${realVersions.length} real versions as Maven does`, () => {
    assert.ok(realVersions.length > 150, `${realVersions.length} real versions`);
    assertAgrees(maven.compare, verdicts("realPairs"), "Maven 3.8.7");
  });

  it("orders generated versions (odd separators, big numbers, every qualifier) as Maven does", () => {
    assertAgrees(maven.compare, verdicts("generatedPairs"), "Maven 3.8.7");
    assertAgrees(maven.compare, verdicts("conventionalPairs"), "Maven 3.8.7");
    assertAgrees(maven.compare, verdicts("mixed"), "Maven 3.8.7");
  });

  it("trims trailing nulls exactly where Maven does", () => {
    assertAgrees(maven.compare, verdicts("padded"), "Maven 3.8.7");
  });

  it("keeps the order laws on real versions", () => {
    assertOrderLaws(maven.compare, realVersions);
  });

  it(`decides ${contains.length} range memberships (and range errors) as Maven does`, () => {
    const got = answers.get("contains")!;
    const wrong = contains
      .map((r, i) => ({ ...r, maven: got[i]!, ours: ourContains(r.range, r.version) }))
      .filter((r) => r.maven !== r.ours)
      .map((r) => `${r.version} in ${r.range}: Maven says ${r.maven}, we say ${r.ours}`);
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${contains.length} disagree`);
    const count = (answer: string) => got.filter((a) => a === answer).length;
    assert.ok(count("invalid") > 1000 && count("true") > 1000 && count("false") > 1000, `${count("invalid")} invalid, ${count("true")} inside`);
  });

  describe("where we read ranges differently from Maven, on purpose", () => {
    it("matches a bare version only, where Maven's soft requirement matches everything", () => {
      const [soft, leading] = answers.get("differences")!;
      assert.equal(soft, "true");
      assert.equal(maven.satisfies("3.0", "1.0"), false);
      // With a leading space Maven no longer sees a range, only a soft version.
      assert.equal(leading, "true");
      assert.equal(maven.satisfies("3.0", " [1.0,2.0)"), false);
    });

    it("rejects what Maven reads only by taking junk as a version", () => {
      const [, , empty, commas] = answers.get("differences")!;
      assert.equal(empty, "false");
      assert.equal(commas, "true");
      assert.throws(() => maven.satisfies("1", ""), InvalidRangeError);
      assert.throws(() => maven.satisfies("1.5", "[1,2,3]"), InvalidRangeError);
    });
  });
});
