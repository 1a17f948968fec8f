import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { describe, it, before } from "node:test";
import fc from "fast-check";
import { assertAgrees, assertOrderLaws } from "../../test/support/order-laws.js";
import { gem } from "./gem.js";
import { InvalidRangeError, InvalidVersionError } from "./scheme.js";

// ---------------------------------------------------------------------------
// The real tool: RubyGems in the machine's `ruby` (Debian's ruby, installed by
// scripts/test-packages.sh), answering one JSON request per line, all in one
// process. Alternatives joined by `||` and requirements joined by commas are
// handed to Gem::Requirement the way bundler-audit reads ruby-advisory-db:
// Gem::Requirement.new(*part.split(",")) per alternative, any alternative may hold.

const ORACLE = `
require "json"
answers = STDIN.each_line.map do |line|
  kind, a, b = JSON.parse(line)
  case kind
  when "valid" then Gem::Version.correct?(a)
  when "compare" then Gem::Version.new(a) <=> Gem::Version.new(b)
  when "satisfies"
    begin
      pieces = a.split("||", -1)
      raise Gem::Requirement::BadRequirementError, "empty" if pieces.empty?
      alternatives = pieces.map do |alternative|
        parts = alternative.split(",", -1)
        raise Gem::Requirement::BadRequirementError, "empty" if parts.empty?
        Gem::Requirement.new(*parts)
      end
      version = Gem::Version.new(b)
      alternatives.any? { |requirement| requirement.satisfied_by?(version) }
    rescue Gem::Requirement::BadRequirementError
      "invalid"
    end
  end
end
answers.each { |answer| puts JSON.generate(answer) }
`;

type Request = ["valid", string] | ["compare", string, string] | ["satisfies", string, string];
type Answer = boolean | number | "invalid";

