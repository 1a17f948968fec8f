/**
 * What a suppression is, wherever it was written: a `.portcullisignore`
 * entry, a comment in the scanned file, an annotation of a Kubernetes object,
 * or another tool's form of the same (Trivy, Hadolint, Checkov, kube-linter)
 * carried over. One shape for all, so matching, expiry and reporting have one
 * implementation and the report can always say where a suppression came from.
 *
 * Expiry: `expires` is a calendar date (YYYY-MM-DD, UTC). A suppression
 * applies on the days before it; from that date on it is expired, never
 * suppresses, and is reported — the same reading as Trivy's `exp:` (an
 * ignore rule is valid while now is before the date).
 */
import type { FindingResource } from "../../common/index.js";

export type SuppressionKind = "ignore-file" | "comment" | "annotation";

/** Whose syntax the suppression was written in. */
export type SuppressionTool = "portcullis" | "trivy" | "hadolint" | "checkov" | "kube-linter";

export interface SuppressionOrigin {
  kind: SuppressionKind;
  tool: SuppressionTool;
  /** The file it was written in, as the caller named it. */
  file: string;
  /** 1-based line of the entry, comment or object. */
  line: number;
}

/**
 * One suppression. Every scope field present must match a finding for the
 * suppression to apply to it; a suppression with no scope applies to every
 * finding of its rule.
 */
export interface Suppression {
  /**
   * Our rule id (`PCS-K8S-001`), a glob over ours (`PCS-K8S-*`, `*`), or
   * another tool's id mapped to ours (`KSV-0017`, `CKV_K8S_16`, `DL3002`,
   * `privileged-container`), matched against the finding's aliases.
   */
  rule: string;
  reason: string;
  /** YYYY-MM-DD: the first day the suppression no longer applies. */
  expires?: string;
  approvedBy?: string;
  origin: SuppressionOrigin;
  /** Glob over the finding's path (`*`, `**`, `?`), already resolved against the ignore file's folder. */
  path?: string;
  /** The one file the suppression was written in: in-file suppressions apply to that file only. */
  file?: string;
  /** In-file suppressions: the lines they cover; a finding matches when its first line is inside. */
  lines?: { from: number; to: number };
  /** `Kind/namespace/name` or `Kind/name` (any namespace); each part may use `*` and `?`. */
  resource?: string;
  /** Annotations: exactly this object (its namespace absent when the manifest leaves it out). */
  object?: FindingResource;
  /** Container name, `*` and `?` allowed. */
  container?: string;
  /** Diff id of an image layer, `sha256:` and at least 12 hex digits: the full id or its start. */
  layer?: string;
}

/** The reason of a carried-over suppression whose tool asks for none and got none. */
export const NO_REASON = "no reason given";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for YYYY-MM-DD strings that name a day of the calendar: `2027-02-30` is not one. */
export function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The UTC calendar day of an instant, as YYYY-MM-DD (which sorts as dates do). */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** True once `today` has reached the suppression's expiry date. */
export function isExpired(s: Pick<Suppression, "expires">, today: Date): boolean {
  return s.expires !== undefined && dayOf(today) >= s.expires;
}

/** "deploy.yaml:12", ".portcullisignore:4": where a suppression was written, for messages. */
export function originText(s: Suppression): string {
  return `${s.origin.file}:${s.origin.line}`;
}
