import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LIMITS, openRootfs } from "../image/index.js";
import { analyzeLayer } from "./analyze-layer.js";
import { ANALYZERS } from "./analyzers/index.js";

test("a file larger than the in-memory limit is skipped with a warning naming it; the walk goes on", async () => {
  const root = mkdtempSync(join(tmpdir(), "pcs-analyze-"));
  mkdirSync(join(root, "opt/lib"), { recursive: true });
  mkdirSync(join(root, "etc"), { recursive: true });
  // A real jar from Debian's libcommons-lang3-java, and the host's os-release after it in walk order.
  const jar = realpathSync("/usr/share/java/commons-lang3.jar");
  copyFileSync(jar, join(root, "opt/lib/commons-lang3.jar"));
  copyFileSync(realpathSync("/etc/os-release"), join(root, "etc/os-release"));
  const size = statSync(jar).size;
  const image = await openRootfs(root, "dir:x");
  const small = await analyzeLayer(image.layers[0]!, ANALYZERS, { ...DEFAULT_LIMITS, maxFileBytes: Math.floor(size / 2) });
  assert.equal(small.warnings.length, 1);
  assert.match(small.warnings[0]!, /\/opt\/lib\/commons-lang3\.jar: skipped by java-archive: .*larger than the in-memory limit/);
  assert.ok(small.files.some((f) => f.path === "/etc/os-release"), "files after it are still analyzed");
  const enough = await analyzeLayer(image.layers[0]!, ANALYZERS, DEFAULT_LIMITS);
  assert.deepEqual(enough.warnings, []);
  assert.ok(enough.files.some((f) => f.result.packages?.some((p) => p.name === "org.apache.commons:commons-lang3")));
});
