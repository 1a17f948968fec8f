/**
 * Variable substitution in Dockerfile words, rule by rule as BuildKit's
 * Dockerfile frontend documents it, with the variables A="a b", EMPTY="",
 * V="v1.2.3", P="/usr/local/bin/app.tar.gz" set, UNSET unset, and BASE
 * unknown until build time (a value from the base image).
 */
import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import {
  ExpansionError,
  ExpansionLimitError,
  MAX_EXPANSION_DEPTH,
  expandWord,
  expandWords,
  type ExpandOptions,
  type Lookup,
} from "./substitute.js";

const VARS: Readonly<Record<string, string>> = { A: "a b", EMPTY: "", V: "v1.2.3", P: "/usr/local/bin/app.tar.gz" };
const lookup: Lookup = (name) => (name === "BASE" ? null : Object.hasOwn(VARS, name) ? VARS[name] : undefined);
const word = (text: string, options: Partial<ExpandOptions> = {}): string => expandWord(text, { lookup, ...options });
const words = (text: string, options: Partial<ExpandOptions> = {}): string[] => expandWords(text, { lookup, ...options });

function cases(table: readonly (readonly [string, string])[], options: Partial<ExpandOptions> = {}): void {
  for (const [text, expected] of table) assert.equal(word(text, options), expected, text);
}

describe("substitution of variables", () => {
  it("replaces $NAME and ${NAME}, an unset name by nothing", () => {
    cases([
      ["$V", "v1.2.3"],
      ["${V}", "v1.2.3"],
      ["pre-${V}-post", "pre-v1.2.3-post"],
      ["$V.tar", "v1.2.3.tar"],
      ["$UNSET|${UNSET}", "|"],
      ["$EMPTY", ""],
    ]);
  });

  it("reads a name as letters, digits and underscores; a lone $ stays a $", () => {
    cases([
      ["$V_x", ""],
      ["${V}_x", "v1.2.3_x"],
      ["cost: 5$", "cost: 5$"],
      ["$ V", "$ V"],
      ["$/path", "$/path"],
    ]);
  });

  it("reads $1 and the shell's special parameters ($$, $?, $#) as names, unset in a Dockerfile", () => {
    cases([
      ["a$1b", "ab"],
      ["pid=$$", "pid="],
      ["status=$?", "status="],
    ]);
  });

  it("gives ${NAME:-word} the word when the variable is unset or empty, ${NAME-word} only when unset", () => {
    cases([
      ["${UNSET:-dflt}", "dflt"],
      ["${EMPTY:-dflt}", "dflt"],
      ["${V:-dflt}", "v1.2.3"],
      ["${UNSET-dflt}", "dflt"],
      ["${EMPTY-dflt}", ""],
      ["${V-dflt}", "v1.2.3"],
    ]);
  });

  it("gives ${NAME:+word} the word when the variable is set and not empty, ${NAME+word} when set at all", () => {
    cases([
      ["${V:+alt}", "alt"],
      ["${EMPTY:+alt}", ""],
      ["${UNSET:+alt}", ""],
      ["${V+alt}", "alt"],
      ["${EMPTY+alt}", "alt"],
      ["${UNSET+alt}", ""],
    ]);
  });

  it("substitutes inside the word of an operator, nested", () => {
    cases([
      ["${UNSET:-$V}", "v1.2.3"],
      ["${UNSET:-${EMPTY:-${V}}}", "v1.2.3"],
      ['${UNSET:-"x y"}', "x y"],
      ["${V:+[${V}]}", "[v1.2.3]"],
    ]);
  });

  it("fails ${NAME:?message} when unset or empty and ${NAME?message} when unset, with the message", () => {
    assert.equal(word("${V:?need V}"), "v1.2.3");
    assert.equal(word("${EMPTY?need}"), "");
    assert.throws(() => word("${UNSET:?need UNSET}"), { name: "ExpansionError", message: "UNSET: need UNSET" });
    assert.throws(() => word("${EMPTY:?}"), { message: "EMPTY: is not allowed to be empty" });
    assert.throws(() => word("${UNSET?}"), { message: "UNSET: is not allowed to be unset" });
  });

  it("removes the shortest (#, %) or longest (##, %%) matching prefix or suffix", () => {
    cases([
      ["${V#v}", "1.2.3"],
      ["${P#*/}", "usr/local/bin/app.tar.gz"],
      ["${P##*/}", "app.tar.gz"],
      ["${P%.*}", "/usr/local/bin/app.tar"],
      ["${P%%.*}", "/usr/local/bin/app"],
      ["${P%/*}", "/usr/local/bin"],
      ["${V#x}", "v1.2.3"],
      ["${V%[0-9]}", "v1.2."],
      ["${V#[!0-9]}", "1.2.3"],
      ["${V#?}", "1.2.3"],
      ["${UNSET#x}", ""],
    ]);
  });

  it("replaces the first match of a pattern with ${NAME/p/r}, every match with ${NAME//p/r}", () => {
    cases([
      ["${V/./-}", "v1-2.3"],
      ["${V//./-}", "v1-2-3"],
      ["${V//[0-9]/N}", "vN.N.N"],
      ["${V/v}", "1.2.3"],
      ["${P//\\//_}", "_usr_local_bin_app.tar.gz"],
    ]);
  });

  it("refuses a bad ${…} as Docker does", () => {
    const refused: [string, string][] = [
      ["${}", "syntax error: bad substitution"],
      ["${:-x}", "syntax error: bad substitution"],
      ["${V", "syntax error: missing '}'"],
      ["${V:-x", "syntax error: missing '}'"],
      ["${V!}", "unsupported modifier (!) in substitution"],
      ["${V:#x}", "unsupported modifier (:#) in substitution"],
    ];
    for (const [text, message] of refused) assert.throws(() => word(text), { name: "ExpansionError", message }, text);
  });
});

