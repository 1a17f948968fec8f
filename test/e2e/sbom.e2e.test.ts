/**
 * `portcullis sbom` end to end on real images: a debootstrapped Debian 12,
 * images built with podman on top of it, a real registry and a real engine.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, openSync, readFileSync, closeSync, writeSync, fstatSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Inventory, Package } from "../../src/inventory/index.js";
import { cycloneDx16Validator, spdx23Validator } from "../../src/inventory/sbom/testdata/validators.js";
import { CLI, portcullis } from "../support/cli.js";
import { fixtures, readDpkgTsv, readTsv, type Fixtures } from "../support/fixtures.js";
import { skopeoCopy, startRegistry } from "../support/registry.js";

const work = mkdtempSync(join(tmpdir(), "pcs-e2e-sbom-"));
const cache = join(work, "cache");
let fx: Fixtures;

async function sbom(target: string, ...extra: string[]): Promise<Inventory> {
  const r = await portcullis(["sbom", target, "-f", "json", "-q", ...extra], { PORTCULLIS_CACHE_DIR: cache });
  assert.equal(r.status, 0, `portcullis sbom ${target} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Inventory;
}

/** What must agree between sources of the same image: everything about each package. */
function packageFacts(inv: Inventory): string[] {
  return inv.packages.map((p: Package) => JSON.stringify([p.type, p.name, p.version, p.purl, p.source, p.arch, p.licenses, p.paths]));
}

before(async () => {
  fx = await fixtures();
});

