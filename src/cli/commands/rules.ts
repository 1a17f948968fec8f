/** `portcullis rules list|show`: the rule catalog, as the checks run it. */
import { Command, InvalidArgumentError, Option } from "commander";
import { InputError, mappingEntries, type RuleMeta } from "../../common/index.js";
import { allRules, familyOf, findRules, RULE_FAMILIES, type RuleFamily } from "../../misconfig/catalog.js";
import { columns } from "../output/table.js";

const FAMILY_NAMES: Record<string, RuleFamily> = { k8s: "K8S", kubernetes: "K8S", dockerfile: "DF", df: "DF", compose: "CMP", cmp: "CMP", image: "IMG", img: "IMG", secret: "SEC", secrets: "SEC", sec: "SEC" };

function familyList(text: string): RuleFamily[] {
  return text.split(",").map((name) => {
    const family = FAMILY_NAMES[name.trim().toLowerCase()];
    if (!family) throw new InvalidArgumentError(`unknown rule family "${name}" (choose from k8s, dockerfile, compose, image, secret)`);
    return family;
  });
}

function listTable(rules: readonly RuleMeta[]): string {
  const rows = [["ID", "SEVERITY", "TITLE", "ALSO KNOWN AS"]];
  for (const r of rules) rows.push([r.id, r.severity.toUpperCase(), r.title, Object.values(r.mappings).flat().slice(0, 4).join(" ")]);
  return `${columns(rows)}\n${rules.length} rules\n`;
}

function showText(r: RuleMeta): string {
  const family = familyOf(r.id);
  const lines = [`${r.id}  ${r.title}`, `severity: ${r.severity}${family ? `   checks: ${RULE_FAMILIES[family]}` : ""}`, "", `Why: ${r.why}`, "", `Remediation: ${r.remediation}`];
  const mapped = mappingEntries(r.mappings);
  if (mapped.length) lines.push("", "Same as:", ...mapped.map((m) => `  ${m}`));
  if (r.references.length) lines.push("", "References:", ...r.references.map((ref) => `  ${ref}`));
  return lines.join("\n") + "\n";
}

export function rulesCommand(): Command {
  const rules = new Command("rules").description("the misconfiguration, image and secret rules: ids, severities, and their ids in other tools");
  rules
    .command("list")
    .description("list every rule (or the rules of some families)")
    .option("--family <list>", "only these families, comma-separated: k8s, dockerfile, compose, image, secret", familyList)
    .addOption(new Option("-f, --format <format>", "output format").choices(["table", "json"]).default("table"))
    .addHelpText(
      "after",
      `
Examples:
  portcullis rules list                       every rule
  portcullis rules list --family k8s,compose  only Kubernetes and compose rules
  portcullis rules list -f json | jq '.[] | select(.severity == "critical")'`,
    )
    .action((opts: { family?: RuleFamily[]; format: "table" | "json" }) => {
      const chosen = allRules().filter((r) => !opts.family || opts.family.includes(familyOf(r.id)!));
      process.stdout.write(opts.format === "json" ? JSON.stringify(chosen, null, 2) + "\n" : listTable(chosen));
    });
  rules
    .command("show")
    .description("explain one rule: why it matters, how to fix it, its ids in other tools")
    .argument("<id>", "our id (PCS-K8S-001) or another tool's (KSV-0017, CKV_K8S_16, DL3002, CIS-DI-0001)")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((id: string, opts: { format: "text" | "json" }) => {
      const found = findRules(id);
      if (found.length === 0) throw new InputError("rules", undefined, `no rule has the id "${id}"; see portcullis rules list`);
      process.stdout.write(opts.format === "json" ? JSON.stringify(found.length === 1 ? found[0] : found, null, 2) + "\n" : found.map(showText).join("\n"));
    });
  return rules;
}
