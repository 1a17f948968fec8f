/**
 * Variable substitution in Dockerfile words, as BuildKit's Dockerfile
 * frontend does it: `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`,
 * `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}`, `${VAR?msg}`, the pattern
 * forms `${VAR#p}`, `${VAR##p}`, `${VAR%p}`, `${VAR%%p}`, `${VAR/p/r}` and
 * `${VAR//p/r}`, single and double quotes, and the escape character.
 *
 * It is not a shell: no command substitution, no arithmetic, no field
 * splitting beyond whitespace. A variable's value is either a string, unset,
 * or unknown at parse time (from the base image, or a platform argument the
 * builder fills in); an unknown reference is kept exactly as written.
 */

/** Longest result of one substitution; a bound for `$A$A$A…` chains. */
export const MAX_EXPANSION_LENGTH = 1_048_576;
/** Deepest nesting of `${A:-${B:-…}}`. */
export const MAX_EXPANSION_DEPTH = 32;
/** Steps of pattern matching (`#`, `%`, `/`) allowed for one substitution. */
export const MAX_PATTERN_STEPS = 10_000_000;

/** A variable's value: a string when set, `undefined` when unset, `null` when unknown until build time. */
export type Lookup = (name: string) => string | null | undefined;

export interface ExpandOptions {
  readonly lookup: Lookup;
  /** The Dockerfile's escape character; `\` unless `# escape=` says otherwise. */
  readonly escape?: string;
  /** Keep the quote characters in the result (quotes still group words and stop expansion inside `'…'`). */
  readonly keepQuotes?: boolean;
  /** Keep escape characters in the result (`\$A` stays `\$A`). */
  readonly keepEscapes?: boolean;
  /** Treat `'` and `"` as ordinary characters (COPY heredoc bodies). */
  readonly literalQuotes?: boolean;
  /** Longest allowed result; MAX_EXPANSION_LENGTH unless set. */
  readonly maxLength?: number;
  /** Keep what cannot be substituted (`${#a[@]}`, an open quote) as written instead of failing; limits still apply. */
  readonly lenient?: boolean;
}

/** A word Docker would refuse to substitute: bad `${…}`, an unterminated quote, `${A?}` with A unset. */
export class ExpansionError extends Error {
  override readonly name: string = "ExpansionError";
}

/** A substitution that would exceed one of the limits above. */
export class ExpansionLimitError extends ExpansionError {
  override readonly name = "ExpansionLimitError";
}

/** The word with its variables substituted and quotes removed, whitespace kept: what Docker does for ENV, LABEL, WORKDIR, COPY and the like. */
export function expandWord(text: string, options: ExpandOptions): string {
  return new Lexer(text, options, false).run().value;
}

/** The text substituted and split into words at unquoted whitespace, as Docker does for EXPOSE. */
export function expandWords(text: string, options: ExpandOptions): string[] {
  return new Lexer(text, options, true).run().words;
}

const SPECIAL_PARAMS = "@*#?-$!";

function isSpace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\v" || ch === "\f" || /^\s$/u.test(ch);
}

interface WordSink {
  char(ch: string): void;
  raw(s: string): void;
  text(s: string): void;
  done(): string[];
}

/** For expandWord, which needs no words. */
const NO_WORDS: WordSink = { char: () => {}, raw: () => {}, text: () => {}, done: () => [] };

class Words implements WordSink {
  private readonly words: string[] = [];
  private word = "";
  private inWord = false;

  char(ch: string): void {
    if (!isSpace(ch)) {
      this.word += ch;
      this.inWord = true;
    } else if (this.inWord && this.word !== "") {
      this.words.push(this.word);
      this.word = "";
      this.inWord = false;
    }
  }

  raw(s: string): void {
    this.word += s;
    this.inWord = true;
  }

  text(s: string): void {
    for (const ch of s) this.char(ch);
  }

  done(): string[] {
    if (this.word !== "") this.words.push(this.word);
    this.word = "";
    this.inWord = false;
    return this.words;
  }
}

interface Processed {
  readonly value: string;
  readonly words: string[];
  /** The stop character that ended the text; undefined at the end of input. */
  readonly stop: string | undefined;
}

