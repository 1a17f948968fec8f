/**
 * The rule catalog as a Markdown page (docs/rules.md), written from the same
 * list the checks run, so the documentation cannot drift from the code: a test
 * compares the committed page with this output.
 */
import { mappingEntries, type RuleMappings, type RuleMeta } from "../common/index.js";
import { familyOf, RULE_FAMILIES, type RuleFamily } from "./catalog.js";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
}

function mappings(m: RuleMappings): string {
  return mappingEntries(m, (id) => `\`${id}\``).join("; ");
}

export function catalogMarkdown(rules: readonly RuleMeta[]): string {
  const out = [
    "# Rule catalog",
    "",
    "Every misconfiguration, image and secret rule of Portcullis: its stable id, severity, why it matters, what to change, and the ids of the same check in other tools (a suppression written for one of those ids applies to ours).",
    "This page is generated from the code by `npm run docs:rules`; `portcullis rules list` and `portcullis rules show ID` print the same.",
    "",
  ];
  for (const family of Object.keys(RULE_FAMILIES) as RuleFamily[]) {
    const inFamily = rules.filter((r) => familyOf(r.id) === family);
    if (inFamily.length === 0) continue;
    out.push(`## ${RULE_FAMILIES[family][0]!.toUpperCase()}${RULE_FAMILIES[family].slice(1)}`, "", "| ID | Severity | Title | Same as |", "| --- | --- | --- | --- |");
    for (const r of inFamily) out.push(`| [${r.id}](#${r.id.toLowerCase()}) | ${r.severity} | ${cell(r.title)} | ${cell(mappings(r.mappings))} |`);
    out.push("");
    for (const r of inFamily) {
      out.push(`### ${r.id}`, "", `**${r.title}** (${r.severity})`, "", r.why, "", `*Remediation:* ${r.remediation}`, "");
      const m = mappings(r.mappings);
      if (m) out.push(`*Same as:* ${m}`, "");
      if (r.references.length) out.push(...r.references.map((ref) => `- <${ref}>`), "");
    }
  }
  return out.join("\n");
}