describe("the Debian 12 image", () => {
  test("lists exactly the packages dpkg-query lists for its rootfs: names, versions, source packages, architectures", async () => {
    const inv = await sbom(`docker-archive:${fx.bookworm.dockerArchive}`);
    const expected = (await readDpkgTsv(fx.bookworm.dpkgTsv)).map((r) => [r.name, r.version, r.sourceName, r.sourceVersion, r.architecture].join("\t")).sort();
    const got = inv.packages
      .filter((p) => p.type === "deb")
      .map((p) => [p.name.split(":")[0], p.version, p.source?.name, p.source?.version, p.arch].join("\t"))
      .sort();
    assert.deepEqual(got, expected);
    assert.equal(inv.packages.length, got.length, "a minimal Debian has no language packages");
    assert.deepEqual(inv.warnings, []);
    assert.equal(inv.os?.family, "debian");
    assert.equal(inv.os?.codename, "bookworm");
    assert.match(inv.os?.release ?? "", /^12\.\d+$/);
    const libc = inv.packages.find((p) => p.name === "libc6")!;
    assert.match(libc.purl, /^pkg:deb\/debian\/libc6@2\.36-[^?]+\?arch=amd64&distro=debian-12$/);
    assert.deepEqual(inv.packages.find((p) => p.name === "dpkg")?.licenses.includes("GPL-2+"), true, "licenses come from Debian's copyright files");
    assert.equal(libc.layer, inv.target.layers[0]!.diffId, "the one layer added everything");
  });

  test("the inventories from docker-archive, OCI archive, OCI layouts (gzip and zstd), registry, engine and rootfs are identical", async () => {
    const registry = await startRegistry();
    const engine = await startEngine(work);
    try {
      await skopeoCopy(`oci:${fx.bookworm.ociLayout}:${fx.bookworm.ociRef}`, `docker://${registry.host}/debian:12`);
      const reference = await sbom(`docker-archive:${fx.bookworm.dockerArchive}`);
      const sources = [
        `oci-archive:${fx.bookworm.ociArchive}`,
        `oci:${fx.bookworm.ociLayout}:${fx.bookworm.ociRef}`,
        `oci:${fx.bookworm.ociLayoutZstd}:${fx.bookworm.ociRef}`,
        `registry:${registry.host}/debian:12`,
        `dir:${fx.bookworm.rootfs}`,
      ];
      for (const target of sources) {
        const inv = await sbom(target, ...(target.startsWith("registry:") ? ["--insecure"] : []));
        assert.deepEqual(packageFacts(inv), packageFacts(reference), `${target} differs from the docker-archive`);
        assert.deepEqual(inv.os, reference.os, `${target}: os`);
        if (!target.startsWith("dir:")) {
          assert.deepEqual(inv.packages.map((p) => p.layer), reference.packages.map((p) => p.layer), `${target}: layers`);
        }
      }
      const viaEngine = await portcullis(["sbom", `docker:${fx.bookworm.image}`, "-f", "json", "-q"], { DOCKER_HOST: `unix://${engine.socket}`, PORTCULLIS_CACHE_DIR: cache });
      assert.equal(viaEngine.status, 0, viaEngine.stderr);
      assert.deepEqual(packageFacts(JSON.parse(viaEngine.stdout) as Inventory), packageFacts(reference), "engine differs from the docker-archive");
    } finally {
      await registry.stop();
      await engine.stop();
    }
  });

  test("a registry behind basic auth is read with credentials from the docker config; a wrong password is a one-line error", async () => {
    const registry = await startRegistry({ basicAuth: { ci: "s3cret" } });
    try {
      await skopeoCopy(`oci:${fx.bookworm.ociLayout}:${fx.bookworm.ociRef}`, `docker://${registry.host}/private/debian:12`, { creds: "ci:s3cret" });
      const dockerConfig = join(work, "docker-config");
      const writeAuth = (pass: string) => {
        execFileSync("mkdir", ["-p", dockerConfig]);
        writeFileSync(join(dockerConfig, "config.json"), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`ci:${pass}`).toString("base64") } } }));
      };
      writeAuth("s3cret");
      const ok = await portcullis(["sbom", `${registry.host}/private/debian:12`, "--insecure", "-f", "json", "-q", "--no-cache"], { DOCKER_CONFIG: dockerConfig });
      assert.equal(ok.status, 0, ok.stderr);
      assert.ok((JSON.parse(ok.stdout) as Inventory).packages.some((p) => p.name === "dpkg"));
      writeAuth("wrong");
      const denied = await portcullis(["sbom", `registry:${registry.host}/private/debian:12`, "--insecure", "--no-cache"], { DOCKER_CONFIG: dockerConfig });
      assert.notEqual(denied.status, 0);
      assert.match(denied.stderr, /^portcullis: .*authentication failed \(401\)[^\n]*\n$/);
      writeAuth("s3cret");
      const missing = await portcullis(["sbom", `registry:${registry.host}/private/debian:nope`, "--insecure", "--no-cache"], { DOCKER_CONFIG: dockerConfig });
      assert.notEqual(missing.status, 0);
      assert.match(missing.stderr, /^portcullis: registry:[^ ]+\/private\/debian:nope: manifest unknown \(404\)\n$/);
    } finally {
      await registry.stop();
    }
  });

  test("CycloneDX and SPDX output validate against the official schemas and read back as the same inventory", async () => {
    const target = `docker-archive:${fx.bookworm.dockerArchive}`;
    const reference = await sbom(target);
    for (const [format, validate] of [["cyclonedx", cycloneDx16Validator()], ["spdx", spdx23Validator()]] as const) {
      const file = join(work, `bom.${format}.json`);
      const r = await portcullis(["sbom", target, "-f", format, "-o", file, "-q"], { PORTCULLIS_CACHE_DIR: cache });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(validate(JSON.parse(readFileSync(file, "utf8"))), [], `${format} output is schema-valid`);
      const back = await sbom(`sbom:${file}`);
      assert.deepEqual(packageFacts(back), packageFacts(reference), `${format} reads back`);
      assert.deepEqual(back.packages.map((p) => p.layer), reference.packages.map((p) => p.layer));
    }
  });

  test("a warm layer cache answers without reading the layers; --no-cache reads them", async () => {
    const copy = join(work, "cached.docker.tar");
    copyFileSync(fx.bookworm.dockerArchive, copy);
    const cold = await sbom(`docker-archive:${copy}`);
    // Damage the middle of the archive (inside the layer): only a read of the layer can notice.
    const fd = openSync(copy, "r+");
    const size = fstatSync(fd).size;
    writeSync(fd, Buffer.from("portcullis was here"), 0, 19, Math.floor(size / 2));
    closeSync(fd);
    const warm = await sbom(`docker-archive:${copy}`);
    assert.deepEqual(warm, { ...cold, target: { ...cold.target, reference: warm.target.reference } });
    const fresh = await portcullis(["sbom", `docker-archive:${copy}`, "--no-cache", "-q"]);
    assert.notEqual(fresh.status, 0);
    assert.match(fresh.stderr, /^portcullis: layer sha256:[0-9a-f]{12}: digest mismatch/);
  });
});

