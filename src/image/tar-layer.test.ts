import { describe, it, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, symlinkSync, linkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pack } from "tar-stream";
import { tarLayer } from "./tar-layer.js";
import type { LayerEntry } from "./model.js";

const work = mkdtempSync(join(tmpdir(), "pcs-tar-layer-"));

/** A real layer made with GNU tar: a file, a whiteout, an opaque marker, a symlink and a hard link. */
function makeLayerDir(): string {
  const root = join(work, "root");
  mkdirSync(join(root, "etc"), { recursive: true });
  mkdirSync(join(root, "usr/share"), { recursive: true });
  writeFileSync(join(root, "etc/os-release"), 'ID=debian\nVERSION_ID="12"\n');
  writeFileSync(join(root, "usr/share/.wh.doc"), "");
  writeFileSync(join(root, "etc/.wh..wh..opq"), "");
  symlinkSync("../etc/os-release", join(root, "usr/os-release"));
  linkSync(join(root, "etc/os-release"), join(root, "etc/os-release.hard"));
  return root;
}

const root = makeLayerDir();
const plain = join(work, "layer.tar");
execFileSync("tar", ["--sort=name", "-C", root, "-cf", plain, "."]);
const gz = join(work, "layer.tar.gz");
execFileSync("sh", ["-c", `gzip -c < "${plain}" > "${gz}"`]);
const zst = join(work, "layer.tar.zst");
execFileSync("zstd", ["-q", "-f", plain, "-o", zst]);

const sha = (file: string) => "sha256:" + createHash("sha256").update(readFileSync(file)).digest("hex");
const diffId = sha(plain);

async function collect(file: string, digest = sha(file), expectDiff = diffId): Promise<{ entries: LayerEntry[]; bodies: Map<string, string> }> {
  const layer = tarLayer({ digest, diffId: expectDiff }, async () => createReadStream(file));
  const entries: LayerEntry[] = [];
  const bodies = new Map<string, string>();
  for await (const e of layer.entries()) {
    entries.push(e);
    if (e.path === "/etc/os-release" && e.open) {
      let text = "";
      for await (const chunk of e.open()) text += chunk;
      bodies.set(e.path, text);
    }
  }
  return { entries, bodies };
}

for (const [kind, file] of [["uncompressed", plain], ["gzip", gz], ["zstd", zst]] as const) {
  test(`a ${kind} layer yields normalised entries, whiteouts, opaque markers and links`, async () => {
    const { entries, bodies } = await collect(file);
    const byPath = (type: string) => entries.filter((e) => e.type === type).map((e) => e.path);
    assert.deepEqual(byPath("whiteout"), ["/usr/share/doc"]);
    assert.deepEqual(byPath("opaque"), ["/etc"]);
    assert.equal(entries.find((e) => e.type === "symlink")?.linkTarget, "../etc/os-release");
    const hard = entries.find((e) => e.type === "hardlink");
    assert.ok(hard, "the hard link is reported");
    assert.ok(["/etc/os-release", "/etc/os-release.hard"].includes(hard.linkTarget!), "hard link target is an absolute image path");
    assert.match(bodies.get("/etc/os-release") ?? "", /ID=debian/);
  });
}

test("a blob that does not hash to the manifest digest is an error naming both digests", async () => {
  const wrong = "sha256:" + "0".repeat(64);
  await assert.rejects(collect(gz, wrong), /digest mismatch: the blob hashes to sha256:[0-9a-f]{12}, the manifest says sha256:000000000000/);
});

test("an uncompressed tar that does not match the config's diff id is an error", async () => {
  const wrongDiff = "sha256:" + "1".repeat(64);
  await assert.rejects(collect(gz, sha(gz), wrongDiff), /diff id mismatch/);
});

test("a truncated layer is an error, not a short inventory", async () => {
  const big = join(work, "big");
  mkdirSync(big, { recursive: true });
  // Real, incompressible content so the truncation lands inside the data.
  execFileSync("sh", ["-c", `head -c 200000 /dev/urandom > "${join(big, "random.bin")}"`]);
  const full = join(work, "big.tar.gz");
  execFileSync("tar", ["-C", big, "-czf", full, "."]);
  const cut = join(work, "cut.tar.gz");
  writeFileSync(cut, readFileSync(full).subarray(0, 50000));
  await assert.rejects(collect(cut, sha(cut), undefined as unknown as string), (err: Error) => {
    assert.match(err.message, /layer sha256:[0-9a-f]{12}/);
    assert.match(err.message, /corrupt compressed data|truncated/);
    return true;
  });
});

test("an entry that climbs out of the image root is rejected", async () => {
  const p = pack();
  p.entry({ name: "etc/ok", type: "file" }, "fine");
  p.entry({ name: "../../etc/passwd", type: "file" }, "root::0:0::/:/bin/sh\n");
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(Buffer.from(c as Uint8Array));
  const file = join(work, "evil.tar");
  writeFileSync(file, Buffer.concat(chunks));
  await assert.rejects(collect(file, sha(file), undefined as unknown as string), /entry 2 "\.\.\/\.\.\/etc\/passwd": path escapes the image root/);
});

