import { test } from "node:test";
import assert from "node:assert/strict";
import { mergeLayers } from "./merge.js";
import type { LayerInventory } from "./layer-inventory.js";
import type { Package } from "./model.js";

function pkg(name: string, version: string, path: string): Package {
  return { name, version, type: "deb", purl: `pkg:deb/debian/${name}@${version}`, licenses: [], paths: [path] };
}

function layer(parts: Partial<LayerInventory>): LayerInventory {
  return { files: [], whiteouts: [], opaques: [], links: [], warnings: [], entries: 0, ...parts };
}

const STATUS = "/var/lib/dpkg/status";

function status(...pkgs: Package[]) {
  return { path: STATUS, analyzer: "dpkg-status", result: { packages: pkgs } };
}

test("a package keeps the lowest layer from which it has been continuously present", () => {
  const merged = mergeLayers([
    layer({ files: [status(pkg("bash", "5.2", STATUS), pkg("curl", "7.88", STATUS))] }),
    layer({ files: [status(pkg("bash", "5.2", STATUS), pkg("curl", "7.88", STATUS), pkg("git", "2.39", STATUS))] }),
    layer({ files: [status(pkg("bash", "5.2", STATUS), pkg("curl", "7.89", STATUS), pkg("git", "2.39", STATUS))] }),
  ]);
  assert.equal(merged.length, 1);
  const names = merged[0]!.result.packages!.map((p, i) => `${p.name}@${p.version}:${merged[0]!.introducedIn[i]}`);
  assert.deepEqual(names, ["bash@5.2:0", "curl@7.89:2", "git@2.39:1"]);
});

test("a whiteout removes the file and everything under a deleted directory", () => {
  const nm = (name: string) => ({ path: `/app/node_modules/${name}/package.json`, analyzer: "node", result: { packages: [pkg(name, "1.0.0", `/app/node_modules/${name}/package.json`)] } });
  const merged = mergeLayers([
    layer({ files: [nm("lodash"), nm("minimist"), nm("express")] }),
    layer({ whiteouts: ["/app/node_modules/minimist"] }),
  ]);
  assert.deepEqual(merged.map((m) => m.path), ["/app/node_modules/express/package.json", "/app/node_modules/lodash/package.json"]);
});

test("an opaque directory hides what lower layers had under it but not what its own layer adds", () => {
  const f = (path: string) => ({ path, analyzer: "a", result: { packages: [pkg("x", "1", path)] } });
  const merged = mergeLayers([
    layer({ files: [f("/opt/a/old.json"), f("/opt/b.json")] }),
    layer({ opaques: ["/opt/a"], files: [f("/opt/a/new.json")] }),
  ]);
  assert.deepEqual(merged.map((m) => m.path), ["/opt/a/new.json", "/opt/b.json"]);
});

test("a file replaced by a symlink no longer contributes", () => {
  const merged = mergeLayers([layer({ files: [status(pkg("bash", "5.2", STATUS))] }), layer({ links: [{ path: STATUS, type: "symlink", target: "/dev/null" }] })]);
  assert.deepEqual(merged, []);
});

test("a hard link carries its target's results under its own path", () => {
  const jar = "/opt/lib/a.jar";
  const merged = mergeLayers([
    layer({
      files: [{ path: jar, analyzer: "java", result: { packages: [{ ...pkg("a", "1", `${jar}!/META-INF/x`), type: "maven" }] } }],
      links: [{ path: "/opt/lib/b.jar", type: "hardlink", target: jar }],
    }),
  ]);
  assert.deepEqual(merged.map((m) => m.result.packages![0]!.paths[0]), [`${jar}!/META-INF/x`, "/opt/lib/b.jar!/META-INF/x"]);
});
