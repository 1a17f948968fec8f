import { test } from "node:test";
import assert from "node:assert/strict";
import { canonicalPath, normaliseEntryPath, resolveLinkTarget } from "./paths.js";

test("archive member names become absolute image paths; names that climb out are refused", () => {
  assert.equal(normaliseEntryPath("./etc/os-release"), "/etc/os-release");
  assert.equal(normaliseEntryPath("/usr//lib/./x"), "/usr/lib/x");
  // The names tar writes take a shortcut; everything else the careful way.
  for (const [name, expected] of [["./", "/"], [".", "/"], ["//x", "/x"], ["./usr/", "/usr"], ["..foo", "/..foo"], ["a/...b", "/a/...b"], ["a/b/..", "/a"], ["x/.", "/x"], [".//y", "/y"], ["./a/../../b", null]] as const) {
    assert.equal(normaliseEntryPath(name), expected, name);
  }
  assert.equal(normaliseEntryPath("usr/lib/../share"), "/usr/share");
  assert.equal(normaliseEntryPath("../etc/passwd"), null);
  assert.equal(normaliseEntryPath("usr/../../etc/passwd"), null);
});

test("symlink targets resolve against the link's directory, absolute ones against the image root, never above it", () => {
  assert.equal(resolveLinkTarget("/etc/os-release", "../usr/lib/os-release"), "/usr/lib/os-release");
  assert.equal(resolveLinkTarget("/lib", "usr/lib"), "/usr/lib");
  assert.equal(resolveLinkTarget("/etc/x", "/opt/y"), "/opt/y");
  assert.equal(resolveLinkTarget("/etc/x", "../../../../host/etc/shadow"), "/host/etc/shadow");
});

test("paths through symlinked directories become canonical: merged /usr, chains, loops", () => {
  const mergedUsr = new Map([
    ["/bin", "usr/bin"],
    ["/lib", "usr/lib"],
    ["/usr/lib/python3/dist-packages/alias", "../dist-packages/real"],
  ]);
  assert.equal(canonicalPath("/bin/skopeo", mergedUsr), "/usr/bin/skopeo");
  assert.equal(canonicalPath("/lib/python3/dist-packages/alias/METADATA", mergedUsr), "/usr/lib/python3/dist-packages/real/METADATA");
  assert.equal(canonicalPath("/usr/bin/skopeo", mergedUsr), "/usr/bin/skopeo");
  const loop = new Map([["/a", "/b"], ["/b", "/a"]]);
  assert.ok(["/a/x", "/b/x"].includes(canonicalPath("/a/x", loop)), "a loop ends after 40 hops");
  assert.equal(canonicalPath("/escape/x", new Map([["/escape", "../../.."]])), "/x", "a link cannot leave the root");
});
