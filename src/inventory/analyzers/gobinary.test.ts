/**
 * Go binaries: build info read from Debian's Go executables and from a
 * program built here with the real Go toolchain, checked against what
 * `go version -m` (Go's own reader) prints for the same file.
 *
 * The program's dependencies are real module sources shipped by Debian,
 * served to `go build` from a file-based module proxy, so the binary carries
 * real go.sum hashes, a version replacement and a directory replacement.
 *
 * Needs: apt-get install -y golang-go zip skopeo golang-github-pkg-errors-dev
 * golang-github-google-uuid-dev golang-github-spf13-pflag-dev
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import type { LayerFile } from "../analyzer.js";
import { BuildInfoScanner, goBinaryPackages, goReleaseVersion, parseModInfo, type GoBuildInfo, type GoModule } from "./go-buildinfo.js";
import { GO_BINARY_MIN_SIZE, goBinaryAnalyzer, readGoBuildInfo } from "./gobinary.js";

const run = promisify(execFile);
const GOCODE = "/usr/share/gocode/src";
const SKOPEO = "/usr/bin/skopeo";
const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");

/** Modules served by the test proxy: Debian's source trees under the versions we publish them as. */
const PROXIED = [
  { path: "github.com/pkg/errors", version: "v0.9.1", apt: "golang-github-pkg-errors-dev" },
  { path: "github.com/google/uuid", version: "v1.3.0", apt: "golang-github-google-uuid-dev" },
  { path: "github.com/spf13/pflag", version: "v1.0.6-0.20210604193023-d5e0c0615ace", apt: "golang-github-spf13-pflag-dev" },
];

const GO_MOD = `module example.org/portcullis/gofixture

go 1.19

require (
	example.org/portcullis/localdep v0.0.0
	github.com/google/uuid v1.3.0
	github.com/pkg/errors v0.9.1
	github.com/spf13/pflag v1.0.5
)

replace github.com/spf13/pflag v1.0.5 => github.com/spf13/pflag v1.0.6-0.20210604193023-d5e0c0615ace

replace example.org/portcullis/localdep => ./localdep
`;

const MAIN_GO = `package main

import (
	"fmt"

	"example.org/portcullis/localdep"
	"github.com/google/uuid"
	"github.com/pkg/errors"
	"github.com/spf13/pflag"
)

func main() {
	pflag.Parse()
	fmt.Println(uuid.NewString(), errors.New(localdep.Name))
}
`;

let work: string;
/** The fixture program built for each target: ELF 64-bit LE, 32-bit LE and 64-bit BE, PE, Mach-O. */
const TARGETS = {
  linux: { goos: "linux", goarch: "amd64", format: "ELF" },
  "linux-386": { goos: "linux", goarch: "386", format: "32-bit ELF" },
  "linux-s390x": { goos: "linux", goarch: "s390x", format: "big-endian ELF" },
  windows: { goos: "windows", goarch: "amd64", format: "PE" },
  darwin: { goos: "darwin", goarch: "arm64", format: "Mach-O" },
} as const;
type Target = keyof typeof TARGETS;
const built = Object.fromEntries(Object.keys(TARGETS).map((t) => [t, ""])) as Record<Target, string>;

/** Serve a module the way a GOPROXY does: list, .info, .mod and a zip of "<path>@<version>/…" without directory entries. */
async function publish(proxy: string, mod: { path: string; version: string }): Promise<void> {
  const dir = join(proxy, mod.path, "@v");
  const stage = await mkdtemp(join(work, "stage-"));
  await mkdir(dir, { recursive: true });
  await cp(join(GOCODE, mod.path), join(stage, `${mod.path}@${mod.version}`), { recursive: true });
  await run("zip", ["-qrD", join(dir, `${mod.version}.zip`), "."], { cwd: stage });
  await writeFile(join(dir, "list"), `${mod.version}\n`);
  await writeFile(join(dir, `${mod.version}.info`), JSON.stringify({ Version: mod.version }));
  const goMod = join(GOCODE, mod.path, "go.mod");
  await writeFile(join(dir, `${mod.version}.mod`), existsSync(goMod) ? await readFile(goMod) : `module ${mod.path}\n`);
}