class Lexer {
  private pos = 0;
  private depth = 0;
  private readonly escape: string;
  private readonly max: number;

  constructor(
    private readonly text: string,
    private readonly options: ExpandOptions,
    private readonly wantWords: boolean,
  ) {
    this.escape = options.escape ?? "\\";
    this.max = options.maxLength ?? MAX_EXPANSION_LENGTH;
  }

  run(): Processed {
    return this.until("", false);
  }

  private peek(): string | undefined {
    if (this.pos >= this.text.length) return undefined;
    const cp = this.text.codePointAt(this.pos)!;
    return String.fromCodePoint(cp);
  }

  private next(): string | undefined {
    const ch = this.peek();
    if (ch !== undefined) this.pos += ch.length;
    return ch;
  }

  private checkLength(length: number): void {
    if (length > this.max) throw new ExpansionLimitError(`substitution result longer than ${this.max} characters`);
  }

  /** Reads up to one of the stop characters (consumed) or the end of input. */
  private until(stops: string, rawEscapes: boolean): Processed {
    const keepEscapes = rawEscapes || this.options.keepEscapes === true;
    const words = this.wantWords ? new Words() : NO_WORDS;
    const special = `$${this.escape}${stops}${this.options.literalQuotes ? "" : "'\""}`;
    let value = "";
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (!special.includes(ch)) {
        // A run of ordinary characters is copied in one piece.
        let end = this.pos + ch.length;
        while (end < this.text.length && !special.includes(this.text[end]!)) end++;
        const run = this.text.slice(this.pos, end);
        this.pos = end;
        value += run;
        words.text(run);
        this.checkLength(value.length);
        continue;
      }
      if (stops.includes(ch)) {
        this.pos += ch.length;
        return { value, words: words.done(), stop: ch };
      }
      if (ch === "$") {
        const v = this.special(() => this.dollar());
        value += v;
        words.text(v);
      } else if (ch === "'" && !this.options.literalQuotes) {
        const v = this.special(() => this.singleQuoted());
        value += v;
        words.raw(v);
      } else if (ch === '"' && !this.options.literalQuotes) {
        const v = this.special(() => this.doubleQuoted());
        value += v;
        words.raw(v);
      } else {
        this.next();
        if (ch === this.escape) {
          if (keepEscapes) {
            value += ch;
            words.raw(ch);
          }
          const escaped = this.next();
          if (escaped === undefined) break; // an escape at the very end is dropped
          value += escaped;
          words.raw(escaped);
        } else {
          value += ch;
          words.char(ch);
        }
      }
      this.checkLength(value.length);
    }
    if (stops !== "") throw new ExpansionError(`unexpected end of statement while looking for matching ${stops}`);
    return { value, words: words.done(), stop: undefined };
  }

  /** Runs the reader of a `$`, `'` or `"`; in lenient mode a failure leaves that character as written and reading goes on after it. */
  private special(read: () => string): string {
    const start = this.pos;
    try {
      return read();
    } catch (err) {
      if (!this.options.lenient || !(err instanceof ExpansionError) || err instanceof ExpansionLimitError) throw err;
      this.pos = start + 1;
      return this.text[start]!;
    }
  }

  private singleQuoted(): string {
    const open = this.pos;
    const close = this.text.indexOf("'", open + 1);
    if (close < 0) throw new ExpansionError("unexpected end of statement while looking for matching single-quote");
    this.pos = close + 1;
    return this.options.keepQuotes ? this.text.slice(open, close + 1) : this.text.slice(open + 1, close);
  }

  private doubleQuoted(): string {
    const keep = this.options.keepQuotes === true;
    let value = keep ? '"' : "";
    this.next();
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) throw new ExpansionError("unexpected end of statement while looking for matching double-quote");
      if (ch === '"') {
        this.next();
        if (keep) value += '"';
        return value;
      }
      if (ch === "$") {
        value += this.dollar();
      } else {
        this.next();
        const after = ch === this.escape ? this.peek() : undefined;
        if (after !== undefined && (after === '"' || after === "$" || after === this.escape)) {
          // Only ", $ and the escape character itself can be escaped inside double quotes.
          this.next();
          if (this.options.keepEscapes) value += ch;
          value += after;
        } else if (ch !== this.escape || after !== undefined) {
          value += ch;
        }
      }
      this.checkLength(value.length);
    }
  }

  private name(): string {
    const first = this.peek();
    if (first === undefined) return "";
    if (/^\p{Nd}$/u.test(first)) {
      let digits = "";
      for (let ch = this.peek(); ch !== undefined && /^\p{Nd}$/u.test(ch); ch = this.peek()) digits += this.next();
      return digits;
    }
    if (SPECIAL_PARAMS.includes(first)) return this.next()!;
    let name = "";
    for (let ch = this.peek(); ch !== undefined && /^[\p{L}\p{Nd}_]$/u.test(ch); ch = this.peek()) name += this.next();
    return name;
  }

  private dollar(): string {
    const start = this.pos;
    this.next();
    if (this.peek() !== "{") {
      const name = this.name();
      if (name === "") return "$";
      const value = this.options.lookup(name);
      return value === null ? this.text.slice(start, this.pos) : (value ?? "");
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw new ExpansionError("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":") throw new ExpansionError("syntax error: bad substitution");
    const name = this.name();
    const op = this.next();
    if (op === undefined) throw new ExpansionError("syntax error: missing '}'");
    if (op === "}") {
      const value = this.options.lookup(name);
      return value === null ? this.text.slice(start, this.pos) : (value ?? "");
    }
    if (++this.depth > MAX_EXPANSION_DEPTH) throw new ExpansionLimitError(`substitutions nested more than ${MAX_EXPANSION_DEPTH} deep`);
    try {
      if (op === "/") return this.replace(name, start);
      let modifier = op;
      const colon = op === ":";
      if (colon) {
        const after = this.next();
        if (after === undefined) throw new ExpansionError("syntax error: missing '}'");
        modifier = after;
      }
      if (!"+-?#%".includes(modifier) || (colon && (modifier === "#" || modifier === "%"))) {
        throw new ExpansionError(`unsupported modifier (${colon ? ":" : ""}${modifier}) in substitution`);
      }
      const word = this.word("}", modifier === "#" || modifier === "%").value;
      const value = this.options.lookup(name);
      if (value === null) return this.text.slice(start, this.pos);
      const empty = value === undefined || (colon && value === "");
      switch (modifier) {
        case "-":
          return empty ? word : value!;
        case "+":
          return empty ? "" : word;
        case "?":
          if (value === undefined) throw new ExpansionError(`${name}: ${word || "is not allowed to be unset"}`);
          if (empty) throw new ExpansionError(`${name}: ${word || "is not allowed to be empty"}`);
          return value;
        default: {
          const greedy = word.startsWith(modifier);
          const pattern = compileGlob(greedy ? word.slice(modifier.length) : word, this.escape);
          return modifier === "#" ? trimPrefix(value ?? "", pattern, greedy) : trimSuffix(value ?? "", pattern, greedy);
        }
      }
    } finally {
      this.depth--;
    }
  }

  /** `${name/pattern/replacement}` and `${name//pattern/replacement}`; `${` and the name are read. */
  private replace(name: string, start: number): string {
    const all = this.peek() === "/";
    if (all) this.next();
    const pattern = this.word("/}", true);
    const replacement = pattern.stop === "/" ? this.word("}", false).value : "";
    const value = this.options.lookup(name);
    if (value === null) return this.text.slice(start, this.pos);
    return replaceGlob(value ?? "", compileGlob(pattern.value, this.escape), replacement, all);
  }

  private word(stops: string, rawEscapes: boolean): Processed {
    try {
      return this.until(stops, rawEscapes);
    } catch (err) {
      if (err instanceof ExpansionError && this.pos >= this.text.length) throw new ExpansionError("syntax error: missing '}'");
      throw err;
    }
  }
}

/** One element of a shell pattern: a literal character, `?`, `*`, or a bracket class. */
type Glob = { kind: "char"; ch: string } | { kind: "any" } | { kind: "star" } | { kind: "class"; negate: boolean; test: (ch: string) => boolean };

function compileGlob(pattern: string, escape: string): Glob[] {
  const chars = Array.from(pattern);
  const out: Glob[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === escape && i + 1 < chars.length) {
      out.push({ kind: "char", ch: chars[++i]! });
    } else if (ch === "*") {
      out.push({ kind: "star" });
    } else if (ch === "?") {
      out.push({ kind: "any" });
    } else if (ch === "[") {
      const cls = bracketClass(chars, i);
      if (cls) {
        out.push(cls.glob);
        i = cls.end;
      } else {
        out.push({ kind: "char", ch });
      }
    } else {
      out.push({ kind: "char", ch });
    }
  }
  return out;
}

