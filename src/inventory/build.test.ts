import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRootfs } from "../image/index.js";
import { inventoryOf } from "./build.js";

/**
 * A merged-/usr root filesystem: /bin is a symlink to usr/bin, a real Go
 * binary (Debian's skopeo) sits in /usr/bin, and dpkg's file list names it
 * as /bin/skopeo, the way packages built before the merge list their files.
 */
function mergedUsrRootfs(listed: boolean): string {
  const root = mkdtempSync(join(tmpdir(), "pcs-build-"));
  mkdirSync(join(root, "usr/bin"), { recursive: true });
  mkdirSync(join(root, "var/lib/dpkg/info"), { recursive: true });
  symlinkSync("usr/bin", join(root, "bin"));
  copyFileSync("/usr/bin/skopeo", join(root, "usr/bin/skopeo"));
  const paragraph = readFileSync("/var/lib/dpkg/status", "utf8").split("\n\n").find((p) => /^Package: skopeo$/m.test(p));
  assert.ok(paragraph, "skopeo is installed on this machine (scripts/test-packages.sh installs it)");
  writeFileSync(join(root, "var/lib/dpkg/status"), `${paragraph}\n`);
  writeFileSync(join(root, "var/lib/dpkg/info/skopeo.list"), listed ? "/.\n/bin\n/bin/skopeo\n" : "/.\n");
  return root;
}

test("a binary dpkg owns under a symlinked directory is the deb package's, not a Go package again", async () => {
  const inv = await inventoryOf(await openRootfs(mergedUsrRootfs(true), "dir:x"));
  assert.deepEqual(inv.packages.map((p) => `${p.type}:${p.name}`), ["deb:skopeo"]);
});

test("the same binary not owned by any package is reported by its build info", async () => {
  const inv = await inventoryOf(await openRootfs(mergedUsrRootfs(false), "dir:x"));
  assert.ok(inv.packages.some((p) => p.type === "golang" && p.name === "stdlib" && p.paths[0] === "/usr/bin/skopeo"), JSON.stringify(inv.packages.map((p) => p.name)));
});
