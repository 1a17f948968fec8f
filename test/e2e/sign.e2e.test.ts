/**
 * Signing and attesting against a real `docker-registry` on loopback, in
 * cosign's format: scan -> attest -> sign -> verify; openssl verifies the
 * signature over the exact payload bytes the registry stores; copies to
 * another repository keep verifying; moving the tag to another image, a
 * signature of another digest, an altered payload or another key do not;
 * a registry with the referrers API gets referrers too; and a policy's
 * signedBy rule sees what verify sees.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Verdict } from "../../src/policy/evaluate.js";
import { portcullis } from "../support/cli.js";
import { fixtures, type Fixtures } from "../support/fixtures.js";
import { startReferrersProxy, type ReferrersProxy } from "../support/referrers-proxy.js";
import { ensureTool, Podman, skopeoCopy, startRegistry, startTokenServer, type TestRegistry, type TokenServer } from "../support/registry.js";
import type { VerifyReport } from "../../src/cli/commands/verify.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "pcs-e2e-sign-"));
const PASSWORD = "correct horse battery staple";
const env = { PORTCULLIS_CACHE_DIR: join(work, "cache"), PORTCULLIS_KEY_PASSWORD: PASSWORD };
const db = join(work, "demo.db");
const key = join(work, "release.key");
const pub = join(work, "release.pub");
let fx: Fixtures;
let registry: TestRegistry;
let host: string;

const OCI = "application/vnd.oci.image.manifest.v1+json";

/** `skopeo copy` between two tags of the test registry, byte for byte. */
function copyTag(from: string, to: string): void {
  execFileSync("skopeo", ["copy", "--quiet", "--preserve-digests", "--src-tls-verify=false", "--dest-tls-verify=false", `docker://${from}`, `docker://${to}`], {
    env: { ...process.env, REGISTRY_AUTH_FILE: join(work, "no-auth.json") },
  });
}

async function manifestOf(repo: string, reference: string, at = host): Promise<{ digest: string; json: { layers: { digest: string; annotations?: Record<string, string> }[] } }> {
  const res = await fetch(`http://${at}/v2/${repo}/manifests/${reference}`, { headers: { accept: OCI } });
  assert.equal(res.status, 200, `${repo}:${reference}`);
  return { digest: res.headers.get("docker-content-digest")!, json: (await res.json()) as never };
}

async function blob(repo: string, digest: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(`http://${host}/v2/${repo}/blobs/${digest}`)).arrayBuffer());
}

async function verify(ref: string, keyFile = pub, ...extra: string[]): Promise<{ status: number; report: VerifyReport; stderr: string }> {
  const r = await portcullis(["verify", "--key", keyFile, "--insecure", "-f", "json", ...extra, ref], env);
  assert.ok(r.stdout, r.stderr);
  return { status: r.status, report: JSON.parse(r.stdout) as VerifyReport, stderr: r.stderr };
}

const sigTag = (digest: string) => `${digest.replace(":", "-")}.sig`;
const attTag = (digest: string) => `${digest.replace(":", "-")}.att`;

