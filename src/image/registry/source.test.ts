/**
 * Pulling from a real CNCF distribution registry: images made with podman
 * from files of this machine, pushed with skopeo, read back with our client.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { InputError } from "../../common/index.js";
import type { OpenedImage, ProgressEvent } from "../model.js";
import { blobFile, Podman, skopeoCopy, startRegistry, startTokenServer, type TestRegistry, type TokenServer } from "../../../test/support/registry.js";
import { openRegistryImage, type RegistryOpenOptions } from "./source.js";

const work = mkdtempSync(join(tmpdir(), "pcs-registry-test-"));
const podman = new Podman();
const HELLO = "hello from the second layer\n";
let ociArchive: string;
let expected: { id: string; diffIds: string[] };
const running: { stop(): Promise<void> }[] = [];

before(async () => {
  await podman.importFiles("localhost/tiny:1", ["/etc/os-release", "/var/lib/dpkg/status"]);
  await podman.addLayer("localhost/tiny:1", "localhost/tiny:2", "hello.txt", HELLO);
  const info = await podman.inspect("localhost/tiny:2");
  expected = { id: `sha256:${info.Id}`, diffIds: info.RootFS.Layers };
  ociArchive = await podman.save("localhost/tiny:2", "oci-archive");
});

after(async () => {
  for (const r of running.reverse()) await r.stop();
  podman.remove();
  rmSync(work, { recursive: true, force: true });
});

async function registry(opts: Parameters<typeof startRegistry>[0] = {}): Promise<TestRegistry> {
  const r = await startRegistry(opts);
  running.push(r);
  return r;
}

/** Options with an empty home and environment, so the machine's own logins play no part. */
function isolated(extra: Partial<RegistryOpenOptions> & { env?: NodeJS.ProcessEnv } = {}): RegistryOpenOptions {
  const home = mkdtempSync(join(work, "home-"));
  return { insecure: true, home, ...extra, env: { PATH: process.env.PATH, HOME: home, ...extra.env } };
}

/** Walk every layer; return the paths per layer and the text of /hello.txt and /etc/os-release. */
async function walk(image: OpenedImage): Promise<{ paths: string[][]; files: Map<string, string> }> {
  const paths: string[][] = [];
  const files = new Map<string, string>();
  for (const layer of image.layers) {
    const here: string[] = [];
    for await (const e of layer.entries()) {
      here.push(e.path);
      if ((e.path === "/hello.txt" || e.path === "/etc/os-release") && e.open) {
        let text = "";
        for await (const chunk of e.open()) text += chunk;
        files.set(e.path, text);
      }
    }
    paths.push(here);
  }
  return { paths, files };
}

function assertIsTiny(image: OpenedImage, files: Map<string, string>): void {
  assert.equal(image.imageId, expected.id);
  assert.deepEqual(
    image.layers.map((l) => l.diffId),
    expected.diffIds,
  );
  assert.equal(files.get("/hello.txt"), HELLO);
  assert.equal(files.get("/etc/os-release"), readFileSync("/etc/os-release", "utf8"));
}

const rejectsWith = (pattern: RegExp) => (err: unknown) => {
  assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return true;
};

