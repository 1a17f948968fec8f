import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { composer } from "./composer.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

// ---------------------------------------------------------------------------
// The real tool: composer/semver (Debian's php-composer-semver, run by php-cli;
// both installed by scripts/test-packages.sh), answering one JSON request per
// line, all in one php process. Versions are ordered as Composer orders them:
// normalize both, then ask Comparator for <, == and >; two different branches
// are neither, which the oracle answers as "unordered".

const SEMVER_AUTOLOAD = "/usr/share/php/Composer/Semver/autoload.php";
const INSTALL_HINT = "install Debian's php-cli and php-composer-semver (bash scripts/test-packages.sh)";

const ORACLE = `<?php
require '${SEMVER_AUTOLOAD}';
use Composer\\Semver\\Comparator;
use Composer\\Semver\\Semver;
use Composer\\Semver\\VersionParser;

$parser = new VersionParser();
$normalized = function ($version) use ($parser) {
    try {
        return $parser->normalize($version);
    } catch (UnexpectedValueException $e) {
        return null;
    }
};
while (($line = fgets(STDIN)) !== false) {
    $request = json_decode($line, true);
    switch ($request[0]) {
        case 'valid':
            $answer = $normalized($request[1]) !== null;
            break;
        case 'compare':
            $a = $normalized($request[1]);
            $b = $normalized($request[2]);
            if ($a === null || $b === null) {
                $answer = 'invalid';
            } elseif (Comparator::lessThan($a, $b)) {
                $answer = -1;
            } elseif (Comparator::equalTo($a, $b)) {
                $answer = 0;
            } elseif (Comparator::greaterThan($a, $b)) {
                $answer = 1;
            } else {
                $answer = 'unordered';
            }
            break;
        case 'satisfies':
            try {
                $answer = Semver::satisfies($request[2], $request[1]);
            } catch (UnexpectedValueException $e) {
                $answer = 'invalid';
            }
            break;
    }
    echo json_encode($answer), "\\n";
}
`;

type Request = ["valid", string] | ["compare", string, string] | ["satisfies", string, string];
type Answer = boolean | number | "invalid" | "unordered";

let oracleDir: string | undefined;