describe("images built on top of it", () => {
  test("node_modules installed from the npm registry are listed with the layer that copied them", async () => {
    const inv = await sbom(`docker-archive:${fx.node.dockerArchive}`);
    const expected = (await readTsv(fx.node.nodeModulesTsv)).map(([path, name, version]) => `${name}@${version} ${path}`).sort();
    const npm = inv.packages.filter((p) => p.type === "npm");
    assert.deepEqual(npm.map((p) => `${p.name}@${p.version} ${p.paths[0]}`).sort(), expected);
    for (const [name, version] of [["lodash", "4.17.15"], ["minimist", "1.2.0"], ["express", "4.17.1"]]) {
      assert.ok(npm.some((p) => p.name === name && p.version === version), `${name}@${version}`);
    }
    const base = inv.target.layers[0]!.diffId;
    assert.ok(inv.packages.filter((p) => p.type === "deb").every((p) => p.layer === base), "Debian packages come from the base layer");
    assert.ok(npm.every((p) => p.layer && p.layer !== base), "npm packages come from a later layer");
    assert.ok(!inv.packages.some((p) => p.paths.some((x) => x.endsWith("package-lock.json"))), "lockfiles are not read in images");
  });

  test("Go build info: a Go binary outside dpkg gives its modules and toolchain; dpkg's own skopeo is not reported again", async () => {
    const inv = await sbom(`docker-archive:${fx.go.dockerArchive}`);
    const golang = inv.packages.filter((p) => p.type === "golang");
    assert.ok(!golang.some((p) => p.paths.includes(fx.go.dpkgOwnedPath)), "dpkg-owned binaries are the deb package's");
    assert.ok(inv.packages.some((p) => p.type === "deb" && p.name === "skopeo"));
    const versionM = readFileSync(fx.go.moduleToolVersionM, "utf8");
    const goVersion = /: (go\S+)/.exec(versionM)![1]!;
    const deps = [...versionM.matchAll(/^\s*dep\s+(\S+)\s+(\S+)/gm)].map((m) => `${m[1]}@${m[2]}`);
    const main = /^\s*mod\s+(\S+)\s+(\S+)/m.exec(versionM)!;
    const tool = golang.filter((p) => p.paths.includes(fx.go.moduleToolPath)).map((p) => `${p.name}@${p.version}`).sort();
    assert.deepEqual(tool, [...deps, `${main[1]}@${main[2]}`, `stdlib@v${goVersion.slice(2)}`].sort());
    assert.ok(golang.some((p) => p.paths.includes(fx.go.toolPath) && p.name === "stdlib"), "the copied skopeo is read");
  });

  test("Python dist-info/egg-info and a jar are found", async () => {
    const inv = await sbom(`docker-archive:${fx.pyjava.dockerArchive}`);
    for (const [name, version, path] of await readTsv(fx.pyjava.pythonTsv)) {
      assert.ok(inv.packages.some((p) => p.type === "pypi" && p.name === name && p.version === version && p.paths[0] === path), `pypi ${name} ${version}`);
    }
    for (const [group, artifact, version, path] of await readTsv(fx.pyjava.mavenTsv)) {
      assert.ok(inv.packages.some((p) => p.type === "maven" && p.name === `${group}:${artifact}` && p.version === version && p.paths[0] === path), `maven ${artifact}`);
    }
  });

  test("what a later layer deletes disappears: a purged Debian package, a removed node module", async () => {
    const inv = await sbom(`docker-archive:${fx.whiteout.dockerArchive}`);
    const expected = (await readDpkgTsv(fx.whiteout.dpkgTsv)).map((r) => `${r.name} ${r.version}`).sort();
    assert.deepEqual(inv.packages.filter((p) => p.type === "deb").map((p) => `${p.name.split(":")[0]} ${p.version}`).sort(), expected);
    assert.ok(!inv.packages.some((p) => p.name === fx.whiteout.purgedPackage));
    const modules = (await readTsv(fx.whiteout.nodeModulesTsv)).map(([path, name, version]) => `${name}@${version} ${path}`).sort();
    assert.deepEqual(inv.packages.filter((p) => p.type === "npm").map((p) => `${p.name}@${p.version} ${p.paths[0]}`).sort(), modules);
    assert.ok(!inv.packages.some((p) => p.name === "minimist"));
  });
});

describe("bad input", () => {
  test("a truncated archive, a file that is no image, and a missing file are one-line errors with a non-zero exit", async () => {
    const cut = join(work, "cut.docker.tar");
    const bytes = readFileSync(fx.bookworm.dockerArchive);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const junk = join(work, "junk.tar");
    writeFileSync(junk, "not an image at all\n".repeat(100));
    for (const [target, message] of [
      [`docker-archive:${cut}`, /truncated tar/],
      [`docker-archive:${junk}`, /junk\.tar offset 0: not a tar header/],
      [`docker-archive:${join(work, "absent.tar")}`, /absent\.tar: cannot open \(ENOENT\)/],
    ] as const) {
      const r = await portcullis(["sbom", target, "--no-cache"]);
      assert.equal(r.status, 1, `${target}: exit status`);
      assert.equal(r.stdout, "", "nothing half-written on stdout");
      assert.match(r.stderr, /^portcullis: [^\n]+\n$/, "one line");
      assert.match(r.stderr, message);
    }
  });
});

