/**
 * Dockerfiles read the way BuildKit's Dockerfile frontend reads them, so the
 * misconfiguration rules see what the builder will build: parser directives,
 * continuation lines, heredocs, exec and shell forms, flags, build stages, and
 * ARG/ENV substitution with Docker's scoping, each part with its line.
 *
 * We tried the npm package dockerfile-ast (0.7.1) first. It is error tolerant
 * by design (an unterminated heredoc or an unknown instruction is no error),
 * does not record whether a heredoc delimiter is quoted, and its substitution
 * ignores `${A:+x}`, `${A-x}` and `${A+x}`, leaves `\$` escaped, does not
 * resolve an ENV value that uses another variable and does not carry ENV into
 * `FROM <stage>`; so the parser is our own.
 *
 * Pure: no I/O, no globals, no logging. Bad input throws InputError with the
 * file's name and "line N".
 */
import { InputError } from "../../common/index.js";
import { parseImageReference, type ImageReference } from "./reference.js";
import { ExpansionError, expandWord, expandWords, type ExpandOptions, type Lookup } from "./substitute.js";

/** Longest Dockerfile read, in characters. */
export const MAX_DOCKERFILE_LENGTH = 1_048_576;
/** Longest physical line, in characters. */
export const MAX_LINE_LENGTH = 65_536;
/** Most instructions in one file. */
export const MAX_INSTRUCTIONS = 10_000;
/** Most heredocs in one file. */
export const MAX_HEREDOCS = 1_000;
/** Most build stages (FROM lines) in one file. */
export const MAX_STAGES = 1_000;
/** Most variables (ENV and ARG names) in scope at once in one stage, or global ARGs. */
export const MAX_VARIABLES = 1_000;
/** Most characters all substitutions of one file may produce together; stops `$A$A$A…` chains. */
export const MAX_EXPANDED_TOTAL = 16_777_216;

export const KEYWORDS = [
  "ADD",
  "ARG",
  "CMD",
  "COPY",
  "ENTRYPOINT",
  "ENV",
  "EXPOSE",
  "FROM",
  "HEALTHCHECK",
  "LABEL",
  "MAINTAINER",
  "ONBUILD",
  "RUN",
  "SHELL",
  "STOPSIGNAL",
  "USER",
  "VOLUME",
  "WORKDIR",
] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** The platform arguments the builder defines in the global scope without any ARG line. */
export const AUTOMATIC_PLATFORM_ARGS: readonly string[] = [
  "TARGETPLATFORM",
  "TARGETOS",
  "TARGETARCH",
  "TARGETVARIANT",
  "BUILDPLATFORM",
  "BUILDOS",
  "BUILDARCH",
  "BUILDVARIANT",
];

/** A parser directive at the top of the file: `# syntax=…`, `# escape=…`, `# check=…`. */
export interface Directive {
  /** Lower-cased name. */
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface Heredoc {
  /** The delimiter, quotes removed: `EOF` for `<<"EOF"`. */
  readonly name: string;
  /** False when any part of the delimiter is quoted: Docker then substitutes nothing in the body. */
  readonly expand: boolean;
  /** `<<-`: leading tabs are stripped from the body and the delimiter line. */
  readonly chomp: boolean;
  /** The file descriptor written before `<<` (`3<<EOF`), when one is. */
  readonly fd?: number;
  /** The body, each line ending in "\n", leading tabs already stripped for `<<-`. */
  readonly content: string;
  /** The first line of the body; the delimiter's line when the body is empty. */
  readonly startLine: number;
  /** The line of the closing delimiter. */
  readonly endLine: number;
  /** For COPY and ADD with an unquoted delimiter: the body with the stage's variables substituted, as Docker writes the file. */
  readonly expanded?: string;
}

/** One pair of ENV, LABEL or ARG. */
export interface KeyValue {
  /** The key, substituted. */
  readonly key: string;
  /**
   * The value, substituted. For ARG: the value the stage sees (a build
   * argument from the options, the default, or the global ARG's value);
   * undefined when there is none or it is only known at build time.
   */
  readonly value: string | undefined;
  /** The value as written, quotes kept; undefined for `ARG NAME` without a default. */
  readonly written: string | undefined;
  readonly line: number;
}

export interface ExposedPort {
  /** The port as substituted: "8080/tcp", "7000-7010", "$PORT" when unknown. */
  readonly text: string;
  /** First port; absent when the text is not a port number or range. */
  readonly start?: number;
  /** Last port of a range; equal to start for a single port. */
  readonly end?: number;
  /** "tcp" unless written ("udp", "sctp"), lower case. */
  readonly protocol: string;
}

export type Healthcheck =
  | { readonly kind: "none" }
  | {
      readonly kind: "cmd";
      readonly form: "exec" | "shell";
      /** The exec array, or one element: the shell command. */
      readonly command: readonly string[];
      readonly intervalMs?: number;
      readonly timeoutMs?: number;
      readonly startPeriodMs?: number;
      readonly startIntervalMs?: number;
      readonly retries?: number;
    };

export interface User {
  readonly user: string;
  readonly group?: string;
}

export interface Instruction {
  readonly keyword: Keyword;
  readonly startLine: number;
  /** Last line, continuation lines and heredoc bodies included. */
  readonly endLine: number;
  /** The lines startLine..endLine exactly as written. */
  readonly raw: string;
  /** The instruction as the builder reads it: continuation lines joined, comment lines inside dropped, heredoc bodies apart. */
  readonly joined: string;
  /** `--name=value` flags by name; repeatable flags (`--mount`) keep every value; a flag without value reads "true". */
  readonly flags: Readonly<Record<string, readonly string[]>>;
  /** Flags with the variables substituted, for FROM, RUN, COPY and ADD (booleans unchanged). */
  readonly expandedFlags?: Readonly<Record<string, readonly string[]>>;
  /** For RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK (its command), ADD, COPY and VOLUME: JSON array or not. */
  readonly form?: "exec" | "shell";
  /**
   * The arguments as written: the JSON array in exec form; the command as
   * one string for shell-form RUN, CMD and ENTRYPOINT; the whole text for
   * USER, WORKDIR, STOPSIGNAL, MAINTAINER; words otherwise (quotes kept for
   * ENV, LABEL, ARG); `["CMD", …]` or `["NONE"]` for HEALTHCHECK; the trigger
   * text for ONBUILD.
   */
  readonly args: readonly string[];
  /** The arguments with the variables substituted where Docker substitutes (ADD, COPY, ENV, EXPOSE, FROM, LABEL, ARG, STOPSIGNAL, USER, VOLUME, WORKDIR). */
  readonly expanded?: readonly string[];
  readonly heredocs: readonly Heredoc[];
  /** ENV, LABEL and ARG pairs. */
  readonly pairs?: readonly KeyValue[];
  readonly ports?: readonly ExposedPort[];
  readonly user?: User;
  readonly healthcheck?: Healthcheck;
  /** ONBUILD's instruction (not substituted: that happens in the image built from this one). */
  readonly trigger?: Instruction;
  /** The stage's index; absent for ARGs before the first FROM. */
  readonly stage?: number;
}

export interface Stage {
  readonly index: number;
  /** `AS name`, lower-cased. */
  readonly name?: string;
  readonly from: Instruction;
  /** The base as written: "golang:${GO_VERSION}". */
  readonly base: string;
  /** The base with the global ARGs substituted. */
  readonly baseExpanded: string;
  /** `--platform` as written and substituted. */
  readonly platform?: string;
  readonly platformExpanded?: string;
  /** The stage this one is built on, when the base names one (usually an earlier one; BuildKit also accepts a later one). */
  readonly baseStage?: number;
  readonly scratch: boolean;
  /** The base image's reference, when the base is an image (not scratch, not a stage) and a valid reference. */
  readonly image?: ImageReference;
  /** The instructions after FROM. */
  readonly instructions: readonly Instruction[];
  /** The ENV in effect at the end of the stage, that of an earlier base stage included (not the base image's, which is not known here). */
  readonly env: ReadonlyMap<string, string>;
}

export interface Dockerfile {
  /** The file as the caller named it: what findings and errors point at. */
  readonly source: string;
  readonly directives: readonly Directive[];
  readonly escape: "\\" | "`";
  /** ARGs before the first FROM, usable in FROM lines. */
  readonly args: readonly KeyValue[];
  readonly stages: readonly Stage[];
  /** Index of the last stage, the one `docker build` builds without --target. */
  readonly finalStage: number;
  /** Every instruction in file order: global ARGs, then each stage's FROM and instructions. */
  readonly instructions: readonly Instruction[];
}

export interface ParseOptions {
  /** Values of `--build-arg`: they replace the defaults of declared ARGs, and give values to the platform ARGs. */
  readonly buildArgs?: Readonly<Record<string, string>>;
}

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(["ADD", "COPY", "RUN"]);
const DIRECTIVE = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(["escape", "syntax", "check"]);
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]*)$/;
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const RESERVED_STAGE_NAMES: ReadonlySet<string> = new Set(["scratch", "context"]);
/** Docker splits FROM, EXPOSE and the shell form of COPY/ADD/VOLUME on these. */
const BLANKS = /[\t\v\f\r ]+/;

