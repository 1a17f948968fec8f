import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { LayerFile } from "../inventory/index.js";
import { secretsAnalyzer } from "./secrets-analyzer.js";

// Shaped like a GitHub token, made up for this test.
const TOKEN = "ghp_R8mQ2vX7kL4pW9tZ3nB6cY1dF5gH0jK2sA7e";

/** A layer file served in small chunks that are reused, as the layer walk serves them. */
function file(path: string, bytes: Buffer): LayerFile {
  return {
    path,
    layer: "sha256:1111",
    size: bytes.length,
    mode: 0o755,
    bytes: () => Promise.resolve(bytes),
    async *chunks() {
      const view = Buffer.alloc(4096);
      for (let at = 0; at < bytes.length; at += view.length) {
        const n = bytes.copy(view, 0, at, at + view.length);
        yield view.subarray(0, n);
      }
    },
  };
}

// A real program with a token linked into it, as a build can leave one.
const binary = Buffer.concat([readFileSync("/usr/bin/true"), Buffer.from(`\0token=${TOKEN}\0`)]);

test("a text file's secrets come back as findings with the file's path and layer", async () => {
  const result = await secretsAnalyzer().analyze(file("/app/.env", Buffer.from(`# deploy\nGITHUB_TOKEN=${TOKEN}\n`)));
  assert.deepEqual(result?.findings?.map((f) => `${f.id} ${f.location?.path}:${f.location?.line} ${f.location?.layer}`), ["PCS-SEC-007 /app/.env:2 sha256:1111"]);
  assert.ok(!JSON.stringify(result).includes(TOKEN));
});

test("a binary is left alone unless binaries are asked for, and the two are cached apart", async () => {
  assert.equal(await secretsAnalyzer().analyze(file("/usr/local/bin/tool", binary)), null);
  const asked = secretsAnalyzer({ binaries: true });
  const found = await asked.analyze(file("/usr/local/bin/tool", binary));
  assert.deepEqual(found?.findings?.map((f) => f.id), ["PCS-SEC-007"]);
  assert.notEqual(asked.name, secretsAnalyzer().name);
});

test("only files up to the size cap, outside documentation, are asked for", () => {
  const a = secretsAnalyzer();
  assert.equal(a.wants("/app/config.yaml", { size: 100, mode: 0o644 }), true);
  assert.equal(a.wants("/app/empty", { size: 0, mode: 0o644 }), false);
  assert.equal(a.wants("/app/huge.log", { size: 2 * 1024 * 1024, mode: 0o644 }), false);
  assert.equal(a.wants("/usr/share/doc/git/README", { size: 100, mode: 0o644 }), false);
});
