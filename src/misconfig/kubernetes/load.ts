/**
 * A manifest file's text — multi-document YAML or JSON — as the documents
 * Kubernetes would read, each able to say on which line any of its nodes
 * starts, so a misconfiguration points at the line to change.
 *
 * YAML is read the way kubectl and the API server read it (sigs.k8s.io/yaml
 * over go-yaml v2, YAML 1.1): `yes`/`no`/`on`/`off`/`y`/`n` are booleans,
 * `0755` is octal, `<<` merges, while timestamps, `1:20` sexagesimals and
 * `!!binary` stay strings (checked against `kubectl label --local -o json`).
 * Duplicate keys are an error: tools disagree on which one wins (kubectl's
 * client keeps the last), and the API server's strict field validation,
 * kubectl's default, refuses them.
 *
 * One bad document costs only itself: invalid YAML, too many aliases, or a
 * document that is no Kubernetes object come back as results of their own
 * beside the good ones. What bounds the work of reading the whole file — its
 * size, its number of documents and nodes, its nesting — stops the file, as
 * does a Helm (Go) template, which is not a manifest until it is rendered.
 * Size and nesting are checked on the lexer's tokens and the parser's syntax
 * tree, before yaml's composer builds nodes: it recurses, and a few thousand
 * nested brackets overflow the stack badly enough to abort the process.
 *
 * `loadYaml` is the same reader without the Kubernetes parts, for other YAML
 * files of our field: with the "go-yaml-v3" dialect it types scalars as
 * Docker Compose (compose-go over go-yaml v3) does — YAML 1.2 core, so
 * `yes`/`no` are strings, while `0755` is still octal and `<<` still merges.
 *
 * Pure: no I/O, no logging. The caller reads the file and reports the results.
 */
import { Composer, CST, Lexer, LineCounter, Parser, isAlias, isMap, isNode, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type Tags, type YAMLMap } from "yaml";
import { InputError, type JsonPath } from "../../common/index.js";

/** Longest manifest file read, in characters. Large CRD bundles are a few MB. */
export const MAX_MANIFEST_LENGTH = 8 * 1024 * 1024;
/** Most documents (`---` sections, empty ones included) in one file. */
export const MAX_DOCUMENTS = 10_000;
/**
 * Most aliases (`*name`) in one document; also yaml's `maxAliasCount`.
 * Aliases are how a small document expands into a huge one ("billion laughs").
 */
export const MAX_YAML_ALIASES = 1_000;
/** Deepest nesting of mappings and sequences; real objects, CRD schemas included, stay far below. */
export const MAX_DEPTH = 500;
/** Most YAML nodes (scalars and collections) in one file as written, and in one document once its aliases are expanded. */
export const MAX_NODES = 1_000_000;

