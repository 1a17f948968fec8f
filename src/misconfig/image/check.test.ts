/**
 * The image rules, each failing and passing on a small image: a config and
 * a final filesystem written out here, symlinks resolved the way the image
 * scan resolves them. The real images are checked in src/scan.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { canonicalPath } from "../../image/index.js";
import { checkImage, FILESYSTEM_RULES, IMAGE_RULES, supervisorOf, type ImageFile, type ImageSubject, type RunConfig } from "./index.js";

type FileSpec = [kind: ImageFile["kind"], mode: number, size?: number, layer?: number];

interface Spec {
  config?: RunConfig;
  files?: Record<string, FileSpec>;
  links?: Record<string, string>;
}

const LAYERS = [
  { digest: "sha256:aaaa", diffId: "sha256:1111", createdBy: "ADD rootfs.tar /", paths: ["/usr/bin/bash", "/usr/share/doc/x"], kinds: "ff", sizes: [1_200_000, 300] },
  { digest: "sha256:bbbb", diffId: "sha256:2222", createdBy: "RUN apt-get install -y curl", paths: ["/usr/bin/curl"], kinds: "f", sizes: [250_000] },
];

function image(spec: Spec): ImageSubject {
  const links = new Map(Object.entries(spec.links ?? {}));
  const files = new Map<string, ImageFile>(Object.entries(spec.files ?? {}).map(([path, [kind, mode, size = 0, layer = 0]]) => [path, { kind, mode, size, layer }]));
  for (const path of links.keys()) files.set(path, { kind: "l", mode: 0o777, size: 0, layer: 0 });
  return { config: spec.config ?? { User: "10001" }, layers: LAYERS, files, resolve: (p) => canonicalPath(p, links) };
}

function ids(spec: Spec, only?: string): string[] {
  return checkImage(image(spec))
    .findings.filter((f) => !only || f.id === only)
    .map((f) => `${f.id} ${f.location?.path ?? f.location?.jsonPath}`);
}

/** A config that passes every config rule. */
const GOOD: RunConfig = { User: "10001:10001", Healthcheck: { Test: ["CMD", "/app/health"] }, Entrypoint: ["/app/server"], ExposedPorts: { "8080/tcp": {} } };

describe("PCS-IMG-001 runs as root", () => {
  test("fails with no User, root, 0 or 0:0", () => {
    for (const User of [undefined, "", "root", "0", "0:0", "root:app"]) assert.deepEqual(ids({ config: { ...GOOD, User } }, "PCS-IMG-001"), ["PCS-IMG-001 $.config.User"], String(User));
  });
  test("passes with a named or numeric non-root user", () => {
    for (const User of ["app", "10001", "10001:0", "nobody:nogroup"]) assert.deepEqual(ids({ config: { ...GOOD, User } }, "PCS-IMG-001"), [], User);
  });
});

describe("PCS-IMG-002 exposes SSH", () => {
  test("fails on 22 and 22/tcp, passes on other ports (2222, 22/udp is not SSH)", () => {
    assert.deepEqual(ids({ config: { ...GOOD, ExposedPorts: { "22/tcp": {}, "8080/tcp": {} } } }, "PCS-IMG-002"), ['PCS-IMG-002 $.config.ExposedPorts["22/tcp"]']);
    assert.deepEqual(ids({ config: { ...GOOD, ExposedPorts: { "2222/tcp": {}, "22/udp": {} } } }, "PCS-IMG-002"), []);
  });
});

describe("PCS-IMG-003 setuid and setgid files", () => {
  test("fails on each file with either bit and names the bits and bytes; passes on plain files and setgid directories", () => {
    const found = checkImage(image({ config: GOOD, files: { "/usr/bin/su": ["f", 0o4755, 72000], "/usr/bin/chage": ["f", 0o2755, 80], "/usr/bin/both": ["f", 0o6755, 1], "/usr/bin/ls": ["f", 0o755, 10], "/srv/shared": ["d", 0o2775] } })).findings.filter((f) => f.id === "PCS-IMG-003");
    assert.deepEqual(
      found.map((f) => f.evidence),
      ["/usr/bin/both has mode 6755 (setuid and setgid), 1 bytes", "/usr/bin/chage has mode 2755 (setgid), 80 bytes", "/usr/bin/su has mode 4755 (setuid), 72000 bytes"],
    );
    assert.equal(found[0]!.location?.layer, "sha256:1111");
  });
});

