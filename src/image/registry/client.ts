/**
 * A client of the OCI distribution API over Node's fetch: manifests
 * (resolving an index to one platform), the config blob, and layer blobs
 * streamed through `tarLayer` so nothing touches the disk; and, when asked
 * for push access, the small uploads signatures need (a blob in one PUT, a
 * manifest, the referrers list). Digests are checked
 * for everything fetched by digest; redirects are followed by hand so that
 * credentials never leave the registry's origin.
 */
import { createHash } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { z } from "zod";
import { InputError, messageOf, shortDigest } from "../../common/index.js";
import { withDefaults, type WalkLimits } from "../limits.js";
import {
  LAYER_MEDIA_TYPES,
  MEDIA,
  descriptorSchema,
  layerHistory,
  parseConfig,
  parseManifestOrIndex,
  parsePlatform,
  selectManifest,
  type Descriptor,
  type Manifest,
} from "../manifest.js";
import type { ImageConfig, Layer, ProgressEvent } from "../model.js";
import { tarLayer } from "../tar-layer.js";
import { RegistryAuth, credentialNote, readLimitedBytes, registryErrorMessage } from "./auth.js";
import type { Credential } from "./credentials.js";
import { formatReference, manifestReference, type ImageReference } from "./reference.js";

export interface RegistryClientOptions {
  /** Allow plain http, but only to loopback hosts. */
  insecure?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Looked up only if the registry asks for authentication. */
  credential?: () => Promise<Credential | undefined>;
  /** Ask for push access too (signing writes to the repository). */
  push?: boolean;
  /** Give up on a request (and its body) after this long: for small documents, not for layer pulls. */
  requestTimeoutMs?: number;
}

const referrerSchema = descriptorSchema.extend({ artifactType: z.string().optional() });
/** An entry of the referrers list: a manifest that refers to another one through its subject. */
export type Referrer = z.infer<typeof referrerSchema>;

/** What a registry answered to a manifest upload. */
export interface PushedManifest {
  digest: string;
}

const MANIFEST_ACCEPT = [MEDIA.ociIndex, MEDIA.ociManifest, MEDIA.dockerList, MEDIA.dockerManifest].join(", ");
const KNOWN_MANIFEST_TYPES = new Set<string>(Object.values(MEDIA));
/** Content types some registries send for any JSON: decide by the document's own mediaType. */
const GENERIC_TYPES = new Set(["", "application/json", "text/plain", "application/octet-stream"]);
const IMAGE_CONFIG_TYPES = new Set<string>([MEDIA.ociConfig, MEDIA.dockerConfig]);
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const MAX_REDIRECTS = 10;
const MAX_INDEX_NESTING = 4;
const NO_REFERRERS_API = new Set([400, 404, 405, 406, 501]);
const MAX_REFERRER_PAGES = 16;

