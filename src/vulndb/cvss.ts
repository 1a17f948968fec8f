/**
 * CVSS vectors to base scores and ratings (v2, v3.0, v3.1, v4.0), and
 * vendors' severity words to ratings.
 *
 * Scores come from ae-cvss-calculator. That library forgives what the
 * specifications forbid (a metric given twice: the last one wins; a base
 * metric left out: the score silently becomes 0), so the vector's syntax is
 * checked here first, and a vector that is not one is refused with an
 * InputError naming the bad part. Callers turn it into a warning and keep
 * the rest of the record.
 *
 * The score is the base score. Temporal and environmental metrics (v2, v3)
 * and threat, environmental and supplemental metrics (v4) are checked but do
 * not change it: they describe a moment or a deployment, not the flaw, and a
 * feed's copy of them goes stale. For v4 this is the CVSS-B score.
 *
 * Ratings: v3.x and v4.0 use the specifications' bands, with their None band
 * (0.0) as "negligible": low 0.1-3.9, medium 4.0-6.9, high 7.0-8.9, critical
 * 9.0-10.0. v2 has neither None nor Critical; NVD's v2 bands are low 0.0-3.9,
 * medium 4.0-6.9, high 7.0-10.0, so a v2 0.0 is "low".
 */
import cvss from "ae-cvss-calculator";
import { InputError } from "../common/index.js";
import type { Severity, SeverityRating } from "./model.js";

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvss;

/** The longest real vector (v4 with every optional metric) is under 300 characters. */
export const MAX_VECTOR_CHARS = 512;

type Version = "2.0" | "3.0" | "3.1" | "4.0";

/** What this module uses of the library's vector classes. */
interface MetricTable {
  findComponent(name: string): { shortName: string; values: readonly { shortName: string }[] } | undefined;
  applyComponentString(name: string, value: string, notifyListeners?: boolean): boolean;
}

/** One CVSS version: its base metrics, its "Not Defined" value, and a fresh vector to fill and score. */
interface Scheme {
  type: Severity["type"];
  /** Base metrics, all required. */
  base: readonly string[];
  /** The value meaning "Not Defined", which no base metric may take. */
  notDefined: string;
  create(): { vector: MetricTable; baseScore(): number | undefined };
}

const V3_BASE = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"] as const;

const SCHEMES: Record<Version, Scheme> = {
  "2.0": {
    type: "CVSS_V2",
    base: ["AV", "AC", "Au", "C", "I", "A"],
    notDefined: "ND",
    create: () => {
      const vector = new Cvss2();
      return { vector, baseScore: () => vector.calculateScores().base };
    },
  },
  "3.0": {
    type: "CVSS_V3",
    base: V3_BASE,
    notDefined: "X",
    create: () => {
      const vector = new Cvss3P0();
      return { vector, baseScore: () => vector.calculateScores().base };
    },
  },
  "3.1": {
    type: "CVSS_V3",
    base: V3_BASE,
    notDefined: "X",
    create: () => {
      const vector = new Cvss3P1();
      return { vector, baseScore: () => vector.calculateScores().base };
    },
  },
  "4.0": {
    type: "CVSS_V4",
    base: ["AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"],
    notDefined: "X",
    create: () => {
      const vector = new Cvss4P0();
      // `base` is the score of the whole vector (CVSS-BT when it carries E:); `baseMetricsOnly` is CVSS-B.
      return { vector, baseScore: () => vector.calculateScores().baseMetricsOnly };
    },
  },
};

/** v3 and v4: the specifications' bands. */
function bandOf(score: number): SeverityRating {
  return score >= 9 ? "critical" : score >= 7 ? "high" : score >= 4 ? "medium" : score > 0 ? "low" : "negligible";
}

/** v2: NVD's bands, which have no critical and no none. */
function band2Of(score: number): SeverityRating {
  return score >= 7 ? "high" : score >= 4 ? "medium" : "low";
}

