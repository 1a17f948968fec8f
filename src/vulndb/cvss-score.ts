/**
 * CVSS vectors to scores and ratings, with ae-cvss-calculator (v2, v3.0,
 * v3.1, v4.0). The library reads partial vectors without complaint, so a
 * vector without a base score is refused here: a finding must not carry a
 * score its vector cannot justify.
 */
import cvss from "ae-cvss-calculator";
import type { Severity, SeverityRating } from "./model.js";

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvss;

/** v3 and v4 bands (FIRST): none 0, low 0.1-3.9, medium 4-6.9, high 7-8.9, critical 9-10. */
function band3(score: number): SeverityRating {
  return score >= 9 ? "critical" : score >= 7 ? "high" : score >= 4 ? "medium" : score > 0 ? "low" : "negligible";
}

/** v2 has no critical: low 0-3.9, medium 4-6.9, high 7-10 (NVD's bands). */
function band2(score: number): SeverityRating {
  return score >= 7 ? "high" : score >= 4 ? "medium" : score > 0 ? "low" : "negligible";
}

/** Scores `vector`; throws an Error saying what is wrong with it. */
export function severityFromVector(source: string, vector: string): Severity {
  const text = vector.trim();
  let type: Severity["type"];
  let base: number | undefined;
  try {
    if (text.startsWith("CVSS:4.0/")) {
      type = "CVSS_V4";
      base = new Cvss4P0(text).calculateScores().base;
    } else if (text.startsWith("CVSS:3.1/")) {
      type = "CVSS_V3";
      base = new Cvss3P1(text).calculateScores().base;
    } else if (text.startsWith("CVSS:3.0/")) {
      type = "CVSS_V3";
      base = new Cvss3P0(text).calculateScores().base;
    } else if (/^\(?AV:[LAN]\//.test(text)) {
      type = "CVSS_V2";
      base = new Cvss2(text.replace(/^\(|\)$/g, "")).calculateScores().base;
    } else {
      throw new Error("not a CVSS v2, v3.0, v3.1 or v4.0 vector");
    }
  } catch (err) {
    throw new Error(`bad CVSS vector "${vector}": ${(err as Error).message}`, { cause: err });
  }
  if (typeof base !== "number" || Number.isNaN(base)) throw new Error(`bad CVSS vector "${vector}": base metrics missing`);
  return { source, type, vector: text, score: base, rating: type === "CVSS_V2" ? band2(base) : band3(base) };
}

const WORDS: Record<string, SeverityRating> = {
  critical: "critical",
  high: "high",
  important: "high",
  moderate: "medium",
  medium: "medium",
  low: "low",
  unimportant: "negligible",
  negligible: "negligible",
  none: "negligible",
  "not yet assigned": "unknown",
  unknown: "unknown",
};

/** A vendor's severity word (GHSA MODERATE, Debian urgency "low*", Red Hat Important) as a rating. */
export function ratingFromText(word: string): SeverityRating {
  return WORDS[word.trim().toLowerCase().replace(/\*+$/, "").trim()] ?? "unknown";
}
