/**
 * A policy file: what "acceptable" means, written once and applied at every
 * checkpoint. Every problem — bad YAML, an unknown rule type or field, a
 * stage that does not exist, a CEL condition that does not parse or type
 * check — is reported with file, line and column before anything is
 * evaluated, so a policy never half-applies.
 *
 * ```yaml
 * apiVersion: portcullis.dev/v1
 * kind: Policy
 * metadata: {name: shop}
 * rules:
 *   - name: no-fixable-criticals
 *     type: maxSeverity
 *     max: high                   # critical fires
 *     fixable: true
 *     stages: [build, registry, "promote:*", admission]
 *     action: deny                # deny (default), warn or audit
 *   - name: prod-is-small-risk
 *     type: cel
 *     expression: risk.score <= 40 && counts.critical == 0
 *     message: production images stay under risk 40
 *     stages: ["promote:prod"]
 * exceptions:
 *   - findings: [CVE-2023-4911]
 *     reason: not reachable, no setuid binaries
 *     approvedBy: security@example.com
 *     expires: 2027-01-31
 * vex: [vex/openssl.openvex.json]   # relative to this file
 * keys:                             # for signedBy rules
 *   release: {publicKey: keys/release.pub}   # relative to this file
 * ```
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Scalar } from "yaml";
import { z } from "zod";
import { InputError, jsonPath, SEVERITIES, type JsonPath } from "../common/index.js";
import { compileCondition, type CompiledCondition } from "./cel.js";
import { readExceptions, type PolicyException } from "./exceptions.js";

export const MAX_POLICY_LENGTH = 1024 * 1024;

/** `build`, `registry`, `promote:<env>`, `admission`, `runtime`; rules may use `promote:*`. */
export const STAGE = /^(build|registry|admission|runtime|promote:[a-z0-9][a-z0-9._-]*)$/;
const STAGE_PATTERN = /^(build|registry|admission|runtime|promote:([a-z0-9][a-z0-9._-]*|\*))$/;