describe("PCS-IMG-004 world-writable paths", () => {
  test("fails on world-writable files and non-sticky directories; passes on /tmp-like sticky directories and symlinks", () => {
    const files: Record<string, FileSpec> = { "/app/config.yaml": ["f", 0o666], "/app/uploads": ["d", 0o777], "/tmp": ["d", 0o1777], "/app/ok": ["f", 0o644] };
    assert.deepEqual(ids({ config: GOOD, files, links: { "/app/link": "config.yaml" } }, "PCS-IMG-004"), ["PCS-IMG-004 /app/config.yaml", "PCS-IMG-004 /app/uploads"]);
  });
});

describe("PCS-IMG-005..009 attack surface shipped", () => {
  const merged = { "/bin": "usr/bin", "/usr/bin/sh": "dash", "/usr/bin/cc": "/etc/alternatives/cc", "/etc/alternatives/cc": "/usr/bin/gcc-12", "/usr/bin/gcc": "gcc-12" };
  const files: Record<string, FileSpec> = {
    "/usr/bin/bash": ["f", 0o755, 1_200_000],
    "/usr/bin/dash": ["f", 0o755, 125_000],
    "/usr/bin/apt": ["f", 0o755, 20_000],
    "/usr/bin/apt-get": ["f", 0o755, 16_000],
    "/usr/lib/apt/methods/http": ["f", 0o755, 90_000],
    "/var/lib/apt/lists/deb.debian.org_dists_bookworm_InRelease": ["f", 0o644, 150_000],
    "/usr/bin/gcc-12": ["f", 0o755, 1_000_000],
    "/usr/lib/gcc/x86_64-linux-gnu/12/cc1": ["f", 0o755, 30_000_000],
    "/usr/bin/strace": ["f", 0o755, 2_000_000],
    "/usr/bin/curl": ["f", 0o755, 250_000, 1],
    "/usr/share/doc/curl/README": ["f", 0o644, 4000],
    "/usr/bin/wget.conf": ["f", 0o644, 10],
    "/usr/bin/nc": ["f", 0o644, 10],
  };

  test("each tool once, found through /bin and alternatives symlinks, with the bytes of its programs and data and the layer that added it", () => {
    const { findings, hardening } = checkImage(image({ config: GOOD, files, links: merged }));
    const tools = hardening.attackSurface.map((t) => `${t.category} ${t.tool} ${t.bytes} @${t.layerIndex} ${t.programs.join(",")}`);
    assert.deepEqual(tools, [
      "shell bash 1200000 @0 /usr/bin/bash",
      "shell dash 125000 @0 /usr/bin/dash",
      "package-manager apt 276000 @0 /usr/bin/apt,/usr/bin/apt-get",
      "compiler gcc 31000000 @0 /usr/bin/gcc",
      "debugger strace 2000000 @0 /usr/bin/strace",
      "network-tool curl 250000 @1 /usr/bin/curl",
    ]);
    const rule = (id: string) => findings.filter((f) => f.id === id).map((f) => f.evidence);
    assert.deepEqual(rule("PCS-IMG-005"), ["bash (/usr/bin/bash): 1.1 MiB, added in layer 1", "dash (/usr/bin/dash): 122.1 KiB, added in layer 1"]);
    assert.deepEqual(rule("PCS-IMG-006"), ["apt (/usr/bin/apt, /usr/bin/apt-get): 269.5 KiB, added in layer 1"]);
    assert.deepEqual(rule("PCS-IMG-007"), ["gcc (/usr/bin/gcc): 29.6 MiB, added in layer 1"]);
    assert.deepEqual(rule("PCS-IMG-008"), ["strace (/usr/bin/strace): 1.9 MiB, added in layer 1"]);
    assert.deepEqual(rule("PCS-IMG-009"), ["curl (/usr/bin/curl): 244.1 KiB, added in layer 2"]);
    assert.equal(findings.find((f) => f.id === "PCS-IMG-009")!.location?.layer, "sha256:2222");
  });

  test("an image without them passes: data files and non-executables named like a tool do not count", () => {
    const { findings } = checkImage(image({ config: GOOD, files: { "/app/server": ["f", 0o755, 9_000_000], "/usr/bin/nc": ["f", 0o644, 10], "/var/lib/dpkg/status": ["f", 0o644, 100] } }));
    assert.deepEqual(findings.map((f) => f.id), []);
  });
});