/** Sends every request to one ruby process and returns its answers in order. */
function askRuby(requests: readonly Request[]): Answer[] {
  let output: string;
  try {
    output = execFileSync("ruby", ["-e", ORACLE], {
      input: requests.map((r) => JSON.stringify(r)).join("\n") + "\n",
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
  } catch (err) {
    throw new Error("ruby failed (install Debian's ruby: bash scripts/test-packages.sh)", { cause: err });
  }
  const answers = output.split("\n").slice(0, -1).map((line) => JSON.parse(line) as Answer);
  assert.equal(answers.length, requests.length, "ruby answered every request");
  return answers;
}

/** Our verdict in the oracle's words. */
function ourSatisfies(range: string, version: string): boolean | "invalid" {
  try {
    return gem.satisfies(version, range);
  } catch (err) {
    if (err instanceof InvalidRangeError) return "invalid";
    throw err;
  }
}


/** Reads chains such as "1.0.a < 1.0.b = 1.0.0.b < 1.0": each neighbour pair compares as written. */
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

/** Every hand-picked case is also put to RubyGems itself (below), so no expectation here is only our opinion. */
const handPicked: { a: string; b: string; order: number }[] = [];
const handPickedRanges: { range: string; version: string; holds: boolean | "invalid" }[] = [];

/** A rule stated by example: registers a test that checks each chain, and keeps its pairs for RubyGems. */
function rule(title: string, chains: readonly string[]): void {
  const pairs = chains.flatMap(chain);
  handPicked.push(...pairs);
  it(title, () => {
    assertAgrees(gem.compare, pairs, "the rule");
    for (const text of chains) assertOrderLaws(gem.compare, text.split(" ").filter((_, i) => i % 2 === 0));
  });
}

/** A requirement stated by example: versions it admits and versions it refuses. */
function requirement(title: string, cases: readonly [range: string, yes: readonly string[], no: readonly string[]][]): void {
  for (const [range, yes, no] of cases) {
    handPickedRanges.push(...yes.map((version) => ({ range, version, holds: true })), ...no.map((version) => ({ range, version, holds: false })));
  }
  it(title, () => {
    for (const [range, yes, no] of cases) {
      for (const v of yes) assert.equal(gem.satisfies(v, range), true, `${v} satisfies ${range}`);
      for (const v of no) assert.equal(gem.satisfies(v, range), false, `${v} does not satisfy ${range}`);
    }
  });
}

// ---------------------------------------------------------------------------
// Real requirement strings: patched_versions and unaffected_versions entries of
// rubysec/ruby-advisory-db (snapshot 8cfcc07, 2026-08-22), every one with a
// letter, a hyphen or a comma, every =, > and <= one, and a sample of the rest;
// then whole patched_versions lists of real advisories, joined with ||.
// (shared/vulndata holds no RubyGems advisories.)

const ADVISORY_REQUIREMENTS = [
  "~> 3.1.0.rc6", ">= 4.1.0.beta2", ">= 4.2.0.beta3", ">= 5.0.0.beta1.1", ">= 5.0.0.beta1", "< 6.1.0.rc2",
  ">= 7.0.0.rc2", ">= 7.2.0.beta2", ">= 6.0.0.beta3", ">= 4.0.0.beta7", ">= 4.2.0.beta2", "~> 3.1.0.rc5",
  ">= 4.0.0.beta.41", ">= 4.0.0.beta.51", ">= 4.0.0-beta.2", ">= 1.3.0.pre.8", ">= 1.1.rc", "< 0.0.1.alpha3",
  "< 0.119.0.beta1", "< 0.4.rc3", ">= 5.0.0.rc2", "~> 1.0.0.rc1.1", "~> 1.0.0.rc2.1", "~> 1.0.0.rc3.1",
  "~> 1.0.0.rc4.1", "~> 1.0.0.rc5.1", ">= 1.0.0.rc6.1", ">= 1.4.0.beta.2", ">= 1.0.0.beta2", ">= 5.0.0.beta.2",
  "< 3.0.0-rc.1", ">= 3.17.0.rc1", ">= 4.21.0.rc1", ">= 1.6.7.rc4", ">= 1.11.0.rc4", ">= 7.0.0-rc3", "< 4.0.0.beta",
  "< 9.0.0.pre1", "< 3.0.0.beta1", "~> 4.1.0.beta2", ">= 3.0.0.beta1", "< 2.1.0pre1", "< 2.0.0.beta1",
  "= 2.0.0-alpha", ">= 4.25.14p12", "< 0.30.0.beta1", ">= 2.0.0.rc1", ">= 3.0.0.rc4", ">= 3.0.0.beta.3",
  ">= 4.0.0.beta8", ">= 3.5.0.rc4", ">= 2.0.0.beta4", "~> 7.0.8, >= 7.0.8.5", "~> 7.1.4, >= 7.1.4.1",
  ">= 2.3.5, <= 2.3.14", "~> 4.2.5, >= 4.2.5.1", "~> 4.1.14, >= 4.1.14.1", "~> 4.2.5, >= 4.2.5.2",
  "~> 4.1.14, >= 4.1.14.2", "~> 5.2.4, >= 5.2.4.3", "~> 6.0.3, >= 6.0.3.5", "~> 6.0.3, >= 6.0.3.7",
  "~> 6.0.4, >= 6.0.4.1", "~> 6.0.4, >= 6.0.4.2", "~> 6.1.4, >= 6.1.4.2", "~> 5.2.7, >= 5.2.7.1",
  "~> 6.0.4, >= 6.0.4.8", "~> 6.1.5, >= 6.1.5.1", "~> 5.2.6, >= 5.2.6.2", "~> 6.0.4, >= 6.0.4.6",
  "~> 6.1.4, >= 6.1.4.6", "~> 6.1.7, >= 6.1.7.1", "~> 7.0.8, >= 7.0.8.1", "~> 6.1.7, >= 6.1.7.8",
  "~> 7.0.8, >= 7.0.8.4", "~> 7.1.3, >= 7.1.3.4", "~> 7.0.8, >= 7.0.8.7", "~> 7.1.5, >= 7.1.5.1",
  "~> 7.2.2, >= 7.2.2.1", "~> 7.0.8, >= 7.0.8.3", "~> 4.2.11, >= 4.2.11.1", "~> 5.0.7, >= 5.0.7.2",
  "~> 5.1.6, >= 5.1.6.2", "~> 5.2.2, >= 5.2.2.1", "~> 5.2.4, >= 5.2.4.4", "~> 5.2.4, >= 5.2.4.2",
  "~> 7.2.3, >= 7.2.3.1", "~> 8.0.4, >= 8.0.4.1", "~> 3.2, >= 3.2.2", "~> 5.2.4, >= 5.2.4.5", "~> 5.2.8, >= 5.2.8.1",
  "~> 6.0.5, >= 6.0.5.1", "~> 6.1.6, >= 6.1.6.1", "~> 6.0.6, >= 6.0.6.1", "~> 7.1.5, >= 7.1.5.2",
  "~> 7.2.2, >= 7.2.2.2", "~> 5.2.6, >= 5.2.6.3", "~> 6.0.4, >= 6.0.4.7", "~> 6.1.4, >= 6.1.4.7",
  "~> 6.1.7, >= 6.1.7.7", "~> 7.2.3, >= 7.2.3.2", "~> 8.0.5, >= 8.0.5.1", "~> 6.1.7, >= 6.1.7.3",
  "~> 6.1.7, >= 6.1.7.5", "~> 2.47, >= 2.47", ">= 1.6.0, < 1.6.2", "~> 1.15.3, >= 1.15.3.1", ">= 1.10.5, < 2.0.0",
  "~> 2.0.9, >= 2.0.9.1", "~> 2.1.4, >= 2.1.4.1", "~> 2.0.9, >= 2.0.9.2", "~> 2.1.4, >= 2.1.4.2",
  "~> 2.2.6, >= 2.2.6.2", "~> 2.2.6, >= 2.2.6.1", "~> 2.0.9, >= 2.0.9.3", "~> 2.1.4, >= 2.1.4.3",
  "~> 2.2.6, >= 2.2.6.3", "~> 2.0, >= 2.2.6.4", "~> 2.2.8, >= 2.2.8.1", "~> 2.0.9, >= 2.0.9.4",
  "~> 2.1.4, >= 2.1.4.4", "~> 6.3.4, >= 6.3.4.1", "~> 6.4.1, >= 6.4.1.1", ">= 2.12.5, < 3.0.0", ">= 3.7.2, < 4.0.0",
  ">= 3.25.0, < 4.0.0", "<= 4.0.13", "> 3.0.4", "> 4.2.3", "> 1.18.0", "> 4.3.3", "> 0.0.7", "<= 3.2.0.2",
  "<= 4.4.0", "= 2.2.10", "> 0.5.5", "= 1.6.0", "> 4.2.2", "> 0.2.8", "> 1.0.13", "> 0.1.4", "> 1.0.6", "> 1.0.2",
  "<= 0.11.0", "> 0.16.0", "<= 0.12.1", "> 0.0.3", "<= 1.13.7", "<= 1.4.0", "> 1.0.1", "> 2.0.0", "> 1.1.6",
  "<= 2.0.3", "<= 1.6.0", "<= 1.6.9", "> 0.2.3", "~> 5.0.3", ">= 4.2.2", ">= 6.4.3", ">= 11.6.2", "< 0.4.0",
  "~> 1.13.12", "< 1.0.2", "~> 3.0.16", "~> 5.2.0", "~> 2.2.23", "~> 1.3.7", ">= 4.0.8", ">= 2.8.2", "~> 2.7.23",
  ">= 4.25.0", "~> 1.3.6", ">= 13.5.2", ">= 2.0.8", "~> 2.5.1", "~> 3.2.22.3", "~> 5.2.8", "~> 3.0.1", ">= 0.14.1.1",
  "~> 0.28.3", ">= 1.4.4", ">= 1.19.1", "~> 0.3.5.1", "~> 6.25.1", ">= 0.71.0", "< 5.0", ">= 3.8.4", ">= 1.2.8",
  "< 1.5.1", "~> 1.0.6", ">= 7.0.2.3", "~> 2.3.0", ">= 0.20.1", "~> 1.1.1", "~> 2.2.19", ">= 0.13.6", "< 1.1.6",
  ">= 2.3.1", "< 4.1.0", "~> 3.2.16", ">= 0.5.5", "< 2.7.0", "~> 1.0.0", "~> 1.0.4", "~> 1.7.2", ">= 4.17.21",
  ">= 4.2.4", "~> 3.2.18", ">= 2.6.2", "< 1.1.0", "~> 2.1.11", ">= 0.3.3", "~> 4.3.8", "~> 6.2.2", "~> 7.4.15",
  "~> 4.0.12",
];

const ADVISORY_ALTERNATIVES = [
  "~> 1.11.1 || ~> 2.0.2 || ~> 2.1.3 || ~> 2.2.2 || ~> 2.3.2 || >= 2.4.1",
  "~> 2.7.26 || >= 3.6.2",
  "~> 5.2.4.6 || ~> 5.2.6 || ~> 6.0.3, >= 6.0.3.7 || >= 6.1.3.2",
  "~> 3.1.12 || >= 3.2.13",
  "~> 2.0.9, >= 2.0.9.2 || ~> 2.1.4, >= 2.1.4.2 || ~> 2.2.6, >= 2.2.6.1 || >= 3.0.4.1",
  "~> 1.5.4 || ~> 2.0.5 || ~> 2.1.3 || >= 2.2.3",
  "~> 2.6.15 || >= 2.7.13",
  "~> 6.0.4, >= 6.0.4.2 || ~> 6.1.4, >= 6.1.4.2 || >= 7.0.0.rc2",
  ">= 3.3.0 || ~> 2.47, >= 2.47",
  "~> 2.3.9 || >= 3.0.1",
  "~> 3.1.21 || >= 3.2.6",
  "~> 3.12.6 || >= 4.3.5",
  "~> 3.0.12 || ~> 3.1.4 || >= 3.2.2",
  "~> 2.3.15 || ~> 3.0.19 || ~> 3.1.10 || >= 3.2.11",
  "~> 2.2.6 || >= 3.0.7",
  ">= 3.1.5 || ~> 3.0.5 || ~> 2.11.14",
  "~> 3.2.22.2 || ~> 4.1.14 || >= 4.1.14.2",
  "~> 3.0.1 || ~> 3.1.2 || >= 3.2.3",
  "~> 5.2.4, >= 5.2.4.5 || ~> 6.0.3, >= 6.0.3.5 || >= 6.1.2.1",
  "~> 1.6.12 || >= 2.0.8",
  "~> 1.0.1 || ~> 1.1.1 || ~> 1.2.2 || ~> 1.3.3 || ~> 1.4.1 || ~> 1.5.2 || ~> 1.6.2 || ~> 1.7.1 || ~> 1.8.2 || >= 1.9.1",
  "~> 1.3.8 || >= 1.4.3",
  "~> 1.53.2 || ~> 1.54.3 || ~> 1.55.3 || >= 1.56.2",
  "~> 4.10.3 || ~> 5.0.8 || ~> 5.1.10 || ~> 5.2.7 || >= 5.3.2",
  "~> 2.0.9, >= 2.0.9.1 || ~> 2.1.4, >= 2.1.4.1 || >= 2.2.3.1",
  "~> 2.2.22 || ~> 3.1.20 || >= 3.2.5",
  "~> 6.0.6, >= 6.0.6.1 || ~> 6.1.7, >= 6.1.7.1 || >= 7.0.4.1",
  "~> 0.11.3 || ~> 0.12.4 || ~> 0.13.2 || >= 1.0.3",
  ">= 1.10.5, < 2.0.0 || ~> 2.1.2 || >= 2.2.1",
  "~> 2.2.19 || ~> 3.1.17 || >= 3.2.2",
  "~> 0.26.6 || >= 0.27.3",
  "~> 0.12.5 || ~> 0.13.3 || >= 1.0.4",
  "~> 6.0.4, >= 6.0.4.1 || >= 6.1.4.1",
  ">= 0.18.1 || ~> 0.17.3 || ~> 0.16.4 || ~> 0.15.2 || ~> 0.14.2",
  "~> 0.10.0.3 || ~> 0.10.3 || ~> 0.11.2 || >= 0.12.2",
  "~> 0.28.3 || >= 0.29.0",
  "~> 6.1.7.3 || >= 7.0.4.3",
  "~> 2.2.13 || ~> 2.3.12 || ~> 2.4.9 || >= 3.0.3",
  "~> 6.1.7, >= 6.1.7.3 || >= 7.0.4.3",
  "~> 1.4.3 || >= 2.0.2",
];

/** Versions in the advisory requirements above, as written. */
const advisoryVersions = [...new Set([...ADVISORY_REQUIREMENTS, ...ADVISORY_ALTERNATIVES].flatMap((r) => r.split(/\|\||,/).map((part) => part.trim().replace(/^(~>|!=|>=|<=|=|>|<)\s*/, ""))))];

/** Versions of the gems installed with this machine's ruby (Gem::Specification). */
function installedGemVersions(): string[] {
  const output = execFileSync("ruby", ["-e", "puts Gem::Specification.map { |s| s.version.to_s }"], { encoding: "utf8" });
  return [...new Set(output.split("\n").filter((v) => v.length > 0))];
}

/** Version strings in the shapes well-known gems publish on rubygems.org. */
const RUBYGEMS_VERSIONS = [
  "7.0.4.3", "6.1.7.3", "5.2.8.1", "7.1.0.beta1", "7.1.0.rc2", "4.2.11.3", "3.2.22.5", "2.3.18", "7.0.0.alpha2",
  "2.2.7", "3.0.0.beta1", "1.6.13", "1.15.0", "1.14.0.rc1", "1.13.10", "4.9.2", "4.0.0.rc2", "2.4.13",
  "2.0.0.pre.3", "3.4.13", "6.3.0", "5.6.5", "3.12.0", "3.0.0.beta2", "2.99.0.rc1", "2.6.3", "1.8.6",
  "2.7.0.pre", "3.0.6", "2.0.0.rc1", "1.0.a", "13.0.6", "10.0.0.beta.2", "2.21.3", "2.3.1", "1.5.0",
  "1.0.4", "5.2.4.3", "6.0.3.1", "6.0.3.rc1", "0.3.10", "4.2.0", "3.7.2", "4.0.0.beta10", "2.12.5", "1.8.2",
  "1.8.1", "0.9.34", "3.2.5", "2.14.14", "4.5.1", "6.1.0", "2.1.1", "1.9.2", "1.2.2", "1.0.0.alpha",
  "1.15.5", "1.16.0", "2.8.2", "1.55.0.pre1", "3.23.2", "3.23.0.rc.1", "4.0.0.rc.1", "3.7.4", "4.0.0.alpha.1",
  "0.9.2.2", "1.0.0.pre.rc.1", "2.0.0-beta.1", "1.0.0-rc1", "0.0.1", "0.0.0", "0.1", "1.0.0.RC1", "3.0.0.PRE",
  "2022.0.0", "20230101", "1.2.3.4.5.6", "0.10.0.pre.beta.2",
];

// ---------------------------------------------------------------------------
// Generated versions and requirements: every part of Gem::Version's pattern,
// letters in both cases, long numbers, hyphenated tails and surrounding space.

const word = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 20 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("0", "00", "007", "99999999999999999999", "100000000000000000000") },
  { weight: 3, arbitrary: fc.constantFrom("a", "b", "pre", "rc", "rc1", "beta2", "alpha", "A", "RC", "Beta", "x1y2", "dev", "final", "p12", "z") },
);
const tailWord = fc.oneof(word, fc.constantFrom("a-b", "-", "rc-1", "1-"));
const generatedVersion = fc
  .tuple(
    fc.oneof(fc.nat({ max: 12 }).map(String), fc.constantFrom("0", "01", "2022", "12345678901234567890")),
    fc.array(word, { maxLength: 5 }),
    fc.option(fc.array(tailWord, { minLength: 1, maxLength: 3 }), { freq: 3 }),
  )
  .map(([first, dotted, tail]) => [first, ...dotted].join(".") + (tail === null ? "" : "-" + tail.join(".")));