type FlagKind = "string" | "strings" | "bool";
/** The flags each instruction takes (BuildKit's Dockerfile frontend, labs flags included); any other is an error. */
const FLAGS: Partial<Record<Keyword, Readonly<Record<string, FlagKind>>>> = {
  FROM: { platform: "string" },
  RUN: { mount: "strings", network: "string", security: "string", device: "strings" },
  COPY: { from: "string", chown: "string", chmod: "string", link: "bool", parents: "bool", exclude: "strings" },
  ADD: { chown: "string", chmod: "string", link: "bool", "keep-git-dir": "bool", checksum: "string", exclude: "strings", unpack: "bool" },
  HEALTHCHECK: { interval: "string", timeout: "string", "start-period": "string", "start-interval": "string", retries: "string" },
};
/** Flags whose values Docker substitutes. */
const EXPANDED_FLAG_KEYWORDS: ReadonlySet<string> = new Set(["FROM", "RUN", "COPY", "ADD"]);

/** The Dockerfile's directives, build stages and instructions; throws InputError naming `source` and the line. */
export function parseDockerfile(text: string, source: string, options: ParseOptions = {}): Dockerfile {
  if (text.length > MAX_DOCKERFILE_LENGTH) throw new InputError(source, undefined, `larger than ${MAX_DOCKERFILE_LENGTH} characters`);
  return new Parser(text, source, options).parse();
}

/** Whether the flag is written, and its value (the last one for repeatable flags); substituted where Docker substitutes it. */
export function flag(instruction: Instruction, name: string): string | undefined {
  const values = (instruction.expandedFlags ?? instruction.flags)[name];
  return values?.[values.length - 1];
}

/**
 * The shell text of a RUN with the stage's ENV and ARG values put in, for
 * checks that want to see through `$VAR`: Docker leaves this to the shell, so
 * unknown variables (set by the base image or by the script itself) stay as
 * written, and so do quotes, escapes and single-quoted text. Heredoc bodies
 * follow the command line, each closed by its delimiter, as the shell gets
 * them; a body with a quoted delimiter is not substituted. Exec form has no
 * shell: its arguments come back joined by spaces, unchanged. For CMD,
 * ENTRYPOINT and HEALTHCHECK only ENV applies (ARGs do not exist when the
 * container runs). Any other instruction comes back as `joined`.
 */
