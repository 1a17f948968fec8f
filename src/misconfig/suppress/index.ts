/**
 * Suppressions of misconfiguration and secret findings: a `.portcullisignore`
 * file, `portcullis:ignore` comments and `ignore.portcullis.dev/` annotations,
 * and the suppressions users already wrote for Trivy, Hadolint, Checkov and
 * kube-linter, carried over through our rules' mappings. Each has a reason,
 * may expire, and says where it came from; `applySuppressions` decides.
 */
export { annotationSuppressions, ANNOTATION_PREFIX } from "./annotations.js";
export { applySuppressions, expiredNotice, unusedNotice, type ExpiredSuppression, type Suppressed, type SuppressedFinding } from "./apply.js";
export { inlineSuppressions } from "./comments.js";
export { MAX_IGNORE_FILE_LENGTH, parseIgnoreFile } from "./ignore-file.js";
export { suppressionMatches } from "./match.js";
export { isCalendarDate, isExpired, NO_REASON, originText, type Suppression, type SuppressionKind, type SuppressionOrigin, type SuppressionTool } from "./suppression.js";
export { parseTrivyIgnore } from "./trivyignore.js";
