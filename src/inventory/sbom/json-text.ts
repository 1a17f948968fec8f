/**
 * JSON.parse with an error that says where. V8 names the offset for some
 * syntax errors and not for others ("Unexpected token '}', "…" is not valid
 * JSON"), so when it does not, a small scanner finds the first offending
 * offset. The scanner runs only after JSON.parse has failed, and is
 * iterative so deep nesting cannot overflow the stack.
 */
import { InputError } from "../../common/index.js";

export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const said = /position (\d+)/.exec(err instanceof Error ? err.message : "");
    const offset = said ? Number(said[1]) : syntaxErrorOffset(text);
    const detail = `invalid JSON: ${err instanceof Error ? err.message : String(err)}`;
    throw new InputError(source, offset >= 0 ? lineColumn(text, offset) : undefined, detail, { cause: err });
  }
}

function lineColumn(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `line ${line} column ${offset - lineStart + 1} (offset ${offset})`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Offset of the first JSON syntax error in `text`, or -1 when it is valid JSON. */
export function syntaxErrorOffset(text: string): number {
  const n = text.length;
  const stack: Array<"}" | "]"> = [];
  let i = 0;
  // What may come next: a value, an object key, or what follows a value.
  let want: "value" | "value-or-close" | "key" | "key-or-close" | "after" = "value";
  const skipSpace = () => {
    while (i < n && " \t\n\r".includes(text[i]!)) i++;
  };
  /** Index after the string starting at i, or -(error offset) - 1. */
  const stringEnd = (): number => {
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return -j - 1;
      if (c === 0x5c) {
        ESCAPE.lastIndex = j;
        if (!ESCAPE.test(text)) return -j - 1;
        j = ESCAPE.lastIndex;
      } else j++;
    }
    return -n - 1;
  };
  for (;;) {
    skipSpace();
    const c = text[i];
    if (want === "value" || want === "value-or-close") {
      if (want === "value-or-close" && c === "]") {
        stack.pop();
        i++;
        want = "after";
      } else if (c === "{" || c === "[") {
        stack.push(c === "{" ? "}" : "]");
        i++;
        want = c === "{" ? "key-or-close" : "value-or-close";
      } else if (c === '"') {
        const end = stringEnd();
        if (end < 0) return -end - 1;
        i = end;
        want = "after";
      } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
        i += 4;
        want = "after";
      } else if (text.startsWith("false", i)) {
        i += 5;
        want = "after";
      } else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return i;
        i = NUMBER.lastIndex;
        want = "after";
      }
    } else if (want === "key" || want === "key-or-close") {
      if (want === "key-or-close" && c === "}") {
        stack.pop();
        i++;
        want = "after";
        continue;
      }
      if (c !== '"') return i;
      const end = stringEnd();
      if (end < 0) return -end - 1;
      i = end;
      skipSpace();
      if (text[i] !== ":") return i;
      i++;
      want = "value";
    } else {
      const close = stack[stack.length - 1];
      if (close === undefined) return i < n ? i : -1;
      if (c === ",") {
        i++;
        want = close === "}" ? "key" : "value";
      } else if (c === close) {
        stack.pop();
        i++;
      } else return i;
    }
  }
}
