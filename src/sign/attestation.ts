/**
 * The scan attestation: an in-toto Statement whose subject is the image's
 * manifest digest and whose predicate (type SCAN_PREDICATE_TYPE, documented
 * in docs/signing.md) summarises the scan, the risk score and, when a policy
 * was applied, its verdict. Later stages trust this instead of rescanning.
 */
import { InputError, SEVERITIES, type Severity } from "../common/index.js";
import type { RiskScore, Verdict } from "../policy/index.js";
import type { ImageReport } from "../scan/index.js";

export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
export const SCAN_PREDICATE_TYPE = "https://portcullis.dev/attestations/scan/v1";

export interface ScanPredicate {
  scanner: { name: "portcullis"; version: string };
  /** When the attestation was made (ISO 8601, UTC): its age is measured from here. */
  createdAt: string;
  /** `digest` is the attested manifest; for a multi-platform index, `scanned` is the platform's manifest the scan read. */
  image: { reference: string; digest: string; scanned?: { digest: string; platform?: string } };
  /** The vulnerability DB the findings came from (its update time), when vulnerabilities were scanned. */
  db?: { version: string };
  scanners: string[];
  summary: {
    packages: number;
    vulnerabilities: Record<Severity, number> & { total: number; fixable: number };
    misconfigurations: Record<Severity, number> & { total: number };
    secrets: number;
  };
  riskScore: { formula: string; stage: string; score: number; factors: { factor: string; points: number; max: number }[] };
  /** Present when a policy judged the image before attesting. */
  verdict?: { policy: { name: string; digest: string }; stage: string; allowed: boolean; denied: string[] };
}

export interface Statement<P = unknown> {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: P;
}

function bySeverity(findings: readonly { severity: Severity }[]): Record<Severity, number> & { total: number } {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return { ...counts, total: findings.length };
}

export function scanPredicate(report: ImageReport, digest: string, risk: RiskScore, verdict: Verdict | undefined, version: string, now: Date): ScanPredicate {
  const vulns = report.findings.filter((f) => f.kind === "vulnerability");
  return {
    scanner: { name: "portcullis", version },
    createdAt: now.toISOString(),
    image: {
      reference: report.target.reference,
      digest,
      ...(report.target.digest && report.target.digest !== digest ? { scanned: { digest: report.target.digest, ...(report.target.platform ? { platform: report.target.platform } : {}) } } : {}),
    },
    ...(report.db?.updatedAt ? { db: { version: report.db.updatedAt } } : {}),
    scanners: [...report.scanners],
    summary: {
      packages: report.summary.packages,
      vulnerabilities: { ...bySeverity(vulns), fixable: vulns.filter((f) => f.fixedVersion).length },
      misconfigurations: bySeverity(report.misconfigurations),
      secrets: report.secrets.length,
    },
    riskScore: { formula: risk.formula, stage: risk.stage, score: risk.score, factors: risk.factors.map((f) => ({ factor: f.factor, points: f.points, max: f.max })) },
    ...(verdict
      ? { verdict: { policy: { name: verdict.policy.name, digest: verdict.policy.digest }, stage: verdict.stage, allowed: verdict.allowed, denied: [...verdict.denied] } }
      : {}),
  };
}

/** The Statement for an image: `name` is the repository ("host/team/app"), `digest` its manifest digest. */
export function statementFor(name: string, digest: string, predicate: ScanPredicate): Statement<ScanPredicate> {
  const [alg, hex] = digest.split(":") as [string, string];
  return { _type: STATEMENT_TYPE, subject: [{ name, digest: { [alg]: hex } }], predicateType: SCAN_PREDICATE_TYPE, predicate };
}

/** Parses a Statement from verified envelope bytes; throws InputError naming the JSON path that is wrong. */
export function parseStatement(bytes: Buffer, where: string): Statement {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new InputError(where, undefined, `payload is not JSON (${(err as Error).message})`);
  }
  const s = doc as Partial<Statement>;
  if (typeof s?._type !== "string" || !s._type.startsWith("https://in-toto.io/Statement/")) throw new InputError(where, "$._type", "not an in-toto Statement");
  if (!Array.isArray(s.subject) || s.subject.length === 0) throw new InputError(where, "$.subject", "expected a non-empty list");
  s.subject.forEach((sub, i) => {
    if (typeof sub?.digest !== "object" || sub.digest === null) throw new InputError(where, `$.subject[${i}].digest`, "missing");
  });
  if (typeof s.predicateType !== "string") throw new InputError(where, "$.predicateType", "missing");
  return s as Statement;
}

/** Whether a Statement names `digest` ("sha256:…") among its subjects. */
export function statementCovers(s: Statement, digest: string): boolean {
  const [alg, hex] = digest.split(":") as [string, string];
  return s.subject.some((sub) => sub.digest[alg] === hex);
}
