/**
 * When something that looks like a secret is not one. Two kinds of decision,
 * both explicit and tested:
 *
 * - `placeholderReason`: values that stand for a secret instead of being one
 *   (`${DB_PASSWORD}`, `<password>`, `changeme`, `ENC(…)`). Rules that read a
 *   value from an assignment or a URL ask it before reporting.
 * - Allow rules: documented example values (AWS's `AKIAIOSFODNN7EXAMPLE`, the
 *   jwt.io sample token), values with example markers, and whatever the
 *   caller adds — regexes for values or paths, sha256 digests of exact values.
 *   `scanText` applies `BUILTIN_ALLOW` and the caller's rules to every match.
 */
import { createHash } from "node:crypto";

export interface AllowRule {
  id: string;
  description: string;
  /** Tested against the secret (for private keys: the base64 body). */
  value?: RegExp;
  /** sha256 hex digests of exact secrets, for known values better not spelled out in source. */
  sha256?: readonly string[];
  /** Tested against the path given to `scanText`; never matches when no path was given. */
  path?: RegExp;
  /** Only for these rule ids. */
  rules?: readonly string[];
  /** For every rule but these ids. */
  exceptRules?: readonly string[];
}

export type AllowList = readonly AllowRule[];

/** An allow rule, checked to say something: at least one of value, sha256 and path. */
export function defineAllowRule(rule: AllowRule): AllowRule {
  if (!rule.value && !rule.sha256?.length && !rule.path) {
    throw new Error(`allow rule "${rule.id}" needs a value regex, sha256 digests or a path regex`);
  }
  for (const d of rule.sha256 ?? []) {
    if (!/^[0-9a-f]{64}$/.test(d)) throw new Error(`allow rule "${rule.id}": "${d}" is not a lower-case sha256 hex digest`);
  }
  return rule;
}

function test(re: RegExp, s: string): boolean {
  re.lastIndex = 0; // a g or y flag would make test() stateful
  return re.test(s);
}

function sha256Hex(s: string): string {
  return createHash("sha256").update(s, "utf8").digest("hex");
}

/** The first allow rule that lets this secret of this rule, at this path, pass. */
export function allowedBy(ruleId: string, secret: string, path: string | undefined, list: AllowList): AllowRule | undefined {
  let digest: string | undefined;
  for (const a of list) {
    if (a.rules && !a.rules.includes(ruleId)) continue;
    if (a.exceptRules?.includes(ruleId)) continue;
    if (a.path && (path === undefined || !test(a.path, path))) continue;
    if (a.value && !test(a.value, secret)) continue;
    if (a.sha256?.length) {
      digest ??= sha256Hex(secret);
      if (!a.sha256.includes(digest)) continue;
    }
    if (!a.path && !a.value && !a.sha256?.length) continue;
    return a;
  }
  return undefined;
}

/** The rule that allows a whole file by its path alone, so it need not even be read. */
export function pathAllowedBy(path: string, list: AllowList): AllowRule | undefined {
  return list.find((a) => a.path && !a.value && !a.sha256?.length && !a.rules && !a.exceptRules && test(a.path, path));
}

/** The rule ids of the private-key rules, whose base64 bodies may hold runs such as `AAAAAAAA`. */
const KEY_BODY_RULES = ["PCS-SEC-003", "PCS-SEC-015", "PCS-SEC-016"];

/**
 * Applied by `scanText` unless the caller turns them off
 * (`builtinAllow: false`), like Trivy's built-in allow rules.
 */