before(async () => {
  ensureTool("openssl", "openssl");
  fx = await fixtures();
  registry = await startRegistry();
  host = registry.host;
  const imported = await portcullis(["db", "import", "--db", db, "-q", join(root, "demo/advisories")], env);
  assert.equal(imported.status, 0, imported.stderr);
  const made = await portcullis(["keygen", "--output-key-prefix", join(work, "release")], env);
  assert.equal(made.status, 0, made.stderr);
  await skopeoCopy(`oci:${fx.bookworm.ociLayout}:${fx.bookworm.ociRef}`, `docker://${host}/shop/app:1`);
});
after(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe("portcullis keygen", () => {
  test("writes an encrypted private key (mode 0600) and refuses to overwrite it", async () => {
    assert.match(readFileSync(key, "utf8"), /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    assert.equal(execFileSync("stat", ["-c", "%a", key], { encoding: "utf8" }).trim(), "600");
    const again = await portcullis(["keygen", "--output-key-prefix", join(work, "release")], env);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /release\.key: exists already: keygen never overwrites a key/);
  });

  test("--force replaces both files, the private key with mode 0600 whatever the old file had", async () => {
    const prefix = join(work, "forced");
    writeFileSync(`${prefix}.key`, "old", { mode: 0o644 });
    writeFileSync(`${prefix}.pub`, "old");
    const r = await portcullis(["keygen", "--force", "--output-key-prefix", prefix], env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(execFileSync("stat", ["-c", "%a", `${prefix}.key`], { encoding: "utf8" }).trim(), "600");
    assert.match(readFileSync(`${prefix}.pub`, "utf8"), /^-----BEGIN PUBLIC KEY-----/);
  });

  test("refuses to run without a passphrase variable", async () => {
    const r = await portcullis(["keygen", "--output-key-prefix", join(work, "nopass")], { ...env, PORTCULLIS_KEY_PASSWORD: undefined });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /PORTCULLIS_KEY_PASSWORD: not set/);
  });
});

describe("scan -> attest -> sign -> verify", () => {
  let digest: string;
  const payloadFile = join(work, "payload.json");

  before(async () => {
    const report = join(work, "report.json");
    const scan = await portcullis(["image", `registry:${host}/shop/app:1`, "--insecure", "--db", db, "-f", "json", "-o", report, "-q"], env);
    assert.equal(scan.status, 0, scan.stderr);
    digest = (JSON.parse(readFileSync(report, "utf8")) as { target: { digest: string } }).target.digest;
    const attest = await portcullis(["attest", "--key", key, "--insecure", "--report", report, `${host}/shop/app:1`], env);
    assert.equal(attest.status, 0, attest.stderr);
    assert.match(attest.stdout, /^Attested .*: risk score \d+\/100/);
    const sign = await portcullis(["sign", "--key", key, "--insecure", "--output-payload", payloadFile, `${host}/shop/app:1`], env);
    assert.equal(sign.status, 0, sign.stderr);
    assert.match(sign.stdout, new RegExp(`Pushed signature in tag ${sigTag(digest)} \\(no referrers API on this registry\\)`));
  });

  test("verify accepts the signature and the fresh attestation, exit 0", async () => {
    const { status, report } = await verify(`${host}/shop/app:1`, pub, "--max-age", "1h");
    assert.equal(status, 0, JSON.stringify(report.problems));
    assert.equal(report.verified, true);
    assert.equal(report.digest, digest);
    assert.deepEqual(report.signatures.map((s) => [s.valid, s.dockerReference]), [[true, `${host}/shop/app`]]);
    assert.equal(report.attestations.length, 1);
    assert.equal(report.attestations[0]!.valid, true);
    assert.equal(report.attestations[0]!.predicateType, "https://portcullis.dev/attestations/scan/v1");
  });

  test("the stored layout is cosign's: simple-signing payload layer, signature annotation, DSSE attestation layer", async () => {
    const sig = await manifestOf("shop/app", sigTag(digest));
    const layer = sig.json.layers[0]!;
    assert.equal((sig.json as unknown as { mediaType: string }).mediaType, OCI);
    assert.deepEqual(Object.keys(layer.annotations ?? {}), ["dev.cosignproject.cosign/signature"]);
    const payload = JSON.parse((await blob("shop/app", layer.digest)).toString("utf8")) as { critical: Record<string, Record<string, string> | string> };
    assert.deepEqual(payload.critical, { identity: { "docker-reference": `${host}/shop/app` }, image: { "docker-manifest-digest": digest }, type: "cosign container image signature" });
    const att = await manifestOf("shop/app", attTag(digest));
    assert.equal(att.json.layers[0]!.annotations?.predicateType, "https://portcullis.dev/attestations/scan/v1");
    const envelope = JSON.parse((await blob("shop/app", att.json.layers[0]!.digest)).toString("utf8")) as { payloadType: string; payload: string };
    assert.equal(envelope.payloadType, "application/vnd.in-toto+json");
    const statement = JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")) as { subject: { digest: { sha256: string } }[]; predicate: { summary: unknown; riskScore: { score: number } } };
    assert.equal(`sha256:${statement.subject[0]!.digest.sha256}`, digest);
    assert.ok(statement.predicate.summary && typeof statement.predicate.riskScore.score === "number");
  });

  test("openssl dgst -sha256 -verify accepts the signature over the exact payload bytes in the registry", async () => {
    const sig = await manifestOf("shop/app", sigTag(digest));
    const layer = sig.json.layers[0]!;
    const stored = await blob("shop/app", layer.digest);
    assert.deepEqual(stored, readFileSync(payloadFile), "--output-payload wrote the stored bytes");
    writeFileSync(join(work, "stored-payload"), stored);
    writeFileSync(join(work, "stored.sig"), Buffer.from(layer.annotations!["dev.cosignproject.cosign/signature"]!, "base64"));
    const out = execFileSync("openssl", ["dgst", "-sha256", "-verify", pub, "-signature", join(work, "stored.sig"), join(work, "stored-payload")], { encoding: "utf8" });
    assert.equal(out.trim(), "Verified OK");
    writeFileSync(join(work, "altered-payload"), Buffer.concat([stored, Buffer.from(" ")]));
    assert.throws(() => execFileSync("openssl", ["dgst", "-sha256", "-verify", pub, "-signature", join(work, "stored.sig"), join(work, "altered-payload")], { stdio: "pipe" }));
  });

  test("signing again with the same key adds nothing; another key adds a second signature", async () => {
    const again = await portcullis(["sign", "--key", key, "--insecure", `${host}/shop/app:1`], env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Already present: signature in tag/);
    assert.equal((await manifestOf("shop/app", sigTag(digest))).json.layers.length, 1);
    copyTag(`${host}/shop/app:1`, `${host}/twokeys/app:1`);
    copyTag(`${host}/shop/app:${sigTag(digest)}`, `${host}/twokeys/app:${sigTag(digest)}`);
    const made = await portcullis(["keygen", "--output-key-prefix", join(work, "second")], env);
    assert.equal(made.status, 0, made.stderr);
    const second = await portcullis(["sign", "--key", join(work, "second.key"), "--insecure", `${host}/twokeys/app:1`], env);
    assert.match(second.stdout, /^Pushed signature/m);
    assert.equal((await manifestOf("twokeys/app", sigTag(digest))).json.layers.length, 2);
    const { status, report } = await verify(`${host}/twokeys/app:1`, join(work, "second.pub"));
    assert.equal(status, 0);
    assert.deepEqual(report.signatures.map((x) => x.valid), [false, true]);
  });

  test("claims signed with -a are checked by verify -a", async () => {
    copyTag(`${host}/shop/app:1`, `${host}/claims/app:1`);
    const sign = await portcullis(["sign", "--key", key, "--insecure", "-a", "pipeline=build-1842", "-a", "git=4f2a9c1", `${host}/claims/app:1`], env);
    assert.equal(sign.status, 0, sign.stderr);
    const match = await verify(`${host}/claims/app:1`, pub, "-a", "pipeline=build-1842");
    assert.equal(match.status, 0);
    assert.deepEqual(match.report.signatures[0]!.annotations, { pipeline: "build-1842", git: "4f2a9c1" });
    const other = await verify(`${host}/claims/app:1`, pub, "-a", "pipeline=build-9");
    assert.equal(other.status, 1);
    assert.equal(other.report.signatures[0]!.reason, 'annotation pipeline=build-9 required, the signature has "build-1842"');
    const bad = await portcullis(["sign", "--key", key, "--insecure", "-a", "novalue", `${host}/claims/app:1`], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /expected key=value, got "novalue"/);
  });

  test("copying the image with its .sig and .att tags to another repository keeps verification working", async () => {
    for (const tag of ["1", sigTag(digest), attTag(digest)]) copyTag(`${host}/shop/app:${tag}`, `${host}/mirror/app:${tag}`);
    const { status, report } = await verify(`${host}/mirror/app:1`, pub, "--max-age", "1h");
    assert.equal(status, 0, JSON.stringify(report));
    assert.equal(report.signatures[0]!.dockerReference, `${host}/shop/app`, "signed as the original repository");
  });

  test("pushing a different image under the same tag makes verification fail", async () => {
    copyTag(`${host}/shop/app:1`, `${host}/moved/app:1`);
    copyTag(`${host}/shop/app:${sigTag(digest)}`, `${host}/moved/app:${sigTag(digest)}`);
    assert.equal((await verify(`${host}/moved/app:1`)).status, 0);
    const other = await skopeoCopy(`docker-archive:${fx.node.dockerArchive}`, `docker://${host}/moved/app:1`);
    assert.notEqual(other, digest);
    const { status, report } = await verify(`${host}/moved/app:1`);
    assert.equal(status, 1);
    assert.equal(report.digest, other);
    assert.deepEqual(report.problems, [`no signatures for ${other.slice(0, 19)}`]);
  });

  test("a signature of another digest put under this image's tag is rejected: the payload binds the digest", async () => {
    const other = await skopeoCopy(`docker-archive:${fx.node.dockerArchive}`, `docker://${host}/swapped/app:1`);
    copyTag(`${host}/shop/app:${sigTag(digest)}`, `${host}/swapped/app:${sigTag(other)}`);
    const { status, report } = await verify(`${host}/swapped/app:1`);
    assert.equal(status, 1);
    assert.match(report.signatures[0]!.reason!, /^signed for another image: the payload names sha256:[0-9a-f]{12}, this image is sha256:[0-9a-f]{12}/);
  });

  test("another key is rejected with the reason", async () => {
    const made = await portcullis(["keygen", "--output-key-prefix", join(work, "stranger")], env);
    assert.equal(made.status, 0, made.stderr);
    const { status, report } = await verify(`${host}/shop/app:1`, join(work, "stranger.pub"));
    assert.equal(status, 1);
    assert.match(report.signatures[0]!.reason!, /does not verify with this key/);
    assert.match(report.problems[0]!, /none of the 1 signatures is valid for this image and key/);
  });

  test("a payload altered in the registry is rejected", async () => {
    copyTag(`${host}/shop/app:1`, `${host}/tampered/app:1`);
    const sig = await manifestOf("shop/app", sigTag(digest));
    const layer = sig.json.layers[0]!;
    const altered = Buffer.from((await blob("shop/app", layer.digest)).toString("utf8").replace(`"optional":null`, `"optional":{"approved":"yes"}`));
    const { RegistryClient } = await import("../../src/image/registry/client.js");
    const { parseReference } = await import("../../src/image/index.js");
    const { writeItem } = await import("../../src/sign/store.js");
    const client = new RegistryClient(parseReference(`${host}/tampered/app:1`), { insecure: true, push: true });
    const subject = await client.manifest("1");
    await writeItem(client, { digest: subject.digest, mediaType: OCI, size: subject.bytes.length }, "signature", altered, layer.annotations!);
    const { status, report } = await verify(`${host}/tampered/app:1`);
    assert.equal(status, 1);
    assert.match(report.signatures[0]!.reason!, /the payload was altered/);
  });
});

describe("keys made by openssl", () => {
  test("sign with an openssl EC key and verify with its openssl public key", async () => {
    const ecKey = join(work, "ec.key");
    const ecPub = join(work, "ec.pub");
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ecKey]);
    execFileSync("openssl", ["ec", "-in", ecKey, "-pubout", "-out", ecPub], { stdio: "ignore" });
    copyTag(`${host}/shop/app:1`, `${host}/openssl/app:1`);
    const sign = await portcullis(["sign", "--key", ecKey, "--insecure", `${host}/openssl/app:1`], { ...env, PORTCULLIS_KEY_PASSWORD: undefined });
    assert.equal(sign.status, 0, sign.stderr);
    const { status, report } = await verify(`${host}/openssl/app:1`, ecPub);
    assert.equal(status, 0, JSON.stringify(report));
  });
});