async function packed(entries: { name: string; body?: string; type?: "file" | "directory" }[]): Promise<string> {
  const p = pack();
  for (const e of entries) p.entry({ name: e.name, type: e.type ?? "file" }, e.body ?? "");
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(Buffer.from(c as Uint8Array));
  const file = join(work, `packed-${entries.length}-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

async function drain(file: string, limits: Parameters<typeof tarLayer>[2]): Promise<number> {
  const layer = tarLayer({ digest: sha(file) }, async () => createReadStream(file), limits);
  let n = 0;
  for await (const _ of layer.entries()) n++;
  return n;
}

test("limits: entry count, path depth, path length and uncompressed size stop hostile layers", async () => {
  const many = await packed(Array.from({ length: 50 }, (_, i) => ({ name: `f${i}` })));
  assert.equal(await drain(many, { maxEntries: 50 }), 50);
  await assert.rejects(drain(many, { maxEntries: 49 }), /entry 50 "f49": more than 49 entries/);
  const deep = await packed([{ name: `${"d/".repeat(30)}file` }]);
  await assert.rejects(drain(deep, { maxPathDepth: 16 }), /path nested deeper than 16 levels/);
  const long = await packed([{ name: `${"x".repeat(300)}/y` }]);
  await assert.rejects(drain(long, { maxPathLength: 200 }), /entry 1: path longer than 200 bytes/);
  const big = await packed([{ name: "big", body: "z".repeat(100_000) }]);
  await assert.rejects(drain(big, { maxLayerBytes: 50_000 }), /uncompressed size exceeds the limit of 50000 bytes/);
});

test("a hard link whose target climbs out of the image root is rejected", async () => {
  const p = pack();
  p.entry({ name: "etc/link", type: "link", linkname: "../../etc/shadow" });
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(Buffer.from(c as Uint8Array));
  const file = join(work, "hardlink.tar");
  writeFileSync(file, Buffer.concat(chunks));
  await assert.rejects(drain(file, {}), /hard link target "\.\.\/\.\.\/etc\/shadow" escapes the image root/);
});

describe("a plain tar read straight from a local file (docker save, an OCI layout)", () => {
  /** A layer of random files from a few bytes to several MiB, so bodies straddle the reader's 1 MiB chunks. */
  const sizes = [5, 700_000, 1_048_576, 3_500_000, 12, 2_100_000, 0, 999_999];
  const tree = join(work, "ranged");
  mkdirSync(tree, { recursive: true });
  sizes.forEach((n, i) => execFileSync("sh", ["-c", `head -c ${n} /dev/urandom > "${join(tree, `f${i}.bin`)}"`]));
  const layerTar = join(work, "ranged.tar");
  execFileSync("tar", ["--sort=name", "-C", tree, "-cf", layerTar, "."]);
  const bytes = readFileSync(layerTar);
  // The layer sits inside a bigger file, as in a docker-archive.
  const before = Buffer.from("x".repeat(1536));
  const archive = join(work, "ranged-archive.bin");
  writeFileSync(archive, Buffer.concat([before, bytes, Buffer.from("trailing member")]));
  const range = { file: archive, start: before.length, size: bytes.length };

  /** Every body, kept as copies of the chunks the walk handed out, joined only after the whole walk. */
  async function walk(desc: Partial<Parameters<typeof tarLayer>[0]>): Promise<Map<string, Buffer>> {
    const layer = tarLayer({ digest: sha(layerTar), diffId: sha(layerTar), file: async () => range, ...desc }, async () => createReadStream(layerTar));
    const kept = new Map<string, Buffer[]>();
    for await (const e of layer.entries()) {
      if (!e.open) continue;
      const parts: Buffer[] = [];
      for await (const chunk of e.open()) parts.push(Buffer.from(chunk));
      kept.set(e.path, parts);
    }
    return new Map([...kept].map(([path, parts]) => [path, Buffer.concat(parts)]));
  }

  it("hands out every body intact, in chunks that stay valid until the next is asked for", async () => {
    const bodies = await walk({});
    assert.equal(bodies.size, sizes.length);
    sizes.forEach((_, i) => assert.ok(bodies.get(`/f${i}.bin`)!.equals(readFileSync(join(tree, `f${i}.bin`))), `f${i}.bin`));
  });

  it("verifies the digest over exactly the range", async () => {
    const wrong = "sha256:" + "2".repeat(64);
    await assert.rejects(walk({ digest: wrong, diffId: wrong }), /digest mismatch: the blob hashes to sha256:[0-9a-f]{12}, the manifest says sha256:222222222222/);
    await assert.rejects(walk({ diffId: wrong }), /diff id mismatch/);
  });

  it("reports a file that ends before the range does, with the offset", async () => {
    const short = join(work, "ranged-short.bin");
    writeFileSync(short, Buffer.concat([before, bytes.subarray(0, 2_500_000)]));
    await assert.rejects(walk({ file: async () => ({ ...range, file: short }) }), /layer sha256:[0-9a-f]{12} at offset 2500000: the file ends early: expected \d+ bytes/);
  });

  it("stops reading and lets go of the file when the caller stops early", async () => {
    const layer = tarLayer({ digest: sha(layerTar), file: async () => range }, async () => createReadStream(layerTar));
    for await (const e of layer.entries()) if (e.path === "/f1.bin") break;
    const again = await walk({});
    assert.equal(again.size, sizes.length);
  });

  it("falls back to the stream for a compressed blob in a local file", async () => {
    const layer = tarLayer({ digest: sha(gz), diffId, file: async () => ({ file: gz, start: 0, size: readFileSync(gz).length }) }, async () => createReadStream(gz));
    const paths: string[] = [];
    for await (const e of layer.entries()) paths.push(e.path);
    assert.ok(paths.includes("/etc/os-release"));
  });
});