/** `go version -m` output → the same shape as our GoBuildInfo (without the offset). */
function goVersionM(file: string): Omit<GoBuildInfo, "offset"> {
  const out = execFileSync("go", ["version", "-m", file], { encoding: "utf8", env: goEnv() });
  const [first, ...lines] = out.split("\n");
  const info: Omit<GoBuildInfo, "offset"> = { goVersion: first!.slice(first!.indexOf(": ") + 2), deps: [] };
  let last: GoModule | undefined;
  const mod = ([path, version, sum]: string[]): GoModule => ({ path: path!, version: version!, ...(sum ? { sum } : {}) });
  for (const line of lines) {
    const [, key, ...fields] = line.split("\t");
    if (key === "path") info.path = fields[0];
    else if (key === "mod") last = info.main = mod(fields);
    else if (key === "dep") info.deps.push((last = mod(fields)));
    else if (key === "=>") last!.replace = mod(fields);
  }
  return info;
}

function withoutOffset(info: GoBuildInfo | null): Omit<GoBuildInfo, "offset"> | null {
  if (!info) return null;
  const { offset: _offset, ...rest } = info;
  return rest;
}

function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: "local", GOENV: "off", GO111MODULE: "on", ...extra };
  // The build cache defaults under $HOME; give it a home where there is none.
  if (!env.GOCACHE && !env.HOME && !env.XDG_CACHE_HOME) env.GOCACHE = join(work, "gocache");
  return env;
}

function layerFileOf(path: string, inImage: string, size: number, mode = 0o755): LayerFile {
  return {
    path: inImage,
    layer: "sha256:0000000000000000000000000000000000000000000000000000000000000000",
    size,
    mode,
    bytes: () => Promise.reject(new Error("a Go binary must be streamed, not read whole")),
    chunks: () => createReadStream(path),
  };
}

/** Scan `bytes` handed over in the given chunk sizes (cycled). */
function scanInChunks(bytes: Buffer, sizes: number[], source = "test"): GoBuildInfo | null {
  const scanner = new BuildInfoScanner(source);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    const result = scanner.push(bytes.subarray(at, at + size));
    at += size;
    if (result !== undefined) return result;
  }
  return scanner.end();
}

