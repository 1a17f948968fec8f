/**
 * Applying suppressions to findings: which findings stay, which are
 * suppressed and by what, which suppressions have expired (they never
 * suppress; the findings they would have covered are reported again), and
 * which matched nothing (stale entries worth deleting).
 *
 * Pure: `today` is a parameter, so the same inputs give the same answer on
 * any day, in tests as in CI.
 */
import type { Finding } from "../../common/index.js";
import { suppressionMatches } from "./match.js";
import { isExpired, originText, type Suppression } from "./suppression.js";

export interface SuppressedFinding {
  finding: Finding;
  /** The first suppression, in the order given, that covers the finding. */
  by: Suppression;
}

export interface ExpiredSuppression {
  suppression: Suppression;
  /** The findings it would cover if it had not expired and nothing else covers: reported again because it expired. */
  findings: Finding[];
}

export interface Suppressed {
  /** The findings no suppression covers, in their order. */
  findings: Finding[];
  suppressed: SuppressedFinding[];
  expired: ExpiredSuppression[];
  /** Suppressions in force that cover no finding. */
  unused: Suppression[];
}

export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], today: Date): Suppressed {
  const expired = new Map<Suppression, Finding[]>();
  const active: Suppression[] = [];
  for (const s of suppressions) {
    if (isExpired(s, today)) expired.set(s, []);
    else active.push(s);
  }
  const used = new Set<Suppression>();
  const result: Suppressed = { findings: [], suppressed: [], expired: [], unused: [] };
  for (const finding of findings) {
    let by: Suppression | undefined;
    for (const s of active) {
      if (!suppressionMatches(s, finding)) continue;
      by ??= s;
      used.add(s);
    }
    if (by) {
      result.suppressed.push({ finding, by });
      continue;
    }
    result.findings.push(finding);
    for (const [s, covered] of expired) if (suppressionMatches(s, finding)) covered.push(finding);
  }
  result.expired = [...expired].map(([suppression, covered]) => ({ suppression, findings: covered }));
  result.unused = active.filter((s) => !used.has(s));
  return result;
}

/**
 * "suppression of PCS-K8S-001 in deploy.yaml:12 expired on 2026-01-31; the
 * finding is reported again": what the CLI prints for an expired suppression.
 */
export function expiredNotice(e: ExpiredSuppression): string {
  const { suppression: s, findings } = e;
  const head = `suppression of ${s.rule} in ${originText(s)} expired on ${s.expires}`;
  if (findings.length === 0) return `${head}; remove or renew it`;
  return `${head}; ${findings.length === 1 ? "the finding is" : `its ${findings.length} findings are`} reported again`;
}

/** "suppression of PCS-K8S-001 in deploy.yaml:12 matches no finding": for stale entries. */
export function unusedNotice(s: Suppression): string {
  return `suppression of ${s.rule} in ${originText(s)} matches no finding`;
}