export function expandRun(dockerfile: Dockerfile, instruction: Instruction): string {
  if (!SHELL_KEYWORDS.has(instruction.keyword)) return instruction.joined;
  const words = instruction.keyword === "HEALTHCHECK" ? instruction.args.slice(1) : instruction.args;
  if (instruction.form === "exec") return words.join(" ");
  const command = words[0] ?? "";
  const stage = instruction.stage === undefined ? undefined : dockerfile.stages[instruction.stage];
  if (!stage) return command;
  const env = new Map(stage.baseStage === undefined ? [] : dockerfile.stages[stage.baseStage]!.env);
  const args = new Map<string, string>();
  for (const earlier of stage.instructions) {
    if (earlier === instruction) break;
    for (const pair of earlier.keyword === "ENV" ? (earlier.pairs ?? []) : []) env.set(pair.key, pair.value ?? "");
    for (const pair of earlier.keyword === "ARG" ? (earlier.pairs ?? []) : []) if (pair.value !== undefined) args.set(pair.key, pair.value);
  }
  const useArgs = instruction.keyword === "RUN";
  const options: ExpandOptions = {
    lookup: (name) => env.get(name) ?? (useArgs ? args.get(name) : undefined) ?? null,
    keepQuotes: true,
    keepEscapes: true,
    lenient: true,
  };
  const put = (text: string, extra: Partial<ExpandOptions> = {}): string => {
    try {
      return expandWord(text, { ...options, ...extra });
    } catch (err) {
      if (err instanceof ExpansionError) return text; // only a limit can fail here: keep the text as written
      throw err;
    }
  };
  let text = put(command);
  for (const h of instruction.heredocs) text += `\n${h.expand ? put(h.content, { literalQuotes: true }) : h.content}${h.name}`;
  return text;
}

interface Segment {
  /** Offset of the physical line's text in the joined line. */
  readonly offset: number;
  readonly line: number;
}

interface Word {
  readonly text: string;
  readonly offset: number;
}

/** What the builder's line parser makes of one logical line, before any meaning is given to it. */
interface Node {
  readonly keyword: string;
  readonly flags: readonly Word[];
  readonly rest: string;
  readonly json: boolean;
  readonly args: readonly Word[];
  /** ENV and LABEL: the pairs as written. */
  readonly pairs?: readonly { key: Word; value: string }[];
  readonly trigger?: Node;
  readonly joined: string;
}

interface Scope {
  readonly env: Map<string, string>;
  /** ARG values: null when only the builder knows them (platform args). */
  readonly args: Map<string, string | null>;
  /** False when the base is an image: its ENV is not known, so unknown names stay as written. */
  readonly baseKnown: boolean;
}

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /^\s$/u.test(ch);
}

function trimLeft(s: string): string {
  return s.replace(/^\s+/u, "");
}

class Parser {
  private readonly lines: string[];
  private escape: "\\" | "`" = "\\";
  private readonly directives: Directive[] = [];
  private directivesDone = false;
  private heredocCount = 0;
  private expandedTotal = 0;
  private readonly globalArgs = new Map<string, string | null | undefined>();
  private readonly globalPairs: KeyValue[] = [];
  private readonly stages: ({ -readonly [K in keyof Omit<Stage, "instructions" | "env">]: Stage[K] } & { instructions: Instruction[]; scope: Scope })[] = [];
  private readonly all: Instruction[] = [];
  private readonly buildArgs: ReadonlyMap<string, string>;

  constructor(
    text: string,
    private readonly source: string,
    options: ParseOptions,
  ) {
    this.lines = text.split("\n").map((l) => l.replace(/\r+$/, ""));
    if (this.lines[0]?.startsWith("\uFEFF")) this.lines[0] = this.lines[0].slice(1);
    this.buildArgs = new Map(Object.entries(options.buildArgs ?? {}));
  }

  private fail(line: number | undefined, detail: string): never {
    throw new InputError(this.source, line === undefined ? undefined : `line ${line}`, detail);
  }

  private line(index: number): string {
    const line = this.lines[index]!;
    if (line.length > MAX_LINE_LENGTH) this.fail(index + 1, `line longer than ${MAX_LINE_LENGTH} characters`);
    return line;
  }

  parse(): Dockerfile {
    let i = 0;
    while (i < this.lines.length) {
      const startLine = i + 1;
      const first = trimLeft(this.line(i++));
      if (!this.directivesDone && this.directive(first, startLine)) continue;
      if (first.startsWith("#")) continue;
      let [content, continues] = this.continuation(first);
      if (!continues && content === "") continue;
      const segments: Segment[] = [{ offset: 0, line: startLine }];
      let joined = content;
      while (continues && i < this.lines.length) {
        const next = this.line(i++);
        const trimmed = trimLeft(next);
        // Comment lines and empty lines inside a continuation are skipped and do not end it.
        if (trimmed.startsWith("#") || trimmed === "") continue;
        [content, continues] = this.continuation(next);
        segments.push({ offset: joined.length, line: i });
        joined += content;
      }
      // A continuation still open at the end of the file ends there, as in BuildKit.
      if (joined.trim() === "") continue;
      if (this.all.length + 1 > MAX_INSTRUCTIONS) this.fail(startLine, `more than ${MAX_INSTRUCTIONS} instructions`);
      const node = this.node(joined, 0, startLine);
      const target = node.keyword === "ONBUILD" ? node.trigger : node;
      let heredocs: Heredoc[] = [];
      if (target && HEREDOC_KEYWORDS.has(target.keyword) && !target.json && joined.includes("<<")) {
        heredocs = this.readHeredocs(joined, startLine, i);
        i = heredocs.length > 0 ? heredocs[heredocs.length - 1]!.endLine : i;
      }
      this.instruction(node, { startLine, endLine: i, segments, heredocs });
    }
    return this.finish();
  }

  /** Reads a parser directive while they are allowed; true when the line is one. */
  private directive(line: string, lineNo: number): boolean {
    const m = DIRECTIVE.exec(line);
    const name = m?.[1]?.toLowerCase();
    if (!m || !name || !KNOWN_DIRECTIVES.has(name)) {
      this.directivesDone = true;
      return false;
    }
    if (this.directives.some((d) => d.name === name)) this.fail(lineNo, `only one ${name} parser directive can be used`);
    const value = m[2]!;
    if (name === "escape") {
      if (value !== "\\" && value !== "`") this.fail(lineNo, `invalid escape token '${value}' does not match \` or \\`);
      this.escape = value;
    }
    this.directives.push({ name, value, line: lineNo });
    return true;
  }

  /** The line without its continuation mark (the escape character, then only blanks), and whether it had one. */
  private continuation(line: string): [string, boolean] {
    let end = line.length;
    while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
    if (end > 0 && line[end - 1] === this.escape) return [line.slice(0, end - 1), true];
    return [line, false];
  }

