/**
 * The warnings a feed parser hands back, one line each, naming the file and
 * the JSON path of what was left out:
 *
 *   `<file> <path>: skipped: <why>`  a whole record (or, with no path, the whole file) was left out;
 *   `<file> <path>: ignored: <why>`  one field or value was left out, and the record kept.
 */
import { jsonPath, type JsonPath } from "../../common/index.js";

export class FeedWarnings {
  readonly lines: string[] = [];

  constructor(readonly file: string) {}

  skipped(path: JsonPath | undefined, why: string): void {
    this.lines.push(`${this.file}${path ? ` ${jsonPath(path)}` : ""}: skipped: ${why}`);
  }

  ignored(path: JsonPath, why: string): void {
    this.lines.push(`${this.file} ${jsonPath(path)}: ignored: ${why}`);
  }
}

/** "a string", "an array", "null": for "expected X, got Y". */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value for a message: JSON, cut short; a value too deep to print is named by its kind. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    return kindOf(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
