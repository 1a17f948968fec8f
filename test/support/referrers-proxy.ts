/**
 * The OCI 1.1 referrers API in front of a real `docker-registry`, which
 * predates it: requests pass through unchanged, and manifests pushed with a
 * `subject` are remembered so `GET /v2/<name>/referrers/<digest>` can list
 * them and the push answers with `OCI-Subject`, as a 1.1 registry does.
 * Storage, digests and validation all stay the real registry's.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestRegistry } from "./registry.js";

export interface ReferrersProxy {
  host: string;
  /** Referrer descriptors by "repository@subject digest". */
  referrers: Map<string, object[]>;
  stop(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startReferrersProxy(registry: TestRegistry): Promise<ReferrersProxy> {
  const referrers = new Map<string, object[]>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? "/";
    const listing = /^\/v2\/(.+)\/referrers\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (req.method === "GET" && listing) {
      const index = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: referrers.get(`${listing[1]}@${listing[2]}`) ?? [] };
      res.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json" });
      res.end(JSON.stringify(index));
      return;
    }
    const data = req.method === "GET" || req.method === "HEAD" ? undefined : await body(req);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== "host" && k !== "content-length")) as Record<string, string>;
    const upstream = await fetch(new URL(path, registry.url), { method: req.method, headers, body: data, redirect: "manual" });
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      out[k] = k === "location" ? v.replace(registry.url, "") : v;
    });
    const pushed = /^\/v2\/(.+)\/manifests\/[^/]+$/.exec(path);
    if (req.method === "PUT" && pushed && upstream.status === 201 && data) {
      const m = JSON.parse(data.toString("utf8")) as { subject?: { digest: string }; artifactType?: string; mediaType?: string; annotations?: Record<string, string> };
      if (m.subject) {
        const key = `${pushed[1]}@${m.subject.digest}`;
        const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
        const list = referrers.get(key) ?? [];
        if (!list.some((d) => (d as { digest: string }).digest === digest)) list.push({ mediaType: m.mediaType, digest, size: data.length, ...(m.artifactType ? { artifactType: m.artifactType } : {}) });
        referrers.set(key, list);
        out["oci-subject"] = m.subject.digest;
      }
    }
    delete out["content-length"];
    delete out["transfer-encoding"];
    res.writeHead(upstream.status, out);
    res.end(req.method === "HEAD" ? undefined : Buffer.from(await upstream.arrayBuffer()));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    referrers,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
