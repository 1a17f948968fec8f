/** The vulnerability DB: feeds in, (ecosystem, package) lookups out. */
export type { Advisory, Affected, AffectedRange, FixState, ParsedFeed, RangeEvent, Severity, SeverityRating } from "./model.js";
export { VulnStore, SCHEMA_VERSION, type Candidate, type DbStatus, type SourceRecord } from "./store.js";
export { importFeeds, detectFeed, type ImportProgress, type ImportReport } from "./import.js";
export { defaultDbPath } from "./location.js";
export { updateDb, feedsOf, DEFAULT_UPDATE_CONFIG, type FeedOutcome, type FeedSpec, type UpdateConfig } from "./update.js";
export { ratingFromText, severityFromVector } from "./cvss-score.js";
