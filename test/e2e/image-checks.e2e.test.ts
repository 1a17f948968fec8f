/**
 * `portcullis image` on the real images for their own risks: the bookworm
 * image gets the hardening findings its rootfs explains (root user, shells,
 * package managers, setuid programs) with the bytes the rootfs says; the
 * secrets image has secrets planted in a layer file, a file a later layer
 * deletes, the environment and the build history — every one is found, and
 * no output format of any command prints one in full.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Finding } from "../../src/common/index.js";
import type { ImageReport } from "../../src/scan/report.js";
import { portcullis } from "../support/cli.js";
import { fixtures, readTsv, type Fixtures } from "../support/fixtures.js";

const advisories = fileURLToPath(new URL("../../demo/advisories/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "pcs-e2e-image-checks-"));
const env = { PORTCULLIS_CACHE_DIR: join(work, "cache") };
let fx: Fixtures;

after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  fx = await fixtures();
});

async function imageReport(target: string, ...extra: string[]): Promise<ImageReport> {
  const r = await portcullis(["image", target, "--scanners", "misconfig,secret", "-f", "json", "-q", ...extra], env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ImageReport;
}

/** Bytes of the regular files under `dir` in the rootfs, each inode once (as tar stores hard links). */
function bytesUnder(root: string, dir: string, seen = new Set<number>()): number {
  let sum = 0;
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sum += bytesUnder(root, path, seen);
    else if (entry.isFile()) {
      const st = lstatSync(join(root, path));
      if (!seen.has(st.ino)) sum += st.size;
      seen.add(st.ino);
    }
  }
  return sum;
}

describe("image checks on the real bookworm image", () => {
  let report: ImageReport;
  before(async () => {
    report = await imageReport(`docker-archive:${fx.bookworm.dockerArchive}`);
  });

  test("runs as root, ships bash, dash, apt and dpkg, each with the bytes the rootfs has and the layer that added it", () => {
    const rootfs = fx.bookworm.rootfs;
    const ids = new Set(report.misconfigurations.map((f) => f.id));
    for (const id of ["PCS-IMG-001", "PCS-IMG-005", "PCS-IMG-006", "PCS-IMG-011"]) assert.ok(ids.has(id), id);
    const surface = new Map(report.hardening!.attackSurface.map((t) => [t.tool, t]));
    assert.deepEqual([...surface.keys()].sort(), ["apt", "bash", "dash", "dpkg"]);
    const layer = report.target.layers[0]!.diffId;
    assert.equal(surface.get("bash")!.bytes, lstatSync(join(rootfs, "usr/bin/bash")).size);
    assert.equal(surface.get("bash")!.layer, layer);
    // dpkg: its programs plus its own data directories, measured on the rootfs.
    const dpkgPrograms = surface.get("dpkg")!.programs.reduce((sum, p) => sum + lstatSync(join(rootfs, p)).size, 0);
    const dpkgData = ["var/lib/dpkg", "etc/dpkg", "usr/share/dpkg", "usr/lib/dpkg"].reduce((sum, d) => sum + bytesUnder(rootfs, d), 0);
    assert.equal(surface.get("dpkg")!.bytes, dpkgPrograms + dpkgData);
    const shells = report.misconfigurations.filter((f) => f.id === "PCS-IMG-005").map((f) => f.evidence);
    assert.ok(shells.some((e) => /^bash \(\/usr\/bin\/bash\): 1\.\d MiB, added in layer 1$/.test(e!)), shells.join("; "));
  });

  test("the setuid programs are exactly those of the rootfs", () => {
    const expected: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(join(fx.bookworm.rootfs, dir), { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (e.isFile() && lstatSync(join(fx.bookworm.rootfs, path)).mode & 0o6000) expected.push(`/${path}`);
      }
    };
    for (const top of ["usr", "etc", "var", "opt"]) walk(top);
    assert.ok(expected.length > 3, "bookworm ships setuid programs");
    assert.deepEqual(report.hardening!.setuid.map((s) => s.path), expected.sort());
    assert.deepEqual(report.misconfigurations.filter((f) => f.id === "PCS-IMG-003").map((f) => f.location?.path), expected);
  });

  test("the layer breakdown holds every byte of the rootfs's files, and no secret is found in a clean base image", () => {
    const [layer] = report.hardening!.layers;
    assert.equal(layer!.bytes, bytesUnder(fx.bookworm.rootfs, "."));
    assert.ok(layer!.largest[0]!.path.startsWith("/usr/"));
    assert.deepEqual(report.secrets, []);
  });
});

