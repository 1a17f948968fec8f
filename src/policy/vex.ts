/**
 * OpenVEX documents: what a product's maker says about a vulnerability in it
 * — not affected (and why), affected, fixed, or still under investigation.
 * A policy reads them to drop vulnerability findings the image does not
 * suffer from.
 *
 * Both shapes in use are read: v0.2.0, where a statement's `vulnerability` is
 * `{ name, aliases }` and `products` are `{ "@id", identifiers, hashes,
 * subcomponents: [{ "@id" }] }`, and v0.0.x, where the vulnerability is a
 * string, products are strings and `subcomponents` (strings) sit on the
 * statement. An OpenVEX document wrapped in an in-toto statement (what
 * `vexctl attest` makes) is read through its `predicate`.
 *
 * Required, as the spec says: a `statements` list, and in each statement a
 * vulnerability and a known `status`; `not_affected` needs a `justification`
 * or an `impact_statement`. Times must be RFC 3339. Other fields are left
 * alone: the format is JSON-LD and producers add their own.
 *
 * Matching (`applyVex`): a statement covers a vulnerability finding when one
 * of its names (name and aliases) equals one of the finding's (id and
 * aliases), ignoring case, and
 *  - it lists no products, or a product names the finding's package, or
 *    names the image; when the statement lists subcomponents, the finding's
 *    package must be one of them, and a product (if any is listed) must name
 *    the image;
 *  - a package is named by a purl of the same type, namespace and name, and
 *    the same version unless the purl has none (qualifiers and subpath are
 *    not compared: `?arch=amd64` does not narrow);
 *  - the image is named by its reference or digest as an `@id`, by a
 *    `pkg:oci` purl whose version (or `digest` qualifier) is its digest, by a
 *    versionless `pkg:oci` purl whose `repository_url` is its repository (and
 *    `tag` qualifier, when given, its tag), or by a `sha-256` hash equal to
 *    its digest.
 * Of the statements covering a finding, the latest (statement time, else
 * document time; none counts as oldest) decides, later in the list winning a
 * tie, as VEX is a sequence of statements each overriding the earlier ones.
 * `not_affected` and `fixed` resolve the finding; `affected` and
 * `under_investigation` keep it.
 *
 * Pure: the caller reads the file and hands over its text.
 */
import { PackageURL } from "packageurl-js";
import { InputError, jsonPath, type Finding, type JsonPath } from "../common/index.js";

/** Largest OpenVEX document read, in characters. */
export const MAX_VEX_LENGTH = 16 * 1024 * 1024;

export const VEX_STATUSES = ["not_affected", "affected", "fixed", "under_investigation"] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

