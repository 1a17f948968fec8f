/** Installed rpm packages: the rpm database in any of its backends (SQLite, Berkeley DB, ndb). */
export { parseRpmdb, parseSourceRpm, readRpmdb, rpmAnalyzer, RPMDB_PATHS } from "./analyzer.js";
export { parseRpmHeader, HEADER_LIMITS, type RpmHeader } from "./header.js";
export type { RpmdbRecord } from "./record.js";