export const BUILTIN_ALLOW: AllowList = [
  defineAllowRule({
    id: "aws-documentation-keys",
    description: "The example access key pairs of AWS's documentation",
    value: /^(?:AKIAIOSFODNN7EXAMPLE|AKIAI44QH8DHBEXAMPLE|wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY|je7MtGbClwBF\/2Zp9Utk\/h3yCo8nvbEXAMPLEKEY)$/,
    rules: ["PCS-SEC-001", "PCS-SEC-002"],
  }),
  defineAllowRule({
    id: "example-markers",
    description:
      "Values that say they are examples (example, dummy, placeholder, sample, changeme, redacted) or are masked (xxxxxx, ***, eight of one character)",
    value: /example|dummy|placeholder|sample|changeme|redacted|x{6}|\*{3}|(.)\1{7}/i,
    exceptRules: KEY_BODY_RULES,
  }),
  defineAllowRule({
    id: "jwt-io-sample",
    description: 'The sample token of jwt.io and RFC-style tutorials: HS256, {"sub":"1234567890","name":"John Doe","iat":1516239022}',
    sha256: ["7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606"],
    rules: ["PCS-SEC-017"],
  }),
  defineAllowRule({
    id: "oauth-rfc-examples",
    description:
      "The example tokens, codes and client credentials of the OAuth RFCs (6749, 5849), copied into many libraries' documentation",
    sha256: [
      "6c96130f130ab0d6d158397e24d2bcc1c9a5e73ae081f6e983f1c7b545d24a4c", // RFC 6749 access token
      "00cf4c781dc37003f7c7dd7d4c9a6ef1e0f4c62d9a291aa8bc398774e3fefd32", // RFC 6749 refresh token
      "a35b81a7d7927b70ec99270dd2362b88580a28574af812f2c02f56469579186f", // RFC 6749 authorization code
      "4c20e6f5cc11b93731e74cbe20739821d61c3563c9f50ecb884a27cd369f01fb", // RFC 5849 temporary credentials
      "6aa14267d94944e6b6483c81f5ad37f87bbc7e88aa368d4aba1e71e0b79cd8c4", // RFC 5849 temporary credentials secret
      "bb9b1163338b2a51495834ad5c65420443d6327381cf0f94ebf92b117f209d72", // RFC 5849 token
      "649e1f5c769e718ba10d1a702a36499a731441d960b06da91c4c97786bf84595", // RFC 5849 token secret
      "293257ab6495ebb11cf9e4aee0686ca30df8de2ab8d251f2cbbcf177bdfcae91", // RFC 5849 client identifier
      "cb87c87e4a138d9a72259d2a01bab15623c9846e568c1509b287721645a6ea53", // RFC 5849 client shared secret
      "9d03b692e941d5ace207a9f8048834439f6de98e5c6c1590c22c4f4577c88a42", // RFC 5849 Authorization header token
      "8d567eb88afff34f31ab97fbb2731e582703bdeaf3c92b989cf568e0b23cef31", // RFC 5849 Authorization header consumer key
    ],
  }),
  defineAllowRule({
    id: "azure-storage-emulator-key",
    description: "The published account key of the Azure storage emulators (Azurite, devstoreaccount1)",
    sha256: ["0011cc25eb4320717494d2703e8cba85743e71b500283c21c8b88147992f9059"],
    rules: ["PCS-SEC-005"],
  }),
  defineAllowRule({
    id: "stripe-documentation-key",
    description: "The test-mode secret key printed throughout Stripe's documentation",
    sha256: ["2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326"],
    rules: ["PCS-SEC-012"],
  }),
];

/**
 * Path allow rules a caller may add (they are not applied by default):
 * documentation and the test suites that language runtimes and packages ship,
 * which carry throwaway keys. A path here hides real secrets too, which is
 * why the choice is the caller's.
 */
