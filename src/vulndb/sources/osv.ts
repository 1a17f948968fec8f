/**
 * One OSV record — JSON, or YAML as the PyPA advisory database writes it —
 * as an Advisory.
 *
 * What decides a match or names the advisory must be well formed, or the
 * record is skipped with a warning naming the JSON path of the bad field: the
 * id, aliases, withdrawn, and under `affected[]` the package, the ranges and
 * their events, and the versions. What only describes it — summary, details,
 * dates, references, CWEs, severities — is dropped piece by piece when it is
 * malformed or cannot be read (a CVSS vector that does not score), with a
 * warning, and the record kept.
 *
 * GIT ranges are dropped: they name commits, which an installed version
 * cannot be compared with. An affected package left with neither ranges nor
 * versions by that (a record that only names commits) is dropped too. An
 * ecosystem OSV does not know is kept as written; the importer reports it.
 */
import { parseDocument, type Tags } from "yaml";
import { messageOf, type JsonPath } from "../../common/index.js";
import { isSeverityWord, ratingFromText, severityFromVector } from "../cvss.js";
import type { Advisory, Affected, AffectedRange, ParsedFeed, RangeEvent, Severity, SeverityRating } from "../model.js";
import { osvEcosystem, packageNameIn } from "./ecosystems.js";
import { FeedWarnings, isObject, kindOf, shown } from "./warnings.js";

/** Real records are kilobytes (the largest of 7,000 in the test corpus is 13 KB); a file near this is not one. */
export const MAX_OSV_RECORD_CHARS = 8 * 1024 * 1024;
/** YAML aliases are how a small document expands into a huge one ("billion laughs"); OSV needs none. */
export const MAX_YAML_ALIASES = 100;

/** A malformed field that costs the whole record. */
class Malformed extends Error {
  constructor(
    readonly path: JsonPath,
    readonly why: string,
  ) {
    super(why);
  }
}

function text(value: unknown, path: JsonPath): string {
  if (typeof value !== "string") throw new Malformed(path, `expected a string, got ${kindOf(value)}`);
  return value;
}

function nonEmpty(value: unknown, path: JsonPath): string {
  const s = text(value, path);
  if (s.trim() === "") throw new Malformed(path, "expected a non-empty string");
  return s;
}

/** An optional array: absent or null is empty. */
function list(value: unknown, path: JsonPath): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Malformed(path, `expected an array, got ${kindOf(value)}`);
  return value;
}

function object(value: unknown, path: JsonPath): Record<string, unknown> {
  if (!isObject(value)) throw new Malformed(path, `expected an object, got ${kindOf(value)}`);
  return value;
}

/**
 * Who rated it, from the id's prefix. PYSEC records copy NVD's vectors
 * without saying so, and other databases say nothing: "osv".
 */
function raterOf(id: string): string {
  const prefix = /^[A-Z]+/.exec(id)?.[0];
  switch (prefix) {
    case "GHSA":
      return "ghsa";
    case "GO":
      return "go";
    case "RUSTSEC":
      return "rustsec";
    case "DSA":
    case "DLA":
    case "DTSA":
    case "DEBIAN":
      return "debian";
    case "USN":
    case "UBUNTU":
      return "ubuntu";
    default:
      return "osv";
  }
}

function sameSeverity(a: Severity, b: Severity): boolean {
  return a.source === b.source && a.type === b.type && a.vector === b.vector && a.rating === b.rating;
}

function addSeverity(out: Severity[], s: Severity): void {
  if (!out.some((x) => sameSeverity(x, s))) out.push(s);
}

/** OSV `severity[]`: CVSS vectors scored, Ubuntu's priority word read; anything else ignored with a warning. */
function readSeverities(value: unknown, path: JsonPath, rater: string, out: Severity[], w: FeedWarnings): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) return w.ignored(path, `expected an array of severities, got ${kindOf(value)}`);
  value.forEach((entry: unknown, i) => {
    const at = [...path, i];
    if (!isObject(entry) || typeof entry.type !== "string" || typeof entry.score !== "string") {
      return w.ignored(at, `expected {"type": string, "score": string}, got ${shown(entry)}`);
    }
    if (/^CVSS_V[234]$/.test(entry.type)) {
      try {
        // The vector's own prefix says its version; a mislabelled type does not stop it scoring.
        addSeverity(out, severityFromVector(rater, entry.score));
      } catch (err) {
        w.ignored([...at, "score"], messageOf(err));
      }
    } else if (entry.type === "Ubuntu") {
      if (!isSeverityWord(entry.score)) return w.ignored([...at, "score"], `${shown(entry.score)} is not a severity word we know`);
      addSeverity(out, { source: "ubuntu", type: "rating", rating: ratingFromText(entry.score) });
    } else {
      w.ignored([...at, "type"], `severity type ${shown(entry.type)} is none of CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu`);
    }
  });
}

