/** The vulnerability DB: feeds in, (ecosystem, package) lookups out. */
export type { Advisory, Affected, AffectedRange, FixState, ParsedFeed, RangeEvent, Severity, SeverityRating } from "./model.js";
export { VulnStore, SCHEMA_VERSION, type Candidate, type DbStatus, type SourceRecord } from "./store.js";
export { importFeeds, detectFeed, type ImportProgress, type ImportReport } from "./import.js";
export { defaultDbPath } from "./location.js";
export { updateDb, feedsOf, DEFAULT_UPDATE_CONFIG, type FeedOutcome, type FeedSpec, type UpdateConfig } from "./update.js";
export { isSeverityWord, ratingFromText, severityFromVector } from "./cvss.js";
export { parseOsv } from "./sources/osv.js";
export { parseDebianTracker } from "./sources/debian-tracker.js";
export { parseAlpineSecdb } from "./sources/alpine-secdb.js";
