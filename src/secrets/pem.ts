/**
 * PEM and OpenSSH private key blocks: `-----BEGIN … PRIVATE KEY-----`, a
 * base64 body (with RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED`), and
 * the matching END line — written out over lines, or on one line with `\n`
 * escapes as JSON, YAML and .env files hold them.
 *
 * Only complete blocks count: a BEGIN line alone (a parser's constant, a
 * message) or a body that is not plain base64 (a key glued together from
 * string literals in source code) is not a key.
 */

export interface PrivateKeyBlock {
  /** Offsets of the whole block, BEGIN line to END line, end exclusive. */
  start: number;
  end: number;
  /** "RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK". */
  label: string;
  /** `-----BEGIN RSA PRIVATE KEY-----`: what may be printed of the key. */
  beginLine: string;
  /** The base64 body without line breaks and headers. */
  body: string;
  /** Protected by a passphrase: an ENCRYPTED label, a `Proc-Type: 4,ENCRYPTED` header, an OpenSSH cipher other than none. */
  encrypted: boolean;
}

/** Longest block taken: far above an 8192-bit RSA key or a PGP key with subkeys. */
const BLOCK_MAX = 32 * 1024;
/** Shortest body taken: an Ed25519 PKCS#8 key is 48 bytes, 64 base64 characters. */
const BODY_MIN = 64;

const BEGIN = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----/g;
const HEADER = /^[A-Za-z][A-Za-z0-9-]{0,40}:/;
const BASE64 = /^[A-Za-z0-9+/=]+$/;
const OPENSSH_MAGIC = "openssh-key-v1\0";

export function findPrivateKeys(text: string): PrivateKeyBlock[] {
  const out: PrivateKeyBlock[] = [];
  /** Per END line: where it was last found, so BEGIN lines without an END do not each search to the end of the text. */
  const nextEnd = new Map<string, number>();
  const begin = new RegExp(BEGIN);
  let m: RegExpExecArray | null;
  while ((m = begin.exec(text)) !== null) {
    const label = `${m[1] ?? ""}PRIVATE KEY${m[2] ?? ""}`;
    const bodyStart = m.index + m[0].length;
    const endLine = `-----END ${label}-----`;
    let endAt = nextEnd.get(endLine);
    if (endAt === undefined || (endAt >= 0 && endAt < bodyStart)) {
      endAt = text.indexOf(endLine, bodyStart);
      nextEnd.set(endLine, endAt);
    }
    if (endAt < 0 || endAt + endLine.length - m.index > BLOCK_MAX) continue;
    // Another BEGIN or END line before ours: this BEGIN line has no body of its own.
    if (text.indexOf("-----", bodyStart) !== endAt) continue;
    const parsed = parseBody(text.slice(bodyStart, endAt));
    if (!parsed) continue;
    const encrypted = label.includes("ENCRYPTED") || parsed.encryptedHeader || (label === "OPENSSH PRIVATE KEY" && opensshEncrypted(parsed.body));
    out.push({ start: m.index, end: endAt + endLine.length, label, beginLine: m[0], body: parsed.body, encrypted });
    begin.lastIndex = endAt + endLine.length;
  }
  return out;
}

function parseBody(raw: string): { body: string; encryptedHeader: boolean } | undefined {
  const unescaped = raw.replace(/\\[rn]/g, "\n").replace(/\\\//g, "/");
  let encryptedHeader = false;
  const parts: string[] = [];
  for (const line of unescaped.split("\n")) {
    const t = line.trim();
    if (t === "") continue;
    if (HEADER.test(t)) {
      if (/^Proc-Type:.*ENCRYPTED/i.test(t)) encryptedHeader = true;
      continue;
    }
    parts.push(t);
  }
  const body = parts.join("");
  if (body.length < BODY_MIN || !BASE64.test(body)) return undefined;
  return { body, encryptedHeader };
}

/** openssh-key-v1: the magic, then a uint32-length cipher name: "none" unless a passphrase protects the key. */
function opensshEncrypted(body: string): boolean {
  const bytes = Buffer.from(body.slice(0, 64), "base64");
  if (bytes.subarray(0, OPENSSH_MAGIC.length).toString("latin1") !== OPENSSH_MAGIC) return false;
  const at = OPENSSH_MAGIC.length;
  if (bytes.length < at + 4) return false;
  const len = bytes.readUInt32BE(at);
  const cipher = bytes.subarray(at + 4, at + 4 + len).toString("latin1");
  return cipher !== "none";
}