/** 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (/^::ffff:127\./.test(h)) return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && Number(m[1]) === 127 && m.slice(2).every((o) => Number(o) <= 255);
}

export class RegistryClient {
  /** "registry:localhost:5000/app:1": names the input in every error. */
  readonly label: string;
  readonly baseUrl: URL;
  private readonly auth: RegistryAuth;
  private readonly scope: string;

  constructor(
    readonly ref: ImageReference,
    private readonly opts: RegistryClientOptions = {},
  ) {
    this.label = `registry:${formatReference(ref)}`;
    const host = new URL(`http://${ref.registry}`).hostname;
    const http = opts.insecure === true && isLoopbackHost(host);
    this.baseUrl = new URL(`${http ? "http" : "https"}://${ref.registry}`);
    this.scope = `repository:${ref.repository}:${opts.push ? "pull,push" : "pull"}`;
    this.auth = new RegistryAuth({
      label: this.label,
      credential: opts.credential ?? (async () => undefined),
      fetch: (url, init) => this.fetchFollowing(url, init),
      allowHttp: (url) => this.allowHttp(url),
    });
  }

  private allowHttp(url: URL): boolean {
    return this.opts.insecure === true && isLoopbackHost(url.hostname);
  }

  /**
   * fetch with redirects followed by hand: at most MAX_REDIRECTS, https only
   * (http for loopback with --insecure), and the Authorization header dropped
   * when the redirect leaves the origin (blob storage signs its own URLs).
   */
  private async fetchFollowing(start: URL, init: { method?: string; headers: Record<string, string>; body?: string | Uint8Array }): Promise<Response> {
    let url = start;
    let headers = { ...init.headers };
    for (let hop = 0; ; hop++) {
      if (url.protocol !== "https:" && !(url.protocol === "http:" && this.allowHttp(url))) {
        throw new InputError(this.label, undefined, `refusing ${url.protocol}//${url.host}: only https (or plain http to loopback hosts with --insecure)`);
      }
      let res: Response;
      const timeout = this.opts.requestTimeoutMs;
      const signal = timeout ? AbortSignal.any([...(this.opts.signal ? [this.opts.signal] : []), AbortSignal.timeout(timeout)]) : this.opts.signal;
      try {
        res = await fetch(url, { method: init.method ?? "GET", headers, body: init.body, redirect: "manual", signal });
      } catch (err) {
        if (signal?.aborted) {
          const reason = signal.reason as Error | undefined;
          if (reason?.name === "TimeoutError") throw new InputError(this.label, undefined, `no answer from ${url.origin} in time (${reason.message})`, { cause: err });
          throw err;
        }
        const cause = (err as { cause?: unknown }).cause;
        throw new InputError(this.label, undefined, `cannot reach ${url.origin}: ${messageOf(cause ?? err)}`, { cause: err });
      }
      const location = res.headers.get("location");
      if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new InputError(this.label, undefined, `more than ${MAX_REDIRECTS} redirects from ${start.origin}`);
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "authorization"));
      }
      url = next;
    }
  }

  /** GET a registry path with authentication: anonymous first, then whatever a 401 asks for, once. */
  private get(path: string, headers: Record<string, string>, what: string): Promise<Response> {
    return this.request("GET", path, headers, what);
  }

  private async request(method: string, path: string | URL, headers: Record<string, string>, what: string, body?: Uint8Array): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    // An upload's Location may name another host (blob storage): credentials go only to the registry itself.
    const ownOrigin = url.origin === this.baseUrl.origin;
    for (let attempt = 0; ; attempt++) {
      const authorization = ownOrigin ? await this.auth.header(this.scope) : undefined;
      const res = await this.fetchFollowing(url, { method, headers: authorization ? { ...headers, authorization } : headers, ...(body ? { body } : {}) });
      if (res.status !== 401) return res;
      const answer = await readLimitedBytes(res, 64 * 1024, this.label).catch(() => Buffer.alloc(0));
      const message = registryErrorMessage(answer.toString("utf8"));
      if (attempt === 0 && (await this.auth.unauthorized(res.headers.get("www-authenticate"), this.scope))) continue;
      const cred = await this.auth.credential();
      throw new InputError(this.label, what, `authentication failed (401)${credentialNote(cred)}${message ? `: ${message}` : ""}`);
    }
  }

  private async failed(res: Response, what: string, notFound: string): Promise<never> {
    const text = (await readLimitedBytes(res, 64 * 1024, this.label).catch(() => Buffer.alloc(0))).toString("utf8");
    const message = registryErrorMessage(text);
    if (res.status === 404) throw new InputError(this.label, what === "manifest" ? undefined : what, `${message ?? notFound} (404)`);
    if (res.status === 403) throw new InputError(this.label, what, `access denied (403)${message ? `: ${message}` : ""}`);
    if (res.status === 429) {
      const after = res.headers.get("retry-after");
      throw new InputError(this.label, what, `rate limited by the registry (429)${after ? `, retry after ${after} s` : ""}`);
    }
    throw new InputError(this.label, what, `registry answered ${res.status} ${res.statusText}${message ? `: ${message}` : ""}`);
  }

  /** GET a manifest or index by tag or digest; verified when asked for by digest. */
  async manifest(reference: string): Promise<{ bytes: Buffer; mediaType: string | undefined; digest: string }> {
    const res = await this.get(`/v2/${this.ref.repository}/manifests/${reference}`, { accept: MANIFEST_ACCEPT }, "manifest");
    if (!res.ok) await this.failed(res, "manifest", "manifest unknown");
    const bytes = await readLimitedBytes(res, MAX_MANIFEST_BYTES, `${this.label} manifest`);
    const digest = sha256(bytes);
    if (reference.includes(":")) checkDigest(bytes, reference, `${this.label} manifest`);
    const contentType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!GENERIC_TYPES.has(contentType) && !KNOWN_MANIFEST_TYPES.has(contentType)) {
      throw new InputError(`${this.label} manifest`, "Content-Type", `unsupported media type "${contentType}" (not a container image manifest or index)`);
    }
    return { bytes, mediaType: GENERIC_TYPES.has(contentType) ? undefined : contentType, digest };
  }

  /** A manifest by tag or digest, or undefined when the registry has none (404). */
  async manifestIfAny(reference: string): Promise<{ bytes: Buffer; mediaType: string | undefined; digest: string } | undefined> {
    try {
      return await this.manifest(reference);
    } catch (err) {
      if (err instanceof InputError && /\(404\)$/.test(err.message)) return undefined;
      throw err;
    }
  }

  /** Upload a small blob in one PUT (monolithic upload), unless the repository has it already. */
  async pushBlob(bytes: Buffer): Promise<string> {
    const digest = sha256(bytes);
    const what = `blob ${shortDigest(digest)}`;
    const head = await this.request("HEAD", `/v2/${this.ref.repository}/blobs/${digest}`, {}, what);
    await head.body?.cancel();
    if (head.ok) return digest;
    const start = await this.request("POST", `/v2/${this.ref.repository}/blobs/uploads/`, { "content-length": "0" }, what);
    if (start.status !== 202) await this.failed(start, what, "cannot start an upload");
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (!location) throw new InputError(this.label, what, "the registry started an upload without a Location");
    const url = new URL(location, this.baseUrl);
    url.searchParams.set("digest", digest);
    const put = await this.request("PUT", url, { "content-type": "application/octet-stream" }, what, bytes);
    if (put.status !== 201) await this.failed(put, what, "upload refused");
    await put.body?.cancel();
    return digest;
  }

  /** PUT a manifest under a tag, or by its own digest when no tag is given. */
  async pushManifest(tag: string | undefined, bytes: Buffer, mediaType: string): Promise<PushedManifest> {
    const digest = sha256(bytes);
    const reference = tag ?? digest;
    const res = await this.request("PUT", `/v2/${this.ref.repository}/manifests/${reference}`, { "content-type": mediaType }, `manifest ${reference}`, bytes);
    if (res.status !== 201) await this.failed(res, `manifest ${reference}`, "manifest refused");
    await res.body?.cancel();
    const answered = res.headers.get("docker-content-digest");
    if (answered && answered !== digest) throw new InputError(this.label, `manifest ${reference}`, `the registry stored ${shortDigest(answered)}, not the ${shortDigest(digest)} we sent`);
    return { digest };
  }

  /**
   * The referrers of a manifest (OCI 1.1 referrers API), or undefined when the
   * registry does not serve that API (404 and the like on the endpoint).
   */
  async referrers(digest: string): Promise<Referrer[] | undefined> {
    const what = `referrers of ${shortDigest(digest)}`;
    const out: Referrer[] = [];
    let next: string | URL | undefined = `/v2/${this.ref.repository}/referrers/${digest}`;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_REFERRER_PAGES) throw new InputError(this.label, what, `more than ${MAX_REFERRER_PAGES} pages of referrers`);
      const res = await this.request("GET", next, { accept: MEDIA.ociIndex }, what);
      // Registries without the API answer an unknown route in different ways.
      if (page === 0 && NO_REFERRERS_API.has(res.status)) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) await this.failed(res, what, "referrers unknown");
      const contentType = (res.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      const bytes = await readLimitedBytes(res, MAX_MANIFEST_BYTES, `${this.label} ${what}`);
      if (contentType !== MEDIA.ociIndex) return page === 0 ? undefined : out;
      let doc: { manifests?: unknown };
      try {
        doc = JSON.parse(bytes.toString("utf8")) as { manifests?: unknown };
      } catch (err) {
        throw new InputError(`${this.label} ${what}`, undefined, `not JSON (${(err as Error).message})`);
      }
      if (!Array.isArray(doc.manifests)) throw new InputError(`${this.label} ${what}`, "$.manifests", "expected a list");
      doc.manifests.forEach((m, i) => {
        const parsed = referrerSchema.safeParse(m);
        if (!parsed.success) throw new InputError(`${this.label} ${what}`, `$.manifests[${i}]`, "not a descriptor (mediaType, digest, size)");
        out.push(parsed.data);
      });
      // The distribution spec pages long lists with a Link header (rel="next").
      const link = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(res.headers.get("link") ?? "");
      next = link ? new URL(link[1]!, this.baseUrl) : undefined;
    }
    return out;
  }

  /** A small blob (the config), read whole and verified. */
  async blobBytes(desc: Descriptor, limit: number): Promise<Buffer> {
    if (desc.size > limit) throw new InputError(this.label, `blob ${shortDigest(desc.digest)}`, `${desc.size} bytes exceeds the limit of ${limit}`);
    const res = await this.get(`/v2/${this.ref.repository}/blobs/${desc.digest}`, {}, `blob ${shortDigest(desc.digest)}`);
    if (!res.ok) await this.failed(res, `blob ${shortDigest(desc.digest)}`, "blob unknown");
    const bytes = await readLimitedBytes(res, limit, `${this.label} blob ${shortDigest(desc.digest)}`);
    checkDigest(bytes, desc.digest, `${this.label} blob ${shortDigest(desc.digest)}`);
    return bytes;
  }

  /** A layer blob as a stream; its digest is checked by the reader (tarLayer), its size here. */
  async openBlob(desc: Descriptor): Promise<Readable> {
    const what = `blob ${shortDigest(desc.digest)}`;
    const res = await this.get(`/v2/${this.ref.repository}/blobs/${desc.digest}`, {}, what);
    if (!res.ok) await this.failed(res, what, "blob unknown");
    if (!res.body) throw new InputError(this.label, what, "empty response body");
    const length = Number(res.headers.get("content-length"));
    const total = Number.isFinite(length) && length > 0 ? length : desc.size;
    const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    const counter = new ProgressCounter(desc, total, this.opts.onProgress, this.label);
    body.on("error", (err) => counter.destroy(err));
    // A reader that gives up early must not leave the download running.
    counter.on("close", () => body.destroy());
    return body.pipe(counter);
  }
}