/** Sends every request to one php process and returns its answers in order. */
function askComposer(requests: readonly Request[]): Answer[] {
  if (!existsSync(SEMVER_AUTOLOAD)) throw new Error(`${SEMVER_AUTOLOAD} is missing: ${INSTALL_HINT}`);
  oracleDir ??= mkdtempSync(join(tmpdir(), "portcullis-composer-oracle-"));
  const script = join(oracleDir, "oracle.php");
  writeFileSync(script, ORACLE);
  let output: string;
  try {
    output = execFileSync("php", [script], {
      input: requests.map((r) => JSON.stringify(r)).join("\n") + "\n",
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
  } catch (err) {
    throw new Error(`php failed (${INSTALL_HINT})`, { cause: err });
  }
  const answers = output.split("\n").slice(0, -1).map((line) => JSON.parse(line) as Answer);
  assert.equal(answers.length, requests.length, "composer/semver answered every request");
  return answers;
}

after(() => {
  if (oracleDir !== undefined) rmSync(oracleDir, { recursive: true, force: true });
});

/** Our verdict in the oracle's words. */
function ourSatisfies(range: string, version: string): boolean | "invalid" {
  try {
    return composer.satisfies(version, range);
  } catch (err) {
    if (err instanceof InvalidRangeError) return "invalid";
    throw err;
  }
}

/** Reads chains such as "1.0-dev < 1.0-alpha = 1.0-a < 1.0": each neighbour pair compares as written. */
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

/** Every hand-picked case is also put to composer/semver itself (below), so no expectation here is only our opinion. */
const handPicked: { a: string; b: string; order: number }[] = [];
const handPickedRanges: { range: string; version: string; holds: boolean | "invalid" }[] = [];

/** A rule stated by example: registers a test that checks each chain, and keeps its pairs for Composer. */
function rule(title: string, chains: readonly string[]): void {
  const pairs = chains.flatMap(chain);
  handPicked.push(...pairs);
  it(title, () => {
    assertAgrees(composer.compare, pairs, "the rule");
    for (const text of chains) assertOrderLaws(composer.compare, text.split(" ").filter((_, i) => i % 2 === 0));
  });
}

/** A constraint stated by example: versions it admits and versions it refuses. */
function constraint(title: string, cases: readonly [range: string, yes: readonly string[], no: readonly string[]][]): void {
  for (const [range, yes, no] of cases) {
    handPickedRanges.push(...yes.map((version) => ({ range, version, holds: true })), ...no.map((version) => ({ range, version, holds: false })));
  }
  it(title, () => {
    for (const [range, yes, no] of cases) {
      for (const v of yes) assert.equal(composer.satisfies(v, range), true, `${v} satisfies ${range}`);
      for (const v of no) assert.equal(composer.satisfies(v, range), false, `${v} does not satisfy ${range}`);
    }
  });
}

// ---------------------------------------------------------------------------
// Real constraints: the affected ranges of FriendsOfPHP/security-advisories
// (public domain; snapshot 73745a6, 2026-08-06), each advisory's branches
// joined with `|` and each branch's `versions` list joined with `,`, as
// Packagist's security advisory API serves them: every range with a letter in
// it, and samples of long, short and single-comparator ones.

const ADVISORY_RANGES = [
  ">=4.0.0-rc10,<=4.0.0", ">=3.0.0-beta1,<3.4.4|>=2.0.0-rc1,<2.1.10", "<1.0.0-beta1", ">=2.0.0-alpha1,<2.0.13|<1.10.22",
  ">=2.0.0-alpha1,<2.1.9|<1.10.23", ">=6,<6.2.1|>=4.0.0-rc2,<4.2.4|>=5,<5.3.1", ">=2.2,<2.2.10|>=2.3,<2.3.2-p2",
  "<2.4.4|>=2.4.4,<2.4.4-p9|>=2.4.5,<2.4.5-p8|>=2.4.6,<2.4.6-p6|>=2.4.7,<2.4.7-p1", ">=2.0.0-alpha1,<2.0.0-alpha8",
  ">=3.0.0,<3.5.0|>=4.0.0-alpha1,<4.0.0-alpha2", ">=2.1.0-beta1,<2.1.3",
  ">=3.0.0,<3.0.6|>=2.0.0,<2.0.99|>=2.1.0,<2.1.99|>=2.2.0,<2.2.99|>=2.3.0,<2.3.99|>=2.4.0,<2.4.99|>=2.5.0,<2.5.90|>=2.6.0,<2.6.6",
  ">=2.0.0,<2.0.99|>=2.1.0,<2.1.99|>=2.2.0,<2.2.99|>=2.3.0,<2.3.99|>=2.4.0,<2.4.99|>=2.5.0,<2.5.9|>=2.6.0,<2.6.11|>=2.7.0,<2.7.2",
  ">=2.0.0,<2.0.99|>=2.1.0,<2.1.99|>=2.2.0,<2.2.99|>=2.3.0,<2.3.99|>=2.4.0,<2.4.99|>=2.5.0,<2.5.99|>=2.6.0,<2.6.12|>=2.7.0,<2.7.6|>=3.0.0,<3.0.15|>=3.1.0,<3.1.4",
  ">=4.0.0,<4.4.46|>=4.5.0,<4.6.0|>=4.6.0,<4.7.0|>=4.7.0,<4.8.0|>=4.8.0,<4.8.6",
  ">=4.0.0,<4.4.52|>=4.5.0,<4.6.0|>=4.6.0,<4.7.0|>=4.7.0,<4.8.0|>=4.8.0,<4.9.0|>=4.9.0,<4.9.6|>=4.10.0,<4.10.1",
  ">=4.0.0,<4.4.56|>=4.5.0,<4.6.0|>=4.6.0,<4.7.0|>=4.7.0,<4.8.0|>=4.8.0,<4.9.0|>=4.9.0,<4.9.18|>=4.10.0,<4.11.0|>=4.11.0,<4.11.7",
  ">=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.5.8|>=8.6.0,<8.6.2",
  ">=7.0,<7.60|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.5.8|>=8.6.0,<8.6.2",
  ">=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.7.11|>=8.8.0,<8.8.1",
  ">=7.0.0,<7.69|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.7.11|>=8.8.0,<8.8.1",
  ">=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.7.12|>=8.8.0,<8.8.4",
  ">=7.0.0,<7.74|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.8.0|>=8.8.0,<8.8.11|>=8.9.0,<8.9.9|>=9.0.0,<9.0.8",
  ">=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.8.0|>=8.8.0,<8.9.0|>=8.9.0,<8.9.16|>=9.0.0,<9.1.0|>=9.1.0,<9.1.12|>=9.2.0,<9.2.4",
  ">=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.8.0|>=8.8.0,<8.9.0|>=8.9.0,<9.0.0|>=9.0.0,<9.1.0|>=9.1.0,<9.2.0|>=9.2.0,<9.3.0|>=9.3.0,<9.4.0|>=9.4.0,<9.5.0|>=9.5.0,<10.0.0|>=10.0.0,<10.1.0|>=10.1.0,<10.1.8|>=10.2.0,<10.2.2",
  ">=8.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.4.5",
  ">=7.0,<7.59|>=8.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4,<8.4.8|>=8.5,<8.5.3",
  ">=8.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4,<8.4.7|>=8.5,<8.5.2",
  ">=7.0,<7.65|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.5.14|>=8.6.0,<8.6.14",
  ">=7.0.0,<7.67.0|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.6.16|>=8.7.0,<8.7.1",
  ">=7.0.0,<7.62.0|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.5.9|>=8.6.0,<8.6.6",
  ">=7.0.0,<7.62.0|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.5.11|>=8.6.0,<8.6.10",
  ">=7.0.0,<7.65.0|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.5.14|>=8.6.0,<8.6.13",
  ">=7.0.0,<7.70|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.7.14|>=8.8.0,<8.8.6",
  ">=7.0.0,<7.72|>=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.8.0|>=8.8.0,<8.8.8|>=8.9.0,<8.9.1|>=9.0.0,<9.0.1",
  ">=8.0.0,<8.1.0|>=8.1.0,<8.2.0|>=8.2.0,<8.3.0|>=8.3.0,<8.4.0|>=8.4.0,<8.5.0|>=8.5.0,<8.6.0|>=8.6.0,<8.7.0|>=8.7.0,<8.8.0|>=8.8.0,<8.8.8|>=8.9.0,<8.9.1|>=9.0.0,<9.0.1",
  ">=1.3.0,<1.3.1|>=1.2.0,<1.2.11", ">=2,<2.0.6|<1.0.6", ">=2,<2.0.4|>0.7.1,<1.0.4", ">=2.0.0,<=2.1.0|<=1.7.2", ">=4,<4.4.0",
  ">=2.2.0,<2.2.10|>=2.3.0,<2.3.6", ">=0.0.0,<9.9.99", ">=3.0.0,<3.2.1", ">=3.0.0,<3.288.1", ">=3.0.0,<3.368.0",
  ">=2.0.0,<2.5.1|<1.13.1", ">=2,<2.0.2", ">=2.0.0,<2.4.8|>=1.3.0,<1.3.18", ">=3.0.0,<3.0.4", ">=4.1.6,<4.4.6|>=5.0.0,<5.4.4",
  ">=1.16.0,<1.16.9|>=1.7.0,<1.15.17", ">=2.3,<2.9.6|>=1.0,<2.2.27", ">=4.0.0,<4.4.1", ">=4.0.0,<4.4.8",
  ">=4.0.0,<4.4.18|>=4.5.0,<4.5.8", ">=4.7.0,<4.7.3", "<1.2", "<5.20.12", "<5.20.6", "<1.0.1", "<=4.2.5", "<2.5.0", "<2.7.0",
  "<1.3.2", "<2.1.7", "<2.1.0", "<4.0.0", "<3.0.3", "<3.1.0", "<4.1.6", "<4.1.8",];

/** Version strings in the shapes Packagist packages publish (tags, branches, dates). */
const PACKAGIST_VERSIONS = [
  "v5.4.21", "5.4.21", "v6.0.0-BETA1", "v6.0.0-RC2", "6.0.0", "v6.4.0-beta3", "2.4.6-p3", "2.4.6-p13", "2.4.7-beta1",
  "1.0.0-RC1", "3.0.0-alpha.1", "3.0.0-alpha1", "8.0.0-beta.2", "10.0.0-rc.1", "1.0.0-alpha", "v2.0.0-dev", "1.0.0-dev",
  "4.4.x-dev", "5.x-dev", "2.1.*-dev", "dev-master", "dev-main", "dev-feature/new-thing", "dev-1.x", "master",
  "1.0.0+build.7", "v1.2.3-beta.2", "20190101", "2019-01-01", "2019.01.01", "20190101.1", "1.2.3.4", "7.1.0.1",
  "0.1", "0.0.1", "1", "v1", "1.0", "10.4.35", "9.5.28", "1.10.22", "1.9.7", "4.17.21", "3.12.0-patch1", "2.3.2-p2",
  "1.0.0pl1", "1.0.0-p1", "1.0.0-stable", "1.0.0b2", "1.0.0a1", "1.0.0RC3", "1.0.0.beta.1", "1.0.0_beta1",
  "4.0.0-rc10", "4.0.0-rc2", "2.0.0-alpha8", "7.60", "8.6.2", "8.9.16", "7.74",
];

/** Versions named in the real ranges, and the versions just around them. */
function aroundRange(range: string): string[] {
  const out: string[] = [];
  for (const part of range.split(/[|,]/)) {
    const version = part.trim().replace(/^(<>|!=|>=?|<=?|==?|\^|~)\s*/, "");
    if (!composer.valid(version)) continue;
    const numbers = version.split(/[-+]/)[0]!.replace(/^v/, "").split(".");
    out.push(version, `${version}-dev`, `${version}-beta1`, `${version}-RC1`, `${version}-p1`, `${version}.1`, `v${version}`);
    for (let i = 0; i < numbers.length; i++) {
      if (!/^\d+$/.test(numbers[i]!)) continue;
      const n = Number(numbers[i]);
      for (const next of [n + 1, n - 1]) {
        if (next < 0) continue;
        const bumped = [...numbers.slice(0, i), String(next), ...numbers.slice(i + 1)].join(".");
        out.push(bumped, `${bumped}-alpha2`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Generated versions and constraints: every stability word and alias in
// several cases, every separator, numbered and named branches, dates, build
// metadata, aliases and stability flags, and surrounding whitespace.

const number = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 12 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("00", "01", "010", "99999", "9223372036854775807", "9223372036854775808", "123456789012345678901") },
);
const suffix = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom("-", "-", ".", "_", ""),
        fc.constantFrom("alpha", "a", "beta", "b", "RC", "rc", "Rc", "patch", "pl", "p", "stable", "Stable", "BETA", "ALPHA", "dev"),
        fc.constantFrom("", "", "1", "2", "10", ".3", "-4", "1.2", "01"),
        fc.constantFrom("", "", "", "-dev", ".dev", "dev", "-DEV"),
      )
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: fc.constantFrom("-dev", ".dev", "dev", "-gamma", "-beta.x", "-1", "-rc.1.2", "+build.5", "-beta1+exp.sha.5114f85") },
);
const numbered = fc
  .tuple(fc.constantFrom("", "", "", "v", "V"), fc.array(number, { minLength: 1, maxLength: 5 }), suffix)
  .map(([v, numbers, tail]) => v + numbers.join(".") + tail);
const special = fc.constantFrom(
  "dev-main", "dev-master", "master", "trunk", "default", "dev-feature/x", "DEV-Thing", "dev-1.x", "1.x-dev", "1.0.x-dev",
  "2.1.*-dev", "v3.X-dev", "1.2.3.x-dev", "20240101", "2024-01-01", "2024.01.01", "202401011200", "2024-01-01-beta1",
  "1.0 as 2.0", "dev-main as 1.0.x-dev", "1.0@dev", "1.0-beta1@beta", "1.0.0.0.0", "x", "*", "1.0.*", "dev", "foo-dev",
);
const generatedVersion = fc.oneof({ weight: 6, arbitrary: numbered }, { weight: 1, arbitrary: special });
const paddedVersion = fc
  .tuple(fc.constantFrom("", "", "", " ", "\t", "\n "), generatedVersion, fc.constantFrom("", "", "", " ", "\n", " \r\n"))
  .map(([before, version, after]) => before + version + after);
/** Any short string of version characters and near misses: for validity. */
const anyString = fc
  .array(fc.constantFrom("0", "1", "9", "0", ".", ".", "-", "_", "+", "v", "a", "b", "p", "l", "R", "C", "d", "e", "x", "*", " ", "@", "#", "/", "é"), { maxLength: 10 })
  .map((chars) => chars.join(""));

/** Versions shaped as constraints use them (numbers small enough to count past). */
const boundVersion = fc
  .tuple(
    fc.array(fc.nat({ max: 5 }).map(String), { minLength: 1, maxLength: 4 }),
    fc.constantFrom("", "", "", "", "-beta1", "-RC2", "-alpha", "-p1", "-dev", ".x-dev", "beta", "-beta.2", "@dev", "@beta", "+build"),
  )
  .map(([numbers, tail]) => numbers.join(".") + tail);
const single = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom("", "=", "==", "!=", "<>", "<", "<=", ">", ">=", ">=", "<", "^", "^", "~", "~", "v"), fc.constantFrom("", "", " "), boundVersion)
      .map((parts) => parts.join("")),
  },
  { weight: 1, arbitrary: fc.tuple(fc.array(fc.nat({ max: 5 }).map(String), { minLength: 1, maxLength: 3 }), fc.constantFrom(".*", ".x", ".X", ".*.*")).map(([n, w]) => n.join(".") + w) },
  { weight: 1, arbitrary: fc.tuple(boundVersion, boundVersion).map(([a, b]) => `${a} - ${b}`) },
  { weight: 1, arbitrary: fc.constantFrom("*", "x", "v*", "*.*", "dev-main", "dev-main#abc123", "!=dev-main", "1.0.x-dev#abc", "foo-dev", "~>1.0") },
);
const generatedRange = fc
  .array(fc.array(single, { minLength: 1, maxLength: 3 }).chain((all) => fc.constantFrom(",", ", ", " ", " , ").map((glue) => all.join(glue))), {
    minLength: 1,
    maxLength: 3,
  })
  .chain((alternatives) => fc.constantFrom("|", "||", " || ", " | ").map((glue) => alternatives.join(glue)));
