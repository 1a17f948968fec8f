/**
 * The Kubernetes objects of a manifest file: what every rule and every
 * finding needs to name an object (kind, name, namespace, labels,
 * annotations) and to point into the file (the file, the document, the JSON
 * path of the object in its document, and a line for any path).
 *
 * A `List` (kind `List`, or `<Kind>List` such as `PodList` from `kubectl get
 * -o yaml`) is unwrapped into its items, as kubectl applies them; an item
 * keeps its path `$.items[i]` so locations stay right. Every JSON path here,
 * and every path a rule builds from `root`, goes from the document's root.
 *
 * Pure: no I/O, no logging. Bad items and metadata come back as warnings.
 */
import { InputError, jsonPath, type FindingLocation, type FindingResource, type JsonPath } from "../../common/index.js";
import { isRecord, kubernetesIdentity, loadDocuments, own, type LoadLimits, type ManifestDocument, type SourcePosition } from "./load.js";

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  /** metadata.name; absent on objects that only have a generateName (or nothing). */
  name: string | undefined;
  /** metadata.namespace; absent when the manifest leaves it to the apply. */
  namespace: string | undefined;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
  /** The file as the caller named it. */
  file: string;
  /** 0-based place of its document in the file. */
  document: number;
  /** Keys from the document's root to the object: `[]`, or `["items", 2]` in a List. */
  root: JsonPath;
  /** `$` or `$.items[2]`. */
  path: string;
  /** 1-based line where the object starts. */
  line: number;
  /** The object as JSON data. */
  raw: Record<string, unknown>;
  /** Where the node at `keys` (from the document's root) starts, or its nearest existing parent. */
  locate(keys: JsonPath): SourcePosition;
  /** The object as findings name it. */
  resource: FindingResource;
}

export interface ObjectsOf {
  objects: KubernetesObject[];
  warnings: InputError[];
}

/** `List` and `<Kind>List` objects: an `items` array and no spec of their own. */
export function isListKind(kind: string, raw: Record<string, unknown>): boolean {
  if (!Array.isArray(own(raw, "items"))) return false;
  return kind === "List" || (kind.length > 4 && kind.endsWith("List") && own(raw, "spec") === undefined);
}

/** The objects of one document: the document itself, or the items of a List. */
export function objectsOf(document: ManifestDocument): ObjectsOf {
  const objects: KubernetesObject[] = [];
  const warnings: InputError[] = [];
  const warn = (keys: JsonPath, detail: string): void => {
    warnings.push(new InputError(document.file, `line ${document.locate(keys).line}`, `${jsonPath(keys)}: ${detail}`));
  };
  // Lists may hold Lists: walk them without recursion, in order.
  const stack: [Record<string, unknown>, JsonPath][] = [[document.value, []]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [raw, root] = next;
    const identity = kubernetesIdentity(raw);
    if (typeof identity === "string") {
      warn(root, `not a Kubernetes object: ${identity}`);
      continue;
    }
    if (!isListKind(identity.kind, raw)) {
      objects.push(objectAt(document, raw, root, identity, warn));
      continue;
    }
    const items = own(raw, "items") as unknown[];
    const inner: [Record<string, unknown>, JsonPath][] = [];
    items.forEach((item, i) => {
      const keys = [...root, "items", i];
      if (isRecord(item)) inner.push([item, keys]);
      else warn(keys, `not a Kubernetes object: ${kindOf(item)}, not a mapping`);
    });
    for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]!);
  }
  return { objects, warnings };
}

function objectAt(
  document: ManifestDocument,
  raw: Record<string, unknown>,
  root: JsonPath,
  identity: { apiVersion: string; kind: string },
  warn: (keys: JsonPath, detail: string) => void,
): KubernetesObject {
  const metaKeys = [...root, "metadata"];
  const meta = own(raw, "metadata");
  if (meta !== undefined && meta !== null && !isRecord(meta)) warn(metaKeys, "expected a mapping");
  const metadata = isRecord(meta) ? meta : {};
  const text = (key: string): string | undefined => {
    const v = own(metadata, key);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    warn([...metaKeys, key], `expected a string, got ${kindOf(v)}`);
    return undefined;
  };
  const strings = (key: string): Record<string, string> => {
    const v = own(metadata, key);
    if (v === undefined || v === null) return {};
    if (!isRecord(v)) {
      warn([...metaKeys, key], `expected a mapping, got ${kindOf(v)}`);
      return {};
    }
    const entries: [string, string][] = [];
    for (const [k, value] of Object.entries(v)) {
      if (typeof value === "string") entries.push([k, value]);
      else warn([...metaKeys, key, k], `expected a string, got ${kindOf(value)}`);
    }
    return Object.fromEntries(entries);
  };
  const name = text("name");
  const namespace = text("namespace");
  const generateName = text("generateName");
  const resource: FindingResource = { kind: identity.kind, name: name ?? generateName ?? "" };
  if (namespace !== undefined) resource.namespace = namespace;
  return {
    apiVersion: identity.apiVersion,
    kind: identity.kind,
    name,
    namespace,
    labels: strings("labels"),
    annotations: strings("annotations"),
    file: document.file,
    document: document.index,
    root,
    path: jsonPath(root),
    line: document.locate(root).line,
    raw,
    locate: document.locate,
    resource,
  };
}

/** How a value reads in a message: "a string", "a mapping", "null". */
export function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a sequence";
  if (typeof value === "object") return "a mapping";
  return `a ${typeof value}`;
}

/** Every problem of a file, at the level the caller should report it. */
export interface FileProblem {
  severity: "error" | "warning";
  error: InputError;
}

/**
 * The objects of a whole file, and what could not be read: the convenience
 * over loadDocuments + objectsOf. Throws InputError for what stops the whole
 * file (limits, templates), as loadDocuments does.
 */
export function objectsOfText(text: string, file: string, limits?: Partial<LoadLimits>): { objects: KubernetesObject[]; problems: FileProblem[] } {
  const objects: KubernetesObject[] = [];
  const problems: FileProblem[] = [];
  for (const result of loadDocuments(text, file, limits)) {
    if (!result.ok) {
      problems.push({ severity: result.severity, error: result.error });
      continue;
    }
    const found = objectsOf(result.document);
    for (const object of found.objects) objects.push(object);
    for (const error of found.warnings) problems.push({ severity: "warning", error });
  }
  return { objects, problems };
}

/** A finding's location at `keys` (from the document's root) of an object, and optionally one of its containers. */
export function locationOf(object: KubernetesObject, keys: JsonPath, container?: string): FindingLocation {
  const position = object.locate(keys);
  const location: FindingLocation = { path: object.file, line: position.line, resource: object.resource, jsonPath: jsonPath(keys) };
  if (position.endLine > position.line) location.endLine = position.endLine;
  if (container !== undefined) location.container = container;
  return location;
}