  // ---- the line parser: keyword, flags, arguments ----

  private node(joined: string, from: number, line: number): Node {
    let pos = from;
    while (pos < joined.length && isSpace(joined[pos])) pos++;
    const kwStart = pos;
    while (pos < joined.length && !/[\t\v\f\r ]/.test(joined[pos]!)) pos++;
    const keyword = joined.slice(kwStart, pos).toUpperCase();
    const { flags, restStart } = extractFlags(joined, pos);
    const rest = joined.slice(restStart).trim();
    const restOffset = restStart + (joined.slice(restStart).length - trimLeft(joined.slice(restStart)).length);
    const base = { keyword, flags, rest, joined };
    const whole = rest === "" ? [] : [{ text: rest, offset: restOffset }];
    switch (keyword) {
      case "FROM":
      case "EXPOSE":
        return { ...base, json: false, args: splitBlanks(rest, restOffset) };
      case "RUN":
      case "CMD":
      case "ENTRYPOINT":
      case "SHELL": {
        const json = this.json(rest, line);
        return json ? { ...base, json: true, args: json.map((text) => ({ text, offset: restOffset })) } : { ...base, json: false, args: whole };
      }
      case "ADD":
      case "COPY":
      case "VOLUME": {
        const json = this.json(rest, line);
        return json ? { ...base, json: true, args: json.map((text) => ({ text, offset: restOffset })) } : { ...base, json: false, args: splitBlanks(rest, restOffset) };
      }
      case "ARG":
        return { ...base, json: false, args: shellWords(rest, restOffset, this.escape) };
      case "ENV":
      case "LABEL": {
        const { pairs, legacy } = this.nameValues(keyword, rest, restOffset, line);
        // The legacy form's arguments are the name and the whole value; the pairs form's are its words.
        const args = legacy ? [legacy.key, legacy.value] : shellWords(rest, restOffset, this.escape);
        return { ...base, json: false, args, pairs };
      }
      case "HEALTHCHECK": {
        let sep = 0;
        while (sep < rest.length && !isSpace(rest[sep])) sep++;
        if (sep === 0) return { ...base, json: false, args: [] };
        const typ = { text: rest.slice(0, sep), offset: restOffset };
        const cmdText = trimLeft(rest.slice(sep));
        const cmdOffset = restOffset + rest.length - cmdText.length;
        const json = this.json(cmdText, line);
        if (json) return { ...base, json: true, args: [typ, ...json.map((text) => ({ text, offset: cmdOffset }))] };
        return { ...base, json: false, args: cmdText === "" ? [typ] : [typ, { text: cmdText, offset: cmdOffset }] };
      }
      case "ONBUILD":
        return { ...base, json: false, args: whole, ...(rest === "" ? {} : { trigger: this.node(joined, restOffset, line) }) };
      default:
        // USER, WORKDIR, STOPSIGNAL, MAINTAINER take the rest as one string; unknown keywords are refused later.
        return { ...base, json: false, args: whole };
    }
  }