/** A vendor's word at `path`, if there is one we can read; absent and null say nothing. */
function wordAt(value: unknown, path: JsonPath, w: FeedWarnings): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && isSeverityWord(value)) return value;
  w.ignored(path, typeof value === "string" ? `${shown(value)} is not a severity word we know` : `expected a severity word, got ${kindOf(value)}`);
  return undefined;
}

const EVENT_KINDS = ["introduced", "fixed", "last_affected", "limit"] as const;

function readEvent(value: unknown, path: JsonPath): RangeEvent {
  const event = object(value, path);
  const kinds = EVENT_KINDS.filter((k) => event[k] !== undefined);
  if (kinds.length !== 1) {
    throw new Malformed(path, `an event needs exactly one of ${EVENT_KINDS.join(", ")}; got ${kinds.length === 0 ? "none" : kinds.join(" and ")}`);
  }
  const kind = kinds[0]!;
  return { [kind]: nonEmpty(event[kind], [...path, kind]) };
}

/** Ranges we can compare versions with; GIT ranges are counted, not kept. */
function readRanges(value: unknown, path: JsonPath, w: FeedWarnings): { ranges: AffectedRange[]; git: number } {
  const ranges: AffectedRange[] = [];
  let git = 0;
  list(value, path).forEach((entry, i) => {
    const at = [...path, i];
    const range = object(entry, at);
    const type = text(range.type, [...at, "type"]);
    if (type === "GIT") {
      git++;
      return;
    }
    if (type !== "ECOSYSTEM" && type !== "SEMVER") return w.ignored([...at, "type"], `range type ${shown(type)} is none of ECOSYSTEM, SEMVER, GIT`);
    const events = list(range.events, [...at, "events"]);
    if (events.length === 0) throw new Malformed([...at, "events"], "expected at least one event");
    ranges.push({ type, events: events.map((e, j) => readEvent(e, [...at, "events", j])) });
  });
  return { ranges, git };
}

interface Rated {
  affected: Affected;
  rating?: SeverityRating;
}

function readAffected(value: unknown, path: JsonPath, rater: string, severities: Severity[], w: FeedWarnings): Rated | undefined {
  const entry = object(value, path);
  const pkg = entry.package === undefined || entry.package === null ? undefined : object(entry.package, [...path, "package"]);
  const ecosystem = pkg ? osvEcosystem(nonEmpty(pkg.ecosystem, [...path, "package", "ecosystem"])) : "";
  const name = pkg ? nonEmpty(pkg.name, [...path, "package", "name"]) : "";
  const { ranges, git } = readRanges(entry.ranges, [...path, "ranges"], w);
  const versions = list(entry.versions, [...path, "versions"]).map((v, i) => nonEmpty(v, [...path, "versions", i]));
  if (!pkg) {
    // OSV leaves the package out where only commits are named: nothing to match then.
    if (ranges.length > 0 || versions.length > 0) w.ignored([...path, "package"], "ranges or versions, but no package they belong to");
    return undefined;
  }
  if (ranges.length === 0 && versions.length === 0 && git > 0) return undefined;

  const affected: Affected = { ecosystem, package: packageNameIn(ecosystem, name), ranges, versions };
  readSeverities(entry.severity, [...path, "severity"], rater, severities, w);
  // Distributions' per-package words: Debian's urgency, others' severity (Android, AlmaLinux, …).
  let word: string | undefined;
  for (const [block, key] of [["ecosystem_specific", "severity"], ["ecosystem_specific", "urgency"], ["database_specific", "severity"]] as const) {
    const holder = entry[block];
    if (word === undefined && isObject(holder)) word = wordAt(holder[key], [...path, block, key], w);
  }
  if (word === undefined) return { affected };
  affected.urgency = word;
  return { affected, rating: ratingFromText(word) };
}

