/**
 * The simple commands a RUN hands to the shell, so rules judge what runs
 * rather than grep the text: `curl … | sh` is a pipeline whose later command
 * is a shell reading stdin, `apt-get install` has its options and packages
 * apart, and a comment or a quoted string that mentions `sudo` is no sudo.
 *
 * This is a POSIX shell reader good enough for build scripts, not a shell:
 * it splits on `|`, `&&`, `||`, `;`, `&` and newlines, honours quotes,
 * escapes, comments and here-documents, drops redirections, and reads the
 * scripts inside `sh -c '…'`, `$(…)`, backticks and `<(…)` as commands too.
 * The script is a RUN's command line (continuation lines already joined)
 * plus the bodies of heredocs a shell reads (`RUN <<EOF`, `RUN bash <<EOF`).
 */
import type { Instruction } from "../parse.js";

export interface ShellCommand {
  /** The words with quotes removed, assignments and wrappers (`sudo`, `env`…) included. */
  readonly words: readonly string[];
  /** The program run, as a base name (`/usr/bin/curl` → `curl`), past `VAR=x`, `sudo`, `env`…; "" when none. */
  readonly name: string;
  /** The words after the program. */
  readonly args: readonly string[];
  /** Whether the program is run through sudo. */
  readonly sudo: boolean;
  /** The pipeline it is part of (unique within one script) and its place in it. */
  readonly pipeline: number;
  readonly position: number;
  /** The commands of `$(…)`, backticks and `<(…)` written in its words. */
  readonly substituted: readonly ShellCommand[];
  /** The Dockerfile line it is written on. */
  readonly line: number;
}

/** Shells that run a script given on stdin or with -c. */
export const SHELLS: ReadonlySet<string> = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"]);
/** Deepest nesting of `sh -c` and `$(…)` read; deeper scripts are not looked into. */
const MAX_NESTING = 8;
/** Programs that run the command given after their own options. */
const WRAPPERS: ReadonlySet<string> = new Set(["sudo", "env", "nice", "nohup", "time", "exec", "command", "stdbuf", "timeout", "doas", "gosu", "su-exec"]);
/** Reserved words that may start a command without being one. */
const RESERVED: ReadonlySet<string> = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "(", ")"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * The shell script a RUN runs: its command line, then each heredoc body a
 * shell reads, each with the Dockerfile line it starts on. Exec-form RUN
 * runs no shell unless it names one (`["sh", "-c", "…"]`).
 */
export function runScripts(run: Instruction): { text: string; line: number }[] {
  if (run.form === "exec") return [{ text: run.args.map(quoteWord).join(" "), line: run.startLine }];
  const command = run.args[0] ?? "";
  const scripts = [{ text: command, line: run.startLine }];
  const lead = commandsOf(command, run.startLine)[0];
  // `RUN <<EOF` alone runs the body with the default shell (or its #! line); `RUN bash <<EOF` with bash.
  const bodyIsShell = (body: string): boolean => {
    const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(body);
    if (shebang) return SHELLS.has(baseName(shebang[1] === "/usr/bin/env" ? (shebang[2] ?? "") : shebang[1]!));
    return lead === undefined || lead.name === "" || SHELLS.has(lead.name);
  };
  for (const h of run.heredocs) if (bodyIsShell(h.content)) scripts.push({ text: h.content, line: h.startLine });
  return scripts;
}

/** Every simple command of a RUN, those inside `sh -c` and substitutions included. */
export function runCommands(run: Instruction): ShellCommand[] {
  return runScripts(run).flatMap((s) => withNested(commandsOf(s.text, s.line)));
}

/** The commands and every command nested in them (substitutions, `sh -c` scripts), depth first. */
export function withNested(commands: readonly ShellCommand[]): ShellCommand[] {
  const out: ShellCommand[] = [];
  const visit = (c: ShellCommand): void => {
    out.push(c);
    c.substituted.forEach(visit);
  };
  commands.forEach(visit);
  return out;
}

/** Options of a command: the words starting with `-`, up to `--`. */
export function options(c: ShellCommand): string[] {
  const end = c.args.indexOf("--");
  return (end < 0 ? c.args : c.args.slice(0, end)).filter((a) => a.startsWith("-") && a !== "-");
}