/** The machine-readable reasons for `not_affected`, as the VEX working group defined them. */
export const VEX_JUSTIFICATIONS = [
  "component_not_present",
  "vulnerable_code_not_present",
  "vulnerable_code_not_in_execute_path",
  "vulnerable_code_cannot_be_controlled_by_adversary",
  "inline_mitigations_already_exist",
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

export interface VexStatement {
  /** The vulnerability's main name: `CVE-2023-6129`. */
  vulnerability: string;
  /** Its other names (`GHSA-…`, `GO-…`). */
  aliases: string[];
  /** What the statement is about: purls, image references, `sha256:` digests. Empty: every product. */
  products: string[];
  /** The products' parts the vulnerability would come from (purls). */
  subcomponents: string[];
  status: VexStatus;
  justification?: VexJustification;
  impactStatement?: string;
  actionStatement?: string;
  /** RFC 3339: the statement's time, else the document's. */
  timestamp?: string;
  /** The file as the caller named it, and the statement's 0-based place in its `statements` list. */
  origin: { file: string; index: number };
}

/** The statements of an OpenVEX document. Throws InputError naming the file and the JSON path of what is wrong. */
export function parseOpenVex(text: string, file: string): VexStatement[] {
  if (text.length > MAX_VEX_LENGTH) throw new InputError(file, undefined, `larger than ${MAX_VEX_LENGTH} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, undefined, `not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const fail = (path: JsonPath, detail: string): never => {
    throw new InputError(file, jsonPath(path), detail);
  };

  if (!isObject(json)) return fail([], "expected an OpenVEX document, a JSON object with a statements list");
  let doc = json;
  let base: JsonPath = [];
  if (isObject(json.predicate) && typeof json.predicateType === "string" && json.predicateType.startsWith("https://openvex.dev/ns")) {
    doc = json.predicate;
    base = ["predicate"];
  }
  if (!("statements" in doc)) return fail(base, 'no "statements" list: not an OpenVEX document');
  if (!Array.isArray(doc.statements)) return fail([...base, "statements"], "expected a list of statements");
  const docTime = optionalTime(doc.timestamp, [...base, "timestamp"], fail);

  return doc.statements.map((raw: unknown, index): VexStatement => {
    const at: JsonPath = [...base, "statements", index];
    if (!isObject(raw)) return fail(at, "expected a statement object with vulnerability, products and status");
    const { vulnerability, aliases } = readVulnerability(raw, at, fail);

    if (raw.status === undefined) return fail([...at, "status"], `missing; expected one of ${VEX_STATUSES.join(", ")}`);
    if (!VEX_STATUSES.includes(raw.status as VexStatus)) {
      return fail([...at, "status"], `unknown status ${JSON.stringify(raw.status)}; expected one of ${VEX_STATUSES.join(", ")}`);
    }
    const status = raw.status as VexStatus;

    let justification: VexJustification | undefined;
    if (raw.justification !== undefined) {
      if (!VEX_JUSTIFICATIONS.includes(raw.justification as VexJustification)) {
        return fail([...at, "justification"], `unknown justification ${JSON.stringify(raw.justification)}; expected one of ${VEX_JUSTIFICATIONS.join(", ")}`);
      }
      justification = raw.justification as VexJustification;
    }
    const impactStatement = optionalText(raw.impact_statement, [...at, "impact_statement"], fail);
    const actionStatement = optionalText(raw.action_statement, [...at, "action_statement"], fail);
    if (status === "not_affected" && justification === undefined && impactStatement === undefined) {
      return fail(at, "status not_affected needs a justification or an impact_statement saying why");
    }

    const products: string[] = [];
    const subcomponents: string[] = [];
    if (raw.products !== undefined) {
      if (!Array.isArray(raw.products)) return fail([...at, "products"], "expected a list of products");
      raw.products.forEach((p: unknown, i) => {
        const pAt: JsonPath = [...at, "products", i];
        products.push(...componentIds(p, pAt, "product", fail));
        if (isObject(p) && p.subcomponents !== undefined) subcomponents.push(...readSubcomponents(p.subcomponents, [...pAt, "subcomponents"], fail));
      });
    }
    if (raw.subcomponents !== undefined) subcomponents.push(...readSubcomponents(raw.subcomponents, [...at, "subcomponents"], fail));

    const statement: VexStatement = { vulnerability, aliases, products, subcomponents, status, origin: { file, index } };
    if (justification !== undefined) statement.justification = justification;
    if (impactStatement !== undefined) statement.impactStatement = impactStatement;
    if (actionStatement !== undefined) statement.actionStatement = actionStatement;
    const timestamp = optionalTime(raw.timestamp, [...at, "timestamp"], fail) ?? docTime;
    if (timestamp !== undefined) statement.timestamp = timestamp;
    return statement;
  });
}

type Fail = (path: JsonPath, detail: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";

function readVulnerability(raw: Record<string, unknown>, at: JsonPath, fail: Fail): { vulnerability: string; aliases: string[] } {
  const v = raw.vulnerability;
  if (v === undefined) return fail(at, "no vulnerability: expected a vulnerability with a name such as CVE-2023-6129");
  if (typeof v === "string") {
    if (!nonEmpty(v)) return fail([...at, "vulnerability"], "expected the vulnerability's name, got an empty string");
    return { vulnerability: v.trim(), aliases: [] };
  }
  if (!isObject(v)) return fail([...at, "vulnerability"], 'expected an object with a "name", or a name as a string');
  if (!nonEmpty(v.name)) return fail([...at, "vulnerability", "name"], "expected the vulnerability's name, such as CVE-2023-6129");
  const aliases: string[] = [];
  if (v.aliases !== undefined) {
    if (!Array.isArray(v.aliases)) return fail([...at, "vulnerability", "aliases"], "expected a list of names");
    v.aliases.forEach((a: unknown, i) => {
      if (!nonEmpty(a)) fail([...at, "vulnerability", "aliases", i], "expected a name such as GHSA-4v7x-pqxf-cx7m");
      aliases.push(a.trim());
    });
  }
  return { vulnerability: v.name.trim(), aliases };
}

/** The ways a product or subcomponent is named: its `@id`, its purl identifier, its sha-256 hash as `sha256:…`. */
function componentIds(c: unknown, at: JsonPath, what: string, fail: Fail): string[] {
  if (typeof c === "string") {
    if (!nonEmpty(c)) return fail(at, `expected a ${what} identifier, got an empty string`);
    return [c.trim()];
  }
  if (!isObject(c)) return fail(at, `expected a ${what}: an object with "@id", or an identifier string`);
  const ids: string[] = [];
  if (c["@id"] !== undefined) {
    if (!nonEmpty(c["@id"])) return fail([...at, "@id"], `expected the ${what}'s identifier (a purl or an image reference)`);
    ids.push(c["@id"].trim());
  }
  if (isObject(c.identifiers) && nonEmpty(c.identifiers.purl)) ids.push(c.identifiers.purl.trim());
  if (isObject(c.hashes) && nonEmpty(c.hashes["sha-256"])) ids.push(`sha256:${c.hashes["sha-256"].trim().toLowerCase()}`);
  if (ids.length === 0) return fail(at, `the ${what} names nothing: expected "@id", identifiers.purl or hashes["sha-256"]`);
  return [...new Set(ids)];
}

function readSubcomponents(raw: unknown, at: JsonPath, fail: Fail): string[] {
  if (!Array.isArray(raw)) return fail(at, "expected a list of subcomponents");
  return raw.flatMap((s: unknown, i) => componentIds(s, [...at, i], "subcomponent", fail));
}

function optionalText(value: unknown, at: JsonPath, fail: Fail): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string") return fail(at, "expected a string");
  return value;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function optionalTime(value: unknown, at: JsonPath, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !RFC3339.test(value) || Number.isNaN(Date.parse(value.replace(" ", "T")))) {
    return fail(at, `expected an RFC 3339 time such as 2024-03-01T10:00:00Z, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The image the findings are about. */
export interface VexTarget {
  reference: string;
  digest?: string;
}

export interface VexResolved {
  finding: Finding;
  /** The statement that decided: `not_affected` or `fixed`. */
  statement: VexStatement;
}

/**
 * Drop the vulnerability findings the statements resolve. `findings` keeps
 * every other finding, in order; `resolved` says which statement dropped
 * which finding.
 */
export function applyVex(findings: readonly Finding[], statements: readonly VexStatement[], target: VexTarget): { findings: Finding[]; resolved: VexResolved[] } {
  const byName = new Map<string, Compiled[]>();
  statements.forEach((statement, order) => {
    const compiled: Compiled = {
      statement,
      order,
      time: statement.timestamp === undefined ? Number.NEGATIVE_INFINITY : Date.parse(statement.timestamp.replace(" ", "T")),
      products: statement.products.map(componentOf),
      subcomponents: statement.subcomponents.map(componentOf),
    };
    for (const name of new Set([statement.vulnerability, ...statement.aliases].map((n) => n.toLowerCase()))) {
      const list = byName.get(name);
      if (list) list.push(compiled);
      else byName.set(name, [compiled]);
    }
  });
  const image = imageOf(target);

  const kept: Finding[] = [];
  const resolved: VexResolved[] = [];
  for (const finding of findings) {
    const decider = finding.kind === "vulnerability" ? deciding(finding, byName, image) : undefined;
    if (decider && (decider.status === "not_affected" || decider.status === "fixed")) resolved.push({ finding, statement: decider });
    else kept.push(finding);
  }
  return { findings: kept, resolved };
}

/** The statement that decides about a finding, when any covers it. */
function deciding(finding: Finding, byName: Map<string, Compiled[]>, image: Image): VexStatement | undefined {
  const seen = new Set<Compiled>();
  let best: Compiled | undefined;
  const pkg = finding.package?.purl ? componentOf(finding.package.purl).purl : undefined;
  for (const name of [finding.id, ...finding.aliases]) {
    for (const c of byName.get(name.toLowerCase()) ?? []) {
      if (seen.has(c)) continue;
      seen.add(c);
      if (!covers(c, pkg, image)) continue;
      if (!best || c.time > best.time || (c.time === best.time && c.order > best.order)) best = c;
    }
  }
  return best?.statement;
}

interface Compiled {
  statement: VexStatement;
  order: number;
  time: number;
  products: Component[];
  subcomponents: Component[];
}

interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

interface Component {
  text: string;
  /** When the identifier is a purl. */
  purl?: Purl;
}

function componentOf(text: string): Component {
  if (!text.startsWith("pkg:")) return { text };
  try {
    const p = PackageURL.fromString(text);
    const purl: Purl = { type: p.type.toLowerCase(), name: p.name, qualifiers: { ...(p.qualifiers ?? {}) } };
    if (p.namespace) purl.namespace = p.namespace;
    if (p.version) purl.version = p.version;
    return { text, purl };
  } catch {
    return { text };
  }
}

function covers(c: Compiled, pkg: Purl | undefined, image: Image): boolean {
  if (c.subcomponents.length > 0) {
    if (c.products.length > 0 && !c.products.some((p) => namesImage(p, image))) return false;
    return pkg !== undefined && c.subcomponents.some((s) => namesPackage(s, pkg));
  }
  return c.products.length === 0 || c.products.some((p) => namesImage(p, image) || (pkg !== undefined && namesPackage(p, pkg)));
}

/** Same type, namespace and name; same version unless the statement's purl has none. */
function namesPackage(c: Component, pkg: Purl): boolean {
  const p = c.purl;
  if (!p || p.type === "oci") return false;
  return p.type === pkg.type && (p.namespace ?? "") === (pkg.namespace ?? "") && p.name === pkg.name && (p.version === undefined || p.version === pkg.version);
}

interface Image {
  reference: string;
  digest?: string;
  /** The reference without tag and digest: `registry.example.com/shop/api`. */
  repository: string;
  tag?: string;
}

function imageOf(target: VexTarget): Image {
  const at = target.reference.indexOf("@");
  const refDigest = at >= 0 ? target.reference.slice(at + 1) : undefined;
  let repository = at >= 0 ? target.reference.slice(0, at) : target.reference;
  let tag: string | undefined;
  const colon = repository.lastIndexOf(":");
  if (colon > repository.lastIndexOf("/")) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  const image: Image = { reference: target.reference, repository: repository.toLowerCase() };
  const digest = target.digest ?? (refDigest?.includes(":") ? refDigest : undefined);
  if (digest) image.digest = digest.toLowerCase();
  if (tag) image.tag = tag;
  return image;
}

function namesImage(c: Component, image: Image): boolean {
  if (c.text === image.reference || (image.digest !== undefined && c.text.toLowerCase() === image.digest)) return true;
  const p = c.purl;
  if (p?.type !== "oci") return false;
  const digest = p.version ?? p.qualifiers.digest;
  if (digest !== undefined) return image.digest !== undefined && digest.toLowerCase() === image.digest;
  const repositoryUrl = p.qualifiers.repository_url;
  if (repositoryUrl === undefined || repositoryUrl.toLowerCase() !== image.repository) return false;
  return p.qualifiers.tag === undefined || p.qualifiers.tag === image.tag;
}
