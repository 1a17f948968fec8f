/**
 * Registry credentials from where docker and podman keep them. Looked up in
 * this order; the first source that has an entry for the registry wins:
 *
 * 1. `PORTCULLIS_REGISTRY_USERNAME` and `PORTCULLIS_REGISTRY_PASSWORD`
 *    (for CI: they are sent to whatever registry the image is pulled from);
 * 2. the containers auth file: `$REGISTRY_AUTH_FILE` when set, otherwise
 *    `$XDG_RUNTIME_DIR/containers/auth.json` then
 *    `${XDG_CONFIG_HOME:-~/.config}/containers/auth.json`;
 * 3. the docker config: `${DOCKER_CONFIG:-~/.docker}/config.json`.
 *
 * In each file, `credHelpers` for the registry comes first, then an `auths`
 * entry (base64 `auth`, `username`/`password` or `identitytoken`), then
 * `credsStore`. Helpers run as `docker-credential-<name> get`; a helper that
 * is not installed is skipped with a warning. Keys match like podman's: a
 * host ("docker.io", "localhost:5000"), a URL ("https://index.docker.io/v1/"),
 * or a repository scope ("quay.io/team" or "quay.io/team/app"), the longest
 * matching key winning.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { InputError, messageOf } from "../../common/index.js";
import { parseJson } from "../manifest.js";
import { DOCKER_HUB_INDEX, DOCKER_HUB_REGISTRY, type ImageReference } from "./reference.js";

export interface Credential {
  username: string;
  password: string;
  /** An OAuth2 refresh token (docker's `identitytoken`): traded for bearer tokens instead of the password. */
  identityToken?: string;
  /** Where it came from, for messages: never the secret itself. */
  from: string;
}

export interface CredentialOptions {
  /** Environment to read (default process.env); also passed to credential helpers. */
  env?: NodeJS.ProcessEnv;
  /** Home directory (default os.homedir()). */
  home?: string;
  warn?: (message: string) => void;
}

export const ENV_USERNAME = "PORTCULLIS_REGISTRY_USERNAME";
export const ENV_PASSWORD = "PORTCULLIS_REGISTRY_PASSWORD";

/** The server URL docker uses for Docker Hub in credential stores. */
const DOCKER_HUB_LEGACY_URL = "https://index.docker.io/v1/";
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_HELPER_OUTPUT = 1024 * 1024;
const HELPER_TIMEOUT_MS = 30_000;
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const authEntry = z
  .object({
    auth: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    identitytoken: z.string().optional(),
  })
  .loose();

const authFileSchema = z
  .object({
    auths: z.record(z.string(), authEntry).optional(),
    credHelpers: z.record(z.string(), z.string()).optional(),
    credsStore: z.string().optional(),
  })
  .loose();
export type AuthFile = z.infer<typeof authFileSchema>;

/** Parse a docker config.json or containers auth.json. Pure: errors name the file and the JSON path. */
export function parseAuthFile(text: string, file: string): AuthFile {
  return parseJson(authFileSchema, text, file, "a docker config or containers auth file");
}

/**
 * A credential-file key in the form we compare: "https://index.docker.io/v1/"
 * → "docker.io"; "http://host:5000/v2/" → "host:5000"; "quay.io/team/" →
 * "quay.io/team". A key with a scheme is docker's legacy URL form and names
 * the host only; without one it may carry a repository scope.
 */
export function normaliseKey(key: string): string {
  let k = key.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(k);
  if (scheme) k = k.slice(scheme[0].length).split("/")[0]!;
  k = k.replace(/\/+$/, "");
  const slash = k.indexOf("/");
  let host = (slash < 0 ? k : k.slice(0, slash)).toLowerCase();
  if (host === "index.docker.io" || host === DOCKER_HUB_REGISTRY) host = DOCKER_HUB_INDEX;
  return slash < 0 ? host : host + k.slice(slash);
}

/** The key of `keys` that applies to `ref`, the most specific first; undefined when none does. */
export function matchKey(keys: Iterable<string>, ref: Pick<ImageReference, "index" | "repository">): string | undefined {
  const full = `${ref.index}/${ref.repository}`;
  let best: string | undefined;
  let bestLength = -1;
  for (const key of keys) {
    const k = normaliseKey(key);
    const applies = k === ref.index || k === full || full.startsWith(`${k}/`);
    if (applies && k.length > bestLength) {
      best = key;
      bestLength = k.length;
    }
  }
  return best;
}

/** Decode an `auths` entry; undefined when it holds no secret (a marker left by a credential store). */
export function credentialFromEntry(entry: z.infer<typeof authEntry>, file: string, key: string): Credential | undefined {
  const from = `${file} auths["${key}"]`;
  if (entry.identitytoken) {
    return { username: entry.username ?? "", password: entry.password ?? "", identityToken: entry.identitytoken, from };
  }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(entry.auth) || colon < 0) {
      throw new InputError(file, `$.auths["${key}"].auth`, "expected base64 of username:password");
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), from };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password, from };
  }
  return undefined;
}