describe("a registry with the OCI 1.1 referrers API", () => {
  let proxy: ReferrersProxy;
  before(async () => {
    proxy = await startReferrersProxy(registry);
  });
  after(() => proxy?.stop());

  test("gets each signature and attestation as a referrer too, and verify finds them without the tags", async () => {
    copyTag(`${host}/shop/app:1`, `${host}/refs/app:1`);
    const ref = `${proxy.host}/refs/app:1`;
    const sign = await portcullis(["sign", "--key", key, "--insecure", ref], env);
    assert.equal(sign.status, 0, sign.stderr);
    assert.match(sign.stdout, /in tag sha256-[0-9a-f]{64}\.sig and referrer sha256:[0-9a-f]{12}/);
    const attest = await portcullis(["attest", "--key", key, "--insecure", "--db", db, "-q", ref], env);
    assert.equal(attest.status, 0, attest.stderr);
    const digest = (await manifestOf("refs/app", "1")).digest;
    const listed = proxy.referrers.get(`refs/app@${digest}`) ?? [];
    assert.deepEqual(listed.map((d) => (d as { artifactType: string }).artifactType).sort(), ["application/vnd.dev.cosign.artifact.sig.v1+json", "application/vnd.dsse.envelope.v1+json"]);
    const again = await portcullis(["sign", "--key", key, "--insecure", ref], env);
    assert.equal(again.stdout.split("\n")[1], sign.stdout.split("\n")[1]!.replace("Pushed", "Already present:"), "the same referrer, not a second one");
    assert.equal(proxy.referrers.get(`refs/app@${digest}`)!.length, 2);
    // Remove the tag fallbacks: only the referrers are left.
    for (const tag of [sigTag(digest), attTag(digest)]) {
      const m = await manifestOf("refs/app", tag);
      assert.equal((await fetch(`http://${host}/v2/refs/app/manifests/${m.digest}`, { method: "DELETE" })).status, 202);
    }
    const { status, report } = await verify(ref, pub, "--max-age", "1h");
    assert.equal(status, 0, JSON.stringify(report));
    assert.match(report.signatures[0]!.source, /^referrer sha256:/);
    assert.match(report.attestations[0]!.source, /^referrer sha256:/);
  });
});

