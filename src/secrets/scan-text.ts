/**
 * Scan one text for secrets: the prefilter picks the rules whose keywords
 * occur, each rule finds candidates, overlapping candidates are settled (a
 * specific rule beats the generic one, then the more severe rule, then the
 * earlier one in the catalog wins), allow rules drop documented examples and
 * the caller's exceptions, and every match is redacted. Nothing here prints
 * or keeps a secret: a match holds its redacted form, a fingerprint and a
 * context line in which every secret seen on it is redacted too.
 */
import { severityRank, type RuleMeta } from "../common/index.js";
import { BUILTIN_ALLOW, allowedBy, pathAllowedBy, type AllowList } from "./allow.js";
import { MASK, fingerprintOf, redact } from "./redact.js";
import { metaOf, type Candidate, type SecretRule } from "./rule.js";
import { SECRET_RULES } from "./rules.js";

export interface ScanOptions {
  /** The file the text came from: tested by path allow rules and copied into matches. */
  path?: string;
  /** The rules to run; `SECRET_RULES` by default. */
  rules?: readonly SecretRule[];
  /** The caller's allow rules, applied after the built-in ones. */
  allow?: AllowList;
  /** `false` drops `BUILTIN_ALLOW` (documented example values), as for testing rules. */
  builtinAllow?: boolean;
}

export interface SecretMatch {
  rule: RuleMeta;
  path?: string;
  /** 1-based first and last line of the secret (a private key spans its block). */
  line: number;
  endLine: number;
  /** 1-based column of the secret's first character on `line`, in UTF-16 code units. */
  column: number;
  /** Offsets of the redacted span in the text (UTF-16 code units, end exclusive): where `redactSecrets` puts `redacted`. */
  start: number;
  end: number;
  /** `ghp_****… (sha256:1a2b3c4d5e6f7a8b)`: what may be printed of the secret. */
  redacted: string;
  /** `sha256:` and 16 hex digits of the secret's sha256: the same secret found elsewhere has the same fingerprint. */
  fingerprint: string;
  /** The line around the secret with every secret seen on it redacted, cut to about 120 characters around it. */
  context: string;
}

/** Characters of context kept on each side of a secret on a long line. */
const CONTEXT_RADIUS = 60;

interface Found extends Candidate {
  rule: number;
  secret: string;
}

export function scanText(text: string, opts: ScanOptions = {}): SecretMatch[] {
  const allow: AllowList = [...(opts.builtinAllow === false ? [] : BUILTIN_ALLOW), ...(opts.allow ?? [])];
  if (opts.path !== undefined && pathAllowedBy(opts.path, allow)) return [];
  const rules = opts.rules ?? SECRET_RULES;

  const found: Found[] = [];
  const present = keywordsIn(text, rules);
  rules.forEach((rule, r) => {
    if (!rule.keywords.some((k) => present.has(k))) return;
    for (const c of rule.find(text)) {
      if (c.end <= c.start) continue;
      found.push({ ...c, rule: r, secret: c.secret ?? text.slice(c.start, c.end) });
    }
  });
  if (found.length === 0) return [];

  const spans = [...found].sort((a, b) => a.start - b.start || b.end - a.end);
  const winners = settleOverlaps(
    spans.filter((f) => !f.maskOnly),
    rules,
  ).filter((f) => {
    const rule = rules[f.rule];
    return rule !== undefined && !allowedBy(rule.id, f.secret, opts.path, allow);
  });
  if (winners.length === 0) return [];

  const lines = new LineIndex(text);
  const redactions = new Map<Found, string>();
  const redactionOf = (f: Found): string => {
    let s = redactions.get(f);
    if (s === undefined) {
      s = f.maskOnly ? MASK : redact(f.secret, f.shown);
      redactions.set(f, s);
    }
    return s;
  };
  const longestSpan = spans.reduce((n, f) => Math.max(n, f.end - f.start), 0);
  const metas = new Map<number, RuleMeta>();

  return winners.map((f) => {
    let meta = metas.get(f.rule);
    if (!meta) {
      meta = metaOf(rules[f.rule] as SecretRule);
      metas.set(f.rule, meta);
    }
    const line = lines.lineOf(f.start);
    const match: SecretMatch = {
      rule: meta,
      line,
      endLine: lines.lineOf(f.end - 1),
      column: f.start - lines.startOf(line) + 1,
      start: f.start,
      end: f.end,
      redacted: redactionOf(f),
      fingerprint: fingerprintOf(f.secret),
      context: contextOf(text, lines, f, spans, longestSpan, redactionOf),
    };
    if (opts.path !== undefined) match.path = opts.path;
    return match;
  });
}

interface KeywordSearch {
  /** Every keyword of the rules, longest first, in one case-insensitive regex. */
  regex: RegExp;
  count: number;
  /** A keyword found means the keywords inside it are there too (`_password` holds `pass`). */
  inside: Map<string, string[]>;
}

const keywordSearches = new WeakMap<readonly SecretRule[], KeywordSearch>();

function keywordSearchOf(rules: readonly SecretRule[]): KeywordSearch {
  let search = keywordSearches.get(rules);
  if (!search) {
    const keywords = [...new Set(rules.flatMap((r) => r.keywords))].sort((a, b) => b.length - a.length);
    const escaped = keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&"));
    search = {
      regex: new RegExp(escaped.join("|") || "(?!)", "gi"),
      count: keywords.length,
      inside: new Map(keywords.map((k) => [k, keywords.filter((o) => o !== k && k.includes(o))])),
    };
    keywordSearches.set(rules, search);
  }
  return search;
}

