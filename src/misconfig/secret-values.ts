/**
 * Whether a variable assignment (Dockerfile ENV/ARG, a compose service's
 * environment) carries a secret, and how to show it without showing it. A
 * value is a secret when the secret detectors recognise it (a GitHub token, a
 * high-entropy password…), or when the name says it is one (`DB_PASSWORD`)
 * and the value is written out rather than taken from elsewhere. Evidence is
 * always redacted: a finding never repeats a secret in full.
 */
import { redact, scanText } from "../secrets/index.js";

/** Words of a name that say its value is a secret. */
const SECRET_WORDS: ReadonlySet<string> = new Set(["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "CREDENTIAL", "CREDENTIALS", "APIKEY", "PRIVATEKEY"]);
/** Pairs of words that do: `API_KEY`, `ACCESS_KEY`. */
const SECRET_PAIRS: readonly (readonly [string, string])[] = [
  ["API", "KEY"],
  ["ACCESS", "KEY"],
  ["PRIVATE", "KEY"],
  ["SECRET", "KEY"],
  ["ENCRYPTION", "KEY"],
  ["SIGNING", "KEY"],
  ["AUTH", "KEY"],
  ["MASTER", "KEY"],
];
/** Last words that make the value a reference to a secret, or something about it, not the secret. */
const NOT_THE_SECRET: ReadonlySet<string> = new Set(["FILE", "PATH", "DIR", "FILENAME", "LOCATION", "URL", "URI", "ENDPOINT", "HOST", "PORT", "NAME", "TYPE", "LENGTH", "TTL", "EXPIRY", "HEADER", "ID", "REF", "ARN", "POLICY", "ALGORITHM", "MIN", "MAX"]);

/** The words of a name: `dbPassword`, `DB_PASSWORD` and `db-password` all give DB, PASSWORD. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w !== "");
}

/** Whether a variable's name says it holds a secret: `DB_PASSWORD`, `GITHUB_TOKEN`, `apiKey` — not `PASSWORD_FILE`. */
export function isSecretName(name: string): boolean {
  const words = wordsOf(name);
  if (words.length === 0 || NOT_THE_SECRET.has(words[words.length - 1]!)) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  return words.some((w, i) => SECRET_PAIRS.some(([a, b]) => w === a && words[i + 1] === b));
}

/** A value taken from elsewhere (`$DB_PASSWORD`, `${TOKEN:?}`) rather than written out. */
export function isReference(value: string): boolean {
  return /^\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(value.trim());
}

export interface SecretSeen {
  /** What may be printed: the assignment with the value redacted. */
  evidence: string;
  /** Why it is taken for a secret: the detector's title, or "the name says it is a secret". */
  reason: string;
}

/** The secret an assignment `name=value` writes out, if any, redacted. */
export function secretIn(name: string, value: string | undefined): SecretSeen | undefined {
  if (value === undefined || value.trim() === "" || isReference(value)) return undefined;
  const [match] = scanText(`${name}=${value}`);
  if (match) return { evidence: match.context, reason: match.rule.title };
  if (isSecretName(name)) return { evidence: `${name}=${redact(value)}`, reason: `the name ${name} says it holds a secret` };
  return undefined;
}
