export { copyOf } from "./bytes.js";
export { InputError, isInputError, messageOf } from "./errors.js";
export { shortDigest } from "./digest.js";
export { jsonPath, type JsonPath } from "./json-path.js";
export { SEVERITIES, resourceText, severityRank, type Finding, type FindingFix, type FindingKind, type FindingLocation, type FindingResource, type FindingPackage, type FixStatus, type Severity, type SourceRating } from "./finding.js";
export { MAPPING_NAMES, RULE_ID, mappingEntries, metaOf, type RuleMappings, type RuleMeta } from "./rule.js";
