/**
 * Which lines an in-file suppression comment covers. The rules, the same for
 * every tool's syntax:
 *
 * - A comment at the end of a line targets that line; a run of comment-only
 *   lines targets the line after the run (as Trivy does; a blank line ends
 *   the run, so the comment then covers nothing and is reported unused).
 * - In a Dockerfile or shell-like file the target is the line plus its `\`
 *   continuation lines: findings of an instruction point at its first line.
 * - In YAML the target is the whole node that starts on the line: a mapping
 *   key with everything nested under it (`securityContext:` and its
 *   fields), or a sequence item (`- name: agent`, one container). A comment
 *   above the first line of a document — `apiVersion:` of a manifest, or
 *   the `---` that opens it — covers the whole document, so one comment can
 *   suppress a rule for one object. Above `metadata:` it covers only the
 *   metadata block, like any other key: the document's top is the one place
 *   for an object-wide comment, so there is no doubt which one is meant.
 *
 * Extents are found from indentation, without parsing: that is how block
 * YAML nests, and it keeps working on files the YAML parser refuses.
 */

export interface LineRange {
  from: number;
  to: number;
}

const SEPARATOR = /^(?:---|\.\.\.)(?:\s|$)/;

export function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith("#");
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The line (1-based) a run of comment lines ending at `last` targets: the next line not a comment. */
export function targetAfter(lines: readonly string[], last: number): number {
  let n = last + 1;
  while (n <= lines.length && isCommentLine(lines[n - 1]!)) n++;
  return n;
}

/** The lines covered by a suppression targeting line `target` (1-based) of `lines`. */
export function extentOf(lines: readonly string[], target: number, yaml: boolean): LineRange {
  const at = (n: number): string => lines[n - 1] ?? "";
  if (target > lines.length || isBlank(at(target))) return { from: target, to: target };
  if (!yaml) {
    let to = target;
    while (to < lines.length && /\\\s*$/.test(at(to))) to++;
    return { from: target, to };
  }
  if (SEPARATOR.test(at(target))) return { from: target, to: documentEnd(lines, target + 1) };
  if (opensDocument(lines, target)) return { from: target, to: documentEnd(lines, target) };
  return { from: target, to: nodeEnd(lines, target) };
}

/** True when every line of the document before `n` is blank or a comment. */
function opensDocument(lines: readonly string[], n: number): boolean {
  for (let i = n - 1; i >= 1; i--) {
    const line = lines[i - 1]!;
    if (SEPARATOR.test(line) || line.startsWith("%")) return true;
    if (!isBlank(line) && !isCommentLine(line)) return false;
  }
  return true;
}

/** The last content line of the document that holds line `n`. */
function documentEnd(lines: readonly string[], n: number): number {
  let last = n;
  for (let i = n; i <= lines.length && !SEPARATOR.test(lines[i - 1]!); i++) {
    if (!isBlank(lines[i - 1]!) && !isCommentLine(lines[i - 1]!)) last = i;
  }
  return last;
}

/** The last line of the YAML node starting at line `n`, by indentation. */
function nodeEnd(lines: readonly string[], n: number): number {
  const start = lines[n - 1]!;
  const indent = indentOf(start);
  // `containers:` may hold its items at its own indentation (`- name: a` right below it).
  const blockKey = /^[^#]*:\s*(?:#.*)?$/.test(start.trim()) && !start.trimStart().startsWith("- ");
  let last = n;
  for (let i = n + 1; i <= lines.length; i++) {
    const line = lines[i - 1]!;
    if (isBlank(line) || isCommentLine(line)) continue;
    if (SEPARATOR.test(line)) break;
    const inner = indentOf(line) > indent || (blockKey && indentOf(line) === indent && line.trimStart().startsWith("-"));
    if (!inner) break;
    last = i;
  }
  return last;
}