  /** A JSON array of strings, or undefined when the text is not valid JSON (Docker then reads the shell form). */
  private json(rest: string, line: number): string[] | undefined {
    if (!rest.startsWith("[")) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(rest);
    } catch {
      return undefined;
    }
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === "string")) {
      this.fail(line, "when using JSON array syntax, arrays must be comprised of strings only");
    }
    return value;
  }

  private nameValues(keyword: string, rest: string, restOffset: number, line: number): { pairs: { key: Word; value: string }[]; legacy?: { key: Word; value: Word } } {
    const words = shellWords(rest, restOffset, this.escape);
    if (words.length === 0) {
      if (keyword === "LABEL") this.fail(line, "LABEL requires at least one argument");
      return { pairs: [] };
    }
    if (!words[0]!.text.includes("=")) {
      // The legacy form, `ENV name value…`: the value is the rest of the line, as written.
      const m = BLANKS.exec(rest);
      if (!m) this.fail(line, `${keyword} must have two arguments`);
      const key = { text: rest.slice(0, m.index), offset: restOffset };
      const value = { text: rest.slice(m.index + m[0].length), offset: restOffset + m.index + m[0].length };
      return { pairs: [{ key, value: value.text }], legacy: { key, value } };
    }
    const pairs = words.map((w) => {
      const eq = w.text.indexOf("=");
      if (eq < 0) this.fail(line, `Syntax error - can't find = in "${w.text}". Must be of the form: name=value`);
      return { key: { text: w.text.slice(0, eq), offset: w.offset }, value: w.text.slice(eq + 1) };
    });
    return { pairs };
  }

  // ---- heredocs ----

  /** The heredocs the line opens, their bodies read from the lines after `next` (0-based index of the line after the instruction). */
  private readHeredocs(joined: string, startLine: number, next: number): Heredoc[] {
    const out: Heredoc[] = [];
    let i = next;
    for (const spec of this.heredocSpecs(joined, startLine)) {
      if (++this.heredocCount > MAX_HEREDOCS) this.fail(startLine, `more than ${MAX_HEREDOCS} heredocs`);
      const bodyStart = i + 1;
      let content = "";
      for (;;) {
        if (i >= this.lines.length) this.fail(startLine, `unterminated heredoc: no line "${spec.name}" closes the heredoc <<${spec.chomp ? "-" : ""}${spec.name} opened here`);
        const line = this.line(i++);
        if ((spec.chomp ? line.replace(/^\t+/, "") : line) === spec.name) break;
        content += `${line}\n`;
      }
      out.push({
        name: spec.name,
        expand: spec.expand,
        chomp: spec.chomp,
        ...(spec.fd !== undefined ? { fd: spec.fd } : {}),
        content: spec.chomp ? content.replace(/^\t+/gm, "") : content,
        startLine: bodyStart,
        endLine: i,
      });
    }
    return out;
  }

  /** The heredocs a line opens: each word of the form `[n]<<[-]NAME`, as BuildKit finds them (backslash escapes, quotes kept). */
  private heredocSpecs(joined: string, line: number): { name: string; expand: boolean; chomp: boolean; fd?: number }[] {
    let words: string[];
    try {
      words = expandWords(joined, { lookup: () => undefined, keepQuotes: true, keepEscapes: true });
    } catch {
      return []; // BuildKit finds no heredoc in a line it cannot split into words
    }
    const out: { name: string; expand: boolean; chomp: boolean; fd?: number }[] = [];
    for (const word of words) {
      const spec = heredocWord(word);
      if (spec === undefined) continue;
      if (spec instanceof Error) this.fail(line, spec.message);
      out.push(spec);
    }
    return out;
  }

  // ---- instructions, stages and variables ----

  private expand(text: string, lookup: Lookup, line: number, keyword: string, extra: Partial<ExpandOptions> = {}): string {
    let value: string;
    try {
      value = expandWord(text, { lookup, escape: this.escape, ...extra });
    } catch (err) {
      if (err instanceof ExpansionError) this.fail(line, `${keyword}: ${err.message}`);
      throw err;
    }
    this.count(value.length, line);
    return value;
  }

  private expandSplit(text: string, lookup: Lookup, line: number, keyword: string): string[] {
    let words: string[];
    try {
      words = expandWords(text, { lookup, escape: this.escape });
    } catch (err) {
      if (err instanceof ExpansionError) this.fail(line, `${keyword}: ${err.message}`);
      throw err;
    }
    this.count(words.reduce((n, w) => n + w.length, 0), line);
    return words;
  }

  private count(length: number, line: number): void {
    this.expandedTotal += length;
    if (this.expandedTotal > MAX_EXPANDED_TOTAL) this.fail(line, `variable substitution produced more than ${MAX_EXPANDED_TOTAL} characters in total`);
  }

  private globalLookup: Lookup = (name) => {
    if (this.globalArgs.has(name)) return this.globalArgs.get(name);
    if (AUTOMATIC_PLATFORM_ARGS.includes(name)) return this.buildArgs.get(name) ?? null;
    return undefined;
  };

  private scopeLookup(scope: Scope): Lookup {
    return (name) => {
      const env = scope.env.get(name);
      if (env !== undefined) return env; // ENV wins over an ARG of the same name
      const arg = scope.args.get(name);
      if (arg !== undefined) return arg;
      return scope.baseKnown ? undefined : null;
    };
  }

  private instruction(node: Node, at: { startLine: number; endLine: number; segments: Segment[]; heredocs: Heredoc[] }): void {
    const { startLine } = at;
    if (!KEYWORD_SET.has(node.keyword)) this.fail(startLine, `unknown instruction: ${node.keyword}`);
    const keyword = node.keyword as Keyword;
    const lineAt = (offset: number): number => {
      const s = at.segments;
      let lo = 0;
      let hi = s.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (s[mid]!.offset <= offset) lo = mid;
        else hi = mid - 1;
      }
      return s[lo]!.line;
    };
    // BuildKit reads no flags for HEALTHCHECK NONE, so it refuses none there.
    const healthcheckNone = keyword === "HEALTHCHECK" && node.args[0]?.text.toUpperCase() === "NONE";
    const flags = this.flags(keyword, node.flags, startLine, !healthcheckNone);
    const base = {
      keyword,
      startLine,
      endLine: at.endLine,
      raw: this.lines.slice(startLine - 1, at.endLine).join("\n"),
      joined: node.joined,
      flags,
      ...(FORM_KEYWORDS.has(keyword) ? { form: node.json ? ("exec" as const) : ("shell" as const) } : {}),
      args: node.args.map((a) => a.text),
      heredocs: at.heredocs,
    };
    this.checkArity(keyword, node, base.args, startLine);

    if (keyword === "FROM") return this.from(node, base, flags);
    const stage = this.stages[this.stages.length - 1];
    if (!stage) {
      if (keyword !== "ARG") this.fail(startLine, `${keyword} before the first FROM: only ARG may come before it`);
      return this.globalArg(node, base, lineAt);
    }
    const scope = stage.scope;
    const lookup = this.scopeLookup(scope);
    const extra: { -readonly [K in keyof Instruction]?: Instruction[K] } = { stage: stage.index };
    const expand = (text: string): string => this.expand(text, lookup, startLine, keyword);
    if (EXPANDED_FLAG_KEYWORDS.has(keyword) && Object.keys(flags).length > 0) extra.expandedFlags = this.expandFlags(keyword, flags, lookup, startLine);

    switch (keyword) {
      case "ADD":
      case "COPY": {
        extra.expanded = node.args.map((a) => (!node.json && heredocWord(a.text) !== undefined ? a.text : expand(a.text)));
        if (at.heredocs.length > 0) {
          extra.heredocs = at.heredocs.map((h) => (h.expand ? { ...h, expanded: this.expand(h.content, lookup, startLine, keyword, { escape: "\\", literalQuotes: true }) } : h));
        }
        break;
      }
      case "VOLUME":
        extra.expanded = node.args.map((a) => expand(a.text));
        break;
      case "WORKDIR":
      case "STOPSIGNAL":
        extra.expanded = [expand(base.args[0]!)];
        break;
      case "USER": {
        const value = expand(base.args[0]!);
        extra.expanded = [value];
        const colon = value.indexOf(":");
        extra.user = colon < 0 ? { user: value } : { user: value.slice(0, colon), group: value.slice(colon + 1) };
        break;
      }
      case "EXPOSE": {
        const ports = node.args.flatMap((a) => this.expandSplit(a.text, lookup, startLine, keyword));
        extra.expanded = ports;
        extra.ports = ports.map(exposedPort);
        break;
      }
      case "ENV":
      case "LABEL": {
        // Every pair is substituted with the variables as they were before this instruction.
        const pairs = (node.pairs ?? []).map((p) => {
          const key = expand(p.key.text);
          if (key === "") this.fail(startLine, `${keyword} names can not be blank`);
          return { key, value: expand(p.value), written: p.value, line: lineAt(p.key.offset) };
        });
        if (keyword === "ENV") {
          for (const p of pairs) scope.env.set(p.key, p.value);
          this.checkVariables(scope, startLine);
        }
        extra.pairs = pairs;
        extra.expanded = pairs.map((p) => `${p.key}=${p.value}`);
        break;
      }
      case "ARG": {
        // `ARG NAME` without a default takes the global ARG's value (platform ARGs included).
        const pairs = node.args.map((w) => this.argPair(w, lookup, this.globalLookup, startLine, lineAt));
        for (const p of pairs) if (p.known !== undefined) scope.args.set(p.pair.key, p.known);
        this.checkVariables(scope, startLine);
        extra.pairs = pairs.map((p) => p.pair);
        extra.expanded = pairs.map((p) => (p.pair.value === undefined ? p.pair.key : `${p.pair.key}=${p.pair.value}`));
        break;
      }
      case "HEALTHCHECK":
        extra.healthcheck = this.healthcheck(node, flags, startLine);
        break;
      case "ONBUILD":
        if (node.trigger && KEYWORD_SET.has(node.trigger.keyword)) {
          const t = node.trigger;
          extra.trigger = {
            ...base,
            keyword: t.keyword as Keyword,
            joined: node.rest,
            flags: this.flags(t.keyword as Keyword, t.flags, startLine, false),
            ...(FORM_KEYWORDS.has(t.keyword) ? { form: t.json ? "exec" : "shell" } : {}),
            args: t.args.map((a) => a.text),
            stage: stage.index,
          };
        }
        break;
      default:
        break;
    }
    const instruction: Instruction = { ...base, ...extra };
    stage.instructions.push(instruction);
    this.all.push(instruction);
  }

  private from(node: Node, base: Omit<Instruction, "stage">, flags: Readonly<Record<string, readonly string[]>>): void {
    const line = base.startLine;
    if (this.stages.length + 1 > MAX_STAGES) this.fail(line, `more than ${MAX_STAGES} build stages`);
    const args = base.args;
    let name: string | undefined;
    if (args.length === 3 && args[1]!.toLowerCase() === "as") {
      name = args[2]!.toLowerCase();
      if (!STAGE_NAME.test(name)) this.fail(line, `invalid name for build stage: "${args[2]}", name can't start with a number or contain symbols`);
      if (RESERVED_STAGE_NAMES.has(name)) this.fail(line, `stage name "${name}" is reserved`);
    } else if (args.length !== 1) {
      this.fail(line, "FROM requires either one or three arguments");
    }
    const written = args[0]!;
    const baseExpanded = this.expand(written, this.globalLookup, line, "FROM");
    if (baseExpanded === "") this.fail(line, `base name (${written}) should not be blank`);
    const platform = flags.platform?.[0];
    const platformExpanded = platform === undefined ? undefined : this.expand(platform, this.globalLookup, line, "FROM");
    let baseStage: number | undefined;
    const wanted = baseExpanded.toLowerCase();
    for (let s = this.stages.length - 1; s >= 0; s--) {
      if (this.stages[s]!.name === wanted) {
        baseStage = s;
        break;
      }
    }
    const scratch = baseStage === undefined && baseExpanded === "scratch";
    const parent = baseStage === undefined ? undefined : this.stages[baseStage]!;
    const image = baseStage === undefined && !scratch ? parseImageReference(baseExpanded) : undefined;
    const index = this.stages.length;
    const from: Instruction = {
      ...base,
      expanded: [baseExpanded, ...args.slice(1)],
      ...(platformExpanded === undefined ? {} : { expandedFlags: { ...flags, platform: [platformExpanded] } }),
      stage: index,
    };
    this.stages.push({
      index,
      ...(name === undefined ? {} : { name }),
      from,
      base: written,
      baseExpanded,
      ...(platform === undefined ? {} : { platform, platformExpanded }),
      ...(baseStage === undefined ? {} : { baseStage }),
      scratch,
      ...(image ? { image } : {}),
      instructions: [],
      scope: {
        env: new Map(parent?.scope.env ?? []),
        args: new Map(),
        baseKnown: scratch || (parent?.scope.baseKnown ?? false),
      },
    });
    this.all.push(from);
  }

  private globalArg(node: Node, base: Omit<Instruction, "stage">, lineAt: (offset: number) => number): void {
    const automatic = (key: string): null | undefined => (AUTOMATIC_PLATFORM_ARGS.includes(key) ? null : undefined);
    const pairs = node.args.map((w) => this.argPair(w, this.globalLookup, automatic, base.startLine, lineAt));
    // Global ARGs are read one after the other: a default may use the ARGs before it.
    for (const p of pairs) {
      this.globalArgs.set(p.pair.key, p.known);
      this.globalPairs.push(p.pair);
    }
    if (this.globalArgs.size > MAX_VARIABLES) this.fail(base.startLine, `more than ${MAX_VARIABLES} global ARGs`);
    const instruction: Instruction = { ...base, pairs: pairs.map((p) => p.pair), expanded: pairs.map((p) => (p.pair.value === undefined ? p.pair.key : `${p.pair.key}=${p.pair.value}`)) };
    this.all.push(instruction);
  }

  /**
   * One ARG: its value is a build argument from the options if given, else the
   * default, else (for `ARG NAME` in a stage) the global ARG's value. `known`
   * is null when only the builder knows the value (platform ARGs).
   */
  private argPair(
    word: Word,
    lookup: Lookup,
    inherited: (key: string) => string | null | undefined,
    line: number,
    lineAt: (offset: number) => number,
  ): { pair: KeyValue; known: string | null | undefined } {
    const eq = word.text.indexOf("=");
    const keyText = eq < 0 ? word.text : word.text.slice(0, eq);
    const written = eq < 0 ? undefined : word.text.slice(eq + 1);
    const key = this.expand(keyText, lookup, line, "ARG");
    if (key === "") this.fail(line, "ARG names can not be blank");
    let known: string | null | undefined;
    if (this.buildArgs.has(key)) known = this.buildArgs.get(key);
    else if (written !== undefined) known = this.expand(written, lookup, line, "ARG");
    else known = inherited(key);
    return { pair: { key, value: known ?? undefined, written, line: lineAt(word.offset) }, known };
  }

  private checkVariables(scope: Scope, line: number): void {
    const names = new Set([...scope.env.keys(), ...scope.args.keys()]);
    if (names.size > MAX_VARIABLES) this.fail(line, `more than ${MAX_VARIABLES} variables in one stage`);
  }

  private flags(keyword: Keyword, written: readonly Word[], line: number, strict = true): Record<string, string[]> {
    const known = FLAGS[keyword] ?? {};
    const out: Record<string, string[]> = {};
    for (const w of written) {
      const body = w.text.slice(2);
      const eq = body.indexOf("=");
      const name = eq < 0 ? body : body.slice(0, eq);
      const value = eq < 0 ? undefined : body.slice(eq + 1);
      const kind = Object.hasOwn(known, name) ? known[name] : undefined;
      if (!kind) {
        if (strict) this.fail(line, `unknown flag: ${name}`);
        if (/^[a-z][a-z0-9-]*$/.test(name)) (out[name] ??= []).push(value ?? "true");
        continue;
      }
      if (out[name] && kind !== "strings") this.fail(line, `duplicate flag specified: ${name}`);
      if (kind === "bool") {
        if (value === "") this.fail(line, `missing a value on flag: ${name}`);
        const v = (value ?? "true").toLowerCase();
        if (v !== "true" && v !== "false") this.fail(line, `expecting boolean value for flag ${name}, not: ${value}`);
        out[name] = [v];
      } else {
        if (value === undefined) this.fail(line, `missing a value on flag: ${name}`);
        (out[name] ??= []).push(value);
      }
    }
    return out;
  }

  private expandFlags(keyword: Keyword, flags: Readonly<Record<string, readonly string[]>>, lookup: Lookup, line: number): Record<string, string[]> {
    const known = FLAGS[keyword] ?? {};
    const out: Record<string, string[]> = {};
    for (const [name, values] of Object.entries(flags)) {
      out[name] = known[name] === "bool" ? [...values] : values.map((v) => this.expand(v, lookup, line, keyword));
    }
    return out;
  }

  /** The argument counts BuildKit checks for each instruction. */
  private checkArity(keyword: Keyword, node: Node, args: readonly string[], line: number): void {
    switch (keyword) {
      case "ADD":
      case "COPY":
        if (args.length < 2) this.fail(line, `${keyword} requires at least two arguments, but only one was provided. Destination could not be determined`);
        if (!node.json && heredocWord(args[args.length - 1]!) !== undefined) this.fail(line, `${keyword} cannot accept a heredoc as a destination`);
        break;
      case "ARG":
      case "EXPOSE":
      case "VOLUME":
      case "ONBUILD":
      case "SHELL":
      case "HEALTHCHECK":
        if (args.length === 0) this.fail(line, `${keyword} requires at least one argument`);
        break;
      case "ENV":
        if ((node.pairs ?? []).length === 0) this.fail(line, "ENV requires at least one argument");
        break;
      case "MAINTAINER":
      case "STOPSIGNAL":
      case "USER":
      case "WORKDIR":
        if (args.length !== 1) this.fail(line, `${keyword} requires exactly one argument`);
        break;
      default:
        break;
    }
    if (keyword === "VOLUME" && args.some((a) => a.trim() === "")) this.fail(line, "VOLUME specified can not be an empty string");
    if (keyword === "SHELL" && !node.json) this.fail(line, "SHELL requires the arguments to be in JSON form");
    if (keyword === "ONBUILD" && node.trigger) {
      const t = node.trigger.keyword;
      if (t === "ONBUILD") this.fail(line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      if (t === "FROM" || t === "MAINTAINER") this.fail(line, `${t} isn't allowed as an ONBUILD trigger`);
    }
  }

  private healthcheck(node: Node, flags: Readonly<Record<string, readonly string[]>>, line: number): Healthcheck {
    const typ = node.args[0]!.text.toUpperCase();
    const command = node.args.slice(1).map((a) => a.text);
    if (typ === "NONE") {
      if (command.length > 0) this.fail(line, "HEALTHCHECK NONE takes no arguments");
      return { kind: "none" };
    }
    if (typ !== "CMD") this.fail(line, `Unknown type "${node.args[0]!.text}" in HEALTHCHECK (try CMD)`);
    if (command.length === 0) this.fail(line, "Missing command after HEALTHCHECK CMD");
    const duration = (name: string): number | undefined => {
      const text = flags[name]?.[0];
      if (text === undefined || text === "") return undefined;
      const ms = goDurationMs(text);
      if (ms === undefined) this.fail(line, `--${name}: invalid duration "${text}"`);
      if (ms !== 0 && ms < 1) this.fail(line, `Interval "${name}" cannot be less than 1ms`);
      return ms;
    };
    const out: { -readonly [K in keyof Extract<Healthcheck, { kind: "cmd" }>]: Extract<Healthcheck, { kind: "cmd" }>[K] } = {
      kind: "cmd",
      form: node.json ? "exec" : "shell",
      command,
    };
    const interval = duration("interval");
    const timeout = duration("timeout");
    const startPeriod = duration("start-period");
    const startInterval = duration("start-interval");
    if (interval !== undefined) out.intervalMs = interval;
    if (timeout !== undefined) out.timeoutMs = timeout;
    if (startPeriod !== undefined) out.startPeriodMs = startPeriod;
    if (startInterval !== undefined) out.startIntervalMs = startInterval;
    const retries = flags.retries?.[0];
    if (retries !== undefined && retries !== "") {
      if (!/^[+-]?\d+$/.test(retries) || Math.abs(Number(retries)) > 2 ** 31 - 1) this.fail(line, `--retries: invalid number "${retries}"`);
      if (Number(retries) < 0) this.fail(line, `--retries cannot be negative (${Number(retries)})`);
      out.retries = Number(retries);
    }
    return out;
  }

  /**
   * BuildKit finds a base stage by name wherever it is in the file, later
   * stages included. A base naming a later stage (or its own stage) is linked
   * here, after all stages are known; its variables were substituted as for
   * an unknown image. A chain of bases that loops is refused, as BuildKit does.
   */
  private laterBaseStages(): void {
    for (const stage of this.stages) {
      if (stage.baseStage !== undefined || stage.scratch) continue;
      const wanted = stage.baseExpanded.toLowerCase();
      const later = this.stages.findIndex((s) => s.index >= stage.index && s.name === wanted);
      if (later < 0) continue;
      stage.baseStage = later;
      delete stage.image;
    }
    for (const stage of this.stages) {
      const seen = new Set<number>();
      for (let s: number | undefined = stage.index; s !== undefined; s = this.stages[s]!.baseStage) {
        if (seen.has(s)) this.fail(stage.from.startLine, `circular dependency detected on stage: ${stage.name ?? stage.index}`);
        seen.add(s);
      }
    }
  }

  private finish(): Dockerfile {
    if (this.all.length === 0) this.fail(undefined, "file with no instructions");
    if (this.stages.length === 0) this.fail(undefined, "no build stage: the file has no FROM");
    this.laterBaseStages();
    const stages: Stage[] = this.stages.map(({ scope, ...stage }) => ({ ...stage, env: scope.env }));
    return {
      source: this.source,
      directives: this.directives,
      escape: this.escape,
      args: this.globalPairs,
      stages,
      finalStage: stages.length - 1,
      instructions: this.all,
    };
  }
}

