export { InputError, isInputError, messageOf } from "./errors.js";
export { shortDigest } from "./digest.js";
export { jsonPath, type JsonPath } from "./json-path.js";
export { SEVERITIES, severityRank, type Finding, type FindingKind, type FindingLocation, type FindingPackage, type FixStatus, type Severity, type SourceRating } from "./finding.js";
