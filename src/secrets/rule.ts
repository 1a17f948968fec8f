/**
 * A secret rule: its catalog entry, the keywords of the prefilter, and the
 * smallest function that finds candidates in a text. Rules never read files
 * and never print; `scanText` runs them, applies allow rules and redaction,
 * and makes the matches.
 */
import { RULE_ID, type RuleMeta } from "../common/index.js";

export { metaOf } from "../common/index.js";

/** One place a rule found something in a text. */
export interface Candidate {
  /** Offsets of the secret in the text, end exclusive: replaced by its redacted form wherever the text is shown. */
  start: number;
  end: number;
  /** What is fingerprinted and what allow rules test; the text of the span when absent. */
  secret?: string;
  /** Leading text that may be printed: a token's fixed marker (`ghp_`), a key's BEGIN line. */
  shown?: string;
  /** Seen but not reported (a short or plain value under a secret-looking key): only masked where the text is shown. */
  maskOnly?: boolean;
}

export interface SecretRule extends RuleMeta {
  /**
   * Lower-case strings one of which occurs, in any case, in every text the
   * rule can match: the prefilter that spares running `find` on most files.
   */
  readonly keywords: readonly string[];
  /**
   * Every candidate in the text. Pure, and linear in the text: bounded
   * quantifiers, no nested ones, no scan restarted from every position.
   */
  find(text: string): Candidate[];
  /**
   * A catch-all (the generic assignment rule): where its match overlaps a
   * match of any other rule, the other one is reported, even when less severe.
   */
  readonly fallback?: boolean;
}

/** A rule, with its id and keywords checked once at load time rather than found wrong in a report. */
export function defineSecretRule(rule: SecretRule): SecretRule {
  if (!RULE_ID.test(rule.id) || !rule.id.startsWith("PCS-SEC-")) throw new Error(`secret rule id "${rule.id}" is not PCS-SEC-nnn`);
  if (rule.keywords.length === 0) throw new Error(`secret rule ${rule.id} has no keywords for the prefilter`);
  for (const k of rule.keywords) {
    if (k === "" || k !== k.toLowerCase()) throw new Error(`secret rule ${rule.id}: keyword "${k}" must be non-empty lower case`);
  }
  return rule;
}

export interface TokenRuleSpec extends RuleMeta {
  readonly keywords: readonly string[];
  /**
   * Global regexes whose whole match (or named group `secret`, with the `d`
   * flag) is the token. Start them with a look-behind and end them with a
   * look-ahead on the token's alphabet so only whole tokens match.
   */
  readonly patterns: readonly RegExp[];
  /** The fixed marker of a token that may be printed (`ghp_`); the length rule of `redact` when absent. */
  shown?(token: string): string;
  /** A last check on a matched token: structure the regex cannot say. */
  accept?(token: string): boolean;
}

/** A rule for tokens with a recognisable shape: one or more regexes and an optional last check. */
export function tokenRule(spec: TokenRuleSpec): SecretRule {
  for (const p of spec.patterns) {
    if (!p.global) throw new Error(`secret rule ${spec.id}: pattern ${String(p)} needs the g flag`);
  }
  const { patterns, shown, accept, keywords, ...meta } = spec;
  return defineSecretRule({
    ...meta,
    keywords,
    find(text) {
      const out: Candidate[] = [];
      for (const pattern of patterns) {
        for (const m of text.matchAll(pattern)) {
          const span = m.indices?.groups?.["secret"] ?? [m.index, m.index + m[0].length];
          const token = text.slice(span[0], span[1]);
          if (accept && !accept(token)) continue;
          const c: Candidate = { start: span[0], end: span[1] };
          if (shown) c.shown = shown(token);
          out.push(c);
        }
      }
      return out;
    },
  });
}
