/**
 * Suppressions written as comments in the scanned files — ours, and the
 * comments of other tools that users already have, so their suppressions
 * carry over (matched through the findings' aliases, our rules' mappings).
 *
 * Ours, in any file with `#` comments (YAML, Dockerfile, compose, shell):
 *
 *     # portcullis:ignore PCS-DF-002 reason="pinned by digest upstream" expires=2027-03-31
 *     # portcullis:ignore PCS-K8S-001,PCS-K8S-003 reason="node agent" approvedBy=alice@example.com
 *     privileged: true  # portcullis:ignore PCS-K8S-001 reason="node agent"
 *
 * Rule ids comma-separated (our ids, globs of ours, or mapped ids), then
 * `key=value` pairs: `reason` (required; quoted with `"` when it has spaces,
 * `\"` and `\\` inside), `expires` (YYYY-MM-DD), `approvedBy`. An unknown
 * key, a missing reason or a date that is no calendar day is an InputError
 * naming the file and line. The lines a comment covers are extent.ts's: the
 * line it ends or the line after it, in YAML the whole node there, and the
 * whole object when it sits above a manifest document's first line.
 *
 * Carried over (syntax checked against each tool's documentation and source):
 *
 * - Trivy: `#trivy:ignore:KSV-0017`, optionally `:exp:2027-03-31`, also the
 *   older `tfsec:ignore:`, several on one line; `*` ignores every rule. Same
 *   placement as ours. Trivy reads these in Dockerfiles, Helm charts,
 *   Terraform and CloudFormation; we read them in every file we scan. An
 *   `exp:` that is no calendar day is an error here, where Trivy quietly
 *   treats it as already expired.
 * - Hadolint: `# hadolint ignore=DL3002,DL3008` on its own line, for the
 *   instruction after it; `# hadolint global ignore=DL3008` for the file.
 * - Checkov: `#checkov:skip=CKV_DOCKER_3:reason` (also `bridgecrew:skip=`,
 *   `cortex:skip=`) anywhere in the file covers the whole file — Checkov's
 *   rule for Dockerfiles, applied here to every file.
 *
 * Kubescape has no in-file form (its `kubescape.io/ignore` default exception
 * was removed), kube-linter uses annotations only: see annotations.ts.
 * Text after another tool's directive (`# hadolint ignore=DL3008 # pinned
 * by the base image`) becomes the reason; without one, the reason says so.
 *
 * Pure: the caller reads the file and hands over its text.
 */
import { InputError } from "../../common/index.js";
import { extentOf, isCommentLine, targetAfter, type LineRange } from "./extent.js";
import { isCalendarDate, NO_REASON, type Suppression, type SuppressionTool } from "./suppression.js";

const ID = "[A-Za-z0-9_.*?-]+";
const OURS = /^portcullis:ignore(?=\s|$)/;
const TRAILING = /\s#\s*((?:portcullis:ignore|trivy:ignore:|tfsec:ignore:|checkov:skip=|bridgecrew:skip=|cortex:skip=).*)$/;
const HADOLINT = /^hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)\s*(?:#\s*(.*))?$/;
const CHECKOV = /(?:checkov|bridgecrew|cortex):skip=\s*([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)(?::(.*))?/;
const TRIVY = /^#*(?:trivy|tfsec):ignore:(\S+)$/;
const PAIR = /\s+([A-Za-z][A-Za-z0-9_-]*)=("(?:[^"\\]|\\.)*"|[^\s"]+)/;
const KEYS = ["reason", "expires", "approvedBy"] as const;

/** A directive found in a comment, before its lines are known. */
interface Directive {
  tool: SuppressionTool;
  rules: string[];
  reason: string;
  expires?: string;
  approvedBy?: string;
  /** Checkov comments and Hadolint's global ignore cover the whole file. */
  wholeFile?: boolean;
}