const FORM_KEYWORDS: ReadonlySet<string> = new Set(["RUN", "CMD", "ENTRYPOINT", "SHELL", "HEALTHCHECK", "ADD", "COPY", "VOLUME"]);
/** Instructions whose shell form a shell runs. */
const SHELL_KEYWORDS: ReadonlySet<string> = new Set(["RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK"]);

/**
 * BuildKit's flag reader: words starting with `--` at the start of the
 * arguments, quotes and backslash escapes removed, up to the first other
 * word or a lone `--`.
 */
function extractFlags(s: string, from: number): { flags: Word[]; restStart: number } {
  const flags: Word[] = [];
  let pos = from;
  for (;;) {
    while (pos < s.length && isSpace(s[pos])) pos++;
    if (pos >= s.length || !(s[pos] === "-" && s[pos + 1] === "-")) return { flags, restStart: pos };
    const start = pos;
    let word = "";
    let quote = "";
    let quoted = false;
    while (pos < s.length) {
      const ch = s[pos]!;
      if (quote === "" && isSpace(ch)) break;
      pos++;
      if (ch === quote) {
        quote = "";
      } else if (quote === "" && (ch === "'" || ch === '"')) {
        quote = ch;
        quoted = true;
      } else if (ch === "\\") {
        if (pos < s.length) word += s[pos++];
        else quote = "";
      } else {
        word += ch;
      }
    }
    if (word === "--") return { flags, restStart: pos };
    if (quoted || word !== "") flags.push({ text: word, offset: start });
  }
}