async function readAuthFile(file: string): Promise<AuthFile | undefined> {
  let text: string;
  try {
    const buf = await readFile(file);
    if (buf.length > MAX_FILE_BYTES) throw new InputError(file, undefined, `larger than ${MAX_FILE_BYTES} bytes`);
    text = buf.toString("utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return undefined;
    throw err;
  }
  return parseAuthFile(text, file);
}

/** The files to look in, in order. */
export function authFiles(env: NodeJS.ProcessEnv, home: string): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) {
    files.push(env.REGISTRY_AUTH_FILE);
  } else {
    if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, "containers", "auth.json"));
    files.push(join(env.XDG_CONFIG_HOME || join(home, ".config"), "containers", "auth.json"));
  }
  files.push(join(env.DOCKER_CONFIG || join(home, ".docker"), "config.json"));
  return files;
}

/** Find the credential for a registry reference, or undefined to go anonymous. */
export async function findCredential(ref: ImageReference, opts: CredentialOptions = {}): Promise<Credential | undefined> {
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? ((m: string) => process.emitWarning(m));
  const user = env[ENV_USERNAME];
  const pass = env[ENV_PASSWORD];
  if (user !== undefined || pass !== undefined) {
    if (!user || pass === undefined) {
      throw new InputError("environment", undefined, `set both ${ENV_USERNAME} and ${ENV_PASSWORD}, or neither`);
    }
    return { username: user, password: pass, from: `environment ${ENV_USERNAME}` };
  }
  for (const file of authFiles(env, opts.home ?? homedir())) {
    const config = await readAuthFile(file);
    if (!config) continue;
    const found = await fromAuthFile(config, file, ref, env, warn);
    if (found) return found;
  }
  return undefined;
}

async function fromAuthFile(config: AuthFile, file: string, ref: ImageReference, env: NodeJS.ProcessEnv, warn: (m: string) => void): Promise<Credential | undefined> {
  const helperKey = config.credHelpers ? matchKey(Object.keys(config.credHelpers), ref) : undefined;
  if (helperKey !== undefined) {
    const found = await runHelper(config.credHelpers![helperKey]!, ref, env, warn, `${file} credHelpers["${helperKey}"]`);
    if (found) return found;
  }
  if (config.auths) {
    const key = matchKey(Object.keys(config.auths), ref);
    const found = key !== undefined ? credentialFromEntry(config.auths[key]!, file, key) : undefined;
    if (found) return found;
  }
  if (config.credsStore) {
    return runHelper(config.credsStore, ref, env, warn, `${file} credsStore`);
  }
  return undefined;
}

/** Run `docker-credential-<name> get` with the server URL on stdin. */
async function runHelper(name: string, ref: ImageReference, env: NodeJS.ProcessEnv, warn: (m: string) => void, where: string): Promise<Credential | undefined> {
  if (!HELPER_NAME.test(name)) throw new InputError(where, undefined, `"${name}" is not a credential helper name`);
  const program = `docker-credential-${name}`;
  const server = ref.index === DOCKER_HUB_INDEX ? DOCKER_HUB_LEGACY_URL : ref.index;
  let result: { code: number | null; stdout: string; stderr: string };
  try {
    result = await run(program, ["get"], server, env);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      warn(`${where}: credential helper ${program} is not installed; trying other credential sources`);
    } else {
      warn(`${where}: credential helper ${program} failed (${messageOf(err)}); trying other credential sources`);
    }
    return undefined;
  }
  if (result.code !== 0) {
    // Helpers say "credentials not found in native keychain" when they simply have nothing for this server.
    if (!/not found/i.test(result.stdout + result.stderr)) {
      warn(`${where}: ${program} get exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(0, 200)}`);
    }
    return undefined;
  }
  let reply: { Username?: unknown; Secret?: unknown };
  try {
    reply = JSON.parse(result.stdout) as typeof reply;
  } catch {
    throw new InputError(`${program} get`, undefined, "output is not JSON with Username and Secret");
  }
  if (typeof reply.Username !== "string" || typeof reply.Secret !== "string") {
    throw new InputError(`${program} get`, undefined, "output lacks string fields Username and Secret");
  }
  // Some helpers answer an unknown server with empty fields instead of an error.
  if (reply.Username === "" && reply.Secret === "") return undefined;
  const from = `${where} (${program})`;
  // Docker stores identity tokens in helpers under the user name "<token>".
  if (reply.Username === "<token>") return { username: "", password: "", identityToken: reply.Secret, from };
  return { username: reply.Username, password: reply.Secret, from };
}

function run(program: string, args: string[], input: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    // Our own timer: spawn's `timeout` option is not cleared when the program cannot be started, and would hold the process open.
    const timer = setTimeout(() => child.kill(), HELPER_TIMEOUT_MS);
    let stdout = "";
    let stderr = "";
    const take = (chunk: Buffer, into: "out" | "err") => {
      if (stdout.length + stderr.length > MAX_HELPER_OUTPUT) {
        child.kill();
        return;
      }
      if (into === "out") stdout += chunk.toString("utf8");
      else stderr += chunk.toString("utf8");
    };
    child.stdout.on("data", (c: Buffer) => take(c, "out"));
    child.stderr.on("data", (c: Buffer) => take(c, "err"));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}
