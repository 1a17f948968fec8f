/**
 * Policy exceptions: findings a policy lets pass for a while, each with the
 * reason, who approved it and, usually, the day it ends. A policy file holds
 * them as a list:
 *
 * ```yaml
 * exceptions:
 *   - name: zlib-minizip                  # optional; else the exception is called exceptions[0]
 *     findings: [CVE-2023-45853]          # ids or aliases, * and ? allowed
 *     packages: [pkg:deb/debian/zlib1g]   # names or purls (a purl without version: every version), globs
 *     images: [registry.example.com/shop/*]
 *     namespaces: [shop-*]
 *     rules: [no-critical-vulnerabilities]   # only these policy rules
 *     reason: minizip is not built into zlib1g
 *     approvedBy: security@shop.example
 *     expires: 2026-09-30                 # from this day on it no longer applies
 * ```
 *
 * `reason` and `approvedBy` are required, `expires` (a real calendar day,
 * UTC) is optional, and at least one of `findings`, `packages`, `images`
 * and `namespaces` must say what is excepted: `rules` only narrows. A scope
 * may be one string or a list; an empty list is an error, as it would match
 * nothing. A key not in this list is an error naming it: a misspelt scope
 * (`namespace:`) silently widening an exception is worse than a failed run.
 *
 * Matching: every scope given must match. `*` stands for any run of
 * characters (`/` included, so `registry.example.com/shop/*` covers
 * `registry.example.com/shop/api:1.4.2`), `?` for one. Finding ids match
 * ignoring case; packages match the package's name, or its purl as the VEX
 * statements' purls do (qualifiers ignored); images match the reference as
 * the user named it, `repository[:tag|@digest]`,
 * `registry/repository[:tag|@digest]` and the digest; an exception with
 * `namespaces` matches only at admission, one with `rules` only when a rule
 * asks.
 *
 * Expiry reads as the suppressions' does: an exception applies on the days
 * before `expires`; from that day on it excepts nothing and is reported with
 * the findings it would have covered, so a verdict can say why they are back.
 *
 * Pure: the caller parses the policy file and hands over the list and a way
 * to find the line of a node.
 */
import { PackageURL } from "packageurl-js";
import { z } from "zod";
import { InputError, jsonPath, type Finding } from "../common/index.js";
import type { PolicyTarget } from "./input.js";

export interface PolicyException {
  /** Its name, or `exceptions[3]` when it has none. */
  id: string;
  /** Finding ids or aliases, globs allowed. */
  findings?: string[];
  /** Package names or purls, globs allowed. */
  packages?: string[];
  /** Image reference globs. */
  images?: string[];
  /** Kubernetes namespace globs. */
  namespaces?: string[];
  /** The policy rules it is limited to, globs allowed. */
  rules?: string[];
  reason: string;
  approvedBy: string;
  /** YYYY-MM-DD: the first day it no longer applies. */
  expires?: string;
  /** The policy file as the caller named it and the line the exception starts on. */
  origin: { file: string; line: number };
}

/** What an exception is matched against: the image, and the namespace at admission. */
export interface ExceptionInput {
  target: PolicyTarget;
  namespace?: string;
}

export interface ExceptedFinding {
  finding: Finding;
  exception: PolicyException;
}

export interface ExpiredException {
  exception: PolicyException;
  /** The findings it would cover if it had not expired, and no other exception covers. */
  findings: Finding[];
}

const SCOPES = ["findings", "packages", "images", "namespaces"] as const;

const text = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `missing; expected ${what}` : `expected ${what}`) })
    .trim()
    .min(1, { error: `expected ${what}, got an empty string` });

/** One string or a list of them. */
const scope = (one: string, many: string) =>
  z
    .preprocess(
      (v) => (typeof v === "string" ? [v] : v),
      z
        .array(text(one), { error: `expected a list of ${many}` })
        .min(1, { error: `an empty list matches nothing: list at least one ${one}, or leave the field out` }),
    )
    .optional();