/** Whether a short or long option is given: `-y`, a cluster holding it (`-qy`), `--yes`, `--opt=value`. */
export function hasOption(c: ShellCommand, short: string | undefined, ...long: string[]): boolean {
  return options(c).some((o) => {
    if (o.startsWith("--")) return long.some((l) => o === `--${l}` || o.startsWith(`--${l}=`));
    return short !== undefined && o.slice(1).includes(short);
  });
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

let pipelines = 0;

/** The simple commands of a script whose first character is on `line`. */
export function commandsOf(script: string, line: number, depth = 0): ShellCommand[] {
  return new Reader(script, line, depth).read();
}

interface Pending {
  words: string[];
  substituted: ShellCommand[];
  line: number;
}

class Reader {
  private pos = 0;
  private line: number;
  private readonly out: ShellCommand[] = [];
  private pipeline = ++pipelines;
  private position = 0;
  private current: Pending;
  private readonly heredocs: { delimiter: string; strip: boolean }[] = [];

  constructor(
    private readonly s: string,
    startLine: number,
    private readonly depth: number,
  ) {
    this.line = startLine;
    this.current = { words: [], substituted: [], line: startLine };
  }

  read(): ShellCommand[] {
    const s = this.s;
    while (this.pos < s.length) {
      const ch = s[this.pos]!;
      if (ch === "\n") {
        this.pos++;
        this.end("newline");
        this.line++;
        this.skipHeredocBodies();
      } else if (ch === " " || ch === "\t" || ch === "\r") {
        this.pos++;
      } else if (ch === "\\" && s[this.pos + 1] === "\n") {
        this.pos += 2;
        this.line++;
      } else if (ch === "#") {
        while (this.pos < s.length && s[this.pos] !== "\n") this.pos++;
      } else if (ch === "|" || ch === "&" || ch === ";") {
        const two = s.slice(this.pos, this.pos + 2);
        if (two === "&&" || two === "||" || two === ";;") {
          this.pos += 2;
          this.end("list");
        } else if (two === "|&" || ch === "|") {
          this.pos += two === "|&" ? 2 : 1;
          this.end("pipe");
        } else if (two === "&>") {
          this.pos += 2;
          this.redirectTarget();
        } else {
          this.pos++;
          this.end("list");
        }
      } else if (ch === "(" || ch === ")") {
        this.pos++;
        this.end("list");
      } else if ((ch === "<" || ch === ">") && s[this.pos + 1] === "(") {
        this.word();
      } else if (ch === "<" || ch === ">") {
        this.redirect();
      } else if (/[0-9]/.test(ch) && /^[0-9]+[<>]/.test(s.slice(this.pos, this.pos + 4))) {
        while (/[0-9]/.test(s[this.pos]!)) this.pos++;
        this.redirect();
      } else {
        this.word();
      }
    }
    this.end("list");
    return this.out;
  }

  /** `>`, `>>`, `<`, `>&2`, `<<EOF`, `<<<word`: the operator and its target, which is no argument. */
  private redirect(): void {
    const s = this.s;
    if (s.startsWith("<<<", this.pos)) {
      this.pos += 3;
      this.redirectTarget();
      return;
    }
    if (s.startsWith("<<", this.pos)) {
      this.pos += 2;
      const strip = s[this.pos] === "-";
      if (strip) this.pos++;
      const delimiter = this.readWord().text;
      if (delimiter !== "") this.heredocs.push({ delimiter, strip });
      return;
    }
    this.pos++;
    if (s[this.pos] === ">" || s[this.pos] === "|") this.pos++;
    if (s[this.pos] === "&") {
      this.pos++;
      if (/[0-9-]/.test(s[this.pos] ?? "")) {
        this.pos++;
        return;
      }
    }
    this.redirectTarget();
  }

  private redirectTarget(): void {
    while (this.s[this.pos] === " " || this.s[this.pos] === "\t") this.pos++;
    const target = this.readWord();
    this.current.substituted.push(...target.substituted);
  }

  /** After a newline: the bodies of here-documents opened on the line just ended are data, not commands. */
  private skipHeredocBodies(): void {
    while (this.heredocs.length > 0) {
      const { delimiter, strip } = this.heredocs.shift()!;
      while (this.pos < this.s.length) {
        const eol = this.s.indexOf("\n", this.pos);
        const end = eol < 0 ? this.s.length : eol;
        const text = this.s.slice(this.pos, end);
        this.pos = eol < 0 ? end : end + 1;
        this.line++;
        if ((strip ? text.replace(/^\t+/, "") : text) === delimiter) break;
      }
    }
  }

  private word(): void {
    const w = this.readWord();
    if (this.current.words.length === 0) this.current.line = this.line;
    this.current.words.push(w.text);
    this.current.substituted.push(...w.substituted);
  }

  /** One word, quotes removed; substitutions kept as written in the text and read as commands. */
  private readWord(): { text: string; substituted: ShellCommand[] } {
    const s = this.s;
    let text = "";
    const substituted: ShellCommand[] = [];
    const startLine = this.line;
    while (this.pos < s.length) {
      const ch = s[this.pos]!;
      if ((((ch === "$" || ch === "<" || ch === ">") && s[this.pos + 1] === "(") || ch === "`") && (ch === "$" || ch === "`" || text === "")) {
        text += this.substitution(substituted, startLine);
        continue;
      }
      if (" \t\r\n|&;()<>".includes(ch)) break;
      if (ch === "\\") {
        if (s[this.pos + 1] === "\n") {
          this.pos += 2;
          this.line++;
          continue;
        }
        text += s[this.pos + 1] ?? "";
        this.pos += 2;
      } else if (ch === "'") {
        const end = s.indexOf("'", this.pos + 1);
        const close = end < 0 ? s.length : end;
        const inner = s.slice(this.pos + 1, close);
        this.line += inner.split("\n").length - 1;
        text += inner;
        this.pos = close + 1;
      } else if (ch === '"') {
        this.pos++;
        while (this.pos < s.length && s[this.pos] !== '"') {
          const c = s[this.pos]!;
          if (c === "\\" && '"\\$`\n'.includes(s[this.pos + 1] ?? "")) {
            if (s[this.pos + 1] !== "\n") text += s[this.pos + 1];
            this.pos += 2;
          } else if ((c === "$" && s[this.pos + 1] === "(") || c === "`") {
            text += this.substitution(substituted, startLine);
          } else {
            if (c === "\n") this.line++;
            text += c;
            this.pos++;
          }
        }
        this.pos++;
      } else {
        text += ch;
        this.pos++;
      }
    }
    return { text, substituted };
  }

  /** `$(…)`, `<(…)`, `` `…` ``: its text as written, and its commands read. */
  private substitution(into: ShellCommand[], line: number): string {
    const s = this.s;
    const start = this.pos;
    let inner: string;
    if (s[this.pos] === "`") {
      const end = s.indexOf("`", this.pos + 1);
      const close = end < 0 ? s.length : end;
      inner = s.slice(this.pos + 1, close);
      this.pos = close + 1;
    } else {
      let depth = 0;
      let i = this.pos + 1;
      for (; i < s.length; i++) {
        const c = s[i];
        if (c === "\\") i++;
        else if (c === "'") i = Math.max(i, s.indexOf("'", i + 1) < 0 ? s.length : s.indexOf("'", i + 1));
        else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) break;
      }
      inner = s.slice(this.pos + 2, i);
      this.pos = Math.min(i + 1, s.length);
    }
    this.line += inner.split("\n").length - 1;
    if (this.depth < MAX_NESTING) into.push(...commandsOf(inner, line, this.depth + 1));
    return s.slice(start, this.pos);
  }

  /** Ends the current command: a pipe keeps the pipeline going, anything else starts a new one. */
  private end(how: "pipe" | "list" | "newline"): void {
    const c = this.current;
    const words = [...c.words];
    while (words.length > 0 && RESERVED.has(words[0]!)) words.shift();
    if (words.length > 0 || c.substituted.length > 0) {
      this.out.push(this.command(words, c.substituted, c.line));
      this.position++;
    }
    this.current = { words: [], substituted: [], line: this.line };
    if (how === "pipe") return;
    // A newline right after `|` (nothing written since) keeps the pipeline going.
    if (how === "newline" && c.words.length === 0 && c.substituted.length === 0) return;
    this.pipeline = ++pipelines;
    this.position = 0;
  }

  private command(words: string[], substituted: ShellCommand[], line: number): ShellCommand {
    let i = 0;
    let sudo = false;
    for (;;) {
      while (i < words.length && ASSIGNMENT.test(words[i]!)) i++;
      const name = baseName(words[i] ?? "");
      if (!WRAPPERS.has(name)) break;
      if (name === "sudo" || name === "doas") sudo = true;
      i++;
      // The wrapper's own options (and their values) come before the command.
      while (i < words.length && (words[i]!.startsWith("-") || ASSIGNMENT.test(words[i]!) || (name === "timeout" && /^\d/.test(words[i]!)))) {
        const opt = words[i++]!;
        if ((name === "sudo" && /^-[ugCDhprT]$/.test(opt)) || (name === "env" && /^-[uCS]$/.test(opt))) i++;
      }
      if (name === "gosu" || name === "su-exec") i++; // gosu USER command…
    }
    // A program named by a substitution (`$(which curl) …`) is not known here.
    const name = /[`$]/.test(words[i] ?? "") ? "" : baseName(words[i] ?? "");
    const args = words.slice(i + 1);
    const nested = [...substituted];
    // `sh -c 'script'`: the script runs too.
    if (SHELLS.has(name) && this.depth < MAX_NESTING) {
      const c = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
      if (c >= 0 && args[c + 1] !== undefined) nested.push(...commandsOf(args[c + 1]!, line, this.depth + 1));
    }
    return { words, name, args, sudo, pipeline: this.pipeline, position: this.position, substituted: nested, line };
  }
}