/** Words split on blanks, as Docker splits FROM, EXPOSE and shell-form COPY/ADD/VOLUME. */
function splitBlanks(rest: string, offset: number): Word[] {
  const out: Word[] = [];
  const re = /[^\t\v\f\r ]+/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) out.push({ text: m[0], offset: offset + m.index });
  return out;
}

/**
 * Words as BuildKit splits ENV, LABEL and ARG: at unquoted whitespace, with
 * the quotes and escape characters kept (substitution removes them later).
 */
function shellWords(rest: string, offset: number, escape: string): Word[] {
  const out: Word[] = [];
  const chars = Array.from(rest);
  let word = "";
  let start = -1;
  let quote = "";
  let quoted = false;
  let pos = 0; // offset in code units
  const push = (): void => {
    if (quoted || word !== "") out.push({ text: word, offset: offset + start });
    word = "";
    start = -1;
    quoted = false;
  };
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const at = pos;
    pos += ch.length;
    if (start < 0) {
      if (isSpace(ch)) continue;
      start = at;
    }
    if (quote === "") {
      if (isSpace(ch)) {
        push();
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        quoted = true;
      } else if (ch === escape) {
        if (i + 1 === chars.length) continue; // an escape at the end is dropped
        word += ch;
        const next = chars[++i]!;
        pos += next.length;
        word += next;
        continue;
      }
      word += ch;
    } else {
      if (ch === quote) {
        quote = "";
      } else if (ch === escape && quote !== "'") {
        if (i + 1 === chars.length) continue;
        word += ch;
        const next = chars[++i]!;
        pos += next.length;
        word += next;
        continue;
      }
      word += ch;
    }
  }
  if (start >= 0) push();
  return out;
}

