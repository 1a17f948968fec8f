/**
 * Checking a parsed JSON document against a zod schema, with the first
 * problem reported as an InputError at its JSON path: `$.components[3].purl`.
 */
import type { z } from "zod";
import { InputError } from "../../common/errors.js";

export type JsonPath = ReadonlyArray<PropertyKey>;

/** `$`, `.name` for plain keys, `["odd key"]` for others, `[3]` for indexes. */
export function jsonPath(path: JsonPath): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export function checkShape<S extends z.ZodType>(schema: S, value: unknown, source: string, at: JsonPath = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InputError(source, jsonPath([...at, ...issue.path]), issue.message.replace(/^Invalid input: /, ""));
}
