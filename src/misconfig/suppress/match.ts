/**
 * Whether one suppression covers one finding: its rule names the finding
 * (by our id, a glob over ours, or an alias — another tool's id), and every
 * scope it has (path, file and lines, resource or object, container, layer)
 * matches the finding's location. A scope the finding has nothing to match
 * with (no container, no layer) does not match: a suppression for one
 * container never spills onto findings about the whole pod.
 *
 * Other tools spell their ids with and without padding and prefixes —
 * Trivy's `KSV017`, `KSV-0017` and `AVD-KSV-0017` are one check — so ids are
 * compared in one normal form: upper case, no `AVD-`, and `LETTERS-number`
 * without leading zeros when the id has that shape.
 */
import { posix } from "node:path";
import type { Finding, FindingResource } from "../../common/index.js";
import { isGlob, matchesGlob } from "./glob.js";
import type { Suppression } from "./suppression.js";

/** `KSV017`, `ksv-0017`, `AVD-KSV-0017` → `KSV-17`; `CKV_K8S_16` stays itself, upper-cased. */
export function normalId(id: string): string {
  const upper = id.trim().toUpperCase().replace(/^AVD-/, "");
  const m = /^([A-Z]+)-?0*(\d+)$/.exec(upper);
  return m ? `${m[1]}-${m[2]}` : upper;
}

/** Whether the suppression's rule names the finding. */
export function ruleMatches(rule: string, finding: Pick<Finding, "id" | "aliases">): boolean {
  const ids = [finding.id, ...finding.aliases];
  if (isGlob(rule)) return ids.some((id) => matchesGlob(id, rule, true));
  const wanted = normalId(rule);
  return ids.some((id) => normalId(id) === wanted);
}

/** A finding's path as suppressions see it: normalized, and absolute inside an image. */
export function findingPath(finding: Finding): string | undefined {
  const path = finding.location?.path;
  if (path === undefined || path === "") return undefined;
  const normal = posix.normalize(path.replace(/\\/g, "/"));
  return finding.location?.layer !== undefined && !normal.startsWith("/") ? `/${normal}` : normal;
}

/** `Kind/namespace/name` or `Kind/name` (any namespace), each part a glob, the kind without regard to case. */
export function resourceMatches(pattern: string, r: FindingResource): boolean {
  const parts = pattern.split("/");
  const [kind, namespace, name] = parts.length === 2 ? [parts[0]!, undefined, parts[1]!] : [parts[0]!, parts[1]!, parts[2]!];
  if (!matchesGlob(r.kind, kind, true) || !matchesGlob(r.name, name)) return false;
  return namespace === undefined || matchesGlob(r.namespace ?? "", namespace);
}

function sameObject(a: FindingResource, b: FindingResource): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");
}

/** Whether `s` covers `finding`, expiry aside. */
export function suppressionMatches(s: Suppression, finding: Finding): boolean {
  if (!ruleMatches(s.rule, finding)) return false;
  const at = finding.location;
  if (s.path !== undefined || s.file !== undefined) {
    const path = findingPath(finding);
    if (path === undefined) return false;
    if (s.path !== undefined && !matchesGlob(path, s.path)) return false;
    if (s.file !== undefined && path !== posix.normalize(s.file.replace(/\\/g, "/"))) return false;
  }
  if (s.lines && (at?.line === undefined || at.line < s.lines.from || at.line > s.lines.to)) return false;
  if (s.resource !== undefined && (!at?.resource || !resourceMatches(s.resource, at.resource))) return false;
  if (s.object && (!at?.resource || !sameObject(s.object, at.resource))) return false;
  if (s.container !== undefined && (at?.container === undefined || !matchesGlob(at.container, s.container))) return false;
  if (s.layer !== undefined && (at?.layer === undefined || !at.layer.toLowerCase().startsWith(s.layer.toLowerCase()))) return false;
  return true;
}