const Exception = z
  .strictObject(
    {
      name: text("a name for the exception").optional(),
      findings: scope("finding id", "finding ids (CVE-2023-45853, GHSA-*)"),
      packages: scope("package name or purl", "package names or purls"),
      images: scope("image reference", "image references"),
      namespaces: scope("namespace", "namespaces"),
      rules: scope("policy rule name", "policy rule names"),
      reason: text("the reason the exception is granted"),
      approvedBy: text("who approved the exception"),
      expires: z
        .preprocess(
          (v) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : v),
          z
            .string({ error: "expected a date YYYY-MM-DD" })
            .refine(isCalendarDate, { error: (issue) => `expected a date YYYY-MM-DD, got "${String(issue.input)}", which is no calendar day` }),
        )
        .optional(),
    },
    { error: "expected a mapping with reason:, approvedBy: and at least one of findings:, packages:, images:, namespaces:" },
  )
  .superRefine((e, ctx) => {
    if (!SCOPES.some((s) => e[s] !== undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: `says nothing about what it excepts: give at least one of ${SCOPES.join(", ")}` });
    }
    for (const [i, p] of (e.packages ?? []).entries()) {
      if (p.startsWith("pkg:") && !isGlob(p) && purlOf(p) === undefined) ctx.addIssue({ code: "custom", path: ["packages", i], message: `"${p}" is not a valid purl` });
    }
  });

const Exceptions = z.array(Exception, { error: "expected a list of exceptions" });

const KNOWN = ["name", ...SCOPES, "rules", "reason", "approvedBy", "expires"].join(", ");

/**
 * The exceptions of a policy file, from the parsed `exceptions:` list.
 * `lineOf` gives the line of the node at a path inside that list (`[3]`,
 * `[3, "reason"]`); null or undefined is no exceptions. Throws InputError
 * naming the file, line and field.
 */
export function readExceptions(raw: unknown, file: string, lineOf: (path: (string | number)[]) => number): PolicyException[] {
  if (raw === undefined || raw === null) return [];
  const fail = (path: (string | number)[], detail: string): never => {
    throw new InputError(file, `line ${lineOf(path)}`, `${jsonPath(["exceptions", ...path])}: ${detail}`);
  };
  const parsed = Exceptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const names = issue.keys.map((k) => `"${k}"`).join(", ");
      return fail([...path, issue.keys[0]!], `unknown field ${names}; known fields: ${KNOWN}`);
    }
    return fail(path, issue.message);
  }

  const named = new Map<string, number>();
  return parsed.data.map((e, i): PolicyException => {
    if (e.name !== undefined) {
      const first = named.get(e.name);
      if (first !== undefined) fail([i, "name"], `"${e.name}" already names exceptions[${first}] (line ${lineOf([first])})`);
      named.set(e.name, i);
    }
    const x: PolicyException = { id: e.name ?? `exceptions[${i}]`, reason: e.reason, approvedBy: e.approvedBy, origin: { file, line: lineOf([i]) } };
    if (e.findings) x.findings = e.findings;
    if (e.packages) x.packages = e.packages;
    if (e.images) x.images = e.images;
    if (e.namespaces) x.namespaces = e.namespaces;
    if (e.rules) x.rules = e.rules;
    if (e.expires !== undefined) x.expires = e.expires;
    return x;
  });
}

/**
 * Split findings into those still standing and those an exception covers
 * (the first in list order that applies). `rule` is the policy rule asking;
 * without it, exceptions limited to rules do not apply. Expired exceptions
 * are listed, in list order, with the findings they would cover and nothing
 * else covers; one that would cover none is left out.
 */