describe("anonymous registry", () => {
  let reg: TestRegistry;
  let pushed: string;
  before(async () => {
    reg = await registry();
    pushed = await skopeoCopy(`oci-archive:${ociArchive}`, `docker://${reg.host}/tiny:2`);
  });

  test("pulls by tag: manifest digest, config digest as image id, layers verified and streamed", async () => {
    const progress: ProgressEvent[] = [];
    const image = await openRegistryImage(`${reg.host}/tiny:2`, isolated({ onProgress: (e) => progress.push(e) }));
    assert.equal(image.transport, "registry");
    assert.equal(image.reference, `${reg.host}/tiny:2`);
    assert.equal(image.digest, pushed);
    assert.deepEqual(image.names, [`${reg.host}/tiny:2`]);
    assert.equal(image.platform, "linux/amd64");
    assert.ok(image.layers.every((l) => l.mediaType === "application/vnd.oci.image.layer.v1.tar+gzip"));
    const { paths, files } = await walk(image);
    assertIsTiny(image, files);
    assert.ok(paths[0]!.includes("/var/lib/dpkg/status"));
    assert.deepEqual(paths[1], ["/hello.txt"]);
    // Every layer reported its download, ending with all its bytes.
    for (const layer of image.layers) {
      const last = progress.filter((e) => e.digest === layer.digest).at(-1);
      assert.equal(last?.phase, "pull");
      assert.equal(last?.done, layer.size);
      assert.equal(last?.total, layer.size);
    }
    await image.close();
  });

  test("pulls by digest, and by tag plus digest", async () => {
    const byDigest = await openRegistryImage(`${reg.host}/tiny@${pushed}`, isolated());
    assert.equal(byDigest.digest, pushed);
    assert.deepEqual(byDigest.names, [`${reg.host}/tiny@${pushed}`]);
    assertIsTiny(byDigest, (await walk(byDigest)).files);
    const both = await openRegistryImage(`${reg.host}/tiny:2@${pushed}`, isolated());
    assert.equal(both.imageId, expected.id);
  });

  test("pulls Docker v2 schema 2 media types", async () => {
    const digest = await skopeoCopy(`oci-archive:${ociArchive}`, `docker://${reg.host}/tiny-docker:2`, { format: "v2s2" });
    const image = await openRegistryImage(`${reg.host}/tiny-docker:2`, isolated());
    assert.equal(image.digest, digest);
    assert.ok(image.layers.every((l) => l.mediaType === "application/vnd.docker.image.rootfs.diff.tar.gzip"));
    assert.deepEqual(
      image.layers.map((l) => l.diffId),
      expected.diffIds,
    );
    assert.equal((await walk(image)).files.get("/hello.txt"), HELLO);
  });

  test("a missing tag is a 404 that names the reference", async () => {
    await assert.rejects(openRegistryImage(`${reg.host}/tiny:nope`, isolated()), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.message, `registry:${reg.host}/tiny:nope: manifest unknown (404)`);
      return true;
    });
    await assert.rejects(openRegistryImage(`${reg.host}/tiny@sha256:${"0".repeat(64)}`, isolated()), rejectsWith(/\(404\)/));
  });

  test("without --insecure plain http is not used, even on loopback", async () => {
    await assert.rejects(openRegistryImage(`${reg.host}/tiny:2`, isolated({ insecure: false })), rejectsWith(new RegExp(`cannot reach https://${reg.host}`)));
  });

  test("a manifest whose config is not an image config is refused, naming the media type", async () => {
    // An artifact as helm or cosign would push one: a config of another media type, pushed over the real API.
    const config = Buffer.from('{"name":"chart","version":"1.0.0"}');
    const configDigest = await uploadBlob(reg, "chart", config);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.cncf.helm.config.v1+json", digest: configDigest, size: config.length },
      layers: [],
    });
    const put = await fetch(`${reg.url}/v2/chart/manifests/1.0.0`, { method: "PUT", headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" }, body: manifest });
    assert.equal(put.status, 201);
    await assert.rejects(openRegistryImage(`${reg.host}/chart:1.0.0`, isolated()), rejectsWith(/\$\.config\.mediaType: unsupported media type "application\/vnd\.cncf\.helm\.config\.v1\+json"/));
  });
});

/** Upload a blob monolithically (POST then PUT), as clients do. */
async function uploadBlob(reg: TestRegistry, repo: string, bytes: Buffer): Promise<string> {
  const { createHash } = await import("node:crypto");
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const start = await fetch(`${reg.url}/v2/${repo}/blobs/uploads/`, { method: "POST" });
  assert.equal(start.status, 202);
  const location = new URL(start.headers.get("location")!, reg.url);
  location.searchParams.set("digest", digest);
  const put = await fetch(location, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: bytes });
  assert.equal(put.status, 201);
  return digest;
}