function optionalText(record: Record<string, unknown>, key: string, w: FeedWarnings): string | undefined {
  const value = record[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") return value;
  w.ignored([key], `expected a string, got ${kindOf(value)}`);
  return undefined;
}

function optionalDate(record: Record<string, unknown>, key: string, w: FeedWarnings): string | undefined {
  const value = optionalText(record, key, w);
  if (value === undefined || !Number.isNaN(Date.parse(value))) return value;
  w.ignored([key], `${shown(value)} is not an RFC 3339 time`);
  return undefined;
}

function readRecord(doc: unknown, w: FeedWarnings): Advisory {
  const record = object(doc, []);
  const id = nonEmpty(record.id, ["id"]);
  if (!/^\S{1,200}$/.test(id)) throw new Malformed(["id"], `${shown(id)} is not an advisory id`);
  const aliases = [...new Set(list(record.aliases, ["aliases"]).map((a, i) => nonEmpty(a, ["aliases", i])))].filter((a) => a !== id);
  const withdrawn = record.withdrawn === undefined || record.withdrawn === null ? undefined : nonEmpty(record.withdrawn, ["withdrawn"]);
  const rater = raterOf(id);
  const severities: Severity[] = [];
  readSeverities(record.severity, ["severity"], rater, severities, w);

  const rated = list(record.affected, ["affected"]).flatMap((a, i) => readAffected(a, ["affected", i], rater, severities, w) ?? []);
  // A per-package word stands for the advisory only when every package that has one agrees.
  const words = new Set(rated.flatMap((r) => (r.rating && r.rating !== "unknown" ? [r.rating] : [])));
  if (words.size === 1) addSeverity(severities, { source: rater, type: "rating", rating: [...words][0]! });

  const cwes: string[] = [];
  const specific = record.database_specific;
  if (isObject(specific)) {
    const word = wordAt(specific.severity, ["database_specific", "severity"], w);
    if (word !== undefined && ratingFromText(word) !== "unknown") addSeverity(severities, { source: rater, type: "rating", rating: ratingFromText(word) });
    const ids = specific.cwe_ids;
    if (Array.isArray(ids)) {
      ids.forEach((c: unknown, i) => {
        if (typeof c === "string" && /^CWE-\d+$/.test(c)) {
          if (!cwes.includes(c)) cwes.push(c);
        } else w.ignored(["database_specific", "cwe_ids", i], `${shown(c)} is not a CWE id`);
      });
    } else if (ids !== undefined && ids !== null) w.ignored(["database_specific", "cwe_ids"], `expected an array, got ${kindOf(ids)}`);
  }

  const references: string[] = [];
  const refs = record.references;
  if (Array.isArray(refs)) {
    refs.forEach((r: unknown, i) => {
      const url = isObject(r) ? r.url : undefined;
      if (typeof url === "string" && url !== "") {
        if (!references.includes(url)) references.push(url);
      } else w.ignored(["references", i], `expected {"url": string}, got ${shown(r)}`);
    });
  } else if (refs !== undefined && refs !== null) w.ignored(["references"], `expected an array, got ${kindOf(refs)}`);

  const advisory: Advisory = { id, aliases, source: "osv", severities, cwes, references, affected: rated.map((r) => r.affected) };
  const summary = optionalText(record, "summary", w);
  const details = optionalText(record, "details", w);
  const published = optionalDate(record, "published", w);
  const modified = optionalDate(record, "modified", w);
  if (summary !== undefined) advisory.summary = summary;
  if (details !== undefined) advisory.details = details;
  if (published !== undefined) advisory.published = published;
  if (modified !== undefined) advisory.modified = modified;
  if (withdrawn !== undefined) advisory.withdrawn = withdrawn;
  return advisory;
}

const CORE_KEPT = new Set(["tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"]);

/**
 * The YAML core schema without its number and boolean tags: every scalar but
 * null stays the text it is, so an unquoted version `1.10` is not the number 1.1.
 */
function textScalars(tags: Tags): Tags {
  return tags.filter((t) => CORE_KEPT.has(typeof t === "string" ? `tag:yaml.org,2002:${t}` : t.tag));
}

/**
 * The document, or a throw. Depth needs no limit of its own: JSON.parse does
 * not recurse, the readers here go a fixed depth into the record, and the YAML
 * parser reports nesting too deep for it as an error.
 */
function load(source: string, format: "json" | "yaml"): unknown {
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  if (format === "json") return JSON.parse(body);
  // logLevel "error": errors (several documents among them) are collected, and nothing is printed.
  const doc = parseDocument(body, { schema: "core", customTags: textScalars, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  if (doc.errors.length > 0) throw doc.errors[0]!;
  return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
}

/** One OSV record from one file; `file` names it in warnings. */
export function parseOsv(source: string, file: string, format: "json" | "yaml"): ParsedFeed {
  const w = new FeedWarnings(file);
  if (source.length > MAX_OSV_RECORD_CHARS) {
    w.skipped(undefined, `${source.length} characters is more than an OSV record may hold (${MAX_OSV_RECORD_CHARS})`);
    return { advisories: [], warnings: w.lines };
  }
  let doc: unknown;
  try {
    doc = load(source, format);
  } catch (err) {
    w.skipped(undefined, `not valid ${format.toUpperCase()} (${messageOf(err).split("\n")[0]!.replace(/:$/, "")})`);
    return { advisories: [], warnings: w.lines };
  }
  // Warnings about parts of the record count only if the record is kept.
  const parts = new FeedWarnings(file);
  try {
    const advisory = readRecord(doc, parts);
    return { advisories: [advisory], warnings: parts.lines };
  } catch (err) {
    if (!(err instanceof Malformed)) throw err;
    w.skipped(err.path, err.why);
    return { advisories: [], warnings: w.lines };
  }
}