export function applyExceptions(
  findings: readonly Finding[],
  exceptions: readonly PolicyException[],
  input: ExceptionInput,
  today: Date,
  rule?: string,
): { findings: Finding[]; excepted: ExceptedFinding[]; expired: ExpiredException[] } {
  const live = exceptions.filter((e) => !exceptionExpired(e, today));
  const dead = exceptions.filter((e) => exceptionExpired(e, today));
  const kept: Finding[] = [];
  const excepted: ExceptedFinding[] = [];
  const wouldCover = new Map<PolicyException, Finding[]>();
  for (const finding of findings) {
    const exception = live.find((e) => exceptionMatches(e, finding, input, rule));
    if (exception) {
      excepted.push({ finding, exception });
      continue;
    }
    kept.push(finding);
    for (const e of dead) {
      if (!exceptionMatches(e, finding, input, rule)) continue;
      const list = wouldCover.get(e);
      if (list) list.push(finding);
      else wouldCover.set(e, [finding]);
    }
  }
  return { findings: kept, excepted, expired: dead.flatMap((exception) => (wouldCover.has(exception) ? [{ exception, findings: wouldCover.get(exception)! }] : [])) };
}

/** Whether the exception covers the finding today: it has not expired and every scope it gives matches. */
export function exceptionApplies(e: PolicyException, finding: Finding, input: ExceptionInput, today: Date, rule?: string): boolean {
  return !exceptionExpired(e, today) && exceptionMatches(e, finding, input, rule);
}

/** True once `today` (its UTC day) has reached the exception's `expires`. */
export function exceptionExpired(e: Pick<PolicyException, "expires">, today: Date): boolean {
  return e.expires !== undefined && today.toISOString().slice(0, 10) >= e.expires;
}

/** Whether every scope the exception gives matches, expiry aside. */
export function exceptionMatches(e: PolicyException, finding: Finding, input: ExceptionInput, rule?: string): boolean {
  if (e.rules && (rule === undefined || !e.rules.some((r) => globMatch(rule, r)))) return false;
  if (e.findings && !e.findings.some((f) => [finding.id, ...finding.aliases].some((id) => globMatch(id, f, true)))) return false;
  if (e.packages && !(finding.package && e.packages.some((p) => packageMatches(finding.package!, p)))) return false;
  if (e.images && !e.images.some((i) => imageNames(input.target).some((n) => globMatch(n, i)))) return false;
  if (e.namespaces && !(input.namespace !== undefined && e.namespaces.some((n) => globMatch(input.namespace!, n)))) return false;
  return true;
}

function packageMatches(pkg: { name: string; purl: string }, pattern: string): boolean {
  if (!pattern.startsWith("pkg:")) return globMatch(pkg.name, pattern);
  if (isGlob(pattern)) return globMatch(pkg.purl, pattern) || globMatch(pkg.purl.replace(/[?#].*$/, ""), pattern);
  const want = purlOf(pattern);
  const have = purlOf(pkg.purl);
  if (!want || !have) return false;
  return (
    want.type === have.type &&
    want.namespace === have.namespace &&
    want.name === have.name &&
    (want.version === undefined || want.version === have.version)
  );
}

function purlOf(text: string): { type: string; namespace?: string; name: string; version?: string } | undefined {
  try {
    const p = PackageURL.fromString(text);
    return { type: p.type.toLowerCase(), namespace: p.namespace ?? undefined, name: p.name, version: p.version ?? undefined };
  } catch {
    return undefined;
  }
}

/** The names an image pattern is matched against. */
function imageNames(t: PolicyTarget): string[] {
  const names = [t.reference];
  if (t.repository !== undefined) {
    const repos = t.registry !== undefined ? [t.repository, `${t.registry}/${t.repository}`] : [t.repository];
    for (const r of repos) {
      names.push(r);
      if (t.tag !== undefined) names.push(`${r}:${t.tag}`);
      if (t.digest !== undefined) names.push(`${r}@${t.digest}`);
    }
  }
  if (t.digest !== undefined) names.push(t.digest);
  return names;
}

function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** `*`: any run of characters, `/` included; `?`: one character; all else literal. */
function globMatch(value: string, pattern: string, ignoreCase = false): boolean {
  if (!isGlob(pattern)) return ignoreCase ? value.toLowerCase() === pattern.toLowerCase() : value === pattern;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** YYYY-MM-DD naming a real day: `2026-02-30` is none. */
function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
