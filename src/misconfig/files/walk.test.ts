import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { InputError } from "../../common/index.js";
import { listFiles } from "./walk.js";

describe("the files of a config scan", () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "portcullis-walk-"));
    const files: [string, string][] = [
      ["k8s/b.yaml", "kind: Pod"],
      ["k8s/a.yaml", "kind: Pod"],
      ["Dockerfile", "FROM scratch"],
      [".git/config", "[core]"],
      ["web/node_modules/x/package.json", "{}"],
      ["web/compose.yaml", "services: {}"],
    ];
    for (const [path, text] of files) {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    await symlink("/etc", join(dir, "etc-link"));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("lists regular files sorted, depth first, skipping .git, node_modules and symbolic links", async () => {
    const files = await listFiles([dir]);
    assert.deepEqual(
      files.map((f) => f.path.slice(dir.length + 1)),
      ["Dockerfile", "k8s/a.yaml", "k8s/b.yaml", "web/compose.yaml"],
    );
    assert.ok(files.every((f) => f.root === dir));
    assert.equal(files[0]!.size, "FROM scratch".length);
  });

  it("takes a named file as it is", async () => {
    const files = await listFiles([join(dir, "k8s/a.yaml")]);
    assert.deepEqual(files, [{ path: join(dir, "k8s/a.yaml"), size: 9, root: undefined }]);
  });

  it("names a path that does not exist", async () => {
    await assert.rejects(listFiles([join(dir, "missing")]), (err: unknown) => err instanceof InputError && /missing: no such file or directory/.test(err.message));
  });

  it("stops at the file limit with a clear error", async () => {
    await assert.rejects(listFiles([dir], { maxFiles: 2 }), /more than 2 files; name a smaller directory/);
  });
});