/** A real Podman engine API over a unix socket, on podman's default storage where the test images live. */
async function startEngine(dir: string): Promise<{ socket: string; stop(): Promise<void> }> {
  const socket = join(dir, "podman.sock");
  const child = spawn("podman", ["system", "service", "--time=0", `unix://${socket}`], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      readFileSync(socket);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") break;
    }
    await sleep(100);
  }
  return {
    socket,
    stop: async () => {
      child.kill();
      await new Promise((resolve) => child.once("close", resolve));
    },
  };
}

after(() => {
  execFileSync("rm", ["-rf", work]);
});

describe("corrupt files inside a layer", () => {
  test("are warnings naming layer, file and line; the rest is listed and the exit status says the inventory is incomplete", async () => {
    // A real dpkg database with one paragraph broken, and node_modules with one package.json cut short.
    const rootfs = join(work, "corrupt-rootfs");
    const status = readFileSync("/var/lib/dpkg/status", "utf8").split("\n\n").slice(0, 3);
    status[1] = status[1]!.replace(/^Version: .*$/m, "Version 1.0 this line has no colon");
    execFileSync("mkdir", ["-p", join(rootfs, "var/lib/dpkg"), join(rootfs, "app/node_modules/good"), join(rootfs, "app/node_modules/bad")]);
    writeFileSync(join(rootfs, "var/lib/dpkg/status"), status.join("\n\n") + "\n");
    copyFileSync(new URL("../../node_modules/yaml/package.json", import.meta.url), join(rootfs, "app/node_modules/good/package.json"));
    const yamlPkg = readFileSync(new URL("../../node_modules/yaml/package.json", import.meta.url), "utf8");
    writeFileSync(join(rootfs, "app/node_modules/bad/package.json"), yamlPkg.slice(0, yamlPkg.length / 2));
    const tarball = join(work, "corrupt.tar");
    execFileSync("tar", ["-C", rootfs, "-cf", tarball, "."]);
    const image = `localhost/portcullis-test/corrupt:${process.pid}`;
    execFileSync("podman", ["import", "-q", tarball, image]);
    const archive = join(work, "corrupt.docker.tar");
    execFileSync("podman", ["save", "-q", "--format", "docker-archive", "-o", archive, image]);
    execFileSync("podman", ["rmi", "-f", image], { stdio: "ignore" });

    const r = await portcullis(["sbom", `docker-archive:${archive}`, "-f", "json", "--no-cache"]);
    assert.equal(r.status, 2, r.stderr);
    const inv = JSON.parse(r.stdout) as Inventory;
    assert.ok(inv.packages.some((p) => p.type === "npm" && p.name === "yaml"), "the good package.json is still read");
    const warnings = r.stderr.trim().split("\n");
    assert.equal(warnings.length, 2, r.stderr);
    assert.ok(warnings.every((w) => /^warning: layer sha256:[0-9a-f]{12} \//.test(w)), r.stderr);
    assert.match(r.stderr, /\/var\/lib\/dpkg\/status.*line \d+/);
    assert.match(r.stderr, /\/app\/node_modules\/bad\/package\.json/);
    assert.equal(inv.warnings.length, 2);
  });
});

describe("progress", () => {
  /** Run the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
  function onTerminal(args: string[]): string {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    return execFileSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", env: { ...process.env, PORTCULLIS_CACHE_DIR: join(work, "tty-cache") } });
  }

  test("a terminal sees each layer walked; --quiet and pipes see none", async () => {
    const target = `docker-archive:${fx.node.dockerArchive}`;
    const shown = onTerminal(["sbom", target, "--no-cache", "-o", join(work, "tty.json")]);
    assert.match(shown, /walking layer 1\/2 sha256:[0-9a-f]{12}/);
    assert.match(shown, /walked layer 2\/2 sha256:[0-9a-f]{12}/);
    const quiet = onTerminal(["sbom", target, "--no-cache", "-q", "-o", join(work, "tty.json")]);
    assert.doesNotMatch(quiet, /layer/);
    const piped = await portcullis(["sbom", target, "--no-cache", "-o", join(work, "piped.json")]);
    assert.equal(piped.stderr, "");
  });
});