/** The limits above, for a caller (a server, a test) that wants others. */
export interface LoadLimits {
  maxLength: number;
  maxDocuments: number;
  maxAliases: number;
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_LIMITS: Readonly<LoadLimits> = {
  maxLength: MAX_MANIFEST_LENGTH,
  maxDocuments: MAX_DOCUMENTS,
  maxAliases: MAX_YAML_ALIASES,
  maxDepth: MAX_DEPTH,
  maxNodes: MAX_NODES,
};

/** Where a node of a document starts (1-based) and the line its value ends on. */
export interface SourcePosition {
  line: number;
  column: number;
  endLine: number;
  /** The keys of the node found: the path asked for, or its nearest existing parent. */
  found: JsonPath;
  /** True when the whole path exists. */
  exact: boolean;
}

/** One document of a YAML or JSON file, as data, with the positions of its nodes. */
export interface YamlDocument {
  /** The file as the caller named it. */
  file: string;
  /** 0-based place of the document in the file, empty documents counted. */
  index: number;
  /** 1-based line where its content starts. */
  line: number;
  /** The document as JSON data: aliases expanded, merges applied. */
  value: unknown;
  /** Where the node at `keys` starts, or its nearest existing parent (see ManifestDocument.locate). */
  locate(keys: JsonPath): SourcePosition;
}

export type YamlResult = { ok: true; index: number; line: number; document: YamlDocument } | { ok: false; index: number; line: number; severity: "error"; error: InputError };

/**
 * How plain scalars are typed. "kubernetes": as kubectl (go-yaml v2, YAML 1.1),
 * and `{{` is refused as a Helm template. "go-yaml-v3": as go-yaml v3, which
 * Docker Compose reads with.
 */
export type YamlDialect = "kubernetes" | "go-yaml-v3";

export interface YamlOptions {
  limits?: Partial<LoadLimits>;
  /** "kubernetes" unless given. */
  dialect?: YamlDialect;
}

/** One document of a file that holds a Kubernetes object (or a List of them). */
export interface ManifestDocument {
  /** The file as the caller named it. */
  file: string;
  /** 0-based place of the document in the file, empty documents counted. */
  index: number;
  /** 1-based line where its content starts. */
  line: number;
  apiVersion: string;
  kind: string;
  /** The document as JSON data: aliases expanded, merges applied. */
  value: Record<string, unknown>;
  /**
   * Where the node at `keys` starts, `keys` going from the document's root
   * (`["spec", "template", "spec", "containers", 0, "securityContext"]`).
   * When the path does not exist, the position of its nearest existing parent.
   */
  locate(keys: JsonPath): SourcePosition;
}

export type DocumentResult =
  | { ok: true; index: number; line: number; document: ManifestDocument }
  /** `error`: the document cannot be read; `warning`: it is fine YAML but no Kubernetes object. */
  | { ok: false; index: number; line: number; severity: "error" | "warning"; error: InputError };

/** Tags go-yaml v2 does not resolve implicitly (or at all), left as strings. */
const NOT_KUBERNETES_TAGS = new Set(["binary", "omap", "pairs", "set", "timestamp"].map((t) => `tag:yaml.org,2002:${t}`));

/** The YAML 1.1 schema without the tags above, and without `1:20` sexagesimal numbers. */
function kubernetesTags(tags: Tags): Tags {
  return tags.filter((t) => typeof t !== "string" && !NOT_KUBERNETES_TAGS.has(t.tag) && !("format" in t && t.format === "TIME"));
}

/** go-yaml v3 still reads `0755` as octal "for compatibility"; the YAML 1.2 core schema reads it as decimal. */
const LEGACY_OCTAL = {
  identify: (value: unknown) => typeof value === "number" && Number.isInteger(value),
  default: true,
  tag: "tag:yaml.org,2002:int",
  format: "OCT",
  test: /^[-+]?0[0-7]+$/,
  resolve: (text: string) => (text.startsWith("-") ? -1 : 1) * parseInt(text.replace(/^[-+]/, ""), 8),
};

/** The YAML 1.2 core schema with go-yaml v3's legacy octal integers. */
function goYamlV3Tags(tags: Tags): Tags {
  return [LEGACY_OCTAL, ...tags];
}

const COMPOSE_OPTIONS = {
  kubernetes: { version: "1.1", customTags: kubernetesTags, prettyErrors: false, logLevel: "error", uniqueKeys: true },
  "go-yaml-v3": { version: "1.2", customTags: goYamlV3Tags, merge: true, prettyErrors: false, logLevel: "error", uniqueKeys: true },
} as const;

/**
 * The documents of one manifest file, in order, empty ones skipped.
 * Throws InputError for what stops the whole file (limits, templates).
 */
export function loadDocuments(text: string, file: string, limits: Partial<LoadLimits> = {}): DocumentResult[] {
  return loadYaml(text, file, { limits, dialect: "kubernetes" }).map((result): DocumentResult => {
    if (!result.ok) return result;
    const { index, line, document } = result;
    const identity = kubernetesIdentity(document.value);
    if (typeof identity === "string") {
      return { ok: false, index, line, severity: "warning", error: new InputError(file, `line ${line}`, `not a Kubernetes object: ${identity}`) };
    }
    return { ok: true, index, line, document: { ...document, apiVersion: identity.apiVersion, kind: identity.kind, value: document.value as Record<string, unknown> } };
  });
}

/**
 * The documents of one YAML (or JSON) file, in order, empty ones skipped, a
 * bad document costing only itself. Throws InputError for what stops the
 * whole file (limits; templates in the "kubernetes" dialect).
 */
export function loadYaml(text: string, file: string, options: YamlOptions = {}): YamlResult[] {
  const limit: LoadLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const dialect = options.dialect ?? "kubernetes";
  if (text.length > limit.maxLength) throw new InputError(file, undefined, `larger than ${limit.maxLength} characters`);

  const lines = new LineCounter();
  lines.addNewLine(0);
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer(COMPOSE_OPTIONS[dialect]);
  const results: YamlResult[] = [];
  let documents = 0;
  let composed = 0;

  const take = (doc: Document.Parsed): void => {
    const result = readDocument(doc, composed++, file, text.length, lines, limit);
    if (result) results.push(result);
  };
  const feed = (token: CST.Token): void => {
    if (token.type === "document") {
      if (++documents > limit.maxDocuments) throw new InputError(file, at(token.offset), `more than ${limit.maxDocuments} documents`);
      const deep = tooDeep(token, limit.maxDepth);
      if (deep !== undefined) throw new InputError(file, at(deep), `nested deeper than ${limit.maxDepth} levels`);
    }
    for (const doc of composer.next(token)) take(doc);
  };

  // The lexer's tokens, checked before the parser builds anything from them.
  let offset = 0;
  let atScalar = false;
  let nodes = 0;
  let flowDepth = 0;
  let lineIndicators = 0;
  let braceEnd = -1;
  for (const lexeme of new Lexer().lex(text)) {
    if (atScalar) {
      atScalar = false; // a plain or block scalar's text, whatever it looks like
    } else {
      switch (CST.tokenType(lexeme)) {
        case "scalar": // the marker before a plain or block scalar
          atScalar = true;
          nodes++;
          break;
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "alias":
          nodes++;
          break;
        case "flow-map-start":
        case "flow-seq-start":
          if (lexeme === "{" && braceEnd === offset && dialect === "kubernetes") {
            throw new InputError(file, at(offset - 1), 'this is a template ("{{" starts a Helm or Go template action), not a Kubernetes manifest: render it first (helm template) and scan the output');
          }
          if (lexeme === "{") braceEnd = offset + 1;
          nodes++;
          if (++flowDepth > limit.maxDepth) throw new InputError(file, at(offset), `nested deeper than ${limit.maxDepth} levels`);
          break;
        case "flow-map-end":
        case "flow-seq-end":
          flowDepth = Math.max(0, flowDepth - 1);
          break;
        case "flow-error-end":
        case "doc-start":
        case "doc-mode":
          flowDepth = 0;
          break;
        case "seq-item-ind":
        case "explicit-key-ind":
        case "map-value-ind":
          // `- - - - x` nests on one line; bound it before the parser builds it.
          // (In flow style, where `:` may repeat on a line, the bracket depth bounds the nesting.)
          if (flowDepth === 0 && ++lineIndicators > limit.maxDepth) throw new InputError(file, at(offset), `nested deeper than ${limit.maxDepth} levels`);
          break;
        case "newline":
          lineIndicators = 0;
          break;
        default:
          break;
      }
      if (nodes > limit.maxNodes) throw new InputError(file, at(offset), `more than ${limit.maxNodes} YAML nodes`);
    }
    if (lexeme !== CST.SCALAR && lexeme !== CST.DOCUMENT && lexeme !== CST.FLOW_END) offset += lexeme.length;
    for (const token of parser.next(lexeme)) feed(token);
  }
  for (const token of parser.end()) feed(token);
  for (const doc of composer.end()) take(doc);
  return results;
}

/** The offset of the first collection nested deeper than maxDepth in a parsed document, if any. */
function tooDeep(doc: CST.Document, maxDepth: number): number | undefined {
  const stack: [CST.Token, number][] = doc.value ? [[doc.value, 1]] : [];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (!CST.isCollection(token)) continue;
    if (depth > maxDepth) return token.offset;
    for (const item of token.items) {
      if (item.key) stack.push([item.key, depth + 1]);
      if (item.value) stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/** One composed document as a result, or undefined when it is empty. */
function readDocument(doc: Document.Parsed, index: number, file: string, length: number, lines: LineCounter, limit: LoadLimits): YamlResult | undefined {
  const contents = doc.contents;
  const start = contents?.range[0] ?? doc.range[0];
  const line = lines.linePos(start).line;
  const fail = (offset: number, detail: string): YamlResult => {
    const { line: l, col } = lines.linePos(offset);
    return { ok: false, index, line, severity: "error", error: new InputError(file, `line ${l}, column ${col}`, detail) };
  };

  const [firstError] = doc.errors;
  if (firstError) return fail(firstError.pos[0], `invalid YAML: ${firstError.message}`);
  if (contents === null || (isScalar(contents) && contents.value === null && !contents.anchor)) return undefined;

  const measured = measure(contents, limit);
  if (measured instanceof Problem) return fail(measured.offset, measured.message);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limit.maxAliases });
  } catch (err) {
    return fail(start, `cannot expand the document: ${err instanceof Error ? err.message : String(err)}`);
  }
  const targets = measured;
  const document: YamlDocument = {
    file,
    index,
    line,
    value,
    locate: (keys) => locate(contents, keys, targets, lines, length),
  };
  return { ok: true, index, line, document };
}

