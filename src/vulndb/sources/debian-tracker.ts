/**
 * The Debian security tracker's JSON — `{source package: {CVE: {description,
 * debianbug?, releases: {codename: {status, repositories, fixed_version?,
 * urgency, nodsa?, nodsa_reason?}}}}}` — as advisories: one per CVE (or
 * TEMP- id), one affected entry per (source package, release), each with the
 * tracker's own verdict, which OSV's Debian records flatten.
 *
 * The verdict (`state`), per release:
 *
 * | tracker                                   | state          |
 * |-------------------------------------------|----------------|
 * | resolved, fixed_version "0"               | not-affected   |
 * | resolved, fixed_version V                 | fixed at V     |
 * | open, urgency "end-of-life"               | end-of-life    |
 * | open, nodsa_reason "ignored"              | will-not-fix   |
 * | open, no-dsa (nodsa set, nodsa_reason "") | will-not-fix   |
 * | open, nodsa_reason "postponed"            | not-fixed      |
 * | open, another nodsa_reason (warned)       | not-fixed      |
 * | open                                      | not-fixed      |
 * | undetermined                              | unknown        |
 *
 * no-dsa means "no security advisory; fixed in a point release, if at all":
 * like Trivy, we report it as will-not-fix. postponed means a fix is still
 * expected, later. The urgency is kept as written in `urgency`, the no-dsa
 * text in `note`.
 *
 * Releases are named as OSV names them, "Debian:<number>", from the table
 * below; a codename not in it (sid, experimental, a release newer than this
 * table) stays a name: "Debian:sid".
 *
 * The live tracker JSON is about 100 MB: the loop below allocates one small
 * object per row and builds no strings but the ecosystem names (once per
 * codename) and, only when something is wrong, the warning.
 */
import type { JsonPath } from "../../common/index.js";
import { isSeverityWord, ratingFromText } from "../cvss.js";
import type { Advisory, Affected, FixState, ParsedFeed, SeverityRating } from "../model.js";
import { FeedWarnings, isObject, kindOf, shown } from "./warnings.js";

/** The live JSON is ~100 MB; a text several times that is no tracker dump. */
export const MAX_TRACKER_CHARS = 384 * 1024 * 1024;

/** Codename → release number, as OSV's "Debian:12" has it. */
export const DEBIAN_RELEASES: ReadonlyMap<string, string> = new Map([
  ["buster", "10"],
  ["bullseye", "11"],
  ["bookworm", "12"],
  ["trixie", "13"],
  ["forky", "14"],
]);

/** Tracker ids: CVEs, and TEMP- ids for issues without one yet. */
const TRACKER_ID = /^(CVE-\d{4}-\d{4,}|TEMP-\d{7}-[0-9A-F]{6})$/;

/** A row's state; `doubt` names a field that was read past (an annotation reason this parser does not know). */
type Verdict = { state: FixState; fixedVersion?: string; doubt?: [field: string, why: string] };

/** The state of one release row, or why it cannot be read (the path under the release, and the reason). */
function verdictOf(release: Record<string, unknown>): Verdict | [string, string] {
  const { status, fixed_version: fixed, urgency, nodsa, nodsa_reason: reason } = release;
  switch (status) {
    case "resolved":
      if (typeof fixed !== "string" || fixed === "") return ["fixed_version", `a resolved release needs a fixed_version, got ${kindOf(fixed)}`];
      return fixed === "0" ? { state: "not-affected" } : { state: "fixed", fixedVersion: fixed };
    case "open":
      if (urgency === "end-of-life") return { state: "end-of-life" };
      if (reason === "ignored") return { state: "will-not-fix" };
      if (reason === "postponed") return { state: "not-fixed" };
      if (reason === undefined || reason === "") return { state: typeof nodsa === "string" ? "will-not-fix" : "not-fixed" };
      // A reason the tracker may add one day: still open, so still reported.
      return { state: "not-fixed", doubt: ["nodsa_reason", `${shown(reason)} is none of "", "ignored", "postponed"; read as not-fixed`] };
    case "undetermined":
      return { state: "unknown" };
    default:
      return ["status", `${shown(status)} is none of "open", "resolved", "undetermined"`];
  }
}

/** Adds one release row; returns the rating of its urgency ("unknown" for none). */
function addRow(advisory: Advisory, pkg: string, ecosystem: string, release: Record<string, unknown>, verdict: Verdict, rate: (urgency: string) => SeverityRating): SeverityRating {
  const row: Affected = { ecosystem, package: pkg, ranges: [], versions: [], state: verdict.state };
  if (verdict.fixedVersion !== undefined) row.fixedVersion = verdict.fixedVersion;
  const { urgency, nodsa } = release;
  if (typeof nodsa === "string" && nodsa !== "") row.note = nodsa;
  advisory.affected.push(row);
  if (typeof urgency !== "string") return "unknown";
  row.urgency = urgency;
  return rate(urgency);
}

