/**
 * The risk score: one number from 0 to 100 for one image at one stage, with
 * the breakdown that produced it. Four factors — vulnerabilities, secrets,
 * privilege and exposure, misconfiguration — each add up weighted items into
 * a raw sum and turn it into points on a saturating curve below the factor's
 * cap, so the first critical moves the score a lot and the hundredth low
 * barely at all. Every weight is in RISK_MODEL and in docs/risk-score.md.
 * The same inputs give the same score whatever the order of the findings.
 */
import { severityRank, type Finding, type Severity } from "../common/index.js";
import type { PolicyImageConfig, PolicyInput, PolicyTool } from "./input.js";

/** Names the formula and its weights; bump the number when either changes, so scores of different versions are not compared. */
export const RISK_FORMULA = "portcullis-risk/1";

export type RiskFactorName = "vulnerabilities" | "secrets" | "privilege" | "misconfiguration";

export interface RiskContribution {
  /** "3 critical fixable in app layers", "runs as root", "ships bash, dash (shells)". */
  what: string;
  /** This item's share of its factor's points, one decimal. */
  points: number;
}

export interface RiskFactor {
  factor: RiskFactorName;
  /** This factor's share of the score, one decimal. */
  points: number;
  /** The factor's cap: its points approach it and never pass it. */
  max: number;
  /** Sum of the item weights before the curve. */
  raw: number;
  /** Largest first. */
  contributions: RiskContribution[];
}

export interface RiskScore {
  /** Integer 0-100: the rounded sum of the factors' unrounded points. */
  score: number;
  formula: string;
  /** The stage the score was computed for: its findings are those left after the stage's exceptions and VEX. */
  stage: string;
  factors: RiskFactor[];
}

type ToolCategory = PolicyTool["category"];

/** Every number of the formula. points = cap × (1 − e^(−raw / k)). */
export const RISK_MODEL = {
  factors: {
    vulnerabilities: { cap: 40, k: 25 },
    secrets: { cap: 25, k: 10 },
    privilege: { cap: 20, k: 10 },
    misconfiguration: { cap: 15, k: 10 },
  },
  /** Weight of one vulnerability, secret or misconfiguration by its severity. */
  severity: { critical: 10, high: 5, medium: 2, low: 0.5, negligible: 0.1, unknown: 0.1 } satisfies Record<Severity, number>,
  /** Vulnerabilities: × this when no fixed version exists (not-fixed, will-not-fix, end-of-life, unknown). */
  withoutFix: 0.5,
  /** Vulnerabilities: × this when the package is in a base image layer. */
  inBase: 0.5,
  privilege: {
    root: 5,
    sshPort: 3,
    setuidFile: 0.25,
    /** Once per category shipped, however many tools of it. */
    tools: { shell: 2, "package-manager": 3, compiler: 3, debugger: 3, "network-tool": 2 } satisfies Record<ToolCategory, number>,
  },
  /** Misconfiguration rules that privilege already counts: root user, SSH port, setuid files, shipped tools. */
  countedByPrivilege: ["PCS-IMG-001", "PCS-IMG-002", "PCS-IMG-003", "PCS-IMG-005", "PCS-IMG-006", "PCS-IMG-007", "PCS-IMG-008", "PCS-IMG-009"],
} as const;

const TOOL_LABELS: Record<ToolCategory, string> = {
  shell: "shells",
  "package-manager": "package managers",
  compiler: "compilers",
  debugger: "debuggers",
  "network-tool": "network tools",
};
const TOOL_ORDER: readonly ToolCategory[] = ["shell", "package-manager", "compiler", "debugger", "network-tool"];

const COUNTED_BY_PRIVILEGE: ReadonlySet<string> = new Set(RISK_MODEL.countedByPrivilege);

export const NO_CONFIG = "no image configuration (SBOM): not assessed";

/** One line of a factor before the curve: what, and its weight. */
interface Item {
  what: string;
  raw: number;
  /** Orders items of equal weight: severity, then the text. */
  rank: number;
}

/**
 * The score of `input` at `stage`. `input.findings` must be the stage's
 * findings — after its exceptions and VEX — which is all that makes the
 * score differ between stages: the formula is the same for every stage.
 */