/** What makes a value a Kubernetes object, or why it is not one. */
export function kubernetesIdentity(value: unknown): { apiVersion: string; kind: string } | string {
  if (!isRecord(value)) return `${value === null ? "null" : Array.isArray(value) ? "a sequence" : `a ${typeof value}`}, not a mapping`;
  const apiVersion = own(value, "apiVersion");
  const kind = own(value, "kind");
  if (apiVersion === undefined || apiVersion === null) return "no apiVersion";
  if (typeof apiVersion !== "string" || apiVersion === "") return "apiVersion is not a non-empty string";
  if (kind === undefined || kind === null) return "no kind";
  if (typeof kind !== "string" || kind === "") return "kind is not a non-empty string";
  return { apiVersion, kind };
}

/** A JSON object (a YAML mapping), as opposed to an array, a scalar or null. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `record[key]` when the record itself has it: never an inherited `constructor` or `toString`. */
export function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

class Problem {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const bomb = (limit: LoadLimits): string => `aliases expand the document to more than ${limit.maxNodes} nodes (a "billion laughs" YAML bomb?)`;

/** The children of a node, in document order. */
function childrenOf(node: Node): Node[] {
  const kids: Node[] = [];
  const add = (n: unknown): void => {
    if (isPair(n)) {
      if (isNode(n.key)) kids.push(n.key);
      if (isNode(n.value)) kids.push(n.value);
    } else if (isNode(n)) kids.push(n);
  };
  if (isMap(node) || isSeq(node)) for (const item of node.items) add(item);
  return kids;
}

/**
 * Counts aliases and the nodes of the document once they are expanded, and
 * finds each alias's anchor (the last one of its name before it). Walks in
 * document order without recursion; an alias can only name a node already
 * complete, or one that contains it (a cycle).
 */
function measure(root: Node, limit: LoadLimits): Map<Alias, Node> | Problem {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const targets = new Map<Alias, Node>();
  let aliases = 0;
  interface Frame {
    node: Node | undefined;
    kids: Node[];
    next: number;
    size: number;
  }
  const enter = (node: Node): Frame => {
    if (node.anchor) anchors.set(node.anchor, node);
    return { node, kids: childrenOf(node), next: 0, size: 1 };
  };
  const stack: Frame[] = [{ node: undefined, kids: [root], next: 0, size: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const kid = top.kids[top.next++];
    if (kid) {
      if (!isAlias(kid)) {
        stack.push(enter(kid));
        continue;
      }
      const where = kid.range?.[0] ?? 0;
      if (++aliases > limit.maxAliases) return new Problem(where, `more than ${limit.maxAliases} aliases`);
      const target = anchors.get(kid.source);
      if (target === undefined) continue; // the composer reports the unknown anchor
      const size = sizes.get(target);
      if (size === undefined) return new Problem(where, `the alias *${kid.source} is inside the node it names`);
      targets.set(kid, target);
      top.size += size;
      if (top.size > limit.maxNodes) return new Problem(where, bomb(limit));
      continue;
    }
    stack.pop();
    if (top.node) sizes.set(top.node, top.size);
    const parent = stack[stack.length - 1];
    if (parent) parent.size += top.size;
    if (top.size > limit.maxNodes) return new Problem(top.node?.range?.[0] ?? 0, bomb(limit));
  }
  return targets;
}

/** The string a JS object would use for a scalar key; undefined for other keys and for `<<`. */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  const v = key.value;
  if (typeof v === "symbol") return undefined;
  return v === null ? "" : String(v);
}

function isMergePair(pair: Pair): boolean {
  if (!isScalar(pair.key)) return false;
  const v = pair.key.value;
  return typeof v === "symbol" && v.description === "<<";
}

/** The pair of `map` for `key`, its own pairs first, then those of its `<<` merges in order. */
function pairOf(map: YAMLMap, key: string, targets: Map<Alias, Node>, seen: Set<Node>): Pair | undefined {
  if (seen.has(map)) return undefined;
  seen.add(map);
  const pairs = map.items as Pair[];
  for (const pair of pairs) if (!isMergePair(pair) && keyText(pair.key) === key) return pair;
  for (const pair of pairs) {
    if (!isMergePair(pair)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const resolved = isAlias(source) ? targets.get(source) : source;
      if (isMap(resolved)) {
        const found = pairOf(resolved, key, targets, seen);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function locate(root: Node, keys: JsonPath, targets: Map<Alias, Node>, lines: LineCounter, length: number): SourcePosition {
  let node: unknown = root;
  let start = root.range?.[0] ?? 0;
  let end = root.range?.[1] ?? start;
  const found: PropertyKey[] = [];
  for (const key of keys) {
    const here = isAlias(node) ? targets.get(node) : node;
    let next: unknown;
    if (isMap(here) && typeof key !== "symbol") {
      const pair = pairOf(here, String(key), targets, new Set());
      if (!pair) break;
      next = pair.value;
      start = (pair.key as Node).range?.[0] ?? start;
      end = (isNode(pair.value) ? pair.value.range?.[1] : undefined) ?? (pair.key as Node).range?.[1] ?? start;
    } else if (isSeq(here) && typeof key === "number") {
      next = here.items[key];
      if (!isNode(next)) break;
      start = next.range?.[0] ?? start;
      end = next.range?.[1] ?? start;
    } else {
      break;
    }
    found.push(key);
    node = next;
  }
  const first = lines.linePos(Math.min(start, length));
  const last = lines.linePos(Math.min(Math.max(start, end - 1), length));
  return { line: first.line, column: first.col, endLine: last.line, found, exact: found.length === keys.length };
}
