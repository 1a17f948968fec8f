/**
 * A small range language for schemes that have none of their own (dpkg, apk,
 * rpm, Go): alternatives joined by `||`, each a list of comparators joined by
 * commas or spaces, e.g. `>= 1.2-1, << 1.4 || = 2.0-3`. Operators: `<`, `<=`,
 * `>`, `>=`, `=` (also `==`), `!=`, and dpkg's `<<` / `>>` for strict order.
 */
import { InvalidRangeError, type VersionScheme } from "./scheme.js";

/** Comparison operators every scheme's range language reduces to. */
export type Op = "<" | "<=" | ">" | ">=" | "=" | "!=";
interface Comparator {
  op: Op;
  version: string;
}

const COMPARATOR = /\s*(<<|>>|<=|>=|==|!=|<|>|=)\s*([^\s,|<>=!]+)\s*,?/y;
const OPS: Record<string, Op> = { "<<": "<", ">>": ">", "==": "=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "!=" };

/** Reads `range` into alternatives of comparators; throws InvalidRangeError naming the offset. */
export function parseComparatorRange(scheme: VersionScheme["name"], range: string): Comparator[][] {
  const alternatives: Comparator[][] = [];
  let offset = 0;
  for (const part of range.split("||")) {
    const comparators: Comparator[] = [];
    let at = 0;
    for (;;) {
      COMPARATOR.lastIndex = at;
      const match = at < part.length ? COMPARATOR.exec(part) : null;
      if (match === null) break;
      comparators.push({ op: OPS[match[1]!]!, version: match[2]! });
      at = COMPARATOR.lastIndex;
    }
    if (at < part.trimEnd().length || comparators.length === 0) {
      const rest = part.slice(at);
      const where = offset + at + (rest.length - rest.trimStart().length);
      throw new InvalidRangeError(scheme, range, `expected an operator and a version at offset ${where}`);
    }
    alternatives.push(comparators);
    offset += part.length + 2;
  }
  return alternatives;
}

/** True when `version` meets every comparator of at least one alternative. */
export function satisfiesComparators(scheme: Pick<VersionScheme, "name" | "compare">, version: string, range: string): boolean {
  return parseComparatorRange(scheme.name, range).some((comparators) =>
    comparators.every(({ op, version: bound }) => orderHolds(op, scheme.compare(version, bound))),
  );
}

/** Whether a comparison result (negative, zero, positive) meets `op`. */
export function orderHolds(op: Op, order: number): boolean {
  switch (op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
  }
}