function bracketClass(chars: string[], open: number): { glob: Glob; end: number } | undefined {
  let i = open + 1;
  const negate = chars[i] === "!" || chars[i] === "^";
  if (negate) i++;
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "]" && !first) {
      const test = (c: string): boolean => ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return { glob: { kind: "class", negate, test }, end: i };
    }
    first = false;
    if (chars[i + 1] === "-" && i + 2 < chars.length && chars[i + 2] !== "]") {
      ranges.push([ch, chars[i + 2]!]);
      i += 2;
    } else {
      ranges.push([ch, ch]);
    }
  }
  return undefined;
}

function matchesOne(g: Glob, ch: string): boolean {
  switch (g.kind) {
    case "char":
      return g.ch === ch;
    case "any":
    case "star":
      return true;
    case "class":
      return g.test(ch) !== g.negate;
  }
}

/**
 * The shortest and longest n such that chars[from..from+n) matches the whole
 * pattern (-1 when none): one pass of the pattern's automaton, stopping as
 * soon as no state is left.
 */
function prefixMatch(pattern: readonly Glob[], chars: readonly string[], from: number, budget: { steps: number }): { shortest: number; longest: number } {
  const close = (states: Set<number>): Set<number> => {
    for (const s of [...states]) {
      for (let k = s; k < pattern.length && pattern[k]!.kind === "star"; k++) states.add(k + 1);
    }
    return states;
  };
  let states = close(new Set([0]));
  let shortest = states.has(pattern.length) ? 0 : -1;
  let longest = shortest;
  for (let i = from; i < chars.length && states.size > 0; i++) {
    const ch = chars[i]!;
    const next = new Set<number>();
    for (const s of states) {
      if (s >= pattern.length) continue;
      const g = pattern[s]!;
      if (!matchesOne(g, ch)) continue;
      next.add(g.kind === "star" ? s : s + 1);
    }
    budget.steps += states.size + 1;
    if (budget.steps > MAX_PATTERN_STEPS) throw new ExpansionLimitError(`pattern substitution needs more than ${MAX_PATTERN_STEPS} steps`);
    states = close(next);
    if (states.has(pattern.length)) {
      const n = i + 1 - from;
      if (shortest < 0) shortest = n;
      longest = n;
    }
  }
  budget.steps++;
  return { shortest, longest };
}