describe("multi-platform index", () => {
  let reg: TestRegistry;
  let arm: { id: string; diffIds: string[] };
  before(async () => {
    reg = await registry();
    await podman.importFiles("localhost/tiny:arm64", ["/etc/os-release"], { arch: "arm64", variant: "v8" });
    const info = await podman.inspect("localhost/tiny:arm64");
    arm = { id: `sha256:${info.Id}`, diffIds: info.RootFS.Layers };
    await podman.run("manifest", "create", "localhost/multi:1");
    await podman.run("manifest", "add", "localhost/multi:1", "containers-storage:localhost/tiny:2");
    await podman.run("manifest", "add", "localhost/multi:1", "containers-storage:localhost/tiny:arm64");
    await podman.run("manifest", "push", "--all", "--tls-verify=false", "localhost/multi:1", `docker://${reg.host}/multi:1`);
  });

  test("resolves linux/amd64 by default", async () => {
    const image = await openRegistryImage(`${reg.host}/multi:1`, isolated());
    assert.equal(image.platform, "linux/amd64");
    assert.equal(image.imageId, expected.id);
    assert.equal((await walk(image)).files.get("/hello.txt"), HELLO);
  });

  test("resolves the platform asked for", async () => {
    const image = await openRegistryImage(`${reg.host}/multi:1`, isolated({ platform: "linux/arm64" }));
    assert.equal(image.platform, "linux/arm64/v8");
    assert.equal(image.imageId, arm.id);
    assert.deepEqual(
      image.layers.map((l) => l.diffId),
      arm.diffIds,
    );
    const { paths } = await walk(image);
    assert.deepEqual(paths.flat().filter((p) => !p.endsWith("/") && p.startsWith("/etc/os")), ["/etc/os-release"]);
  });

  test("a platform the index lacks is an error listing what it has", async () => {
    await assert.rejects(openRegistryImage(`${reg.host}/multi:1`, isolated({ platform: "linux/s390x" })), rejectsWith(/no image for platform linux\/s390x \(the index has: linux\/amd64, linux\/arm64/));
  });

  test("a single-platform image asked for another platform is refused", async () => {
    await skopeoCopy(`oci-archive:${ociArchive}`, `docker://${reg.host}/tiny:2`);
    await assert.rejects(openRegistryImage(`${reg.host}/tiny:2`, isolated({ platform: "linux/arm64" })), rejectsWith(/the image is for linux\/amd64, not linux\/arm64/));
  });
});

describe("basic auth (htpasswd)", () => {
  let reg: TestRegistry;
  before(async () => {
    reg = await registry({ basicAuth: { alice: "wonderland" } });
    await skopeoCopy(`oci-archive:${ociArchive}`, `docker://${reg.host}/private/tiny:2`, { creds: "alice:wonderland" });
  });

  test("credentials from a docker config.json in $DOCKER_CONFIG", async () => {
    const dir = join(work, "docker-config-basic");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from("alice:wonderland").toString("base64") } } }));
    const image = await openRegistryImage(`${reg.host}/private/tiny:2`, isolated({ env: { DOCKER_CONFIG: dir } }));
    assertIsTiny(image, (await walk(image)).files);
  });

  test("credentials from PORTCULLIS_REGISTRY_USERNAME and PORTCULLIS_REGISTRY_PASSWORD", async () => {
    const image = await openRegistryImage(`${reg.host}/private/tiny:2`, isolated({ env: { PORTCULLIS_REGISTRY_USERNAME: "alice", PORTCULLIS_REGISTRY_PASSWORD: "wonderland" } }));
    assertIsTiny(image, (await walk(image)).files);
  });

  test("a wrong password is an authentication error that says where the credentials came from", async () => {
    const opts = isolated({ env: { PORTCULLIS_REGISTRY_USERNAME: "alice", PORTCULLIS_REGISTRY_PASSWORD: "wrong" } });
    await assert.rejects(openRegistryImage(`${reg.host}/private/tiny:2`, opts), rejectsWith(/authentication failed \(401\) \(with credentials from environment PORTCULLIS_REGISTRY_USERNAME\)/));
  });

  test("no credentials at all is an authentication error too", async () => {
    await assert.rejects(openRegistryImage(`${reg.host}/private/tiny:2`, isolated()), rejectsWith(/authentication failed \(401\) \(anonymously: no credentials found for this registry\)/));
  });
});