const spacedVersion = fc
  .tuple(fc.constantFrom("", "", "", " ", "\t", "\n "), generatedVersion, fc.constantFrom("", "", "", " ", "\n", " \r\n"))
  .map(([before, version, after]) => before + version + after);
/** Any short string of version characters and near misses: for validity. */
const anyString = fc
  .array(fc.constantFrom("0", "1", "9", "0", "1", ".", ".", "-", "a", "Z", " ", "\t", "\n", "\v", "_", "+", ",", "é", "\u00a0"), { maxLength: 8 })
  .map((chars) => chars.join(""));

const operator = fc.constantFrom("", "=", "!=", ">", "<", ">=", "<=", "~>", "~>", "~>");
const generatedRequirement = fc
  .tuple(fc.constantFrom("", " "), operator, fc.constantFrom("", " ", "  "), generatedVersion, fc.constantFrom("", " "))
  .map((parts) => parts.join(""));
const generatedRange = fc
  .array(fc.array(generatedRequirement, { minLength: 1, maxLength: 3 }).chain((all) => fc.constantFrom(",", ", ").map((glue) => all.join(glue))), {
    minLength: 1,
    maxLength: 3,
  })
  .chain((alternatives) => fc.constantFrom("||", " || ").map((glue) => alternatives.join(glue)));
