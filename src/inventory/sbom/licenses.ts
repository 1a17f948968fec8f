/**
 * License strings between our model and the SBOM formats. A package's
 * `licenses` are all of its licenses (they all apply), each either an SPDX
 * license id, an SPDX expression, or free text from package metadata. Both
 * formats want SPDX where it is SPDX and something else where it is not, so
 * each string is classified once here with spdx-expression-parse (the parser
 * npm itself uses) rather than a hand-written grammar.
 */
import parseSpdx from "spdx-expression-parse";

export type LicenseKind =
  /** A single listed SPDX license id, no `+`, no `WITH`: "MIT". */
  | { kind: "id"; id: string }
  /** Any other valid SPDX expression: as written, or re-spelt with upper-case operators when written in lower case. */
  | { kind: "expression"; expression: string }
  /** Free text that is not SPDX: "GPL-2+", "public-domain". */
  | { kind: "name"; name: string };

type Node = parseSpdx.Info;

const REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

export function classifyLicense(text: string): LicenseKind {
  const trimmed = text.trim();
  let node: Node;
  try {
    node = parseSpdx(trimmed);
  } catch {
    return { kind: "name", name: text };
  }
  if ("license" in node && !node.plus && !node.exception && !REF.test(node.license)) {
    return { kind: "id", id: node.license };
  }
  const asWritten = !/\s(and|or|with)\s/.test(trimmed);
  return { kind: "expression", expression: asWritten ? trimmed : render(node) };
}

/** Canonical spelling: upper-case operators, parentheses only where the operator changes. */
function render(node: Node, parent?: "and" | "or"): string {
  if ("license" in node) {
    return `${node.license}${node.plus ? "+" : ""}${node.exception ? ` WITH ${node.exception}` : ""}`;
  }
  const text = `${render(node.left, node.conjunction)} ${node.conjunction.toUpperCase()} ${render(node.right, node.conjunction)}`;
  return parent && parent !== node.conjunction ? `(${text})` : text;
}

/**
 * All of a package's licenses as one SPDX expression (they all apply: AND).
 * Every entry must already be an id or an expression.
 */
export function conjunction(spdx: readonly string[]): string {
  if (spdx.length === 1) return spdx[0]!;
  return spdx.map((s) => (/\s(OR|AND)\s/.test(s) && !isWrapped(s) ? `(${s})` : s)).join(" AND ");
}

/**
 * The reverse of `conjunction`: the top-level AND operands of an expression,
 * outer parentheses removed, so licenses written as one expression read back
 * as the list they were. An expression that is not a top-level AND comes
 * back exactly as written.
 */
export function splitConjunction(expression: string): string[] {
  const text = stripParens(expression.trim());
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let hasOr = false;
  const cuts: Array<[number, number]> = [];
  const re = /\(|\)|\s+(AND|OR|and|or)\s+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === "(") depth++;
    else if (m[0] === ")") depth--;
    else if (depth === 0) {
      if (m[1]!.toUpperCase() === "OR") hasOr = true;
      else cuts.push([m.index, m.index + m[0].length]);
    }
  }
  if (hasOr || cuts.length === 0) return [expression.trim()];
  for (const [from, to] of cuts) {
    parts.push(stripParens(text.slice(start, from).trim()));
    start = to;
  }
  parts.push(stripParens(text.slice(start).trim()));
  return parts;
}

/** Whether one pair of parentheses encloses all of `text`: "(A OR B)" yes, "(A) AND (B)" no. */
function isWrapped(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    if (depth === 0) return false;
  }
  return true;
}

function stripParens(text: string): string {
  while (isWrapped(text)) text = text.slice(1, -1).trim();
  return text;
}

/** The LicenseRef ids an SPDX expression mentions (each needs extracted licensing info). */
export function licenseRefs(expression: string): string[] {
  return [...expression.matchAll(/(?<![:\w-])LicenseRef-[A-Za-z0-9.-]+/g)].map((m) => m[0]);
}