/**
 * The prefilter: which of the rules' keywords occur in the text, in any case,
 * found in one pass of one regex (longest keyword first at each position,
 * the ones inside it implied) that stops once every keyword was seen.
 */
function keywordsIn(text: string, rules: readonly SecretRule[]): Set<string> {
  const { regex, count, inside } = keywordSearchOf(rules);
  const re = new RegExp(regex);
  const present = new Set<string>();
  let m: RegExpExecArray | null;
  while (present.size < count && (m = re.exec(text)) !== null) {
    const k = m[0].toLowerCase();
    if (!present.has(k)) {
      present.add(k);
      for (const o of inside.get(k) ?? []) present.add(o);
    }
    re.lastIndex = m.index + 1;
  }
  return present;
}

/**
 * Of candidates whose spans overlap, keep one of a specific rule over one of
 * a fallback rule, then the most severe, then the one of the earlier rule:
 * `STRIPE_KEY=sk_test_…` is a Stripe test key, not a generic secret; a
 * service-account JSON's key is not also a bare private key. Candidates are
 * taken in clusters of overlapping spans (sorted by start).
 */
function settleOverlaps(sorted: readonly Found[], rules: readonly SecretRule[]): Found[] {
  const out: Found[] = [];
  const rank = (f: Found): number => {
    const rule = rules[f.rule];
    return (rule?.fallback ? 1_000_000 : 0) + severityRank(rule?.severity ?? "unknown") * 10_000 + f.rule;
  };
  let cluster: Found[] = [];
  let clusterEnd = -1;
  const flush = (): void => {
    if (cluster.length === 1) out.push(cluster[0] as Found);
    else if (cluster.length > 1) {
      const kept: Found[] = [];
      for (const f of [...cluster].sort((a, b) => rank(a) - rank(b) || a.start - b.start)) {
        if (kept.every((k) => f.end <= k.start || k.end <= f.start)) kept.push(f);
      }
      out.push(...kept.sort((a, b) => a.start - b.start));
    }
    cluster = [];
  };
  for (const f of sorted) {
    if (f.start >= clusterEnd) flush();
    cluster.push(f);
    clusterEnd = Math.max(clusterEnd, f.end);
  }
  flush();
  return out;
}

/** 1-based lines of a text, from the offsets of its line feeds (CR LF and LF both end a line). */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  startOf(line: number): number {
    return this.starts[line - 1] as number;
  }
  /** Offset of the end of a line, before its CR LF or LF. */
  endOf(line: number): number {
    let e = line < this.starts.length ? (this.starts[line] as number) - 1 : this.text.length;
    if (e > 0 && this.text.charCodeAt(e - 1) === 13 && e - 1 >= this.startOf(line)) e--;
    return e;
  }
}

/** The lines of a secret, every span on them replaced by its redaction, cut around the secret when long, made printable. */
function contextOf(
  text: string,
  lines: LineIndex,
  f: Found,
  spans: readonly Found[],
  longestSpan: number,
  redactionOf: (f: Found) => string,
): string {
  const lineStart = lines.startOf(lines.lineOf(f.start));
  const lineEnd = lines.endOf(lines.lineOf(f.end - 1));
  let left = lineStart;
  let right = lineEnd;
  if (lineEnd - lineStart - (f.end - f.start) > 2 * CONTEXT_RADIUS) {
    left = Math.max(lineStart, f.start - CONTEXT_RADIUS);
    right = Math.min(lineEnd, f.end + CONTEXT_RADIUS);
  }
  // The first span that may reach into [left, right): none starts more than longestSpan before it ends.
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((spans[mid] as Found).start < left - longestSpan) lo = mid + 1;
    else hi = mid;
  }
  let out = left > lineStart ? "…" : "";
  let pos = left;
  let redacted = false;
  for (let i = lo; i < spans.length; i++) {
    const s = spans[i] as Found;
    if (s.start >= right) break;
    if (s.end <= pos) continue;
    if (s.start > pos) out += text.slice(pos, s.start);
    // A span overlapping one already redacted is hidden with it, unless it is the match itself.
    if (s.start >= pos || s === f || !redacted) out += redactionOf(s);
    redacted = true;
    pos = s.end;
  }
  if (pos < right) out += text.slice(pos, right);
  if (right < lineEnd && pos < lineEnd) out += "…";
  return printable(out);
}

/** One line, safe for a terminal: line breaks and tabs become spaces; control and bidirectional-override characters become U+FFFD. */
function printable(s: string): string {
  return s
    .replace(/\r\n|[\r\n\t]/g, " ")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, "\uFFFD"); // eslint-disable-line no-control-regex
}

/**
 * The text with every secret found in it replaced by its redacted form: for
 * texts reports print whole, such as the build history of an image, which
 * holds the build arguments a RUN step used.
 */
export function redactSecrets(text: string, opts: ScanOptions = {}): string {
  const matches = scanText(text, opts);
  if (matches.length === 0) return text;
  let out = "";
  let at = 0;
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    if (m.start < at) continue;
    out += text.slice(at, m.start) + m.redacted;
    at = m.end;
  }
  return out + text.slice(at);
}
