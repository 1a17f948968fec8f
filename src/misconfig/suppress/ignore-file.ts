/**
 * `.portcullisignore`: the suppressions of a repository, in YAML, each
 * scoped to a rule and, optionally, to files, objects, containers or image
 * layers, each with a reason and an optional expiry date.
 *
 * ```yaml
 * suppressions:
 *   - rule: PCS-K8S-001               # our id, a glob of ours (PCS-K8S-*), or a mapped id
 *     path: deploy/**                 # glob, relative to this file's folder
 *     resource: DaemonSet/kube-system/node-agent   # Kind/namespace/name or Kind/name
 *     container: agent
 *     reason: the node agent needs the host's PID namespace
 *     expires: 2027-03-31             # from this day on the entry no longer applies
 *     approvedBy: security@example.com
 *   - rule: CKV_K8S_16                # Checkov's id, matched through our mappings
 *     reason: accepted for the lab cluster
 *   - rule: PCS-SEC-*
 *     path: /usr/share/doc/**         # absolute: a path inside an image
 *     layer: sha256:4f4fb700ef54      # a layer's diff id, or its first 12+ hex digits
 *     reason: documentation examples, no real keys
 * ```
 *
 * Fields: `rule` and `reason` are required; `path`, `resource`, `container`,
 * `layer`, `expires` (YYYY-MM-DD, a real calendar day) and `approvedBy` are
 * optional. A field not in this list, at the top or in an entry, is an error
 * naming it and its line: a misspelt scope (`namspace:`) silently widening a
 * suppression is worse than a failed run. An empty file holds no
 * suppressions.
 *
 * Paths: a relative `path` is resolved against the ignore file's folder as
 * the caller named it, so `deploy/.portcullisignore` with `path: "*.yaml"`
 * covers `deploy/web.yaml`; an absolute one is kept, and is how findings
 * inside images (whose paths are absolute in the image) are scoped.
 *
 * Pure: the caller reads the file and hands over its text.
 */
import { posix } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { InputError, jsonPath, type JsonPath } from "../../common/index.js";
import { isCalendarDate, type Suppression } from "./suppression.js";

/** Largest ignore file read, in characters: thousands of entries fit easily. */
export const MAX_IGNORE_FILE_LENGTH = 1024 * 1024;

/** Our ids, other tools' ids (`CKV_K8S_16`, `privileged-container`), and globs of them. */
export const RULE_PATTERN = /^[A-Za-z0-9_.*?-]+$/;

const nonEmpty = (what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}, got an empty string` });

const Entry = z.strictObject(
  {
    rule: nonEmpty("a rule id such as PCS-K8S-001, a glob such as PCS-K8S-*, or another tool's id").regex(RULE_PATTERN, {
      error: "a rule id holds only letters, digits, _ . - and the wildcards * ?",
    }),
    reason: nonEmpty("the reason for the suppression"),
    path: nonEmpty("a path glob").optional(),
    resource: nonEmpty("Kind/namespace/name or Kind/name")
      .regex(/^[^/\s]+\/[^/\s]+(?:\/[^/\s]+)?$/, { error: "expected Kind/namespace/name or Kind/name" })
      .optional(),
    container: nonEmpty("a container name").optional(),
    layer: z
      .string({ error: "expected a layer diff id: sha256: and at least 12 hex digits" })
      .regex(/^sha256:[0-9a-fA-F]{12,64}$/, { error: "expected a layer diff id: sha256: and at least 12 hex digits" })
      .optional(),
    expires: z
      .string({ error: "expected a date YYYY-MM-DD" })
      .refine(isCalendarDate, { error: (issue) => `expected a date YYYY-MM-DD, got "${String(issue.input)}", which is no calendar day` })
      .optional(),
    approvedBy: nonEmpty("who approved the suppression").optional(),
  },
  { error: "expected a mapping with at least rule: and reason:" },
);

const IgnoreFile = z.strictObject(
  { suppressions: z.array(Entry, { error: "expected a list of suppressions" }) },
  { error: "expected a mapping with a suppressions: list" },
);

/** The suppressions of a `.portcullisignore` file. Throws InputError naming the file, line and field. */
export function parseIgnoreFile(text: string, file: string): Suppression[] {
  if (text.length > MAX_IGNORE_FILE_LENGTH) throw new InputError(file, undefined, `larger than ${MAX_IGNORE_FILE_LENGTH} characters`);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  const lineAt = (offset: number): number => lines.linePos(offset).line;
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new InputError(file, `line ${line}, column ${col}`, `not valid YAML: ${error.message}`);
  }
  if (doc.contents === null) return [];

  const parsed = IgnoreFile.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.filter((k): k is string | number => typeof k !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = issue.path.length === 0 ? "suppressions" : Object.keys(Entry.shape).join(", ");
      const names = issue.keys.map((k) => `"${k}"`).join(", ");
      throw new InputError(file, `line ${lineOfKey(doc, path, issue.keys[0]!, lineAt)}`, `${jsonPath(path)}: unknown field ${names}; known fields: ${known}`);
    }
    throw new InputError(file, `line ${lineOf(doc, path, lineAt)}`, `${jsonPath(path)}: ${issue.message}`);
  }

  const folder = posix.dirname(file.replace(/\\/g, "/"));
  const entryLine = (i: number): number => lineOf(doc, ["suppressions", i], lineAt);
  return parsed.data.suppressions.map((e, i): Suppression => {
    const s: Suppression = { rule: e.rule, reason: e.reason, origin: { kind: "ignore-file", tool: "portcullis", file, line: entryLine(i) } };
    if (e.path !== undefined) s.path = e.path.startsWith("/") ? posix.normalize(e.path) : posix.join(folder, e.path);
    if (e.resource !== undefined) s.resource = e.resource;
    if (e.container !== undefined) s.container = e.container;
    if (e.layer !== undefined) s.layer = e.layer.toLowerCase();
    if (e.expires !== undefined) s.expires = e.expires;
    if (e.approvedBy !== undefined) s.approvedBy = e.approvedBy;
    return s;
  });
}

/** The line of the node at `path`, or of its nearest existing parent. */
function lineOf(doc: Document, path: JsonPath, lineAt: (offset: number) => number): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineAt(node.range[0]);
  }
  return 1;
}

/** The line of key `key` in the mapping at `path`. */
function lineOfKey(doc: Document, path: JsonPath, key: string, lineAt: (offset: number) => number): number {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) return lineAt(pair.key.range[0]);
    }
  }
  return lineOf(doc, path, lineAt);
}
