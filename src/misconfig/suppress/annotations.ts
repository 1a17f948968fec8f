/**
 * Suppressions written as annotations of a Kubernetes object, applying to
 * the findings about that object (its `location.resource`) in that file.
 * Only the object's own `metadata.annotations` count, as with kube-linter
 * and Checkov; a pod template's annotations end up on pods, not here.
 *
 * Ours: the key names the rule, the value gives the reason, then optional
 * `;`-separated `key=value` parts:
 *
 *     metadata:
 *       annotations:
 *         ignore.portcullis.dev/PCS-K8S-001: "reads other containers' cgroups; expires=2027-03-31; approvedBy=sre@shop.example"
 *
 * The reason is required and cannot hold a `;`. Annotation keys cannot hold
 * `*`, so no globs here; another tool's id works (`ignore.portcullis.dev/KSV-0017`).
 *
 * Carried over (checked against each tool's documentation and source):
 *
 * - Checkov: `checkov.io/skip1: CKV_K8S_16=reason` — any number after
 *   `skip`, the reason optional; Checkov also reads `bridgecrew.io/skip*`
 *   and `cortex.io/skip*`.
 * - kube-linter: `ignore-check.kube-linter.io/privileged-container: "reason"`,
 *   and `kube-linter.io/ignore-all: "reason"`, which here too ignores every
 *   rule for the object.
 *
 * Malformed annotations of these forms are InputErrors naming the file, the
 * object's line and the annotation. Pure: the caller reads the objects.
 */
import { InputError, resourceText, type FindingResource } from "../../common/index.js";
import { RULE_PATTERN } from "./ignore-file.js";
import { isCalendarDate, NO_REASON, type Suppression, type SuppressionTool } from "./suppression.js";

export const ANNOTATION_PREFIX = "ignore.portcullis.dev/";
const CHECKOV = /^(?:checkov|bridgecrew|cortex)\.io\/skip\d*$/;
const KUBE_LINTER = "ignore-check.kube-linter.io/";
const KUBE_LINTER_ALL = "kube-linter.io/ignore-all";
const KEYS = ["expires", "approvedBy"] as const;

/**
 * The suppressions in one object's annotations. `line` is the object's first
 * line; `file` scopes them to findings in that file ("" for objects that come
 * from no file, such as a live cluster's).
 */
export function annotationSuppressions(annotations: Readonly<Record<string, string>>, resource: FindingResource, file: string, line: number): Suppression[] {
  const out: Suppression[] = [];
  const add = (tool: SuppressionTool, rule: string, reason: string, extra: Pick<Suppression, "expires" | "approvedBy"> = {}): void => {
    const s: Suppression = { rule, reason, origin: { kind: "annotation", tool, file, line }, object: { ...resource }, ...extra };
    if (file !== "") s.file = file;
    out.push(s);
  };
  const fail = (key: string, detail: string): never => {
    throw new InputError(file || resourceText(resource), `line ${line}`, `annotation "${key}" of ${resourceText(resource)}: ${detail}`);
  };

  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(ANNOTATION_PREFIX)) {
      const rule = key.slice(ANNOTATION_PREFIX.length);
      if (!RULE_PATTERN.test(rule)) fail(key, "expected a rule id after ignore.portcullis.dev/, such as PCS-K8S-001");
      const [reason, ...parts] = value.split(";").map((p) => p.trim());
      if (!reason) fail(key, 'expected "reason[; expires=YYYY-MM-DD][; approvedBy=who]", the reason first and not empty');
      const extra: Pick<Suppression, "expires" | "approvedBy"> = {};
      for (const part of parts) {
        const m = /^([A-Za-z]+)\s*=\s*(\S(?:.*\S)?)$/.exec(part);
        if (!m) fail(key, `expected key=value after the reason, got "${part}"`);
        const [k, v] = [m![1]!, m![2]!];
        if (!(KEYS as readonly string[]).includes(k)) fail(key, `unknown key "${k}"; known keys: ${KEYS.join(", ")}`);
        if (k in extra) fail(key, `"${k}" given twice`);
        if (k === "expires" && !isCalendarDate(v)) fail(key, `expires: expected a date YYYY-MM-DD, got "${v}", which is no calendar day`);
        extra[k as (typeof KEYS)[number]] = v;
      }
      add("portcullis", rule, reason!, extra);
    } else if (CHECKOV.test(key)) {
      const eq = value.indexOf("=");
      const id = (eq === -1 ? value : value.slice(0, eq)).trim();
      if (!/^[A-Za-z0-9_-]+$/.test(id)) fail(key, `expected CHECK_ID=reason, such as CKV_K8S_16=reason, got "${value}"`);
      add("checkov", id, (eq === -1 ? "" : value.slice(eq + 1).trim()) || NO_REASON);
    } else if (key.startsWith(KUBE_LINTER)) {
      const check = key.slice(KUBE_LINTER.length);
      if (!/^[a-z0-9][a-z0-9-]*$/.test(check)) fail(key, "expected a kube-linter check name after ignore-check.kube-linter.io/");
      add("kube-linter", check, value.trim() || NO_REASON);
    } else if (key === KUBE_LINTER_ALL) {
      add("kube-linter", "*", value.trim() || NO_REASON);
    }
  }
  return out;
}