/** Counts bytes as they pass, reports progress, and stops a blob that grows past its declared size. */
class ProgressCounter extends Transform {
  private done = 0;
  constructor(
    private readonly desc: Descriptor,
    private readonly total: number,
    private readonly onProgress: ((e: ProgressEvent) => void) | undefined,
    private readonly label: string,
  ) {
    super();
    onProgress?.({ phase: "pull", digest: desc.digest, done: 0, total });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.done += chunk.length;
    if (this.done > this.desc.size) {
      cb(new InputError(this.label, `blob ${shortDigest(this.desc.digest)}`, `more than the ${this.desc.size} bytes the manifest declares`));
      return;
    }
    this.onProgress?.({ phase: "pull", digest: this.desc.digest, done: this.done, total: this.total });
    cb(null, chunk);
  }
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function checkDigest(bytes: Buffer, digest: string, label: string): void {
  const alg = digest.slice(0, digest.indexOf(":"));
  if (alg !== "sha256" && alg !== "sha512") throw new InputError(label, undefined, `unsupported digest algorithm "${alg}"`);
  const actual = `${alg}:${createHash(alg).update(bytes).digest("hex")}`;
  if (actual !== digest) throw new InputError(label, undefined, `digest mismatch: the content hashes to ${shortDigest(actual)}, expected ${shortDigest(digest)}`);
}

export interface ResolvedImage {
  /** Digest of the image manifest (after resolving an index). */
  digest: string;
  /** Digest of what the reference named (the index, for a multi-platform image). */
  topDigest: string;
  manifest: Manifest;
  config: ImageConfig;
  configDigest: string;
  platform?: string;
  layers: Layer[];
}

/** Fetch the manifest (through any index), the config, and prepare the layers. */
export async function resolveImage(client: RegistryClient, opts: { platform?: string; limits?: Partial<WalkLimits> } = {}): Promise<ResolvedImage> {
  const label = client.label;
  let fetched = await client.manifest(manifestReference(client.ref));
  const topDigest = fetched.digest;
  let doc = parseManifestOrIndex(fetched.bytes.toString("utf8"), `${label} manifest`, fetched.mediaType);
  for (let depth = 0; doc.kind === "index"; depth++) {
    if (depth >= MAX_INDEX_NESTING) throw new InputError(label, undefined, `indexes nested deeper than ${MAX_INDEX_NESTING}`);
    const chosen = selectManifest(doc.index, opts.platform, `${label} index ${shortDigest(fetched.digest)}`);
    fetched = await client.manifest(chosen.digest);
    doc = parseManifestOrIndex(fetched.bytes.toString("utf8"), `${label} manifest ${shortDigest(chosen.digest)}`, fetched.mediaType ?? chosen.mediaType);
  }
  const manifest = doc.manifest;
  const where = `${label} manifest ${shortDigest(fetched.digest)}`;
  const configType = manifest.config.mediaType;
  if (configType !== undefined && !IMAGE_CONFIG_TYPES.has(configType)) {
    throw new InputError(where, "$.config.mediaType", `unsupported media type "${configType}" (not a container image: expected an OCI or Docker image config)`);
  }
  manifest.layers.forEach((l, i) => {
    if (l.mediaType !== undefined && !LAYER_MEDIA_TYPES.has(l.mediaType)) {
      throw new InputError(where, `$.layers[${i}].mediaType`, `unsupported layer media type "${l.mediaType}"`);
    }
  });
  const configBytes = await client.blobBytes(manifest.config, MAX_CONFIG_BYTES);
  const config = parseConfig(configBytes.toString("utf8"), `${label} config ${shortDigest(manifest.config.digest)}`);
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join("/") || undefined;
  if (opts.platform && config.os && config.architecture) {
    const want = parsePlatform(opts.platform);
    if (want.os !== config.os || want.architecture !== config.architecture || (want.variant && config.variant && want.variant !== config.variant)) {
      throw new InputError(label, undefined, `the image is for ${platform}, not ${opts.platform}`);
    }
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== manifest.layers.length) {
    throw new InputError(where, undefined, `${manifest.layers.length} layers in the manifest but ${diffIds.length} diff ids in the config`);
  }
  const history = layerHistory(config);
  const limits = withDefaults(opts.limits);
  const layers = manifest.layers.map((l, i) =>
    tarLayer(
      { digest: l.digest, diffId: diffIds[i], mediaType: l.mediaType, size: l.size, createdBy: history[i] },
      () => client.openBlob(l),
      limits,
    ),
  );
  return { digest: fetched.digest, topDigest, manifest, config, configDigest: manifest.config.digest, platform, layers };
}
