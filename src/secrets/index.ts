/**
 * Secrets: detectors over the text of layer files, environment variables,
 * history and manifests, as pure functions. The caller reads the bytes,
 * skips binaries (`looksBinary`) and files above a cap (`MAX_TEXT_BYTES`),
 * and turns matches into findings (`toFinding`). No secret is ever returned in
 * full: matches carry redacted forms and fingerprints.
 */
export { redactSecrets, scanText, type ScanOptions, type SecretMatch } from "./scan-text.js";
export { toFinding, type SecretWhere } from "./finding.js";
export { SECRET_RULES, SECRET_RULES_VERSION } from "./rules.js";
export { defineSecretRule, metaOf, tokenRule, type Candidate, type SecretRule, type TokenRuleSpec } from "./rule.js";
export {
  BUILTIN_ALLOW,
  SUGGESTED_PATH_ALLOW,
  allowedBy,
  defineAllowRule,
  pathAllowedBy,
  placeholderReason,
  type AllowList,
  type AllowRule,
} from "./allow.js";
export { BINARY_SNIFF_BYTES, MAX_TEXT_BYTES, looksBinary } from "./binary.js";
export { fingerprintOf, redact } from "./redact.js";
export { shannonEntropy } from "./entropy.js";
export { configSecrets, type ConfigForSecrets } from "./image-config.js";