/** `[n]<<[-]NAME` → the heredoc it opens; undefined when the word opens none; an Error when the name cannot be read. */
function heredocWord(word: string): { name: string; expand: boolean; chomp: boolean; fd?: number } | Error | undefined {
  const m = HEREDOC_WORD.exec(word);
  if (!m || m[3] === "") return undefined;
  const rest = m[3]!;
  let plain: string[];
  let raw: string[];
  try {
    plain = expandWords(rest, { lookup: () => null });
    raw = expandWords(rest, { lookup: () => null, keepQuotes: true });
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  if (plain.length !== 1 || raw.length !== 1) return undefined;
  const quotes = (s: string): number => s.split("").filter((c) => c === "'" || c === '"').length;
  return {
    name: plain[0]!,
    // Some part of the name was quoted when quote removal changed the count of quote characters.
    expand: quotes(plain[0]!) === quotes(raw[0]!),
    chomp: m[2] === "-",
    ...(m[1] ? { fd: Number(m[1]) } : {}),
  };
}

function exposedPort(text: string): ExposedPort {
  const slash = text.indexOf("/");
  const protocol = slash < 0 ? "tcp" : text.slice(slash + 1).toLowerCase();
  // "ip:hostPort:containerPort" maps a host port; only the container port is exposed.
  const spec = (slash < 0 ? text : text.slice(0, slash)).split(":").pop()!;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(spec);
  if (!m) return { text, protocol };
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (end < start || end > 65_535) return { text, protocol };
  return { text, start, end, protocol };
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds; undefined when Go would refuse the text. */
function goDurationMs(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s[0] === "-") sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  return sign * total;
}