describe("quotes and the escape character", () => {
  it("takes single-quoted text literally and substitutes inside double quotes, removing the quotes", () => {
    cases([
      ["'$V'", "$V"],
      ['"$V"', "v1.2.3"],
      ["\"it's $V\"", "it's v1.2.3"],
      ["'say \"$V\"'", 'say "$V"'],
      ["a'b'\"c\"d", "abcd"],
    ]);
  });

  it("lets the escape character protect $, quotes and itself, and drops it before other characters outside quotes", () => {
    cases([
      ["\\$V", "$V"],
      ["\\${V}", "${V}"],
      ["\\\\$V", "\\v1.2.3"],
      ["\\'x", "'x"],
      ["C:\\dir", "C:dir"],
      ['"\\$V \\" \\\\ \\n"', '$V " \\ \\n'],
      ["end\\", "end"],
    ]);
  });

  it("uses backtick as the escape character under `# escape=\\``, leaving backslashes alone", () => {
    cases(
      [
        ["C:\\app\\$V", "C:\\app\\v1.2.3"],
        ["`$V", "$V"],
        ['"C:\\Program Files\\`$V"', "C:\\Program Files\\$V"],
      ],
      { escape: "`" },
    );
  });

  it("refuses an unterminated quote", () => {
    assert.throws(() => word("'abc"), { message: "unexpected end of statement while looking for matching single-quote" });
    assert.throws(() => word('"abc'), { message: "unexpected end of statement while looking for matching double-quote" });
  });

  it("keeps quotes and escapes when asked, as a shell would still see them, and never expands inside single quotes", () => {
    cases([["echo \"$V\" '$V' \\$V", "echo \"v1.2.3\" '$V' \\$V"]], { keepQuotes: true, keepEscapes: true });
  });

  it("treats quotes as ordinary characters for heredoc bodies", () => {
    cases([["name='$V' \"$A\"", "name='v1.2.3' \"a b\""]], { literalQuotes: true });
  });
});

describe("splitting into words", () => {
  it("splits at unquoted whitespace, substituted values included, and keeps quoted whitespace", () => {
    assert.deepEqual(words("80 $A"), ["80", "a", "b"]);
    assert.deepEqual(words('"$A" c'), ["a b", "c"]);
    assert.deepEqual(words("x\\ y z"), ["x y", "z"]);
    assert.deepEqual(words('  "" $EMPTY  '), []);
  });

  it("keeps whitespace inside the one word of expandWord", () => {
    assert.equal(word("a  $A  b"), "a  a b  b");
  });
});

describe("variables known only at build time", () => {
  it("keeps every reference to an unknown variable exactly as written", () => {
    cases([
      ["$BASE/bin", "$BASE/bin"],
      ["${BASE}", "${BASE}"],
      ["${BASE:-x}", "${BASE:-x}"],
      ["${BASE#/usr}", "${BASE#/usr}"],
      ["${BASE//a/b}", "${BASE//a/b}"],
      ["/go/bin:$BASE:${V}", "/go/bin:$BASE:v1.2.3"],
    ]);
  });
});

describe("lenient mode", () => {
  it("keeps what it cannot substitute as written and goes on", () => {
    cases(
      [
        ["echo ${#arr[@]} $V", "echo ${#arr[@]} v1.2.3"],
        ["echo 'open $V", "echo 'open v1.2.3"],
        ["echo ${V", "echo ${V"],
      ],
      { lenient: true },
    );
  });
});

describe("limits", () => {
  it("refuses a result longer than the limit", () => {
    const big: Lookup = (name) => (name === "X" ? "x".repeat(1000) : undefined);
    assert.throws(() => expandWord("$X$X$X", { lookup: big, maxLength: 2500 }), ExpansionLimitError);
    assert.equal(expandWord("$X$X", { lookup: big, maxLength: 2500 }).length, 2000);
  });

  it(`refuses substitutions nested more than ${MAX_EXPANSION_DEPTH} deep, even in lenient mode`, () => {
    const nested = (n: number): string => "${U:-".repeat(n) + "x" + "}".repeat(n);
    assert.equal(word(nested(MAX_EXPANSION_DEPTH)), "x");
    assert.throws(() => word(nested(MAX_EXPANSION_DEPTH + 1)), ExpansionLimitError);
    assert.throws(() => word(nested(MAX_EXPANSION_DEPTH + 1), { lenient: true }), ExpansionLimitError);
  });

  it("bounds the work of pattern matching on long values", () => {
    const long: Lookup = (name) => (name === "L" ? "a".repeat(100_000) : undefined);
    assert.equal(expandWord("${L//a/b}", { lookup: long }), "b".repeat(100_000));
    assert.throws(() => expandWord("${L//*b/c}", { lookup: long }), ExpansionLimitError);
  });

  it("makes limit errors a kind of ExpansionError", () => {
    assert.ok(new ExpansionLimitError("x") instanceof ExpansionError);
  });
});
