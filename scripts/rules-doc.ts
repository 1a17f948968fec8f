// Writes docs/rules.md from the rule catalog (npm run docs:rules).
import { writeFileSync } from "node:fs";
import { allRules } from "../src/misconfig/catalog.js";
import { catalogMarkdown } from "../src/misconfig/catalog-markdown.js";

writeFileSync(new URL("../docs/rules.md", import.meta.url), catalogMarkdown(allRules()));
