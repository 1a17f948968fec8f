import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { InputError } from "../../common/index.js";
import type { Package } from "../model.js";
import { nodePackageAnalyzer, parseInstalledPackageJson } from "./node.js";
import { memoryFile as layerFile } from "../../../test/support/layer-file.js";

const project = fileURLToPath(new URL("./testdata/node/project/", import.meta.url));

/** Regular files under `dir`, as the layer walker sees them (symlinks are links, not files). */
function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = lstatSync(full);
    if (st.isDirectory()) out.push(...files(full));
    else if (st.isFile()) out.push(full);
  }
  return out;
}

describe("installed npm packages (node_modules/*/package.json)", () => {
  let app: string;
  before(() => {
    // A real install from the npm registry: nested copies, a scoped package, an alias, a workspace link.
    app = mkdtempSync(join(tmpdir(), "portcullis-node-"));
    cpSync(project, app, { recursive: true });
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: app, stdio: "pipe" });
  });
  after(() => rmSync(app, { recursive: true, force: true }));

  async function scan(): Promise<{ claimed: string[]; packages: Package[] }> {
    const claimed: string[] = [];
    const packages: Package[] = [];
    for (const full of files(app)) {
      const path = `/app/${relative(app, full)}`;
      const bytes = readFileSync(full);
      if (!nodePackageAnalyzer.wants(path, { size: bytes.length, mode: 0o644 })) continue;
      claimed.push(path);
      packages.push(...((await nodePackageAnalyzer.analyze(layerFile(path, bytes)))?.packages ?? []));
    }
    return { claimed: claimed.sort(), packages };
  }

  it("claims the package.json directly under each node_modules folder, and no other", async () => {
    const { claimed } = await scan();
    assert.deepEqual(claimed, [
      "/app/node_modules/@types/minimist/package.json",
      "/app/node_modules/async/package.json",
      "/app/node_modules/debug/node_modules/ms/package.json",
      "/app/node_modules/debug/package.json",
      "/app/node_modules/is-number/package.json",
      "/app/node_modules/json-schema/package.json",
      "/app/node_modules/minimist/package.json",
      "/app/node_modules/ms-alias/package.json",
      "/app/node_modules/ms/package.json",
    ]);
  });

  it("reports every installed copy with its own version, scoped names and aliases by their real name", async () => {
    const { packages } = await scan();
    const found = packages.map((p) => `${p.purl} ${p.paths.join(",")}`).sort();
    assert.deepEqual(found, [
      "pkg:npm/%40types/minimist@1.2.5 /app/node_modules/@types/minimist/package.json",
      "pkg:npm/async@0.2.10 /app/node_modules/async/package.json",
      "pkg:npm/debug@2.6.9 /app/node_modules/debug/package.json",
      "pkg:npm/is-number@7.0.0 /app/node_modules/is-number/package.json",
      "pkg:npm/json-schema@0.2.3 /app/node_modules/json-schema/package.json",
      "pkg:npm/minimist@1.2.0 /app/node_modules/minimist/package.json",
      "pkg:npm/ms@2.0.0 /app/node_modules/debug/node_modules/ms/package.json",
      "pkg:npm/ms@2.1.2 /app/node_modules/ms-alias/package.json",
      "pkg:npm/ms@2.1.3 /app/node_modules/ms/package.json",
    ]);
    const types = packages.find((p) => p.name === "@types/minimist")!;
    assert.equal(types.type, "npm");
    assert.equal(types.version, "1.2.5");
    assert.equal(types.layer, undefined, "the walker sets the layer");
  });

  it("reads licenses from `license` and from the legacy `licenses` array", async () => {
    const { packages } = await scan();
    const licenses = (name: string): string[] | undefined => packages.find((p) => p.name === name)?.licenses;
    assert.deepEqual(licenses("debug"), ["MIT"]);
    assert.deepEqual(licenses("async"), ["MIT"]); // licenses: [{ type: "MIT", url }]
    assert.deepEqual(licenses("json-schema"), ["AFLv2.1", "BSD"]);
  });

  it("reads the legacy `license: { type }` object form", () => {
    const real = JSON.parse(readFileSync(join(app, "node_modules/async/package.json"), "utf8")) as Record<string, unknown>;
    const [first] = real.licenses as unknown[];
    const manifest = { ...real, licenses: undefined, license: first };
    assert.deepEqual(parseInstalledPackageJson(JSON.stringify(manifest), "/p/package.json")?.licenses, ["MIT"]);
  });

  it("does not claim package.json files inside a package or outside node_modules", () => {
    const info = { size: 100, mode: 0o644 };
    for (const path of [
      "/app/package.json",
      "/app/packages/local-a/package.json",
      "/app/node_modules/foo/lib/package.json",
      "/app/node_modules/@scope/package.json",
      "/app/node_modules/.package-lock.json",
      "/app/node_modules/.pnpm/package.json",
    ]) {
      assert.equal(nodePackageAnalyzer.wants(path, info), false, path);
    }
    assert.equal(nodePackageAnalyzer.wants("/app/node_modules/.pnpm/ms@2.1.3/node_modules/ms/package.json", info), true);
  });

  it("skips a package.json without name or version with a warning", async () => {
    const real = JSON.parse(readFileSync(join(app, "node_modules/ms/package.json"), "utf8")) as Record<string, unknown>;
    delete real.version;
    const result = await nodePackageAnalyzer.analyze(layerFile("/app/node_modules/ms/package.json", Buffer.from(JSON.stringify(real))));
    assert.equal(result?.packages, undefined);
    assert.match(result?.warnings?.[0] ?? "", /without a "name" and "version"/);
  });

  it("rejects malformed JSON with an InputError naming the file", async () => {
    const truncated = readFileSync(join(app, "node_modules/ms/package.json")).subarray(0, 40);
    await assert.rejects(nodePackageAnalyzer.analyze(layerFile("/app/node_modules/ms/package.json", truncated)), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.source, "/app/node_modules/ms/package.json");
      assert.match(err.message, /invalid JSON/);
      return true;
    });
  });
});