/** `maxChars` lowers the size limit (for tests). */
export function parseDebianTracker(text: string, file: string, { maxChars = MAX_TRACKER_CHARS }: { maxChars?: number } = {}): ParsedFeed {
  const w = new FeedWarnings(file);
  const byId = new Map<string, Advisory>();
  // The ratings of each advisory's rows, to rate the advisory when they agree.
  const ratings = new Map<Advisory, Set<SeverityRating>>();
  const ecosystems = new Map<string, string>();
  // A dump has a handful of distinct urgencies and a million rows: rate each word once.
  const urgencies = new Map<string, SeverityRating>();
  const rate = (urgency: string): SeverityRating => {
    let rating = urgencies.get(urgency);
    if (rating === undefined) {
      rating = isSeverityWord(urgency) ? ratingFromText(urgency) : "unknown";
      urgencies.set(urgency, rating);
    }
    return rating;
  };
  const done = (): ParsedFeed => ({ advisories: [...byId.values()], warnings: w.lines });
  if (text.length > maxChars) {
    w.skipped(undefined, `${text.length} characters is more than a tracker dump may hold (${maxChars})`);
    return done();
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    w.skipped(undefined, `not valid JSON (${(err as Error).message})`);
    return done();
  }
  if (!isObject(doc)) {
    w.skipped([], `expected an object of source packages, got ${kindOf(doc)}`);
    return done();
  }

  /** The advisory for `id`, made when its first row is read; a CVE under several packages is one advisory. */
  const advisoryFor = (id: string, entry: Record<string, unknown>): Advisory => {
    let advisory = byId.get(id);
    if (!advisory) {
      advisory = { id, aliases: [], source: "debian-tracker", severities: [], cwes: [], references: [`https://security-tracker.debian.org/tracker/${id}`], affected: [] };
      byId.set(id, advisory);
      ratings.set(advisory, new Set());
    }
    const { description, debianbug } = entry;
    if (advisory.summary === undefined && typeof description === "string" && description !== "") advisory.summary = description;
    if (typeof debianbug === "number" && Number.isInteger(debianbug) && debianbug > 0) {
      const bug = `https://bugs.debian.org/${debianbug}`;
      if (!advisory.references.includes(bug)) advisory.references.push(bug);
    }
    return advisory;
  };

  for (const pkg in doc) {
    const cves = doc[pkg];
    if (!isObject(cves)) {
      w.skipped([pkg], `expected an object of CVEs, got ${kindOf(cves)}`);
      continue;
    }
    for (const id in cves) {
      const entry = cves[id];
      if (!TRACKER_ID.test(id)) {
        w.skipped([pkg, id], "not a CVE or TEMP- id");
        continue;
      }
      if (!isObject(entry) || !isObject(entry.releases)) {
        const [path, value]: [JsonPath, unknown] = isObject(entry) ? [[pkg, id, "releases"], entry.releases] : [[pkg, id], entry];
        w.skipped(path, `expected an object of releases, got ${kindOf(value)}`);
        continue;
      }
      const releases = entry.releases;
      let advisory: Advisory | undefined;
      for (const codename in releases) {
        const release = releases[codename];
        if (!isObject(release)) {
          w.skipped([pkg, id, "releases", codename], `expected an object, got ${kindOf(release)}`);
          continue;
        }
        const verdict = verdictOf(release);
        if (Array.isArray(verdict)) {
          w.skipped([pkg, id, "releases", codename, verdict[0]], verdict[1]);
          continue;
        }
        if (verdict.doubt) w.ignored([pkg, id, "releases", codename, verdict.doubt[0]], verdict.doubt[1]);
        let ecosystem = ecosystems.get(codename);
        if (ecosystem === undefined) {
          ecosystem = `Debian:${DEBIAN_RELEASES.get(codename) ?? codename}`;
          ecosystems.set(codename, ecosystem);
        }
        advisory ??= advisoryFor(id, entry);
        ratings.get(advisory)!.add(addRow(advisory, pkg, ecosystem, release, verdict, rate));
      }
    }
  }
  // Debian rates per package and release (Affected.urgency); the advisory carries a rating only when all its rows agree.
  for (const [advisory, seen] of ratings) {
    const [only] = seen;
    if (seen.size === 1 && only !== undefined && only !== "unknown") advisory.severities.push({ source: "debian", type: "rating", rating: only });
  }
  return done();
}
