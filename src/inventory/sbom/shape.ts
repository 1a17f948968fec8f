/**
 * Checking a parsed JSON document against a zod schema, with the first
 * problem reported as an InputError at its JSON path: `$.components[3].purl`.
 */
import type { z } from "zod";
import { InputError, jsonPath, type JsonPath } from "../../common/index.js";

export { jsonPath, type JsonPath };

export function checkShape<S extends z.ZodType>(schema: S, value: unknown, source: string, at: JsonPath = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new InputError(source, jsonPath([...at, ...issue.path]), issue.message.replace(/^Invalid input: /, ""));
}
