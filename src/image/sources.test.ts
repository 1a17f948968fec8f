/**
 * The archive and layout sources against images made by the real tools:
 * podman import/save and skopeo copy. Every source must give the same layers.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDockerArchive, openOciArchive, openOciDir, openRootfs, type OpenedImage } from "./index.js";

const work = mkdtempSync(join(tmpdir(), "pcs-sources-"));
const rootfs = join(work, "rootfs");
const name = `localhost/portcullis-test/sources:${process.pid}`;
const dockerArchive = join(work, "image.docker.tar");
const ociArchive = join(work, "image.oci.tar");
const ociDir = join(work, "layout");

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

before(() => {
  // A small real root filesystem: the host's own os-release and dpkg database.
  mkdirSync(join(rootfs, "etc"), { recursive: true });
  mkdirSync(join(rootfs, "var/lib/dpkg"), { recursive: true });
  cpSync("/etc/os-release", join(rootfs, "etc/os-release"), { dereference: true });
  cpSync("/var/lib/dpkg/status", join(rootfs, "var/lib/dpkg/status"));
  const tarball = join(work, "rootfs.tar");
  run("tar", ["-C", rootfs, "-cf", tarball, "."]);
  run("podman", ["import", tarball, name]);
  run("podman", ["save", "--format", "docker-archive", "-o", dockerArchive, name]);
  run("podman", ["save", "--format", "oci-archive", "-o", ociArchive, name]);
  run("skopeo", ["copy", `oci-archive:${ociArchive}`, `oci:${ociDir}:v1`]);
  run("podman", ["rmi", name]);
});

async function files(image: OpenedImage): Promise<string[]> {
  const out: string[] = [];
  for (const layer of image.layers) for await (const e of layer.entries()) if (e.type === "file") out.push(e.path);
  return out.sort();
}

test("docker-archive, oci-archive and an OCI layout of one image give the same layers and files", async () => {
  const a = await openDockerArchive(dockerArchive, "docker-archive:x");
  const b = await openOciArchive(ociArchive, undefined, "oci-archive:x");
  const c = await openOciDir(ociDir, "v1", "oci:x");
  assert.equal(a.layers.length, 1);
  assert.deepEqual(b.layers.map((l) => l.diffId), a.layers.map((l) => l.diffId));
  assert.deepEqual(c.layers.map((l) => l.diffId), a.layers.map((l) => l.diffId));
  assert.ok(a.names.some((n) => n.endsWith(`sources:${process.pid}`)), `names: ${a.names.join(",")}`);
  const expected = ["/etc/os-release", "/var/lib/dpkg/status"];
  assert.deepEqual(await files(a), expected);
  assert.deepEqual(await files(b), expected);
  assert.deepEqual(await files(c), expected);
  assert.deepEqual(await files(await openRootfs(rootfs, "dir:x")), expected);
});

test("an OCI layout asked for a tag it does not have lists the tags it has", async () => {
  await assert.rejects(openOciDir(ociDir, "nope", "oci:x"), /no image tagged "nope" \(tags: v1\)/);
});

test("a docker-archive opened as an OCI layout, and the reverse, say which transport to use", async () => {
  await assert.rejects(openOciArchive(dockerArchive, undefined, "x"), /looks like a docker-archive/);
  await assert.rejects(openDockerArchive(ociArchive, "x"), /looks like an OCI archive/);
});

test("a layer blob changed on disk fails its digest check", async () => {
  const copy = join(work, "tampered");
  cpSync(ociDir, copy, { recursive: true });
  const index = JSON.parse(readFileSync(join(copy, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(join(copy, "blobs/sha256", index.manifests[0]!.digest.slice(7)), "utf8")) as { layers: { digest: string }[] };
  const blob = join(copy, "blobs/sha256", manifest.layers[0]!.digest.slice(7));
  const bytes = readFileSync(blob);
  // Damage near the start, the middle and the end: whichever the reader trips on first, the cause is the digest.
  for (const at of [64, Math.floor(bytes.length / 2), bytes.length - 100]) bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(blob, bytes);
  const image = await openOciDir(copy, "v1", "oci:x");
  await assert.rejects(files(image), /layer sha256:[0-9a-f]{12}: digest mismatch: the blob hashes to sha256:[0-9a-f]{12}, the manifest says/);
});

test("a manifest naming an unknown layer media type is refused with the JSON path", async () => {
  const copy = join(work, "mediatype");
  cpSync(ociDir, copy, { recursive: true });
  const indexPath = join(copy, "index.json");
  const index = JSON.parse(readFileSync(indexPath, "utf8")) as { manifests: { digest: string; size: number }[] };
  const manifest = JSON.parse(readFileSync(join(copy, "blobs/sha256", index.manifests[0]!.digest.slice(7)), "utf8")) as { layers: { mediaType: string }[] };
  manifest.layers[0]!.mediaType = "application/vnd.example.weird";
  const text = JSON.stringify(manifest);
  const hex = createHash("sha256").update(text).digest("hex");
  writeFileSync(join(copy, "blobs/sha256", hex), text);
  index.manifests[0]!.digest = `sha256:${hex}`;
  index.manifests[0]!.size = Buffer.byteLength(text);
  writeFileSync(indexPath, JSON.stringify(index));
  await assert.rejects(openOciDir(copy, "v1", "oci:x"), /\$\.layers\[0\]\.mediaType: unsupported layer media type "application\/vnd\.example\.weird"/);
});

test("a file that is not an archive is named in the error", async () => {
  const junk = join(work, "junk.tar");
  writeFileSync(junk, "this is not a tar file".repeat(50));
  await assert.rejects(openDockerArchive(junk, "x"), new RegExp(`${junk} offset 0: not a tar header`));
});