/** Every suppression written as a comment in one file. Throws InputError for a malformed `portcullis:ignore`. */
export function inlineSuppressions(text: string, file: string): Suppression[] {
  const lines = text.split(/\r?\n/);
  const yaml = /\.ya?ml$/i.test(file);
  const out: Suppression[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    const ownLine = isCommentLine(line);
    const comment = ownLine ? line.trimStart().replace(/^#+\s*/, "") : TRAILING.exec(line)?.[1];
    if (comment === undefined) continue;
    const directives = directivesIn(comment, ownLine, file, n);
    if (directives.length === 0) continue;
    let covered: LineRange | undefined;
    for (const d of directives) {
      if (!d.wholeFile) covered ??= extentOf(lines, ownLine ? targetAfter(lines, n) : n, yaml);
      for (const rule of d.rules) {
        const s: Suppression = { rule, reason: d.reason, origin: { kind: "comment", tool: d.tool, file, line: n }, file };
        if (!d.wholeFile) s.lines = { ...covered! };
        if (d.expires !== undefined) s.expires = d.expires;
        if (d.approvedBy !== undefined) s.approvedBy = d.approvedBy;
        out.push(s);
      }
    }
  }
  return out;
}

/** The directives of one comment's text (after its `#`). */
function directivesIn(comment: string, ownLine: boolean, file: string, line: number): Directive[] {
  if (OURS.test(comment)) return [ours(comment.replace(OURS, ""), file, line)];
  const hadolint = ownLine ? HADOLINT.exec(comment) : null;
  if (hadolint) {
    const rules = hadolint[2]!.split(/\s*,\s*/);
    return [{ tool: "hadolint", rules, reason: hadolint[3]?.trim() || NO_REASON, wholeFile: hadolint[1] !== undefined }];
  }
  const checkov = CHECKOV.exec(comment);
  if (checkov) return [{ tool: "checkov", rules: checkov[1]!.split(","), reason: checkov[2]?.trim() || NO_REASON, wholeFile: true }];
  return trivy(comment, file, line);
}

/** `trivy:ignore:<id>[:exp:<date>]` words of a comment; the other words are the reason. */
function trivy(comment: string, file: string, line: number): Directive[] {
  const words = comment.split(/\s+/).filter((w) => w !== "");
  const found: Directive[] = [];
  const rest: string[] = [];
  for (const word of words) {
    const m = TRIVY.exec(word);
    if (!m) {
      rest.push(word);
      continue;
    }
    const sections = `ignore:${m[1]!}`.split(":");
    const d: Directive = { tool: "trivy", rules: [], reason: NO_REASON };
    for (let i = 0; i + 1 < sections.length; i += 2) {
      const [key, value] = [sections[i]!, sections[i + 1]!];
      if (key === "ignore") d.rules = [value.replace(/\[.*$/, "")].filter((id) => id !== "");
      if (key === "exp") {
        if (!isCalendarDate(value)) throw new InputError(file, `line ${line}`, `trivy:ignore exp: expected a date YYYY-MM-DD, got "${value}", which is no calendar day`);
        d.expires = value;
      }
    }
    if (d.rules.length) found.push(d);
  }
  const reason = rest.join(" ").replace(/^#+\s*/, "").trim();
  if (reason) for (const d of found) d.reason = reason;
  return found;
}

/** The rest of a `portcullis:ignore` comment: rule ids, then key=value pairs. */
function ours(rest: string, file: string, line: number): Directive {
  const fail = (detail: string): never => {
    throw new InputError(file, `line ${line}`, `portcullis:ignore: ${detail}`);
  };
  const ids = new RegExp(`^\\s+(${ID}(?:\\s*,\\s*${ID})*)(?=\\s|$)`).exec(rest);
  if (!ids) fail("expected rule ids after portcullis:ignore, such as PCS-K8S-001 or PCS-K8S-001,PCS-K8S-003");
  const rules = ids![1]!.split(/\s*,\s*/);
  const values = new Map<string, string>();
  const pair = new RegExp(PAIR.source, "y");
  let pos = ids![0].length;
  for (let m = matchAt(pair, rest, pos); m; m = matchAt(pair, rest, pos)) {
    const [key, raw] = [m[1]!, m[2]!];
    if (!(KEYS as readonly string[]).includes(key)) fail(`unknown key "${key}"; known keys: ${KEYS.join(", ")}`);
    if (values.has(key)) fail(`"${key}" given twice`);
    values.set(key, raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
    pos = pair.lastIndex;
  }
  const unread = rest.slice(pos).trim();
  if (unread !== "") fail(`expected key=value pairs (reason="…" expires=YYYY-MM-DD approvedBy=…), got "${unread}"`);
  const reason = values.get("reason")?.trim();
  if (!reason) fail('a reason is required: reason="why this is acceptable"');
  const d: Directive = { tool: "portcullis", rules, reason: reason! };
  const expires = values.get("expires");
  if (expires !== undefined) {
    if (!isCalendarDate(expires)) fail(`expires: expected a date YYYY-MM-DD, got "${expires}", which is no calendar day`);
    d.expires = expires;
  }
  const approvedBy = values.get("approvedBy");
  if (approvedBy !== undefined) d.approvedBy = approvedBy;
  return d;
}

function matchAt(sticky: RegExp, text: string, at: number): RegExpExecArray | null {
  sticky.lastIndex = at;
  return sticky.exec(text);
}