export function riskScore(input: PolicyInput, stage: string): RiskScore {
  const misconfigs = input.findings.filter((f) => f.kind === "misconfig" && !COUNTED_BY_PRIVILEGE.has(f.id));
  const parts: [RiskFactorName, Item[], string?][] = [
    ["vulnerabilities", vulnerabilityItems(input)],
    ["secrets", ruleItems(input.findings.filter((f) => f.kind === "secret"), " secret")],
    input.config ? ["privilege", privilegeItems(input.config, input)] : ["privilege", [], NO_CONFIG],
    ["misconfiguration", ruleItems(misconfigs, "")],
  ];
  let total = 0;
  const factors = parts.map(([name, items, note]) => {
    const { cap, k } = RISK_MODEL.factors[name];
    items.sort((a, b) => b.raw - a.raw || a.rank - b.rank || (a.what < b.what ? -1 : a.what > b.what ? 1 : 0));
    const raw = items.reduce((sum, i) => sum + i.raw, 0);
    const points = cap * (1 - Math.exp(-raw / k));
    total += points;
    const contributions = items.map((i) => ({ what: i.what, points: tenths((points * i.raw) / raw) }));
    if (note !== undefined) contributions.push({ what: note, points: 0 });
    return { factor: name, points: tenths(points), max: cap, raw: Math.round(raw * 1000) / 1000, contributions };
  });
  return { score: Math.min(100, Math.max(0, Math.round(total))), formula: RISK_FORMULA, stage, factors };
}

/** A severity outside the list (a hand-edited report) weighs as unknown rather than spoiling the sum. */
function weightOf(severity: Severity): number {
  return (RISK_MODEL.severity as Partial<Record<string, number>>)[severity] ?? RISK_MODEL.severity.unknown;
}

function tenths(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Counts findings under a key; the items are built from the counts, so the order of the findings cannot matter. */
function countBy<T>(values: readonly T[], key: (v: T) => string): Map<string, { first: T; n: number }> {
  const counts = new Map<string, { first: T; n: number }>();
  for (const v of values) {
    const k = key(v);
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { first: v, n: 1 });
  }
  return counts;
}

function vulnerabilityItems(input: PolicyInput): Item[] {
  const base = new Set(input.baseLayers === undefined ? [] : input.layers.slice(0, Math.max(0, input.baseLayers)));
  const vulns = input.findings.filter((f) => f.kind === "vulnerability").map((f) => {
    const layer = f.layer ?? f.location?.layer;
    return { severity: f.severity, fixable: Boolean(f.fixedVersion) || f.status === "fixed", inBase: layer !== undefined && base.has(layer) };
  });
  return [...countBy(vulns, (v) => `${v.severity} ${v.fixable} ${v.inBase}`).values()].map(({ first: v, n }) => ({
    what: `${n} ${v.severity} ${v.fixable ? "fixable" : "without a fix"} in ${v.inBase ? "base image" : "app"} layers`,
    raw: n * weightOf(v.severity) * (v.fixable ? 1 : RISK_MODEL.withoutFix) * (v.inBase ? RISK_MODEL.inBase : 1),
    rank: severityRank(v.severity),
  }));
}

/** Secrets and misconfigurations: one item per rule and severity, "2 critical secret PCS-SEC-001 (AWS access key ID)". */
function ruleItems(findings: readonly Finding[], noun: string): Item[] {
  // Sorted by title first, so a group's title is its smallest whatever the order of the findings.
  const byTitle = [...findings].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  return [...countBy(byTitle, (f) => `${f.severity} ${f.id}`).values()].map(({ first, n }) => ({
    what: `${n} ${first.severity}${noun} ${first.id}${first.title ? ` (${first.title})` : ""}`,
    raw: n * weightOf(first.severity),
    rank: severityRank(first.severity),
  }));
}

function isRoot(user: string): boolean {
  const name = (user.split(":")[0] ?? "").trim();
  return name === "" || name === "root" || name === "0";
}

function privilegeItems(config: PolicyImageConfig, input: PolicyInput): Item[] {
  const w = RISK_MODEL.privilege;
  const items: Item[] = [];
  if (isRoot(config.user)) items.push({ what: config.user.trim() === "" ? "runs as root (no user set)" : `runs as root (user "${config.user}")`, raw: w.root, rank: 0 });
  const ssh = [...new Set(config.exposedPorts.filter((p) => /^22(\/tcp)?$/i.test(p.trim())))].sort();
  if (ssh.length > 0) items.push({ what: `exposes the SSH port (${ssh.join(", ")})`, raw: w.sshPort, rank: 1 });
  if (input.setuidFiles > 0) {
    items.push({ what: `${input.setuidFiles} setuid or setgid file${input.setuidFiles === 1 ? "" : "s"}`, raw: input.setuidFiles * w.setuidFile, rank: 2 });
  }
  TOOL_ORDER.forEach((category, i) => {
    const names = [...new Set(input.tools.filter((t) => t.category === category).map((t) => t.tool))].sort();
    if (names.length > 0) items.push({ what: `ships ${names.join(", ")} (${TOOL_LABELS[category]})`, raw: w.tools[category], rank: 3 + i });
  });
  return items;
}