export const SUGGESTED_PATH_ALLOW: AllowList = [
  defineAllowRule({ id: "documentation", description: "Documentation trees", path: /^\/?usr\/share\/(?:doc|man|info|licenses|common-licenses)\// }),
  defineAllowRule({ id: "go-toolchain", description: "The Go toolchain's sources and testdata", path: /^\/?usr\/local\/go\// }),
  defineAllowRule({ id: "python-test-suite", description: "CPython's own test suite", path: /^\/?usr\/(?:local\/)?lib\/python[0-9.]{1,8}\/test\// }),
  defineAllowRule({
    id: "dependency-tests",
    description: "Test fixtures inside installed dependencies",
    path: /\/(?:node_modules|site-packages|dist-packages|vendor|gems)\/(?:[^/]{1,255}\/){1,12}(?:tests?|testdata|__tests__|spec|fixtures?)\//,
  }),
];

const VALUE_SHAPES: readonly (readonly [RegExp, string])[] = [
  [/^\s*$/, "empty"],
  [/\$\{/, "variable reference ${…}"],
  [/^\$[A-Za-z_][A-Za-z0-9_]{0,127}(?:$|[/.:-])/, "variable reference $VAR"],
  [/^\$\(/, "command substitution $(…)"],
  [/\{\{/, "template {{…}}"],
  [/^#\{/, "interpolation #{…}"],
  [/^%[A-Za-z_][A-Za-z0-9_]{0,127}%$/, "variable reference %VAR%"],
  [/^%\([A-Za-z_][A-Za-z0-9_]{0,127}\)s$/, "format field %(name)s"],
  [/\{[A-Za-z_][A-Za-z0-9_]{0,64}\}/, "format field {name}"],
  [/^@[A-Za-z0-9_.-]{1,128}@$/, "build filter @name@"],
  [/^<[^<>]{0,128}>$/, "placeholder <…>"],
  [/^\[[^[\]]{0,128}\]$/, "placeholder […]"],
  [/^ENC\(/, "encrypted value ENC(…)"],
  [/^!(?:vault|secret|Ref|Sub|GetAtt|ImportValue|FindInMap|Join|Select|Base64|env_var|ENV|include)$/, "YAML tag"],
  [
    /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|System\.getenv|Environment\.GetEnvironmentVariable|ENV\[|env\(|getenv\(|config\.|settings\.|self\.|this\.|params\.|args\.|options\.|opts\.|secrets\.|vars\.|inputs\.)/,
    "code reference",
  ],
  [/^[A-Za-z_$][A-Za-z0-9_$.]{0,128}\(/, "function call"],
  [/^(.)\1*$/, "one character repeated"],
  [/x{4}|\*{3}|•{3}/i, "masked"],
  [
    /example|dummy|placeholder|sample|changeme|change[_-]me|changeit|redacted|replace[_-]?me|your[_-]?(?:password|pass|secret|token|key|api)|insert[_-]?(?:your|password|secret|token|key)|fake[_-]?(?:password|secret|token|key)/i,
    "example marker",
  ],
  [/token|secret|passw(?:or)?d/i, "names itself (MYTOKEN1, mysecretpassword)"],
];

/** The text a base64 value decodes to, when it is base64 of printable ASCII. */
export function base64Text(value: string): string | undefined {
  if (value.length < 8 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, "base64").toString("latin1");
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/**
 * Whole values that are well-known defaults or stand-ins rather than secrets:
 * a default account's password that ships with the software (`guest`,
 * `postgres`) is a weak-credential problem for configuration checks, not a
 * leaked secret.
 */
const STAND_IN_WORDS = new Set([
  "password", "passwd", "pass", "pwd", "secret", "token", "apikey", "api_key", "key", "changeme", "changeit",
  "admin", "administrator", "root", "toor", "test", "testing", "tester", "default", "none", "null", "nil",
  "undefined", "empty", "true", "false", "yes", "no", "on", "off", "todo", "tbd", "fixme", "hidden", "masked",
  "secure", "foo", "bar", "baz", "foobar", "guest", "user", "username", "demo", "qwerty", "letmein", "123456",
  "12345678", "123456789", "password1", "password123", "mysecret", "mypassword", "secretpassword", "s3cr3t",
  "p@ssw0rd", "passw0rd", "postgres", "mysql", "mariadb", "mongo", "mongodb", "redis", "rabbitmq", "sa",
]);

/**
 * Why a value is not a secret but a stand-in for one — a variable reference,
 * a template, a masked or example value, a well-known default, a value that
 * names itself (`MYTOKEN1`), the base64 of any of these or of `user:` with no
 * password — or undefined when it may be a secret.
 */
export function placeholderReason(value: string): string | undefined {
  if (STAND_IN_WORDS.has(value.trim().toLowerCase())) return "well-known default or stand-in word";
  for (const [re, reason] of VALUE_SHAPES) if (re.test(value)) return reason;
  const decoded = base64Text(value);
  if (decoded !== undefined) {
    const inner = placeholderReason(decoded) ?? (/^[^:]{1,64}:(.*)$/.exec(decoded)?.[1] === "" ? "empty" : undefined);
    if (inner) return `base64 of a stand-in: ${inner}`;
  }
  return undefined;
}