describe("a registry behind bearer tokens", () => {
  let tokens: TokenServer;
  let secured: TestRegistry;
  const isolated = { ...env, REGISTRY_AUTH_FILE: join(work, "no-auth.json"), DOCKER_CONFIG: join(work, "no-docker"), HOME: work };
  before(async () => {
    tokens = await startTokenServer({ users: { ci: "s3cret" }, anonymousPull: true });
    secured = await startRegistry({ tokenAuth: tokens });
    await skopeoCopy(`oci:${fx.bookworm.ociLayout}:${fx.bookworm.ociRef}`, `docker://${secured.host}/shop/app:1`, { creds: "ci:s3cret" });
  });
  after(async () => {
    await secured?.stop();
    await tokens?.stop();
  });

  test("sign asks for push on the repository with the user's credentials; verify needs only pull", async () => {
    const anonymous = await portcullis(["sign", "--key", key, "--insecure", `${secured.host}/shop/app:1`], isolated);
    assert.equal(anonymous.status, 1);
    assert.match(anonymous.stderr, /^portcullis: registry:127\.0\.0\.1:\d+\/shop\/app:1 blob sha256:[0-9a-f]{12}: authentication failed \(401\)/);
    tokens.requests.length = 0;
    const signed = await portcullis(["sign", "--key", key, "--insecure", `${secured.host}/shop/app:1`], { ...isolated, PORTCULLIS_REGISTRY_USERNAME: "ci", PORTCULLIS_REGISTRY_PASSWORD: "s3cret" });
    assert.equal(signed.status, 0, signed.stderr);
    assert.deepEqual([...new Set(tokens.requests.map((r) => `${r.account} ${r.scopes.join(" ")}`))], ["ci repository:shop/app:pull,push"]);
    const verified = await portcullis(["verify", "--key", pub, "--insecure", "-f", "json", `${secured.host}/shop/app:1`], isolated);
    assert.equal(verified.status, 0, verified.stdout);
  });
});