/** Generated ranges with a few characters inserted somewhere: mostly broken, sometimes still fine. */
const damagedRange = fc
  .tuple(generatedRange, fc.nat(), fc.constantFrom(",", "|", "||", "=", ">", "~", " ", "x", ".", "-", "~>"))
  .map(([range, at, junk]) => range.slice(0, at % (range.length + 1)) + junk + range.slice(at % (range.length + 1)));

/** Versions near `version`: the neighbours a requirement is most likely to get wrong. */
function around(version: string): string[] {
  const numbers = version.split(".");
  const out = [version, `${version}.0`, `${version}.1`, `${version}.a`, `${version}.rc1`, `${version}-beta.2`];
  for (let i = 0; i < numbers.length; i++) {
    if (!/^\d+$/.test(numbers[i]!)) continue;
    const n = BigInt(numbers[i]!);
    for (const next of [n + 1n, n > 0n ? n - 1n : null, 0n]) {
      if (next === null) continue;
      out.push([...numbers.slice(0, i), String(next), ...numbers.slice(i + 1)].join("."));
      out.push([...numbers.slice(0, i), String(next)].join("."));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------

describe("RubyGems versions (Gem::Version)", () => {
  rule("splits into runs of digits and runs of letters, whatever the dots", [
    "1.0.rc1 = 1.0.rc.1",
    "1.a1b2 = 1.a.1.b.2",
    "2.0.0.beta2 = 2.0.0.beta.2",
    "3.0.0.pre.rc.1 < 3.0.0.prerc.1 = 3.0.0.prerc1",
  ]);

  rule("makes a version with a letter a prerelease, below its release", [
    "1.0.a < 1.0",
    "1.0.0.pre < 1.0.0 < 1.0.0.1",
    "7.1.0.beta1 < 7.1.0.rc1 < 7.1.0 < 7.1.0.1",
    "2.99.0.rc1 < 2.99.0 < 3.0.0.beta2 < 3.0.0",
    "1.0.0.rc6.1 < 1.0.0",
  ]);

  rule("sorts letters before numbers at the same position", ["1.a < 1.0.1", "1.0.a < 1.0.0.1", "1.1.a > 1.0.9", "1.pre < 1.0.0.1"]);

  rule("reads a hyphen as .pre.", [
    "1.0-rc1 = 1.0.pre.rc1",
    "2.0.0-beta.2 = 2.0.0.pre.beta.2",
    "1.0-rc1 < 1.0.rc1",
    "4.0.0-beta.2 < 4.0.0",
    "1.0-a-b = 1.0.pre.a.pre.b",
  ]);

  rule("ignores trailing zeros in the release part and in the prerelease part", [
    "1 = 1.0 = 1.0.0 = 01 = 1.00",
    "1.0.a = 1.a = 1.0.0.a.0 = 1.a.0.0",
    "1.a.0.1 > 1.a",
    "0.0 = 0",
    "1.0.0.rc.1 = 1.rc.1",
  ]);

  rule("compares letters byte by byte, so case matters and capitals come first", [
    "1.A < 1.B < 1.Z < 1.a < 1.b",
    "1.0.RC1 < 1.0.beta1",
    "1.alpha < 1.b < 1.beta < 1.pre < 1.rc",
    "3.0.0.PRE < 3.0.0.pre",
  ]);

  rule("compares numbers of any size exactly, ignoring leading zeros", [
    "1.9 < 1.10 < 1.100",
    "1.0.9 < 1.0.10",
    "1.99999999999999999999 < 1.100000000000000000000",
    "1.01 = 1.1 = 1.0001",
    "12345678901234567890.1 > 12345678901234567889.2",
  ]);

  rule("orders real gem releases as their authors mean them", [
    "5.2.4.2 < 5.2.4.3 < 5.2.5",
    "6.0.3.rc1 < 6.0.3 < 6.0.3.1",
    "4.0.0.beta10 > 4.0.0.beta2",
    "1.14.0.rc1 < 1.14.0 < 1.15.0",
    "2.0.0.pre.3 < 2.0.0.rc1 < 2.0.0",
  ]);

  it("ignores surrounding whitespace and reads a blank version as 0", () => {
    assert.equal(gem.compare(" 1.0 ", "1"), 0);
    assert.equal(gem.compare("1.0\n", "1"), 0);
    assert.equal(gem.compare("", "0"), 0);
    assert.equal(gem.compare(" \t", "0.0"), 0);
    assert.ok(gem.compare("", "0.a") > 0);
  });

  it("accepts exactly what Gem::Version's pattern accepts", () => {
    for (const v of ["1", "1.0", "1.0.a", "1.0-rc1", "1.0-a-b", "1.0--", "1.0.0.pre.rc.1", " 1.0 ", "1.0\n", "", "  ", "007", "1.A1", "1.0-1.a-"]) {
      assert.equal(gem.valid(v), true, JSON.stringify(v));
    }
    for (const v of ["a", ".1", "1.", "1..0", "1.0-", "1.0-.1", "1_0", "1.0+build", "v1.0", "1.0 1", "1.0.é", "1,0", "-1", "1.0-rc.1.", "\u00a01.0", "1a"]) {
      assert.equal(gem.valid(v), false, JSON.stringify(v));
      assert.throws(() => gem.compare(v, "1"), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => gem.compare("1", v), InvalidVersionError, JSON.stringify(v));
      assert.throws(() => gem.satisfies(v, ">= 1"), InvalidVersionError, JSON.stringify(v));
    }
  });

  it("names where a version goes wrong", () => {
    assert.throws(
      () => gem.compare("1.0 beta", "1"),
      (err: unknown) => err instanceof InvalidVersionError && err.message === 'gem version "1.0 beta": unexpected "b" at offset 4',
    );
    assert.throws(() => gem.compare("1.0.", "1"), /gem version "1.0.": the version ends too soon at offset 4/);
    assert.throws(() => gem.compare("v1", "1"), /unexpected "v" at offset 0/);
  });

  it("keeps the order laws on generated versions", () => {
    fc.assert(
      fc.property(fc.array(spacedVersion, { minLength: 2, maxLength: 25 }), (versions) => {
        assertOrderLaws(gem.compare, versions);
      }),
      { seed: 20240611, numRuns: 400 },
    );
  });

  it("ignores appended zero segments on generated versions", () => {
    fc.assert(
      fc.property(generatedVersion, (v) => gem.compare(v, `${v}.0`) === 0 && gem.compare(v, `${v}.0.0`) === 0),
      { seed: 3, numRuns: 500 },
    );
  });
});

describe("RubyGems requirements (Gem::Requirement)", () => {
  requirement("reads a bare version as = and compares by value", [
    ["1.0", ["1", "1.0", "1.0.0"], ["1.0.1", "0.9", "1.0.a"]],
    ["= 2.0.0-alpha", ["2.0.0.pre.alpha", "2.0.0-alpha"], ["2.0.0", "2.0.0.alpha"]],
  ]);

  requirement("reads !=, >, <, >= and <=", [
    ["!= 1.3", ["1.2", "1.3.1", "1.3.a"], ["1.3", "1.3.0"]],
    ["> 1.0", ["1.0.1", "1.1.a", "2"], ["1.0", "1.0.0", "0.9", "1.0.a"]],
    ["< 2", ["1.9.9", "2.0.a", "2.a"], ["2", "2.0.0", "2.0.1"]],
    [">= 5.2.4.3", ["5.2.4.3", "5.2.5", "6.0.0.beta1"], ["5.2.4.2", "5.2.4.3.rc1"]],
    ["<= 3.2.0.2", ["3.2.0.2", "3.2.0.1", "3.2"], ["3.2.0.3", "3.2.1"]],
  ]);

  requirement("reads ~> as pessimistic: at least the version, below the next release of its second-to-last number", [
    ["~> 2.1", ["2.1", "2.1.5", "2.9", "2.99.99"], ["2.0.9", "3.0", "3", "2.1.a"]],
    ["~> 2.1.3", ["2.1.3", "2.1.99", "2.1.3.1"], ["2.2", "2.1.2", "2.2.0", "2.1.3.a"]],
    ["~> 2", ["2", "2.5", "2.99"], ["1.9", "3", "3.0.0"]],
    ["~> 2.0.0", ["2.0.0", "2.0.9"], ["2.1", "1.9"]],
    ["~> 5.2.8", ["5.2.8", "5.2.8.1", "5.2.99"], ["5.3.0", "5.2.7", "5.2.8.rc1"]],
  ]);

  requirement("judges a prerelease under ~> by its release part against the upper bound", [
    ["~> 2.1", ["2.9.a", "2.2.0.rc1"], ["3.0.a", "3.0.0.rc1", "3.a"]],
    ["~> 1.0.rc1", ["1.0.rc1", "1.0.rc2", "1.0", "1.9", "1.9.a"], ["1.0.beta", "2.0.a", "2"]],
    ["~> 3.1.0.rc6", ["3.1.0.rc6", "3.1.0", "3.1.9"], ["3.1.0.rc5", "3.2.0", "3.2.0.a"]],
  ]);

  requirement("needs every requirement joined by commas", [
    ["~> 5.2.4, >= 5.2.4.3", ["5.2.4.3", "5.2.4.4", "5.2.9"], ["5.2.4.2", "5.2.4", "5.3.0", "6.0.0"]],
    [">= 1.0, < 2", ["1.0", "1.5", "1.99"], ["0.9", "2", "2.0.0"]],
    [">= 2.3.5, <= 2.3.14", ["2.3.5", "2.3.14"], ["2.3.15", "2.3.4"]],
  ]);

  requirement("takes any alternative joined by ||, as advisory lists mean", [
    ["~> 5.2.8 || ~> 6.1.7, >= 6.1.7.1 || >= 7.0.4.1", ["5.2.8", "6.1.7.1", "7.0.4.1", "7.1.0"], ["6.1.7", "7.0.4", "6.0.6", "5.1.0"]],
    ["< 1.0 || >= 2.0", ["0.9", "2.0", "3"], ["1.0", "1.5"]],
  ]);

  requirement("ignores whitespace around operators, versions, commas and bars", [
    [">=1.0,<2", ["1.5"], ["2"]],
    ["  >=   1.0 ,  < 2  ", ["1.0"], ["2.0"]],
    ["~>2.1||>=3", ["2.5", "3.5"], ["2.0"]],
  ]);

  // RubyGems must refuse each of these too (checked below with the other hand-picked cases).
  const unreadable: [string, RegExp][] = [
    ["", /: expected a version at offset 0$/],
    [">=", /: expected a version at offset 2$/],
    ["=> 1.0", /: expected a version but found ">" at offset 1$/],
    [">= 1.0,", /: expected a version at offset 7$/],
    [">= 1.0, ", /: expected a version at offset 8$/],
    ["1.0 2.0", /: unexpected "2" at offset 4$/],
    ["~> 1.", /: the version ends too soon at offset 5$/],
    [">= 1.0 || ", /: expected a version at offset 10$/],
    ["|| 1.0", /: expected a version at offset 0$/],
    [">= 1.0 | < 2", /: unexpected "\|" at offset 7$/],
    [">== 1", /: expected a version but found "=" at offset 2$/],
    ["~> x", /: expected a version but found "x" at offset 3$/],
    [">= 1.0 && < 2", /: unexpected "&" at offset 7$/],
  ];
  for (const [range] of unreadable) handPickedRanges.push({ range, version: "1", holds: "invalid" });

  it("throws InvalidRangeError naming the offset of what it cannot read", () => {
    for (const [range, reason] of unreadable) {
      assert.throws(
        () => gem.satisfies("1", range),
        (err: unknown) => err instanceof InvalidRangeError && err.scheme === "gem" && reason.test(err.message),
        JSON.stringify(range),
      );
    }
  });

  it("checks the version before the range", () => {
    assert.throws(() => gem.satisfies("1 0", ">= 1"), InvalidVersionError);
  });
});

describe("RubyGems versions and requirements against RubyGems itself", () => {
  const realVersions = [...new Set([...installedGemVersions(), ...RUBYGEMS_VERSIONS, ...advisoryVersions])];
  const generated = fc.sample(spacedVersion, { seed: 1337, numRuns: 400 });
  const strings = [...new Set(fc.sample(anyString, { seed: 11, numRuns: 3000 }))];
  const realPairs = realVersions.flatMap((a, i) => realVersions.slice(i + 1).map((b): Request => ["compare", a, b]));
  const generatedPairs = generated.flatMap((a, i) => generated.slice(i + 1, i + 150).map((b): Request => ["compare", a, b]));
  const validity = [...strings, ...generated, ...realVersions].map((v): Request => ["valid", v]);

  const realRanges = [...ADVISORY_REQUIREMENTS, ...ADVISORY_ALTERNATIVES];
  const realSatisfies = realRanges.flatMap((range) => {
    const near = range.split(/\|\||,/).flatMap((part) => around(part.trim().replace(/^(~>|!=|>=|<=|=|>|<)\s*/, "")));
    return [...new Set(near)].filter((v) => gem.valid(v)).map((version): Request => ["satisfies", range, version]);
  });
  const ranges = [...fc.sample(generatedRange, { seed: 21, numRuns: 1500 }), ...fc.sample(damagedRange, { seed: 22, numRuns: 1500 })];
  const generatedSatisfies = ranges.flatMap((range, i) => {
    const near = range
      .split(/\|\||,/)
      .flatMap((part) => around(part.trim().replace(/^(~>|!=|>=|<=|=|>|<)\s*/, "")))
      .filter((v) => gem.valid(v));
    return [...new Set([...near.slice(0, 12), generated[i % generated.length]!])].map((version): Request => ["satisfies", range, version]);
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
    const all = Object.values(batches).flat();
    const flat = askRuby(all);
    let at = 0;
    for (const [name, requests] of Object.entries(batches)) {
      answers.set(name, flat.slice(at, at + requests.length));
      at += requests.length;
    }
  });

  /** Disagreements between our verdicts and RubyGems' on one batch. */
  function disagreements(name: string): string[] {
    const got = answers.get(name)!;
    return batches[name]!.flatMap((request, i) => {
      const theirs = got[i];
      let ours: Answer;
      if (request[0] === "valid") ours = gem.valid(request[1]);
      else if (request[0] === "compare") ours = Math.sign(gem.compare(request[1], request[2])) || 0;
      else ours = ourSatisfies(request[1], request[2]);
      return ours === theirs ? [] : [`${JSON.stringify(request)}: RubyGems says ${JSON.stringify(theirs)}, we say ${JSON.stringify(ours)}`];
    });
  }

  it("agrees with every hand-picked case above, and so does RubyGems", () => {
    assert.ok(handPickedRequests.length > 150, `${handPickedRequests.length} hand-picked cases`);
    assert.deepEqual(disagreements("handPicked"), []);
    const stated: Answer[] = [...handPicked.map(({ order }) => order), ...handPickedRanges.map(({ holds }) => holds)];
    const got = answers.get("handPicked")!;
    const misstated = handPickedRequests.flatMap((r, i) => (got[i] === stated[i] ? [] : [`${JSON.stringify(r)}: stated ${String(stated[i])}`]));
    assert.deepEqual(misstated, []);
  });

  it(`orders every pair of ${realVersions.length} real versions as RubyGems does`, () => {
    assert.ok(realVersions.length > 300, `${realVersions.length} real versions`);
    assert.deepEqual(disagreements("realPairs"), []);
  });

  it("orders generated versions (hyphens, capitals, long numbers, whitespace) as RubyGems does", () => {
    assert.deepEqual(disagreements("generatedPairs"), []);
  });

  it("accepts and refuses exactly the strings Gem::Version.correct? does", () => {
    assert.deepEqual(disagreements("validity"), []);
    const refused = answers.get("validity")!.filter((answer) => answer === false).length;
    assert.ok(refused > 500, `${refused} strings refused`);
  });

  it("keeps the order laws on real versions", () => {
    assertOrderLaws(gem.compare, realVersions);
  });

  it(`decides ${realSatisfies.length} real advisory requirements as Gem::Requirement#satisfied_by? does`, () => {
    assert.deepEqual(disagreements("realSatisfies"), []);
  });

  it(`decides ${generatedSatisfies.length} generated and damaged requirements (and their errors) as RubyGems does`, () => {
    const wrong = disagreements("generatedSatisfies");
    assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} disagree`);
    const got = answers.get("generatedSatisfies")!;
    const count = (answer: Answer) => got.filter((a) => a === answer).length;
    assert.ok(count("invalid") > 500 && count(true) > 2000 && count(false) > 2000, `${count("invalid")} invalid, ${count(true)} true, ${count(false)} false`);
  });
});