before(async () => {
  for (const tool of ["go", "zip"]) {
    try {
      execFileSync(tool, tool === "go" ? ["version"] : ["-v"], { stdio: "ignore" });
    } catch {
      throw new Error(`${tool} is missing: apt-get install -y ${tool === "go" ? "golang-go" : "zip"}`);
    }
  }
  for (const m of PROXIED) if (!existsSync(join(GOCODE, m.path))) throw new Error(`${m.path} source is missing: apt-get install -y ${m.apt}`);
  if (!existsSync(SKOPEO)) throw new Error(`${SKOPEO} is missing: apt-get install -y skopeo`);

  work = await mkdtemp(join(tmpdir(), "portcullis-go-"));
  const proxy = join(work, "proxy");
  for (const m of PROXIED) await publish(proxy, m);
  const app = join(work, "app");
  await mkdir(join(app, "localdep"), { recursive: true });
  await writeFile(join(app, "go.mod"), GO_MOD);
  await writeFile(join(app, "main.go"), MAIN_GO);
  await writeFile(join(app, "localdep", "go.mod"), "module example.org/portcullis/localdep\n\ngo 1.19\n");
  await writeFile(join(app, "localdep", "name.go"), 'package localdep\n\nconst Name = "local"\n');
  const env = {
    GOPROXY: pathToFileURL(proxy).href,
    GOSUMDB: "off",
    GOFLAGS: "-mod=mod -modcacherw",
    GOMODCACHE: join(work, "modcache"),
    GOPATH: join(work, "gopath"),
  };
  // Resolve modules once (writes go.sum), then build for each executable format.
  await run("go", ["mod", "download"], { cwd: app, env: goEnv(env) });
  await Promise.all(
    Object.entries(TARGETS).map(async ([target, { goos, goarch }]) => {
      const out = join(work, `app-${target}`);
      // The host build uses cgo (so the system linker), as most real programs do; cross builds cannot.
      const cgo: Record<string, string> = target === "linux" ? {} : { CGO_ENABLED: "0" };
      await run("go", ["build", "-o", out, "."], { cwd: app, env: goEnv({ ...env, GOOS: goos, GOARCH: goarch, ...cgo }) });
      built[target as Target] = out;
    }),
  );
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("readGoBuildInfo agrees with go version -m", () => {
  for (const [target, { goos, goarch, format }] of Object.entries(TARGETS)) {
    it(`on a module-mode program built for ${goos}/${goarch} (${format})`, async () => {
      const file = built[target as Target];
      const ours = await readGoBuildInfo(createReadStream(file), file);
      const go = goVersionM(file);
      assert.deepEqual(withoutOffset(ours), go);
      // The fixture exercises what it is meant to: hashes, a version replacement, a directory replacement.
      assert.equal(go.deps.length, 4);
      assert.ok(go.deps.some((d) => d.sum?.startsWith("h1:")));
      assert.deepEqual(go.deps.find((d) => d.path === "github.com/spf13/pflag")?.replace?.version, "v1.0.6-0.20210604193023-d5e0c0615ace");
      assert.deepEqual(go.deps.find((d) => d.path === "example.org/portcullis/localdep")?.replace, { path: "./localdep", version: "(devel)" });
    });
  }

  it("on Debian's skopeo (built without module info: toolchain and main package path only)", async () => {
    const ours = await readGoBuildInfo(createReadStream(SKOPEO), SKOPEO);
    assert.deepEqual(withoutOffset(ours), goVersionM(SKOPEO));
  });

  it("finds the header where the Go linker put it: 16-byte aligned, after the magic", async () => {
    const bytes = await readFile(built.linux);
    const info = await readGoBuildInfo(createReadStream(built.linux), built.linux);
    assert.ok(info);
    assert.equal(info.offset % 16, 0);
    assert.deepEqual(bytes.subarray(info.offset, info.offset + MAGIC.length), MAGIC);
  });
});

describe("BuildInfoScanner", () => {
  it("gives the same result whatever the chunk boundaries, including inside the magic and the strings", async () => {
    const bytes = await readFile(built.linux);
    const whole = scanInChunks(bytes, [bytes.length]);
    assert.ok(whole);
    // Every split point from just before the magic to past the version string.
    for (let split = whole.offset - 2; split < whole.offset + 48; split++) {
      const scanner = new BuildInfoScanner("split");
      assert.equal(scanner.push(bytes.subarray(0, split)), undefined, `split ${split}`);
      assert.deepEqual(scanner.push(bytes.subarray(split)), whole, `split ${split}`);
    }
    // And a stream of tiny, uneven chunks from start to end.
    assert.deepEqual(scanInChunks(bytes, [1, 7, 3, 13, 5]), whole);
  });

  it("streams through readGoBuildInfo in tiny chunks", async () => {
    const bytes = await readFile(built.linux);
    const chunks = function* () {
      for (let at = 0; at < bytes.length; at += 11) yield bytes.subarray(at, at + 11);
    };
    const viaStream = await readGoBuildInfo(Readable.from(chunks()), "tiny");
    assert.deepEqual(viaStream, scanInChunks(bytes, [bytes.length]));
  });

  it("skips the magic where it is only a string constant (the go command reads build info itself)", async () => {
    const goBinary = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8", env: goEnv() }).trim() + "/bin/go";
    const bytes = await readFile(goBinary);
    const hits: number[] = [];
    for (let i = bytes.indexOf(MAGIC); i >= 0; i = bytes.indexOf(MAGIC, i + 1)) hits.push(i);
    assert.ok(hits.length > 1, "the go command holds the magic more than once");
    assert.deepEqual(withoutOffset(await readGoBuildInfo(createReadStream(goBinary), goBinary)), goVersionM(goBinary));
  });

  it("returns null for an executable that is not Go", async () => {
    assert.equal(await readGoBuildInfo(createReadStream("/bin/ls"), "/bin/ls"), null);
  });

  it("returns null at once for a file that is no executable format", () => {
    const scanner = new BuildInfoScanner("script");
    assert.equal(scanner.push(Buffer.from("#!")), undefined);
    assert.equal(scanner.push(Buffer.from("/bin/sh\necho hi\n")), null);
  });

  it("returns null for the pre-1.18 pointer format (header without the inline flag)", async () => {
    const bytes = Buffer.from(await readFile(built.linux));
    const info = scanInChunks(bytes, [bytes.length]);
    assert.ok(info);
    // Before Go 1.18 the same header had flags 0 and two pointers after it.
    bytes[info.offset + 15] = 0;
    assert.equal(scanInChunks(bytes, [bytes.length]), null);
  });

  it("reports a file that ends inside the build info, naming the file and the header offset", async () => {
    const bytes = await readFile(built.linux);
    const info = scanInChunks(bytes, [bytes.length])!;
    assert.throws(() => scanInChunks(bytes.subarray(0, info.offset + 40), [65536], "/usr/local/bin/app"), {
      message: `/usr/local/bin/app offset ${info.offset}: file ends inside the Go build information`,
    });
  });

  it("refuses module info longer than the limit before buffering it", async () => {
    const bytes = await readFile(built.linux);
    const scanner = new BuildInfoScanner("/usr/local/bin/app", { maxModInfoBytes: 100 });
    assert.throws(() => scanner.push(bytes), (err: unknown) => err instanceof InputError && /module info in the Go build information is \d+ bytes, more than the limit of 100$/.test(err.message));
  });
});

describe("parseModInfo", () => {
  it("rejects a replacement with no module before it, naming the line", () => {
    assert.throws(() => parseModInfo("path\tx\n=>\ty\tv1.0.0\t\n", "/bin/app", 4096), {
      message: '/bin/app offset 4096 (module info line 2): replacement "=>" without a module on the line before',
    });
  });

  it("rejects a dep line without a version", () => {
    assert.throws(() => parseModInfo("dep\tgithub.com/x/y\n", "/bin/app"), /expected "dep\\t<path>\\t<version>\[\\t<sum>\]", got 1 field\(s\)$/);
  });
});

describe("goReleaseVersion", () => {
  it("turns toolchain versions into the semver the Go vulnerability database uses", () => {
    assert.equal(goReleaseVersion("go1.19.8"), "v1.19.8");
    assert.equal(goReleaseVersion("go1.21"), "v1.21.0");
    assert.equal(goReleaseVersion("go1.21rc2"), "v1.21.0-rc.2");
    assert.equal(goReleaseVersion("go1.23.1 X:boringcrypto"), "v1.23.1");
    assert.equal(goReleaseVersion("devel go1.22-a1b2c3d Tue Jan 2 15:04:05 2024 +0000"), undefined);
  });
});

describe("goBinaryPackages", () => {
  it("reports the main module, each dep as linked (replacements applied) and the toolchain as stdlib", async () => {
    const info = await readGoBuildInfo(createReadStream(built.linux), built.linux);
    assert.ok(info);
    const go = goVersionM(built.linux);
    const std = `v${go.goVersion.slice(2)}`;
    assert.deepEqual(goBinaryPackages(info, "/usr/local/bin/app"), [
      // "(devel)" stays the version; the purl leaves it out.
      pkg("example.org/portcullis/gofixture", "(devel)", "pkg:golang/example.org/portcullis/gofixture"),
      // Replaced by a directory: no version to use, so the required one is kept.
      pkg("example.org/portcullis/localdep", "v0.0.0", "pkg:golang/example.org/portcullis/localdep@v0.0.0"),
      pkg("github.com/google/uuid", "v1.3.0", "pkg:golang/github.com/google/uuid@v1.3.0"),
      pkg("github.com/pkg/errors", "v0.9.1", "pkg:golang/github.com/pkg/errors@v0.9.1"),
      // Replaced by another version: the replacement is what was linked in.
      pkg("github.com/spf13/pflag", "v1.0.6-0.20210604193023-d5e0c0615ace", "pkg:golang/github.com/spf13/pflag@v1.0.6-0.20210604193023-d5e0c0615ace"),
      pkg("stdlib", std, `pkg:golang/stdlib@${std}`),
    ]);
  });

  function pkg(name: string, version: string, purl: string) {
    return { name, version, type: "golang", purl, licenses: [], paths: ["/usr/local/bin/app"] };
  }
});

describe("goBinaryAnalyzer", () => {
  it("wants executables of plausible size, judged from the tar header alone", () => {
    assert.equal(goBinaryAnalyzer.wants("/usr/bin/app", { size: 2_000_000, mode: 0o755 }), true);
    assert.equal(goBinaryAnalyzer.wants("/usr/bin/app", { size: 2_000_000, mode: 0o100 }), true);
    assert.equal(goBinaryAnalyzer.wants("/usr/share/doc/readme", { size: 2_000_000, mode: 0o644 }), false);
    assert.equal(goBinaryAnalyzer.wants("/usr/bin/script", { size: GO_BINARY_MIN_SIZE - 1, mode: 0o755 }), false);
  });

  it("streams the file and returns its packages", async () => {
    const size = (await stat(built.linux)).size;
    const result = await goBinaryAnalyzer.analyze(layerFileOf(built.linux, "/usr/local/bin/app", size));
    assert.deepEqual(
      result?.packages?.map((p) => p.name),
      ["example.org/portcullis/gofixture", "example.org/portcullis/localdep", "github.com/google/uuid", "github.com/pkg/errors", "github.com/spf13/pflag", "stdlib"],
    );
    assert.deepEqual(result?.packages?.[0]?.paths, ["/usr/local/bin/app"]);
  });

  it("returns null for a non-Go executable", async () => {
    const size = (await stat("/bin/ls")).size;
    assert.equal(await goBinaryAnalyzer.analyze(layerFileOf("/bin/ls", "/bin/ls", size)), null);
  });
});
