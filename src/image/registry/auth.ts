/**
 * Registry authentication: start anonymous; on a 401 read `WWW-Authenticate`
 * and answer with Basic credentials or with a bearer token fetched from the
 * challenge's realm (Docker's token protocol), caching tokens per scope until
 * they expire. Our own code because the flow is a few dozen lines and the npm
 * registry clients we looked at bundle it with a whole pull/push client.
 */
import { InputError, messageOf } from "../../common/index.js";
import type { Credential } from "./credentials.js";

export interface Challenge {
  /** Lowercased: "basic", "bearer". */
  scheme: string;
  /** Parameter names lowercased, values unquoted. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parse a `WWW-Authenticate` value into its challenges (RFC 7235): several may
 * be given, separated by commas, and quoted values may hold commas and
 * escaped quotes. Pure; lenient about stray whitespace and empty list items.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && (header[i] === " " || header[i] === "\t")) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const quoted = (): string => {
    let value = "";
    i++; // opening quote
    while (i < n && header[i] !== '"') {
      if (header[i] === "\\" && i + 1 < n) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote
    return value;
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipSpace();
    if (header[i] === ",") {
      i++;
      continue;
    }
    const start = i;
    const name = token();
    if (name === "") {
      i++; // not a token: skip the stray character
      continue;
    }
    skipSpace();
    if (header[i] === "=" && current) {
      i++;
      skipSpace();
      const value = header[i] === '"' ? quoted() : token68OrToken();
      current.params[name.toLowerCase()] = value;
      continue;
    }
    if (header[i] === "=" && !current) {
      i = start + name.length + 1; // a parameter before any scheme: ignore it
      continue;
    }
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;

  function token68OrToken(): string {
    const start = i;
    while (i < n && header[i] !== "," && header[i] !== " " && header[i] !== "\t") i++;
    return header.slice(start, i);
  }
}

/** Fetch a URL as the registry client does (manual redirects, allowed schemes, abort signal). */
export type Fetcher = (url: URL, init: { method?: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

export interface AuthOptions {
  /** "registry:localhost:5000/app:1": names the input in errors. */
  label: string;
  /** Looked up only when a registry asks for authentication. */
  credential: () => Promise<Credential | undefined>;
  fetch: Fetcher;
  /** Whether plain http may be used for this URL (loopback with --insecure). */
  allowHttp: (url: URL) => boolean;
  /** Seconds a token lives when the token server does not say (the protocol's default is 60). */
  defaultTokenSeconds?: number;
  now?: () => number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

const MAX_TOKEN_RESPONSE = 1024 * 1024;
/** Renew a little before expiry so a token does not die between check and use. */
const EXPIRY_MARGIN_MS = 10_000;

export class RegistryAuth {
  private challenge: Challenge | undefined;
  private credentialLookup: Promise<Credential | undefined> | undefined;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly now: () => number;

  constructor(private readonly opts: AuthOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The credential in use, if one was needed and found. */
  async credential(): Promise<Credential | undefined> {
    this.credentialLookup ??= this.opts.credential();
    return this.credentialLookup;
  }

  /** The Authorization header for a request in `scope`, once the registry has asked for one. */
  async header(scope: string): Promise<string | undefined> {
    const c = this.challenge;
    if (!c) return undefined;
    if (c.scheme === "basic") {
      const cred = await this.credential();
      return cred ? basic(cred) : undefined;
    }
    const cached = this.tokens.get(this.tokenKey(c, scope));
    if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > this.now()) return `Bearer ${cached.value}`;
    return `Bearer ${await this.fetchToken(c, scope)}`;
  }

  /**
   * Learn from a 401 how to authenticate, dropping any cached token for the
   * scope (it was refused). Returns false when there is nothing to answer with.
   */
  async unauthorized(wwwAuthenticate: string | null, scope: string): Promise<boolean> {
    const challenges = parseChallenges(wwwAuthenticate ?? "");
    const chosen = challenges.find((c) => c.scheme === "bearer") ?? challenges.find((c) => c.scheme === "basic");
    if (!chosen) {
      const offered = challenges.map((c) => c.scheme).join(", ");
      throw new InputError(this.opts.label, undefined, `authentication required (401) with ${offered ? `unsupported scheme ${offered}` : "no WWW-Authenticate challenge"}`);
    }
    if (chosen.scheme === "bearer") {
      if (!chosen.params.realm) throw new InputError(this.opts.label, "WWW-Authenticate", "bearer challenge without a realm");
      this.tokens.delete(this.tokenKey(chosen, scope));
    }
    this.challenge = chosen;
    if (chosen.scheme === "basic") return (await this.credential()) !== undefined;
    return true;
  }

  private tokenKey(c: Challenge, scope: string): string {
    return `${c.params.realm ?? ""} ${c.params.service ?? ""} ${scope}`;
  }

  private async fetchToken(c: Challenge, scope: string): Promise<string> {
    const label = this.opts.label;
    let realm: URL;
    try {
      realm = new URL(c.params.realm!);
    } catch {
      throw new InputError(label, "WWW-Authenticate", `token realm "${c.params.realm}" is not a URL`);
    }
    if (realm.protocol !== "https:" && !(realm.protocol === "http:" && this.opts.allowHttp(realm))) {
      throw new InputError(label, "WWW-Authenticate", `token realm ${realm.origin} is not https (plain http is allowed only for loopback hosts with --insecure)`);
    }
    const cred = await this.credential();
    const service = c.params.service;
    const scopes = scope.split(" ").filter(Boolean);
    let res: Response;
    try {
      if (cred?.identityToken) {
        // OAuth2 refresh-token grant, as docker does for identity tokens.
        const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: cred.identityToken, client_id: "portcullis" });
        if (service) form.set("service", service);
        if (scopes.length) form.set("scope", scopes.join(" "));
        res = await this.opts.fetch(realm, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
      } else {
        const url = new URL(realm);
        if (service) url.searchParams.set("service", service);
        for (const s of scopes) url.searchParams.append("scope", s);
        const headers: Record<string, string> = {};
        if (cred) {
          url.searchParams.set("account", cred.username);
          headers.authorization = basic(cred);
        }
        res = await this.opts.fetch(url, { headers });
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(label, undefined, `cannot reach token server ${realm.origin}: ${messageOf(err)}`, { cause: err });
    }
    const text = await readLimited(res, MAX_TOKEN_RESPONSE, label);
    if (res.status === 401 || res.status === 403) {
      throw new InputError(label, undefined, `authentication failed (${res.status}) at token server ${realm.origin}${credentialNote(cred)}${errorNote(text)}`);
    }
    if (!res.ok) throw new InputError(label, undefined, `token server ${realm.origin} answered ${res.status}${errorNote(text)}`);
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new InputError(label, `token server ${realm.origin}`, "response is not JSON");
    }
    const value = typeof body.token === "string" && body.token ? body.token : body.access_token;
    if (typeof value !== "string" || value === "") throw new InputError(label, `token server ${realm.origin}`, "response has neither token nor access_token");
    const seconds = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : (this.opts.defaultTokenSeconds ?? 60);
    const issued = typeof body.issued_at === "string" ? Date.parse(body.issued_at) : NaN;
    // Trust our clock over the server's issued_at unless it is sane (servers' clocks drift).
    const start = Number.isFinite(issued) && Math.abs(issued - this.now()) < 60_000 ? issued : this.now();
    this.tokens.set(this.tokenKey(c, scope), { value, expiresAt: start + seconds * 1000 });
    return value;
  }
}

export function basic(cred: Credential): string {
  return `Basic ${Buffer.from(`${cred.username}:${cred.password}`, "utf8").toString("base64")}`;
}

/** " (with credentials from X)" or " (anonymously)", to help the user see which login was tried. */
export function credentialNote(cred: Credential | undefined): string {
  return cred ? ` (with credentials from ${cred.from})` : " (anonymously: no credentials found for this registry)";
}

/** ": <first registry error message>" from a distribution-style error body, if any. */
export function errorNote(text: string): string {
  const message = registryErrorMessage(text);
  return message ? `: ${message}` : "";
}

/** The first message of a `{"errors":[{"code","message"}]}` body, or of an OAuth `{"error_description"}`/`{"details"}` body. */
export function registryErrorMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[]; error_description?: unknown; details?: unknown; message?: unknown };
    const first = body.errors?.[0];
    if (first && typeof first.message === "string" && first.message) return first.message.slice(0, 300);
    for (const v of [body.error_description, body.details, body.message]) if (typeof v === "string" && v) return v.slice(0, 300);
  } catch {
    // not JSON: say nothing rather than echo arbitrary bytes
  }
  return undefined;
}

/** Read a response body as text, refusing more than `limit` bytes. */
export async function readLimited(res: Response, limit: number, label: string): Promise<string> {
  return (await readLimitedBytes(res, limit, label)).toString("utf8");
}

export async function readLimitedBytes(res: Response, limit: number, label: string): Promise<Buffer> {
  const length = Number(res.headers.get("content-length"));
  if (Number.isFinite(length) && length > limit) {
    await res.body?.cancel();
    throw new InputError(label, undefined, `response of ${length} bytes exceeds the limit of ${limit}`);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    let step: Awaited<ReturnType<typeof reader.read>>;
    try {
      step = await reader.read();
    } catch (err) {
      throw new InputError(label, undefined, `reading the response failed: ${(err as Error).message}`, { cause: err });
    }
    const { done, value } = step;
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new InputError(label, undefined, `response exceeds the limit of ${limit} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
