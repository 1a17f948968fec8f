/**
 * docker:NAME — an image held by a local container engine, read through the
 * Docker-compatible API that both Docker and Podman serve: inspect it, stream
 * `GET /images/{name}/get` (a docker-archive) into a temporary file, and read
 * that as any docker-archive. The file goes away on close().
 *
 * The engine is `$DOCKER_HOST` (unix:// or tcp://), else the first socket that
 * exists of Docker's, rootful Podman's and the user's rootless Podman's.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { request, type IncomingMessage, type RequestOptions } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError, messageOf } from "../common/index.js";
import { openDockerArchive } from "./docker-archive.js";
import type { WalkLimits } from "./limits.js";
import type { OpenedImage, OpenOptions, ProgressEvent } from "./model.js";

export interface EngineOpenOptions extends OpenOptions {
  limits?: Partial<WalkLimits>;
  /** Environment for DOCKER_HOST and XDG_RUNTIME_DIR (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface EngineEndpoint {
  /** "unix:///run/podman/podman.sock" or "tcp://host:2375": for messages. */
  label: string;
  socketPath?: string;
  host?: string;
  port?: number;
}

const DOCKER_SOCKET = "/var/run/docker.sock";
const PODMAN_ROOT_SOCKET = "/run/podman/podman.sock";
const MAX_INSPECT_BYTES = 16 * 1024 * 1024;
const DEFAULT_TCP_PORT = 2375;

/** The sockets tried, in order, when DOCKER_HOST is not set. */
export function defaultSockets(env: NodeJS.ProcessEnv): string[] {
  const sockets = [DOCKER_SOCKET, PODMAN_ROOT_SOCKET];
  if (env.XDG_RUNTIME_DIR) sockets.push(join(env.XDG_RUNTIME_DIR, "podman", "podman.sock"));
  return sockets;
}

/** Parse a DOCKER_HOST value. Pure. */
export function parseDockerHost(value: string): EngineEndpoint {
  const fail = (detail: string): never => {
    throw new InputError("DOCKER_HOST", undefined, `"${value}": ${detail}`);
  };
  if (value.startsWith("unix://")) {
    const socketPath = value.slice("unix://".length);
    if (!socketPath.startsWith("/")) fail("expected unix:///absolute/path/to/socket");
    return { label: value, socketPath };
  }
  if (value.startsWith("tcp://") || value.startsWith("http://")) {
    let url: URL;
    try {
      url = new URL(value.replace(/^tcp:/, "http:"));
    } catch {
      return fail("expected tcp://host:port");
    }
    const port = url.port ? Number(url.port) : DEFAULT_TCP_PORT;
    return { label: `tcp://${url.hostname}:${port}`, host: url.hostname.replace(/^\[|\]$/g, ""), port };
  }
  return fail("only unix:// and tcp:// engines are supported");
}

/** Find the engine to talk to: $DOCKER_HOST, else the first default socket that exists. */
export async function findEngine(env: NodeJS.ProcessEnv = process.env): Promise<EngineEndpoint> {
  if (env.DOCKER_HOST) {
    if (env.DOCKER_TLS_VERIFY && env.DOCKER_HOST.startsWith("tcp://")) {
      throw new InputError("DOCKER_HOST", undefined, "TLS-protected engines (DOCKER_TLS_VERIFY) are not supported; use the unix socket or save the image with docker save");
    }
    return parseDockerHost(env.DOCKER_HOST);
  }
  const tried = defaultSockets(env);
  for (const socketPath of tried) {
    const st = await stat(socketPath).catch(() => null);
    if (st?.isSocket()) return { label: `unix://${socketPath}`, socketPath };
  }
  throw new InputError("container engine", undefined, `no engine socket found (tried ${tried.join(", ")}); set DOCKER_HOST`);
}

function call(ep: EngineEndpoint, path: string, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const opts: RequestOptions = {
    method: "GET",
    path,
    headers: { host: ep.socketPath ? "docker" : `${ep.host}:${ep.port}` },
    signal,
  };
  if (ep.socketPath) opts.socketPath = ep.socketPath;
  else Object.assign(opts, { host: ep.host, port: ep.port });
  return new Promise((resolve, reject) => {
    const req = request(opts, resolve);
    req.on("error", reject);
    req.end();
  });
}

async function readBody(res: IncomingMessage, limit: number, label: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      res.destroy();
      throw new InputError(label, undefined, `response exceeds the limit of ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The engine's own words from an error body ({"message": …}), if any. */
function engineMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === "string") return `: ${body.message.slice(0, 300)}`;
  } catch {
    // not JSON
  }
  return "";
}

interface InspectReply {
  Id?: string;
  RepoTags?: string[] | null;
  Size?: number;
}

export async function openEngineImage(reference: string, opts: EngineOpenOptions = {}): Promise<OpenedImage> {
  const source = `docker:${reference}`;
  if (reference === "" || /[\s\0]/.test(reference)) throw new InputError(source, undefined, "expected an image name, name:tag, name@digest or image id");
  const ep = await findEngine(opts.env ?? process.env);
  const name = reference.split("/").map(encodeURIComponent).join("/");
  const connect = async (path: string) => {
    try {
      return await call(ep, path, opts.signal);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw new InputError(source, undefined, `cannot connect to the container engine at ${ep.label}: ${messageOf(err)}`, { cause: err });
    }
  };

  const inspectRes = await connect(`/images/${name}/json`);
  const inspectText = await readBody(inspectRes, MAX_INSPECT_BYTES, source);
  if (inspectRes.statusCode === 404) throw new InputError(source, undefined, `image not found in engine at ${ep.label}`);
  if (inspectRes.statusCode !== 200) throw new InputError(source, undefined, `engine at ${ep.label} answered ${inspectRes.statusCode} to inspect${engineMessage(inspectText)}`);
  let inspect: InspectReply;
  try {
    inspect = JSON.parse(inspectText) as InspectReply;
  } catch {
    throw new InputError(source, undefined, `engine at ${ep.label} sent an inspect reply that is not JSON`);
  }

  const dir = await mkdtemp(join(tmpdir(), "portcullis-engine-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const file = join(dir, "image.tar");
    const res = await connect(`/images/${name}/get`);
    if (res.statusCode !== 200) {
      const text = await readBody(res, 64 * 1024, source).catch(() => "");
      throw new InputError(source, undefined, `engine at ${ep.label} answered ${res.statusCode} to export${engineMessage(text)}`);
    }
    const progress = new ProgressCounter(inspect.Id ?? reference, inspect.Size, opts.onProgress);
    try {
      await pipeline(res, progress, createWriteStream(file), { signal: opts.signal });
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      throw new InputError(source, undefined, `export from the engine at ${ep.label} broke off: ${messageOf(err)}`, { cause: err });
    }
    const image = await openDockerArchive(file, reference, { ...opts, transport: "docker" });
    const tags = inspect.RepoTags?.filter((t) => t && t !== "<none>:<none>") ?? [];
    return {
      ...image,
      names: tags.length ? tags : image.names,
      close: async () => {
        await image.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Reports export progress: the archive size is not known ahead, so total is the image size when the engine says. */
class ProgressCounter extends Transform {
  private done = 0;
  constructor(
    private readonly digest: string,
    private readonly total: number | undefined,
    private readonly onProgress: ((e: ProgressEvent) => void) | undefined,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.done += chunk.length;
    this.onProgress?.({ phase: "pull", digest: this.digest, done: this.done, total: this.total });
    cb(null, chunk);
  }
}