describe("secrets planted in a real image", () => {
  interface Planted {
    where: string;
    path: string;
    rule: string;
    value: string;
  }
  let planted: Planted[];
  const target = () => `docker-archive:${fx.secrets.dockerArchive}`;
  before(async () => {
    planted = (await readTsv(fx.secrets.plantedTsv)).map(([where, path, rule, value]) => ({ where: where!, path: path!, rule: rule!, value: value! }));
    assert.equal(planted.length, 6);
  });

  test("are found in the layer files, a deleted file, the environment and the history", async () => {
    const report = await imageReport(target());
    const located = (f: Finding) => f.location?.path ?? f.location?.jsonPath ?? "";
    for (const p of planted) {
      const found = report.secrets.filter((f) => f.id === p.rule);
      assert.equal(found.length, 1, `${p.rule} (${p.where}): ${report.secrets.map((f) => `${f.id} ${located(f)}`).join(", ")}`);
      const f = found[0]!;
      if (p.where === "file" || p.where === "deleted-file") assert.equal(f.location?.path, p.path);
      if (p.where === "deleted-file") assert.match(f.evidence!, /deleted or replaced in a later layer, still in layer 2/);
      if (p.where === "file") assert.doesNotMatch(f.evidence!, /deleted/);
      if (p.where === "env") assert.match(located(f), /^\$\.config\.Env\[\d+\]$/);
      if (p.where === "history") {
        assert.match(located(f), /^\$\.history\[\d+\]\.created_by$/);
        assert.ok(report.target.layers.some((l) => l.diffId === f.location?.layer), "the layer the RUN step made");
      }
      assert.match(f.evidence!, /\(sha256:[0-9a-f]{16}\)/, "a fingerprint to match the same secret elsewhere");
    }
  });

  test("never appear in full in any output of image or sbom, in any format", async () => {
    const db = join(work, "demo.db");
    const imported = await portcullis(["db", "import", "--db", db, "-q", advisories], env);
    assert.equal(imported.status, 0, imported.stderr);
    const runs = [
      ...["json", "table", "sarif", "cyclonedx"].map((f) => ["image", target(), "--db", db, "-f", f, "-q"]),
      ...["json", "table", "cyclonedx", "spdx"].map((f) => ["sbom", target(), "-f", f, "-q"]),
    ];
    for (const args of runs) {
      const r = await portcullis(args, env);
      assert.ok(r.status === 0 || r.status === 2, `${args.join(" ")}: ${r.stderr}`);
      assert.ok(r.stdout.length > 100, args.join(" "));
      for (const p of planted) {
        for (const out of [r.stdout, r.stderr]) assert.ok(!out.includes(p.value), `${args[0]} -f ${args[args.indexOf("-f") + 1]} prints the ${p.where} secret ${p.rule} in full`);
      }
    }
  });

  test("a layer cache written by an SBOM scan is walked again for the checks, and then serves them", async () => {
    const cold = await imageReport(target(), "--no-cache");
    const sbom = await portcullis(["sbom", target(), "-f", "json", "-q"], env);
    assert.equal(sbom.status, 0, sbom.stderr);
    const first = await imageReport(target());
    const again = await imageReport(target());
    const facts = (r: ImageReport) => JSON.stringify([r.misconfigurations, r.secrets, r.hardening]);
    assert.equal(facts(first), facts(cold));
    assert.equal(facts(again), facts(cold));
  });
});