describe("a policy's signedBy rule", () => {
  test("is satisfied at promote:prod by the signature and attestation verify accepts, and not without them", async () => {
    const policy = join(work, "prod.yaml");
    writeFileSync(
      policy,
      [
        "apiVersion: portcullis.dev/v1",
        "kind: Policy",
        "metadata: {name: prod}",
        "rules:",
        "  - {name: signed, type: signedBy, keys: [release], attestation: true, maxAge: 7d, maxRiskScore: 60, stages: ['promote:*']}",
        "keys:",
        `  release: {publicKey: ${pub}}`,
        "",
      ].join("\n"),
    );
    const gate = (ref: string) => portcullis(["gate", "--stage", "promote:prod", "--policy", policy, "--insecure", "--db", db, "-f", "json", "-q", ref], env);
    const signed = await gate(`registry:${host}/shop/app:1`);
    assert.equal(signed.status, 0, signed.stdout);
    assert.deepEqual((JSON.parse(signed.stdout) as Verdict).denied, []);
    const unsigned = await gate(`registry:${host}/moved/app:1`);
    assert.equal(unsigned.status, 1);
    const verdict = JSON.parse(unsigned.stdout) as Verdict;
    assert.deepEqual(verdict.rules[0]!.reasons, ["no verified signature by release", "no verified attestation by release"]);
  });

  test("finds no signatures for an image outside a registry, and the verdict says why", async () => {
    const policy = join(work, "prod.yaml");
    const r = await portcullis(["gate", "--stage", "promote:prod", "--policy", policy, "--db", db, "-f", "json", "-q", `docker-archive:${fx.node.dockerArchive}`], env);
    assert.equal(r.status, 1);
    assert.match((JSON.parse(r.stdout) as Verdict).warnings.join("\n"), /signatures not looked up: docker-archive:.* is not an image in a registry/);
  });
});