/** The version and the metric part of a vector: "CVSS:3.1/AV:N/…", "CVSS:4.0/…", or v2's bare "AV:N/…" (NVD also writes it in parentheses). */
function split(text: string): { version: Version; metrics: string } | string {
  const prefixed = /^CVSS:(\d+\.\d+)\/(.*)$/s.exec(text);
  if (prefixed) {
    const version = prefixed[1]!;
    if (version === "3.0" || version === "3.1" || version === "4.0") return { version, metrics: prefixed[2]! };
    return `CVSS version ${version} is not one of 2.0, 3.0, 3.1, 4.0`;
  }
  const bare = /^\((.*)\)$/s.exec(text)?.[1] ?? text;
  if (bare.startsWith("AV:")) return { version: "2.0", metrics: bare };
  return 'not a CVSS vector: expected "CVSS:3.1/…", "CVSS:3.0/…", "CVSS:4.0/…" or a v2 vector "AV:…"';
}

/**
 * Scores `vector` and rates the score; `source` says who published the
 * vector ("nvd", "ghsa", …). Throws an InputError (`CVSS vector "…": what is
 * wrong`) for anything that is not a complete, valid vector of a version
 * we score.
 */
export function severityFromVector(source: string, vector: string): Severity {
  const text = vector.trim();
  const refuse = (detail: string): never => {
    throw new InputError(`CVSS vector ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`, undefined, detail);
  };
  if (text.length > MAX_VECTOR_CHARS) refuse(`longer than ${MAX_VECTOR_CHARS} characters`);
  const parts = split(text);
  if (typeof parts === "string") return refuse(parts);
  const scheme = SCHEMES[parts.version];
  const { vector: vec, baseScore } = scheme.create();
  const given = new Map<string, string>();
  for (const part of parts.metrics.split("/")) {
    const pair = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!pair) return refuse(part === "" ? "empty metric (two slashes, or one at an end)" : `"${part}" is not a metric:value pair`);
    const [, name, value] = pair as unknown as [string, string, string];
    if (given.has(name)) return refuse(`metric ${name} given twice`);
    given.set(name, value);
    const component = vec.findComponent(name);
    // findComponent also takes long names ("Attack Vector"), which no vector uses.
    if (!component || component.shortName !== name) return refuse(`${name} is not a CVSS ${parts.version} metric`);
    if (!component.values.some((v) => v.shortName === value)) {
      return refuse(`${name}:${value} is not a value of ${name} (${component.values.map((v) => v.shortName).join(", ")})`);
    }
    vec.applyComponentString(name, value, false);
  }
  const missing = scheme.base.filter((m) => (given.get(m) ?? scheme.notDefined) === scheme.notDefined);
  if (missing.length > 0) return refuse(`base metric${missing.length > 1 ? "s" : ""} ${missing.join(", ")} missing`);
  const score = baseScore();
  if (typeof score !== "number" || !Number.isFinite(score)) return refuse("no base score could be computed");
  return { source, type: scheme.type, vector: text, score, rating: scheme.type === "CVSS_V2" ? band2Of(score) : bandOf(score) };
}

/**
 * Vendors' words, lower case. GitHub: LOW, MODERATE, HIGH, CRITICAL. Debian
 * urgency: unimportant, low, medium, high, "not yet assigned", "end-of-life"
 * (a support state, not a severity). Red Hat and AlmaLinux/Rocky: Low,
 * Moderate, Important, Critical. Ubuntu priorities: negligible, low, medium,
 * high, critical, untriaged. CVSS's own names: none … critical. Go and PyPA
 * publish no severity word (their records carry CVSS vectors, if anything).
 */
const WORDS: ReadonlyMap<string, SeverityRating> = new Map([
  ["critical", "critical"],
  ["high", "high"],
  ["important", "high"],
  ["medium", "medium"],
  ["moderate", "medium"],
  ["low", "low"],
  ["negligible", "negligible"],
  ["unimportant", "negligible"],
  ["none", "negligible"],
  ["not yet assigned", "unknown"],
  ["end-of-life", "unknown"],
  ["untriaged", "unknown"],
  ["unknown", "unknown"],
]);

/** Lower case, single spaces, and without the trailing "*" (or "**") Debian adds when an urgency is uncertain. */
function wordKey(word: string): string {
  return word.trim().replace(/\*+$/, "").trim().toLowerCase().replace(/\s+/g, " ");
}

/** A vendor's severity word as a rating; words we do not know are "unknown" (see isSeverityWord). */
export function ratingFromText(word: string): SeverityRating {
  return WORDS.get(wordKey(word)) ?? "unknown";
}

/** True for the words ratingFromText knows, so a parser can warn about the others. */
export function isSeverityWord(word: string): boolean {
  return WORDS.has(wordKey(word));
}
