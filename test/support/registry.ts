/**
 * Real parts for registry and engine tests: the CNCF distribution registry
 * (`docker-registry`) on a free loopback port, optionally behind htpasswd
 * basic auth or behind real JWT bearer tokens from a small token server;
 * podman with its own throwaway storage to make images; skopeo to push them.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createPrivateKey, createSign, randomBytes, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";

const exec = promisify(execFile);

/** Install a Debian package when its binary is missing (tests run as root; apt lists are present). */
export function ensureTool(binary: string, debianPackage: string): void {
  const found = (process.env.PATH ?? "").split(":").some((dir) => dir && existsSync(join(dir, binary)));
  if (found) return;
  execFileSync("apt-get", ["install", "-y", "-q", debianPackage], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestRegistry {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** "127.0.0.1:PORT", as used in image references. */
  host: string;
  /** The registry's storage root (docker/registry/v2/… beneath it). */
  storage: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Users for htpasswd basic auth. */
  basicAuth?: Record<string, string>;
  /** Enforce bearer tokens issued by this token server. */
  tokenAuth?: TokenServer;
}

/** Path of a blob's data file in the registry's filesystem storage. */
export function blobFile(registry: TestRegistry, digest: string): string {
  const hex = digest.slice(digest.indexOf(":") + 1);
  return join(registry.storage, "docker/registry/v2/blobs/sha256", hex.slice(0, 2), hex, "data");
}

export async function startRegistry(opts: RegistryOptions = {}): Promise<TestRegistry> {
  ensureTool("docker-registry", "docker-registry");
  const dir = mkdtempSync(join(tmpdir(), "pcs-registry-"));
  const storage = join(dir, "storage");
  mkdirSync(storage);
  const port = await freePort();
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: "warn", accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storage }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString("hex") },
  };
  if (opts.basicAuth) {
    ensureTool("htpasswd", "apache2-utils");
    const lines = Object.entries(opts.basicAuth).map(([user, pass]) => execFileSync("htpasswd", ["-Bbn", user, pass], { encoding: "utf8" }).trim());
    const file = join(dir, "htpasswd");
    writeFileSync(file, lines.join("\n") + "\n");
    config.auth = { htpasswd: { realm: "portcullis-test", path: file } };
  } else if (opts.tokenAuth) {
    const t = opts.tokenAuth;
    config.auth = { token: { realm: t.realm, service: t.service, issuer: t.issuer, rootcertbundle: t.certFile } };
  }
  const configFile = join(dir, "config.yml");
  writeFileSync(configFile, stringify(config));
  const child = spawn("docker-registry", ["serve", configFile], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (c: Buffer) => {
    log = (log + c.toString("utf8")).slice(-20_000);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(`${url}/v2/`, child, () => log);
  return {
    url,
    host: `127.0.0.1:${port}`,
    storage,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilServing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`docker-registry did not start:\n${log()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export interface TokenServer {
  /** "http://127.0.0.1:PORT/token" */
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the self-signed certificate whose key signs the tokens (the registry's rootcertbundle). */
  certFile: string;
  /** Every token request, in order: who asked (or "" for anonymous) and for which scopes. */
  requests: { account: string; scopes: string[]; grant: "basic" | "anonymous" | "refresh_token" }[];
  /** Issue `refreshToken` to stand for `username` (docker's identity tokens). */
  addRefreshToken(refreshToken: string, username: string): void;
  /** Which field carries the token in replies (both are in the protocol); may be changed between pulls. */
  field: "token" | "access_token";
  stop(): Promise<void>;
}

export interface TokenServerOptions {
  users: Record<string, string>;
  /** Grant pull to anonymous clients. */
  anonymousPull?: boolean;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/**
 * A token server of Docker's registry token protocol, with RS256 JWTs signed
 * by an openssl-made key whose self-signed certificate the registry trusts.
 * Users get every action they ask for; anonymous clients get pull if allowed.
 */
export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  ensureTool("openssl", "openssl");
  const dir = mkdtempSync(join(tmpdir(), "pcs-token-"));
  const keyFile = join(dir, "key.pem");
  const certFile = join(dir, "cert.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=portcullis-test-token-issuer"], {
    stdio: "ignore",
  });
  const key = createPrivateKey(readFileSync(keyFile));
  const certDer = new X509Certificate(readFileSync(certFile)).raw.toString("base64");
  const service = "portcullis-test-registry";
  const issuer = "portcullis-test-issuer";
  const refreshTokens = new Map<string, string>();
  const requests: TokenServer["requests"] = [];

  const sign = (subject: string, scopes: string[], allowed: boolean): string => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((s) => {
      const m = /^(repository):(.+):([a-z,*]+)$/.exec(s);
      if (!m) return [];
      const actions = allowed ? m[3]!.split(",") : m[3]!.split(",").filter((a) => a === "pull" && opts.anonymousPull);
      return [{ type: m[1], name: m[2], actions }];
    });
    const header = { typ: "JWT", alg: "RS256", x5c: [certDer] };
    const claims = { iss: issuer, sub: subject, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString("hex"), access };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign("RSA-SHA256").update(input).sign(key);
    return `${input}.${base64url(signature)}`;
  };

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    void handle(req).then(
      ([status, body]) => reply(res, status, body),
      (err: unknown) => reply(res, 500, { details: String(err) }),
    );
  });

  async function handle(req: IncomingMessage): Promise<[number, unknown]> {
    const url = new URL(req.url ?? "/", "http://token");
    if (url.pathname !== "/token") return [404, { details: "not found" }];
    const field = self.field;
    if (req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      const form = new URLSearchParams(body);
      const user = refreshTokens.get(form.get("refresh_token") ?? "");
      const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
      requests.push({ account: user ?? "", scopes, grant: "refresh_token" });
      if (form.get("grant_type") !== "refresh_token" || !user) return [401, { error: "invalid_grant", error_description: "unknown refresh token" }];
      return [200, { access_token: sign(user, scopes, true), expires_in: 300 }];
    }
    const scopes = url.searchParams.getAll("scope");
    const auth = req.headers.authorization;
    if (auth) {
      const m = /^Basic (.+)$/i.exec(auth);
      const decoded = m ? Buffer.from(m[1]!, "base64").toString("utf8") : "";
      const user = decoded.slice(0, decoded.indexOf(":"));
      const pass = decoded.slice(decoded.indexOf(":") + 1);
      requests.push({ account: user, scopes, grant: "basic" });
      if (!m || opts.users[user] === undefined || opts.users[user] !== pass) return [401, { details: "incorrect username or password" }];
      return [200, { [field]: sign(user, scopes, true), expires_in: 300, issued_at: new Date().toISOString() }];
    }
    requests.push({ account: "", scopes, grant: "anonymous" });
    return [200, { [field]: sign("", scopes, false), expires_in: 300 }];
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const self: TokenServer = {
    field: "token",
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    addRefreshToken: (token, username) => void refreshTokens.set(token, username),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}

/** Podman with throwaway storage (vfs: works on any filesystem), so tests never touch the machine's images. */
export class Podman {
  readonly dir = mkdtempSync(join(tmpdir(), "pcs-podman-"));
  readonly globalArgs = ["--root", join(this.dir, "root"), "--runroot", join(this.dir, "run"), "--storage-driver", "vfs"];

  async run(...args: string[]): Promise<string> {
    const { stdout } = await exec("podman", [...this.globalArgs, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  }

  /** A tar of real files of this machine (following symlinks, as /etc/os-release is one). */
  rootfsTar(name: string, files: string[]): string {
    const file = join(this.dir, `${name}.tar`);
    execFileSync("tar", ["-C", "/", "-chf", file, ...files.map((f) => f.replace(/^\//, ""))]);
    return file;
  }

  /** `podman import` a tar of real files; returns the image id. */
  async importFiles(image: string, files: string[], platform?: { arch: string; variant?: string }): Promise<string> {
    const tar = this.rootfsTar(image.replace(/[^a-z0-9]+/gi, "_"), files);
    const extra = platform ? ["--os", "linux", "--arch", platform.arch, ...(platform.variant ? ["--variant", platform.variant] : [])] : [];
    return this.run("import", ...extra, tar, image);
  }

  /** A second layer on top of `base` by `podman build` with one COPY (no container runtime needed). */
  async addLayer(base: string, image: string, fileName: string, content: string): Promise<void> {
    const ctx = mkdtempSync(join(this.dir, "ctx-"));
    writeFileSync(join(ctx, fileName), content);
    writeFileSync(join(ctx, "Containerfile"), `FROM ${base}\nCOPY ${fileName} /${fileName}\n`);
    await this.run("build", "--pull=never", "-t", image, ctx);
  }

  async save(image: string, format: "oci-archive" | "docker-archive"): Promise<string> {
    const out = join(this.dir, `${image.replace(/[^a-z0-9]+/gi, "_")}.${format}.tar`);
    await this.run("save", "--format", format, "-o", out, image);
    return out;
  }

  async inspect(image: string): Promise<{ Id: string; RootFS: { Layers: string[] }; Architecture: string }> {
    const out = JSON.parse(await this.run("image", "inspect", image)) as { Id: string; RootFS: { Layers: string[] }; Architecture: string }[];
    return out[0]!;
  }

  /** Start `podman system service` on a unix socket (default: in our directory); returns the socket path. */
  async serve(socket = join(this.dir, "podman.sock")): Promise<{ socket: string; stop(): Promise<void> }> {
    mkdirSync(dirname(socket), { recursive: true });
    const child = spawn("podman", [...this.globalArgs, "system", "service", "--time=0", `unix://${socket}`], { stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr!.on("data", (c: Buffer) => {
      log = (log + c.toString("utf8")).slice(-20_000);
    });
    const deadline = Date.now() + 30_000;
    while (!existsSync(socket)) {
      if (child.exitCode !== null) throw new Error(`podman system service exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) {
        child.kill();
        throw new Error(`podman system service did not create ${socket}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return { socket, stop: () => stopChild(child) };
  }

  /** Delete the storage (vfs keeps plain directories: nothing is mounted). */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Push with real skopeo: `src` is a containers-transport reference
 * ("oci-archive:/x.tar"), `dest` a "docker://host/repo:tag". Returns the
 * digest of the manifest written.
 */
export async function skopeoCopy(src: string, dest: string, opts: { creds?: string; format?: "oci" | "v2s2" } = {}): Promise<string> {
  ensureTool("skopeo", "skopeo");
  const dir = mkdtempSync(join(tmpdir(), "pcs-skopeo-"));
  try {
    const digestFile = join(dir, "digest");
    const args = ["copy", "--quiet", "--dest-tls-verify=false", "--digestfile", digestFile];
    if (opts.creds) args.push("--dest-creds", opts.creds);
    if (opts.format) args.push("--format", opts.format);
    // An auth file that does not exist keeps the machine's own logins out of the test.
    await exec("skopeo", [...args, src, dest], { env: { ...process.env, REGISTRY_AUTH_FILE: join(dir, "auth.json") } });
    return readFileSync(digestFile, "utf8").trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
