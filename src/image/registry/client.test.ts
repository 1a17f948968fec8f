import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../common/index.js";
import { Podman, skopeoCopy, startRegistry, type TestRegistry } from "../../../test/support/registry.js";
import { isLoopbackHost, RegistryClient } from "./client.js";
import { parseReference } from "./reference.js";
import { openRegistryImage } from "./source.js";

test("plain http is for loopback hosts only", () => {
  for (const host of ["127.0.0.1", "127.255.0.9", "localhost", "api.localhost", "[::1]", "::1"]) assert.ok(isLoopbackHost(host), host);
  for (const host of ["128.0.0.1", "10.0.0.1", "example.com", "localhost.example.com", "127.0.0.1.nip.io", "[::2]", "127.0.0.256"]) assert.ok(!isLoopbackHost(host), host);
  assert.equal(new RegistryClient(parseReference("127.0.0.1:5000/a"), { insecure: true }).baseUrl.protocol, "http:");
  assert.equal(new RegistryClient(parseReference("localhost:5000/a"), { insecure: true }).baseUrl.protocol, "http:");
  // --insecure does not reach beyond the machine.
  assert.equal(new RegistryClient(parseReference("registry.example.test/a"), { insecure: true }).baseUrl.protocol, "https:");
  assert.equal(new RegistryClient(parseReference("127.0.0.1:5000/a")).baseUrl.protocol, "https:");
  assert.equal(new RegistryClient(parseReference("alpine")).baseUrl.href, "https://registry-1.docker.io/");
});

/**
 * Two redirecting fronts before a real registry, the way registries hand blob
 * downloads to storage on another origin: the first asks for basic auth and
 * redirects to the second (another origin), which redirects to the registry.
 */
let registry: TestRegistry;
const podman = new Podman();
const work = mkdtempSync(join(tmpdir(), "pcs-client-test-"));
const seen: { front: "first" | "second"; path: string; authorization?: string }[] = [];
let secondTarget = "";
let first: Server;
let second: Server;

function listen(server: Server, host: string): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as AddressInfo).port)));
}
const record = (front: "first" | "second", path: string, h: IncomingHttpHeaders) => seen.push({ front, path, authorization: h.authorization });

before(async () => {
  registry = await startRegistry();
  await podman.importFiles("localhost/tiny:1", ["/etc/os-release"]);
  await skopeoCopy(`oci-archive:${await podman.save("localhost/tiny:1", "oci-archive")}`, `docker://${registry.host}/tiny:1`);
  second = createServer((req, res) => {
    record("second", req.url!, req.headers);
    res.writeHead(307, { location: `${secondTarget}${req.url}` }).end();
  });
  const secondPort = await listen(second, "127.0.0.2");
  first = createServer((req, res) => {
    record("first", req.url!, req.headers);
    if (req.headers.authorization !== `Basic ${Buffer.from("alice:pw").toString("base64")}`) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="front"' }).end();
      return;
    }
    res.writeHead(307, { location: `http://127.0.0.2:${secondPort}${req.url}` }).end();
  });
  await listen(first, "127.0.0.1");
});

after(async () => {
  first?.close();
  second?.close();
  await registry?.stop();
  podman.remove();
  rmSync(work, { recursive: true, force: true });
});

const env = (home: string) => ({ PATH: process.env.PATH, HOME: home, PORTCULLIS_REGISTRY_USERNAME: "alice", PORTCULLIS_REGISTRY_PASSWORD: "pw" });

test("redirects are followed and credentials are not carried to another origin", async () => {
  secondTarget = registry.url;
  seen.length = 0;
  const home = mkdtempSync(join(work, "home-"));
  const host = `127.0.0.1:${(first.address() as AddressInfo).port}`;
  const image = await openRegistryImage(`${host}/tiny:1`, { insecure: true, env: env(home), home });
  let files = 0;
  for await (const e of image.layers[0]!.entries()) if (e.type === "file") files++;
  assert.ok(files >= 1);
  const firstAuthorized = seen.filter((s) => s.front === "first" && s.authorization);
  const atSecond = seen.filter((s) => s.front === "second");
  assert.ok(firstAuthorized.some((s) => s.path.includes("/blobs/")), "the layer was asked for with credentials at the registry's origin");
  assert.ok(atSecond.some((s) => s.path.includes("/blobs/")), "and fetched through the redirect");
  assert.deepEqual(
    atSecond.filter((s) => s.authorization !== undefined),
    [],
  );
});

test("a redirect to plain http beyond loopback is refused", async () => {
  secondTarget = "http://192.0.2.1";
  const home = mkdtempSync(join(work, "home-"));
  const host = `127.0.0.1:${(first.address() as AddressInfo).port}`;
  await assert.rejects(openRegistryImage(`${host}/tiny:1`, { insecure: true, env: env(home), home }), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.match(err.message, /refusing http:\/\/192\.0\.2\.1: only https/);
    return true;
  });
});

test("an upload whose Location names another origin gets the bytes but not the credentials", async () => {
  const basic = `Basic ${Buffer.from("alice:pw").toString("base64")}`;
  const storage: { method: string; authorization?: string; body: string }[] = [];
  const store = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      storage.push({ method: req.method!, authorization: req.headers.authorization, body });
      res.writeHead(201).end();
    });
  });
  const storePort = await listen(store, "127.0.0.2");
  const front = createServer((req, res) => {
    if (req.headers.authorization !== basic) return void res.writeHead(401, { "www-authenticate": 'Basic realm="front"' }).end();
    if (req.method === "HEAD") return void res.writeHead(404).end();
    if (req.method === "POST") return void res.writeHead(202, { location: `http://127.0.0.2:${storePort}/upload/1?state=x` }).end();
    res.writeHead(500).end();
  });
  const frontPort = await listen(front, "127.0.0.1");
  try {
    const client = new RegistryClient(parseReference(`127.0.0.1:${frontPort}/app`), { insecure: true, push: true, credential: async () => ({ username: "alice", password: "pw", from: "test" }) });
    await client.pushBlob(Buffer.from("payload"));
    assert.deepEqual(storage.map((s) => [s.method, s.authorization, s.body]), [["PUT", undefined, "payload"]]);
  } finally {
    front.close();
    store.close();
  }
});