describe("PCS-IMG-010 several processes in one container", () => {
  test("fails on a supervisor, a shell that backgrounds a process, or a supervisor behind an init", () => {
    assert.match(supervisorOf(["/usr/bin/supervisord", "-n"])!, /supervisor supervisord/);
    assert.match(supervisorOf(["sh", "-c", "nginx & php-fpm -F"])!, /background/);
    assert.match(supervisorOf(["/bin/bash", "-c", "redis-server &\nexec node app.js"])!, /background/);
    assert.match(supervisorOf(["tini", "--", "runsvdir", "/etc/service"])!, /runsvdir/);
    assert.deepEqual(ids({ config: { ...GOOD, Entrypoint: ["/bin/sh", "-c"], Cmd: ["cron & exec nginx -g 'daemon off;'"] } }, "PCS-IMG-010"), ["PCS-IMG-010 $.config.Entrypoint"]);
  });
  test("passes on one process, && chains and redirections", () => {
    for (const command of [["/app/server"], ["sh", "-c", "migrate && exec server"], ["sh", "-c", "server >/dev/null 2>&1"], ["tini", "--", "/app/server"], []]) assert.equal(supervisorOf(command), undefined, command.join(" "));
  });
});

describe("PCS-IMG-011 no HEALTHCHECK", () => {
  test("fails without one or with NONE, passes with a command", () => {
    assert.deepEqual(ids({ config: { ...GOOD, Healthcheck: undefined } }, "PCS-IMG-011"), ["PCS-IMG-011 $.config.Healthcheck"]);
    assert.deepEqual(ids({ config: { ...GOOD, Healthcheck: { Test: ["NONE"] } } }, "PCS-IMG-011"), ["PCS-IMG-011 $.config.Healthcheck"]);
    assert.deepEqual(ids({ config: GOOD }, "PCS-IMG-011"), []);
  });
});

describe("PCS-IMG-012 package manager caches", () => {
  test("fails on a cache with bytes, passes on empty cache directories and lock files", () => {
    assert.deepEqual(ids({ config: GOOD, files: { "/var/lib/apt/lists/x_InRelease": ["f", 0o644, 5000, 1], "/var/cache/apk/APKINDEX.tar.gz": ["f", 0o644, 900] } }, "PCS-IMG-012"), ["PCS-IMG-012 /var/cache/apk", "PCS-IMG-012 /var/lib/apt/lists"]);
    assert.deepEqual(ids({ config: GOOD, files: { "/var/lib/apt/lists": ["d", 0o755], "/var/lib/apt/lists/lock": ["f", 0o640, 0] } }, "PCS-IMG-012"), []);
  });
});

test("every image rule is tested here, and a directory tree is judged by the filesystem rules only", () => {
  assert.deepEqual(
    IMAGE_RULES.map((r) => r.id),
    Array.from({ length: 12 }, (_, i) => `PCS-IMG-${String(i + 1).padStart(3, "0")}`),
  );
  assert.ok(FILESYSTEM_RULES.every((r) => !["PCS-IMG-001", "PCS-IMG-002", "PCS-IMG-010", "PCS-IMG-011"].includes(r.id)));
});

test("the layer breakdown adds up each layer's files and names its largest directories", () => {
  const { hardening } = checkImage(image({ config: GOOD }));
  assert.deepEqual(
    hardening.layers.map((l) => `${l.index} ${l.files} ${l.bytes} ${l.largest.map((d) => `${d.path}=${d.bytes}`).join(",")}`),
    ["0 2 1200300 /usr/bin=1200000,/usr/share=300", "1 1 250000 /usr/bin=250000"],
  );
  assert.equal(hardening.bytes, 1_450_300);
});