describe("a multi-platform image signed at its index", () => {
  const podman = new Podman();
  after(() => podman.remove());

  test("verify checks the index; a policy judging the linux/amd64 image accepts the index's signature", async () => {
    await podman.importFiles("localhost/pcs-sign/multi:amd64", ["/etc/os-release"]);
    await podman.importFiles("localhost/pcs-sign/multi:arm64", ["/etc/os-release"], { arch: "arm64", variant: "v8" });
    await podman.run("manifest", "create", "localhost/pcs-sign/multi:1");
    for (const arch of ["amd64", "arm64"]) await podman.run("manifest", "add", "localhost/pcs-sign/multi:1", `containers-storage:localhost/pcs-sign/multi:${arch}`);
    await podman.run("manifest", "push", "--all", "--tls-verify=false", "localhost/pcs-sign/multi:1", `docker://${host}/multi/app:1`);
    const index = await fetch(`http://${host}/v2/multi/app/manifests/1`, { headers: { accept: "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json" } });
    const indexDigest = index.headers.get("docker-content-digest")!;

    const sign = await portcullis(["sign", "--key", key, "--insecure", `${host}/multi/app:1`], env);
    assert.equal(sign.status, 0, sign.stderr);
    assert.match(sign.stdout, new RegExp(`^Signed ${host}/multi/app@${indexDigest}$`, "m"));
    assert.equal((await verify(`${host}/multi/app:1`)).status, 0);
    const attest = await portcullis(["attest", "--key", key, "--insecure", "--db", db, "-q", `${host}/multi/app:1`], env);
    assert.equal(attest.status, 0, attest.stderr);
    const attested = await verify(`${host}/multi/app:1`, pub, "--max-age", "1h");
    assert.equal(attested.status, 0, JSON.stringify(attested.report.problems));
    const att = await manifestOf("multi/app", attTag(indexDigest));
    const envelope = JSON.parse((await blob("multi/app", att.json.layers[0]!.digest)).toString("utf8")) as { payload: string };
    const predicate = (JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")) as { predicate: { image: { digest: string; scanned: { platform: string } } } }).predicate;
    assert.equal(predicate.image.digest, indexDigest);
    assert.equal(predicate.image.scanned.platform, "linux/amd64");

    const report = JSON.parse((await portcullis(["image", `registry:${host}/multi/app:1`, "--insecure", "--db", db, "-f", "json", "-q"], env)).stdout) as { target: { digest: string; indexDigest: string; platform: string; reference: string } };
    assert.equal(report.target.indexDigest, indexDigest);
    assert.notEqual(report.target.digest, indexDigest);
    assert.equal(report.target.platform, "linux/amd64");
    const policy = join(work, "signed.yaml");
    writeFileSync(policy, ["apiVersion: portcullis.dev/v1", "kind: Policy", "metadata: {name: signed}", "rules:", "  - {name: signed, type: signedBy, keys: [release]}", "keys:", `  release: {publicKey: ${pub}}`, ""].join("\n"));
    const gate = await portcullis(["gate", "--stage", "admission", "--policy", policy, "--insecure", "--db", db, "-f", "json", "-q", `registry:${host}/multi/app:1`], env);
    assert.equal(gate.status, 0, gate.stdout);

    // A report that pairs an unsigned manifest with that signed index: the index does not list it.
    const unsigned = await skopeoCopy(`oci:${fx.bookworm.ociLayout}:${fx.bookworm.ociRef}`, `docker://${host}/multi/app:other`);
    const forged = join(work, "forged-report.json");
    writeFileSync(forged, JSON.stringify({ ...report, target: { ...report.target, digest: unsigned } }));
    const refused = await portcullis(["gate", "--stage", "admission", "--policy", policy, "--insecure", "-f", "json", forged], env);
    assert.equal(refused.status, 1, refused.stdout);
    assert.match((JSON.parse(refused.stdout) as Verdict).warnings.join("\n"), /the index sha256:[0-9a-f]{12} does not list sha256:[0-9a-f]{12}: its signatures do not count/);
  });
});

describe("bad input", () => {
  test("a target outside a registry, a missing key file", async () => {
    const archive = await portcullis(["sign", "--key", key, `docker-archive:${fx.node.dockerArchive}`], env);
    assert.equal(archive.status, 1);
    assert.match(archive.stderr, /signatures live in a registry/);
    const missing = await portcullis(["verify", "--key", join(work, "nope.pub"), "--insecure", `${host}/shop/app:1`], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /nope\.pub: cannot read the key \(ENOENT\)/);
  });
});