const name = z.string({ error: "expected a name" }).regex(/^[a-z0-9][a-z0-9._-]*$/, { error: "expected a name of lower-case letters, digits, . _ -" });
const text = (what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}` });
const list = (what: string) => z.array(text(what), { error: `expected a list of ${what}` }).min(1, { error: `expected at least one ${what}` });
const severity = z.enum(SEVERITIES.slice(0, 5) as ["critical", "high", "medium", "low", "negligible"], { error: `expected a severity: ${SEVERITIES.slice(0, 5).join(", ")}` });
const duration = z.string({ error: "expected a duration such as 7d or 12h" }).regex(/^\d+(m|h|d)$/, { error: "expected a duration such as 7d or 12h" });

const common = {
  name,
  description: text("a description").optional(),
  stages: z.array(z.string().regex(STAGE_PATTERN, { error: "expected build, registry, promote:<env>, promote:*, admission or runtime" }), { error: "expected a list of stages" }).min(1).optional(),
  action: z.enum(["deny", "warn", "audit"], { error: "expected deny, warn or audit" }).optional(),
  message: text("a message").optional(),
};

const RULE_TYPES = {
  maxSeverity: {
    max: severity,
    fixable: z.boolean({ error: "expected true or false" }).optional(),
    layers: z.enum(["all", "base", "app"], { error: "expected all, base or app" }).optional(),
    kinds: z.array(z.enum(["vulnerability", "misconfig", "secret"], { error: "expected vulnerability, misconfig or secret" })).min(1).optional(),
  },
  maxRiskScore: { max: z.number({ error: "expected a number 0-100" }).int().min(0).max(100) },
  forbiddenPackages: { packages: list("package names, purls or globs") },
  forbiddenLicenses: { licenses: list("SPDX license ids or globs") },
  noSecrets: { min: severity.optional() },
  nonRoot: {},
  trustedRegistries: { registries: list("registry hosts or host/path prefixes") },
  signedBy: {
    keys: list("key names"),
    attestation: z.boolean({ error: "expected true or false" }).optional(),
    maxAge: duration.optional(),
    maxRiskScore: z.number({ error: "expected a number 0-100" }).int().min(0).max(100).optional(),
  },
  noDebug: {
    env: list("environment variable patterns").optional(),
    ports: z.array(z.number().int().min(1).max(65535), { error: "expected a list of port numbers" }).optional(),
    tools: z.array(z.enum(["shell", "package-manager", "compiler", "debugger", "network-tool"], { error: "expected shell, package-manager, compiler, debugger or network-tool" })).optional(),
  },
  cel: { expression: text("a CEL expression that is true when the image passes") },
} as const;

export type RuleType = keyof typeof RULE_TYPES;

const Rule = z.discriminatedUnion(
  "type",
  Object.entries(RULE_TYPES).map(([type, fields]) => z.strictObject({ ...common, type: z.literal(type), ...fields })) as unknown as [z.ZodObject, ...z.ZodObject[]],
  { error: `expected a rule type: ${Object.keys(RULE_TYPES).join(", ")}` },
);

const PolicyDoc = z.strictObject({
  apiVersion: z.literal("portcullis.dev/v1", { error: 'expected apiVersion: portcullis.dev/v1' }),
  kind: z.literal("Policy", { error: "expected kind: Policy" }),
  metadata: z.strictObject({ name, description: text("a description").optional() }, { error: "expected metadata with a name" }),
  rules: z.array(z.unknown(), { error: "expected a list of rules" }),
  exceptions: z.array(z.unknown(), { error: "expected a list of exceptions" }).optional(),
  vex: z.array(text("an OpenVEX file"), { error: "expected a list of OpenVEX files" }).optional(),
  keys: z
    .record(name, z.strictObject({ publicKey: text("a public key file (PEM)") }, { error: "expected publicKey: FILE" }), { error: "expected a map of key names to {publicKey: FILE}" })
    .optional(),
});

interface RuleBase {
  name: string;
  description?: string;
  /** Stage patterns; every stage when absent. */
  stages?: string[];
  action: "deny" | "warn" | "audit";
  message?: string;
  /** 1-based line of the rule in the policy file. */
  line: number;
}

export type PolicyRule =
  | (RuleBase & { type: "maxSeverity"; max: (typeof SEVERITIES)[number]; fixable?: boolean; layers?: "all" | "base" | "app"; kinds?: ("vulnerability" | "misconfig" | "secret")[] })
  | (RuleBase & { type: "maxRiskScore"; max: number })
  | (RuleBase & { type: "forbiddenPackages"; packages: string[] })
  | (RuleBase & { type: "forbiddenLicenses"; licenses: string[] })
  | (RuleBase & { type: "noSecrets"; min?: (typeof SEVERITIES)[number] })
  | (RuleBase & { type: "nonRoot" })
  | (RuleBase & { type: "trustedRegistries"; registries: string[] })
  | (RuleBase & { type: "signedBy"; keys: string[]; attestation?: boolean; maxAge?: string; maxRiskScore?: number })
  | (RuleBase & { type: "noDebug"; env?: string[]; ports?: number[]; tools?: ("shell" | "package-manager" | "compiler" | "debugger" | "network-tool")[] })
  | (RuleBase & { type: "cel"; expression: string; condition: CompiledCondition });

export interface Policy {
  name: string;
  file: string;
  /** sha256 of the file's bytes: the verdict names the exact policy it applied. */
  digest: string;
  rules: PolicyRule[];
  exceptions: PolicyException[];
  /** OpenVEX files named by the policy, resolved against its folder. */
  vex: string[];
  /** Signing keys signedBy rules name, their public key files resolved against the policy's folder. */
  keys: { name: string; publicKey: string }[];
}

/** Whether a rule's stage patterns cover `stage`. */
export function ruleApplies(rule: Pick<PolicyRule, "stages">, stage: string): boolean {
  if (!rule.stages) return true;
  return rule.stages.some((s) => s === stage || (s === "promote:*" && stage.startsWith("promote:")));
}

/** Parses and checks a policy; throws InputError with file, line and column. */
export function loadPolicy(source: string, file: string): Policy {
  if (source.length > MAX_POLICY_LENGTH) throw new InputError(file, undefined, `larger than ${MAX_POLICY_LENGTH} characters`);
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, version: "1.2" });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new InputError(file, `line ${line}, column ${col}`, `not valid YAML: ${error.message}`);
  }
  const at = (path: JsonPath): string => {
    const { line, col } = positionOf(doc, path, lines);
    return `line ${line}, column ${col}`;
  };
  const fail = (path: JsonPath, detail: string): never => {
    throw new InputError(file, at(path), `${path.length ? `${jsonPath(path)}: ` : ""}${detail}`);
  };
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const top = PolicyDoc.safeParse(raw);
  if (!top.success) zodFail(top.error, [], fail);
  const policy = top.data!;

  const rules: PolicyRule[] = [];
  const names = new Set<string>();
  policy.rules.forEach((r, i) => {
    const parsed = Rule.safeParse(r);
    if (!parsed.success) zodFail(parsed.error, ["rules", i], fail, RULE_TYPES[(r as { type?: string })?.type as RuleType]);
    const rule = parsed.data as unknown as PolicyRule & { action?: PolicyRule["action"] };
    if (names.has(rule.name)) fail(["rules", i, "name"], `a second rule named "${rule.name}": rule names must be unique`);
    names.add(rule.name);
    const line = positionOf(doc, ["rules", i], lines).line;
    if (rule.type === "cel") {
      const compiled = compileCondition(rule.expression);
      if (!compiled.ok) {
        const { line: l, col } = expressionPosition(doc, source, ["rules", i, "expression"], lines, compiled.offset);
        throw new InputError(file, `line ${l}, column ${col}`, `${jsonPath(["rules", i, "expression"])}: ${compiled.error}`);
      }
      rules.push({ ...rule, action: rule.action ?? "deny", line, condition: compiled.condition });
      return;
    }
    if (rule.type === "signedBy") {
      rule.keys.forEach((k, j) => {
        if (!policy.keys?.[k]) fail(["rules", i, "keys", j], `key "${k}" is not defined: name its public key under keys: (keys: {${k}: {publicKey: FILE}})`);
      });
    }
    rules.push({ ...rule, action: rule.action ?? "deny", line } as PolicyRule);
  });
  const exceptions = readExceptions(policy.exceptions ?? [], file, (path) => positionOf(doc, ["exceptions", ...path], lines).line);
  const folder = posix.dirname(file.replace(/\\/g, "/"));
  const resolve = (f: string) => (f.startsWith("/") ? f : posix.join(folder, f));
  return {
    name: policy.metadata.name,
    file,
    digest: "sha256:" + createHash("sha256").update(source).digest("hex"),
    rules,
    exceptions,
    vex: (policy.vex ?? []).map(resolve),
    keys: Object.entries(policy.keys ?? {}).map(([n, k]) => ({ name: n, publicKey: resolve(k.publicKey) })),
  };
}

function zodFail(error: z.ZodError, base: JsonPath, fail: (path: JsonPath, detail: string) => never, fields?: Record<string, unknown>): never {
  const issue = error.issues[0]!;
  const path = [...base, ...issue.path.filter((k): k is string | number => typeof k !== "symbol")];
  if (issue.code === "unrecognized_keys") {
    const known = fields ? ["name", "type", ...Object.keys(fields), "stages", "action", "message", "description"].join(", ") : undefined;
    return fail([...path, issue.keys[0]!], `unknown field ${issue.keys.map((k) => `"${k}"`).join(", ")}${known ? `; this rule type takes: ${known}` : ""}`);
  }
  return fail(path, issue.message);
}

/** Line and column (1-based) of the node at `path`, or of its nearest existing parent. */
function positionOf(doc: Document, path: JsonPath, lines: LineCounter): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : undefined;
    // A missing or wrong key is best shown at the key itself.
    if (n > 0 && isMap(parent)) {
      const key = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[n - 1]));
      if (key && isScalar(key.key) && key.key.range) return lines.linePos(key.key.range[0]);
    }
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lines.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Where character `offset` of the scalar at `path` is in the file: through quotes and block scalars. */
function expressionPosition(doc: Document, source: string, path: JsonPath, lines: LineCounter, offset: number): { line: number; col: number } {
  const node = doc.getIn(path, true) as Scalar | undefined;
  if (!node?.range) return positionOf(doc, path, lines);
  const value = String(node.value);
  const before = value.slice(0, offset);
  const lineInValue = before.split("\n").length - 1;
  const colInValue = before.length - (before.lastIndexOf("\n") + 1);
  const start = lines.linePos(node.range[0]);
  if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    // The text starts on the line after the | or > header, at the block's indentation.
    const line = start.line + 1 + lineInValue;
    const lineStart = lines.lineStarts[line - 1] ?? 0;
    const indent = /^ */.exec(source.slice(lineStart))![0].length;
    return { line, col: indent + colInValue + 1 };
  }
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
  return lineInValue === 0 ? { line: start.line, col: start.col + quoted + colInValue } : { line: start.line + lineInValue, col: colInValue + 1 };
}