/** Generated ranges with a few characters inserted somewhere: mostly broken, sometimes still fine. */
const damagedRange = fc
  .tuple(generatedRange, fc.nat(), fc.constantFrom(",", "|", "||", "=", ">", "~", "^", " ", "x", ".", "-", "*", "@", ", ,", " - ", "as "))
  .map(([range, at, junk]) => range.slice(0, at % (range.length + 1)) + junk + range.slice(at % (range.length + 1)));

/** Hand-picked versions composer/semver accepts and refuses (put to it below, with the generated strings). */
const VALID = ["1", "v1.0.0", "1.0.0.0", "1.0-beta.2", "1.0.0-p1", "20240101", "123456.1", "dev-anything at/all", "1.x-dev", " 1.0 ", "master"];
const INVALID = ["", " ", "1.0.0.0.0", "foo", "1.0-gamma", "1.0.0-beta.x", "~1.0", "1.0,2.0", "dev", "1.0 2.0", "1234567.1.2", "x", "1.0.x", "v", "-1"];

// ---------------------------------------------------------------------------

describe("Composer versions (VersionParser::normalize, then Comparator)", () => {
  rule("pads to four numbers, ignores a v prefix and leading zeros", [
    "1 = 1.0 = 1.0.0 = 1.0.0.0 = v1.0.0 = V1.0",
    "1.02 = 1.2 = 01.2.0 = 1.000000000000000000000002",
    "1.0.0 < 1.0.0.1 < 1.0.1",
    "1.9 < 1.10 < 1.100",
    "v5.4.21 = 5.4.21 < 5.4.22",
  ]);

  rule("ranks stabilities dev < alpha < beta < RC < stable < patch", [
    "1.0.0-dev < 1.0.0-alpha < 1.0.0-beta < 1.0.0-RC < 1.0.0 < 1.0.0-patch",
    "2.0.0-alpha8 < 2.0.0-beta1 < 2.0.0-RC1 < 2.0.0 < 2.0.0-p1 < 2.0.1",
    "1.0.0-p9 < 1.0.1-alpha1",
    "2.4.6 < 2.4.6-p3 < 2.4.6-p13 < 2.4.7-beta1 < 2.4.7",
  ]);

  rule("reads a, b, p and pl as alpha, beta and patch, in any case", [
    "1.0.0-a1 = 1.0.0-alpha1 = 1.0.0-ALPHA1 = 1.0.0A1",
    "1.0-b2 = 1.0-beta2 = 1.0-Beta2",
    "1.0-p1 = 1.0-pl1 = 1.0-patch1 = 1.0-PL1",
    "1.0-rc1 = 1.0-RC1 = 1.0RC1 = 1.0-Rc1",
  ]);

  rule("takes -, _, . or nothing before the stability and . or - inside its number", [
    "1.0.0-beta2 = 1.0.0beta.2 = 1.0.0.beta2 = 1.0.0_beta2 = 1.0.0-beta-2 = 1.0.0beta2",
    "1.0.0-beta.1.2 = 1.0.0-beta1.2 > 1.0.0-beta1",
    "1.0.0-beta2 < 1.0.0-beta10",
    "1.0.0-beta < 1.0.0-beta0 < 1.0.0-beta1",
  ]);

  rule("puts -dev below the version it ends", [
    "1.0.0-beta2-dev < 1.0.0-beta2 < 1.0.0-beta3-dev",
    "1.0.0-dev < 1.0.0-alpha1 = 1.0.0.alpha.1",
    "2.0-dev = 2.0.0.0-dev = 2.0.dev = v2.0-DEV",
    "1.0.0-RC1-dev < 1.0.0-RC1",
  ]);

  rule("ignores build metadata, aliases and stability flags", [
    "1.0.0+build.1 = 1.0.0 = 1.0.0+other",
    "1.0@dev = 1.0 = 1.0@stable",
    "1.0-beta1@beta = 1.0-beta1",
  ]);

  rule("reads numbered branches as their highest version, minus dev", [
    "1.x-dev = 1.9999999.9999999.9999999-dev = 1.*-dev = v1.X-dev",
    "1.0.x-dev > 1.0.999",
    "2.1.9999999 < 2.1.*-dev < 2.1.9999999.9999999",
    "1.99.0 < 1.x-dev < 2.0.0-dev",
  ]);

  rule("keeps date versions unpadded", ["20240101 < 20240102", "2024-01-01 < 2024.01.01 = 2024.1.1.0", "202401011200 > 2024"]);

  rule("puts named branches below every numbered version", [
    "dev-main < 0.0.0-dev < 0.0.1",
    "dev-feature/x < 1.0.0-alpha1",
    "master = dev-master < 0",
    "trunk = dev-trunk",
  ]);

  rule("keeps Composer's quirks: -stable is dropped, -Stable sinks below dev, huge numbers saturate", [
    "1.0-stable = 1.0 = 1.0-stable-dev",
    "1.0-Stable < 1.0-dev",
    "1.9223372036854775807 = 1.9223372036854775808 = 1.99999999999999999999999",
  ]);

  const aliases = [
    { a: "1.0 as 2.0", b: "1.0", order: 0 },
    { a: "dev-main as 1.0.x-dev", b: "dev-main", order: 0 },
  ];
  handPicked.push(...aliases);
  it("reads an alias as its first version", () => assertAgrees(composer.compare, aliases, "the rule"));

  it("orders different named branches by name, where Composer leaves them unordered", () => {
    assert.ok(composer.compare("dev-feature", "dev-main") < 0);
    assert.ok(composer.compare("dev-main", "dev-feature") > 0);
    assert.equal(composer.compare("DEV-main", "dev-main"), 0);
    assert.equal(composer.compare("dev-main", "dev-main "), 0);
  });

  it("accepts exactly what VersionParser::normalize accepts", () => {
    for (const v of VALID) {
      assert.equal(composer.valid(v), true, JSON.stringify(v));
    }
    for (const v of INVALID) {
      assert.equal(composer.valid(v), false, JSON.stringify(v));
      assert.throws(() => composer.compare(v, "1"), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => composer.compare("1", v), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => composer.satisfies(v, ">=1"), InvalidVersionError, JSON.stringify(v));
    }
    assert.throws(
      () => composer.compare("1.0-gamma", "1"),
      (err: unknown) => err instanceof InvalidVersionError && err.scheme === "composer" && err.message.startsWith('composer version "1.0-gamma": expected'),
    );
  });

  it("keeps the order laws on generated versions", () => {
    fc.assert(
      fc.property(fc.array(paddedVersion.filter((v) => composer.valid(v)), { minLength: 2, maxLength: 25 }), (versions) => {
        assertOrderLaws(composer.compare, versions);
      }),
      { seed: 20240611, numRuns: 300 },
    );
  });

  it("ignores padding zeros and build metadata on generated versions", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 99 }), { minLength: 1, maxLength: 3 }), (numbers) => {
        const v = numbers.join(".");
        return composer.compare(v, `${v}.0`) === 0 && composer.compare(v, `v${v}+build.1`) === 0;
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe("Composer constraints (VersionParser::parseConstraints, Semver::satisfies)", () => {
  constraint("reads a bare version, = and == as equal by value, != and <> as different", [
    ["1.0", ["1.0.0", "v1.0", "1.0.0.0", "1.0.0+build"], ["1.0.1", "1.0.0-RC1", "1.0.0-p1"]],
    ["==1.0.0-beta2", ["1.0.0beta2", "1.0.0-b2"], ["1.0.0-beta3", "1.0.0"]],
    ["=2", ["2.0"], ["2.0.1"]],
    ["!=1.3", ["1.2", "1.3.1", "1.3.0-beta1"], ["1.3", "1.3.0.0"]],
    ["<>1.3", ["1.2"], ["1.3.0"]],
  ]);

  constraint("reads >= and < as >= and < the -dev of their version, so prereleases sit on the >= side", [
    ["<1.2.3", ["1.2.2", "1.2.2-p1", "0.1"], ["1.2.3-dev", "1.2.3-beta1", "1.2.3-RC1", "1.2.3", "1.2.4"]],
    [">=1.2.3", ["1.2.3-dev", "1.2.3-alpha1", "1.2.3", "2.0"], ["1.2.2", "1.2.2-p9"]],
    ["<=1.2.3", ["1.2.3", "1.2.3-RC1"], ["1.2.3-p1", "1.2.4-dev"]],
    [">1.2.3", ["1.2.3-p1", "1.2.4-dev"], ["1.2.3", "1.2.3-RC1"]],
    ["<2.4.4-p9", ["2.4.4", "2.4.4-p8"], ["2.4.4-p9", "2.4.5"]],
    [">=4.0.0-rc2", ["4.0.0-rc2", "4.0.0-RC3", "4.0.0"], ["4.0.0-rc1", "4.0.0-beta9"]],
  ]);

  constraint("keeps Composer's quirk: < before a lower-case rc adds -dev, so the rc itself is excluded", [["<1.0-rc1", ["1.0-beta9", "1.0-RC0"], ["1.0-RC1-dev", "1.0-RC1", "1.0-rc2"]]]);

  constraint("reads ^ as the next change of the left-most non-zero number, prereleases included", [
    ["^1.2", ["1.2.0", "1.2.0-beta1", "1.9.9", "1.99.0-p1"], ["1.1.9", "2.0.0", "2.0.0-beta1"]],
    ["^1.2.3", ["1.2.3", "1.3.0"], ["1.2.2", "2.0"]],
    ["^0.3", ["0.3.0", "0.3.9"], ["0.4.0", "0.2.9"]],
    ["^0.0.3", ["0.0.3", "0.0.3.1"], ["0.0.4", "0.0.2"]],
    ["^1.0.0-beta2", ["1.0.0-beta2", "1.0.0", "1.5"], ["1.0.0-beta1", "2.0.0-dev"]],
  ]);

  constraint("reads ~ as the next change of the second-to-last number given", [
    ["~1.2", ["1.2.0", "1.2.0-alpha1", "1.9.9"], ["2.0.0", "1.1.9"]],
    ["~1.2.3", ["1.2.3", "1.2.99"], ["1.3.0", "1.2.2"]],
    ["~1", ["1.0", "1.9"], ["2.0", "0.9"]],
    ["~1.2.3.4", ["1.2.3.4", "1.2.3.9"], ["1.2.4.0", "1.2.3.3"]],
  ]);

  constraint("reads .* wildcards and * alone", [
    ["1.0.*", ["1.0.0", "1.0.9", "1.0.0-dev", "1.0.5-beta1"], ["1.1.0", "0.9.9", "1.1.0-dev"]],
    ["1.*", ["1.0", "1.99.9"], ["2.0", "0.9"]],
    ["0.*", ["0.0.1", "0.9"], ["1.0"]],
    ["*", ["1.0", "0.0.0-dev", "dev-main"], []],
  ]);

  constraint("reads a hyphen range as inclusive, a partial upper bound as a wildcard", [
    ["1.0 - 2.0", ["1.0.0", "2.0.0", "2.0.99"], ["0.9.9", "2.1.0", "2.1.0-dev"]],
    ["1.0.0 - 2.1.3", ["1.0.0", "2.1.3"], ["2.1.3-p1", "2.1.4"]],
    ["1.0.0-beta1 - 2.0", ["1.0.0-beta1", "1.0.0"], ["1.0.0-alpha1"]],
  ]);

  constraint("needs every constraint joined by commas or spaces, and any alternative joined by | or ||", [
    [">=1.0.0,<1.2.3|>=2.0.0,<2.0.5", ["1.0.0", "1.2.2", "2.0.0", "2.0.4"], ["0.9", "1.2.3", "1.5", "2.0.5"]],
    [">=1.0 <2.0", ["1.0", "1.9.9"], ["2.0", "0.9"]],
    [">=1.0, <2.0 || >=3.0", ["1.5", "3.0", "9"], ["2.5", "0.1"]],
    ["^1.2 | ^2.0", ["1.5", "2.5"], ["3.0", "1.1"]],
    [">= 1.0 , < 2.0", ["1.5"], ["2.0"]],
  ]);

  constraint("lets a named branch meet only *, itself and !=", [
    ["dev-main", ["dev-main", "DEV-main"], ["dev-other", "1.0"]],
    ["== dev-main", ["dev-main"], ["dev-mainx"]],
    ["!=1.0", ["dev-main"], []],
    [">=0", [], ["dev-main", "master"]],
    ["<9999", [], ["dev-main"]],
    ["^1.0 || dev-main", ["dev-main", "1.5"], ["dev-feature"]],
  ]);

  // composer/semver must refuse each of these too (checked below with the other hand-picked cases).
  const unreadable: [string, RegExp][] = [
    ["", /cannot read "" at offset 0/],
    ["  ", /cannot read "" at offset 2/],
    [">=", /cannot read ">=" at offset 0/],
    ["~>1.0", /cannot read "~>1.0" at offset 0: "~>" is not a Composer operator/],
    [">=1.0,", /cannot read ">=1.0," at offset 0/],
    [">=1.0 ||", /cannot read "" at offset 8/],
    ["|| 1.0", /cannot read "" at offset 0/],
    [">=1.0 <", /cannot read "<" at offset 6/],
    ["^", /cannot read "\^" at offset 0/],
    ["foo", /cannot read "foo" at offset 0/],
    [">=1.0,<2.0|<3.0,>=x", /cannot read ">=x" at offset 16/],
    ["1.0  - 2.0", /cannot read "- 2.0" at offset 5/],
    [">= 1.0 && < 2.0", /cannot read "&&" at offset 7/],
  ];
  for (const [range] of unreadable) handPickedRanges.push({ range, version: "1", holds: "invalid" });

  it("throws InvalidRangeError naming the constraint and the offset it cannot read", () => {
    for (const [range, reason] of unreadable) {
      assert.throws(
        () => composer.satisfies("1", range),
        (err: unknown) => err instanceof InvalidRangeError && err.scheme === "composer" && reason.test(err.message),
        JSON.stringify(range),
      );
    }
  });

  it("checks the version before the range", () => {
    assert.throws(() => composer.satisfies("1 0", ">=1"), InvalidVersionError);
    assert.throws(() => composer.satisfies("1 0", ">="), InvalidVersionError);
  });
});

describe("Composer versions and constraints against composer/semver itself", () => {
  const realVersions = [...new Set([...PACKAGIST_VERSIONS, ...ADVISORY_RANGES.flatMap(aroundRange)])];
  const generated = fc.sample(paddedVersion, { seed: 1337, numRuns: 500 });
  const strings = [...new Set(fc.sample(anyString, { seed: 11, numRuns: 4000 }))];
  const validReal = realVersions.filter((v) => composer.valid(v));
  const validGenerated = generated.filter((v) => composer.valid(v));
  // Each real version against the 200 after it (the list interleaves ranges, so neighbours and strangers both).
  const realPairs = validReal.flatMap((a, i) => validReal.slice(i + 1, i + 201).map((b): Request => ["compare", a, b]));
  const generatedPairs = validGenerated.flatMap((a, i) => validGenerated.slice(i + 1, i + 120).map((b): Request => ["compare", a, b]));
  const validity = [...VALID, ...INVALID, ...strings, ...generated, ...realVersions].map((v): Request => ["valid", v]);

  const realSatisfies = ADVISORY_RANGES.flatMap((range) =>
    [...new Set([...aroundRange(range), "dev-main", "1.0"])].filter((v) => composer.valid(v)).map((version): Request => ["satisfies", range, version]),
  );
  const ranges = [...fc.sample(generatedRange, { seed: 21, numRuns: 1500 }), ...fc.sample(damagedRange, { seed: 22, numRuns: 1500 })];
  const candidates = [...validReal, ...validGenerated];
  const generatedSatisfies = ranges.flatMap((range, i) => {
    const near = aroundRange(range.replace(/ - /g, ",")).slice(0, 12);
    const others = Array.from({ length: 4 }, (_, j) => candidates[(i * 31 + j * 17) % candidates.length]!);
    return [...new Set([...near, ...others])].filter((v) => composer.valid(v)).map((version): Request => ["satisfies", range, version]);
  });
  const handPickedRequests = [
    ...handPicked.map(({ a, b }): Request => ["compare", a, b]),
    ...handPickedRanges.map(({ range, version }): Request => ["satisfies", range, version]),
  ];

  const batches: Record<string, readonly Request[]> = {
    handPicked: handPickedRequests,
    realPairs,
    generatedPairs,
    validity,
    realSatisfies,
    generatedSatisfies,
  };
  const answers = new Map<string, Answer[]>();

  before(() => {
    const flat = askComposer(Object.values(batches).flat());
    let at = 0;
    for (const [name, requests] of Object.entries(batches)) {
      answers.set(name, flat.slice(at, at + requests.length));
      at += requests.length;
    }
  });

  /** Disagreements between our verdicts and composer/semver's on one batch; "unordered" pairs need only differ. */
  function disagreements(name: string): string[] {
    const got = answers.get(name)!;
    return batches[name]!.flatMap((request, i) => {
      const theirs = got[i];
      let ours: Answer;
      if (request[0] === "valid") ours = composer.valid(request[1]);
      else if (request[0] === "compare") ours = Math.sign(composer.compare(request[1], request[2])) || 0;
      else ours = ourSatisfies(request[1], request[2]);
      if (theirs === "unordered" && ours !== 0) return [];
      return ours === theirs ? [] : [`${JSON.stringify(request)}: composer/semver says ${JSON.stringify(theirs)}, we say ${JSON.stringify(ours)}`];
    });
  }

  it("agrees with every hand-picked case above, and so does composer/semver", () => {
    assert.ok(handPickedRequests.length > 200, `${handPickedRequests.length} hand-picked cases`);
    assert.deepEqual(disagreements("handPicked"), []);
    const stated: Answer[] = [...handPicked.map(({ order }) => order), ...handPickedRanges.map(({ holds }) => holds)];
    const got = answers.get("handPicked")!;
    const misstated = handPickedRequests.flatMap((r, i) => (got[i] === stated[i] ? [] : [`${JSON.stringify(r)}: stated ${String(stated[i])}, Composer ${String(got[i])}`]));
    assert.deepEqual(misstated, []);
  });

  it(`orders ${realPairs.length} pairs of ${validReal.length} real versions as composer/semver does`, () => {
    assert.ok(validReal.length > 300, `${validReal.length} real versions`);
    assert.deepEqual(disagreements("realPairs"), []);
  });

  it("orders generated versions (stabilities, separators, branches, dates, huge numbers) as composer/semver does", () => {
    const wrong = disagreements("generatedPairs");
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} disagree`);
  });

  it("accepts and refuses exactly the strings VersionParser::normalize does", () => {
    const wrong = disagreements("validity");
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} disagree`);
    const refused = answers.get("validity")!.filter((answer) => answer === false).length;
    assert.ok(refused > 1000, `${refused} strings refused`);
  });

  it("keeps the order laws on real versions", () => {
    assertOrderLaws(composer.compare, validReal);
  });

  it(`decides ${realSatisfies.length} checks of real advisory ranges as Semver::satisfies does`, () => {
    assert.deepEqual(disagreements("realSatisfies"), []);
  });

  it(`decides ${generatedSatisfies.length} generated and damaged constraints (and their errors) as composer/semver does`, () => {
    const wrong = disagreements("generatedSatisfies");
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} disagree`);
    const got = answers.get("generatedSatisfies")!;
    const count = (answer: Answer) => got.filter((a) => a === answer).length;
    assert.ok(count("invalid") > 500 && count(true) > 1000 && count(false) > 1000, `${count("invalid")} invalid, ${count(true)} true, ${count(false)} false`);
  });
});