describe("bearer token auth (registry enforcing JWTs from a token server)", () => {
  let reg: TestRegistry;
  let tokens: TokenServer;
  const alice = { PORTCULLIS_REGISTRY_USERNAME: "alice", PORTCULLIS_REGISTRY_PASSWORD: "wonderland" };
  before(async () => {
    tokens = await startTokenServer({ users: { alice: "wonderland" } });
    running.push(tokens);
    reg = await registry({ tokenAuth: tokens });
    await skopeoCopy(`oci-archive:${ociArchive}`, `docker://${reg.host}/team/tiny:2`, { creds: "alice:wonderland" });
  });

  test("fetches one token for the repository's pull scope and reuses it for manifest, config and layers", async () => {
    tokens.requests.length = 0;
    const image = await openRegistryImage(`${reg.host}/team/tiny:2`, isolated({ env: alice }));
    assertIsTiny(image, (await walk(image)).files);
    assert.deepEqual(tokens.requests, [{ account: "alice", scopes: ["repository:team/tiny:pull"], grant: "basic" }]);
  });

  test("accepts tokens given as access_token", async () => {
    tokens.field = "access_token";
    try {
      const image = await openRegistryImage(`${reg.host}/team/tiny:2`, isolated({ env: alice }));
      assertIsTiny(image, (await walk(image)).files);
    } finally {
      tokens.field = "token";
    }
  });

  test("trades a docker identity token for access tokens", async () => {
    tokens.addRefreshToken("refresh-alice", "alice");
    tokens.requests.length = 0;
    const dir = join(work, "docker-config-identity");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "config.json"), JSON.stringify({ auths: { [reg.host]: { identitytoken: "refresh-alice" } } }));
    const image = await openRegistryImage(`${reg.host}/team/tiny:2`, isolated({ env: { DOCKER_CONFIG: dir } }));
    assert.equal(image.imageId, expected.id);
    assert.deepEqual(tokens.requests, [{ account: "alice", scopes: ["repository:team/tiny:pull"], grant: "refresh_token" }]);
  });

  test("an anonymous token without pull rights ends in an authentication error", async () => {
    await assert.rejects(openRegistryImage(`${reg.host}/team/tiny:2`, isolated()), rejectsWith(/authentication failed \(401\) \(anonymously/));
  });

  test("a wrong password is refused by the token server", async () => {
    const opts = isolated({ env: { ...alice, PORTCULLIS_REGISTRY_PASSWORD: "wrong" } });
    await assert.rejects(openRegistryImage(`${reg.host}/team/tiny:2`, opts), rejectsWith(/authentication failed \(401\) at token server .*incorrect username or password/));
  });
});

describe("damaged registry storage", () => {
  let reg: TestRegistry;
  let manifest: { config: { digest: string }; layers: { digest: string }[] };
  let pushed: string;
  before(async () => {
    reg = await registry();
    pushed = await skopeoCopy(`oci-archive:${ociArchive}`, `docker://${reg.host}/tiny:2`);
    const res = await fetch(`${reg.url}/v2/tiny/manifests/2`, { headers: { accept: "application/vnd.oci.image.manifest.v1+json" } });
    manifest = (await res.json()) as typeof manifest;
  });

  test("a layer blob whose bytes changed fails the walk with a digest mismatch", async () => {
    // Change one byte of /etc/os-release inside the first layer and recompress: still a valid gzip tar, but not the blob the manifest names.
    const file = blobFile(reg, manifest.layers[0]!.digest);
    const tar = gunzipSync(readFileSync(file));
    const at = tar.indexOf(Buffer.from("PRETTY_NAME"));
    assert.ok(at > 0);
    tar[at] = "Q".charCodeAt(0);
    writeFileSync(file, gzipSync(tar));
    const image = await openRegistryImage(`${reg.host}/tiny:2`, isolated());
    await assert.rejects(walk(image), rejectsWith(/digest mismatch: the blob hashes to sha256:\w+, the manifest says/));
  });

  test("a config blob whose bytes changed is refused before any layer is read", async () => {
    const file = blobFile(reg, manifest.config.digest);
    const config = readFileSync(file, "utf8");
    const changed = config.replace("amd64", "arm64");
    assert.notEqual(changed, config);
    writeFileSync(file, changed);
    await assert.rejects(openRegistryImage(`${reg.host}/tiny:2`, isolated()), rejectsWith(/blob sha256:\w+: digest mismatch/));
  });

  test("a manifest whose bytes changed is refused when pulled by digest", async () => {
    const file = blobFile(reg, pushed);
    const text = readFileSync(file, "utf8");
    const changed = text.replace(/"size":\s*(\d+)/, (_m, n: string) => `"size": ${Number(n) + 1}`);
    assert.notEqual(changed, text);
    writeFileSync(file, changed);
    await assert.rejects(openRegistryImage(`${reg.host}/tiny@${pushed}`, isolated()), rejectsWith(/manifest: digest mismatch: the content hashes to/));
  });
});