function reverseGlob(pattern: readonly Glob[]): Glob[] {
  return [...pattern].reverse();
}

function trimPrefix(value: string, pattern: readonly Glob[], longest: boolean): string {
  const chars = Array.from(value);
  const m = prefixMatch(pattern, chars, 0, { steps: 0 });
  const n = longest ? m.longest : m.shortest;
  return n < 0 ? value : chars.slice(n).join("");
}

function trimSuffix(value: string, pattern: readonly Glob[], longest: boolean): string {
  const chars = Array.from(value);
  const m = prefixMatch(reverseGlob(pattern), [...chars].reverse(), 0, { steps: 0 });
  const n = longest ? m.longest : m.shortest;
  return n < 0 ? value : chars.slice(0, chars.length - n).join("");
}

/** Replaces the leftmost longest match (or every match) of the pattern, as the shell does. */
function replaceGlob(value: string, pattern: readonly Glob[], replacement: string, all: boolean): string {
  const chars = Array.from(value);
  const budget = { steps: 0 };
  let out = "";
  let i = 0;
  let replaced = false;
  while (i <= chars.length) {
    if (!replaced || all) {
      // Empty matches replace nothing: `${A//x*/-}` on "abc" is "abc".
      const n = prefixMatch(pattern, chars, i, budget).longest;
      if (n > 0) {
        out += replacement;
        i += n;
        replaced = true;
        continue;
      }
    }
    if (i < chars.length) out += chars[i];
    i++;
  }
  return out;
}
