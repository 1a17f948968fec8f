import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Package } from "../model.js";
import { nodeLockfileAnalyzer, parsePackageLock, parsePnpmLock, parseYarnLock } from "./node-lockfiles.js";
import { memoryFile as layerFile, throwsInputError as rejectsWith } from "../../../test/support/layer-file.js";

const testdata = fileURLToPath(new URL("./testdata/node/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(testdata, "lockfiles", name), "utf8");

/** "name@version" plus " dev" for dev-only packages, sorted: the shape a reader checks at a glance. */
const summary = (packages: Package[]): string[] => packages.map((p) => `${p.name}@${p.version}${p.dev ? " dev" : ""}`).sort();

/** What the committed lockfiles of testdata/node/lockfiles resolve to (see its package.json). */
const LOCKED = [
  "@types/minimist@1.2.5",
  "ajv-keywords@5.1.0",
  "ajv@8.17.1",
  "debug@2.6.9",
  "fast-deep-equal@3.1.3",
  "fast-uri@3.1.9",
  "is-number@7.0.0", // from the workspace package local-a
  "json-schema-traverse@1.0.0",
  "minimist@1.2.0",
  "ms@2.0.0",
  "ms@2.1.2", // the alias ms-alias → npm:ms@2.1.2
  "ms@2.1.3",
  "require-from-string@2.0.2",
];
const LOCKED_WITH_DEV = LOCKED.map((p) => (p === "minimist@1.2.0" ? "minimist@1.2.0 dev" : p));

describe("package-lock.json v2 and v3, made by the npm on this machine", () => {
  let dir: string;
  let v3: string;
  let v2: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "portcullis-npm-lock-"));
    cpSync(join(testdata, "project"), dir, { recursive: true });
    const npm = (...args: string[]): void => {
      execFileSync("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error", ...args], { cwd: dir, stdio: "pipe" });
    };
    npm();
    v3 = readFileSync(join(dir, "package-lock.json"), "utf8");
    npm("--lockfile-version", "2");
    v2 = readFileSync(join(dir, "package-lock.json"), "utf8");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const EXPECTED = [
    "@types/minimist@1.2.5",
    "async@0.2.10",
    "debug@2.6.9",
    "is-number@7.0.0",
    "json-schema@0.2.3",
    "minimist@1.2.0 dev",
    "ms@2.0.0",
    "ms@2.1.2",
    "ms@2.1.3",
  ];

  it("v3: every node_modules entry, with dev flags; not the root, the workspace link or the workspace folder", () => {
    assert.equal(JSON.parse(v3).lockfileVersion, 3);
    const packages = parsePackageLock(v3, "/app/package-lock.json");
    assert.deepEqual(summary(packages), EXPECTED);
    const types = packages.find((p) => p.name === "@types/minimist")!;
    assert.equal(types.purl, "pkg:npm/%40types/minimist@1.2.5");
    assert.deepEqual(types.licenses, ["MIT"]);
    assert.deepEqual(types.paths, ["/app/package-lock.json"]);
  });

  it("v2: the same packages from the `packages` map", () => {
    assert.equal(JSON.parse(v2).lockfileVersion, 2);
    assert.deepEqual(summary(parsePackageLock(v2, "/app/package-lock.json")), EXPECTED);
  });

  it("names the JSON path of an entry that is not an object", () => {
    const doc = JSON.parse(v3) as { packages: Record<string, unknown> };
    doc.packages["node_modules/debug"] = "2.6.9";
    rejectsWith(() => parsePackageLock(JSON.stringify(doc), "/app/package-lock.json"), "/app/package-lock.json", /\$\.packages\["node_modules\/debug"\]: expected an object/);
  });
});

describe("committed lockfiles of the same project made by npm 6, yarn 1, yarn 4 and pnpm 7, 8 and 9", () => {
  it("package-lock.json v1 (npm 6): the nested dependencies tree, aliases by their real name, dev flags", () => {
    const packages = parsePackageLock(fixture("package-lock.v1.json"), "/app/package-lock.json");
    // npm 6 knows no workspaces, so local-a's is-number is not there.
    assert.deepEqual(summary(packages), LOCKED_WITH_DEV.filter((p) => !p.startsWith("is-number")));
  });

  it("yarn.lock v1: one package per entry, specs that share an entry counted once", () => {
    const packages = parseYarnLock(fixture("yarn-v1.lock"), "/app/yarn.lock");
    assert.deepEqual(summary(packages), LOCKED);
    assert.equal(packages.find((p) => p.name === "@types/minimist")?.purl, "pkg:npm/%40types/minimist@1.2.5");
  });

  it("yarn.lock of yarn berry (YAML): npm resolutions only, no workspaces", () => {
    assert.deepEqual(summary(parseYarnLock(fixture("yarn-berry.lock"), "/app/yarn.lock")), LOCKED);
  });

  it("pnpm-lock.yaml 5.4: /name/version keys, peer suffixes stripped, dev flags", () => {
    assert.deepEqual(summary(parsePnpmLock(fixture("pnpm-lock.v5.yaml"), "/app/pnpm-lock.yaml")), LOCKED_WITH_DEV);
  });

  it("pnpm-lock.yaml 6.0: /name@version(peer) keys", () => {
    assert.deepEqual(summary(parsePnpmLock(fixture("pnpm-lock.v6.yaml"), "/app/pnpm-lock.yaml")), LOCKED_WITH_DEV);
  });

  it("pnpm-lock.yaml 9.0: dev-only packages found through the importers and snapshots", () => {
    assert.deepEqual(summary(parsePnpmLock(fixture("pnpm-lock.v9.yaml"), "/app/pnpm-lock.yaml")), LOCKED_WITH_DEV);
  });
});

describe("the node lockfile analyzer", () => {
  it("claims lockfiles outside node_modules only", () => {
    const info = { size: 100, mode: 0o644 };
    for (const path of ["/app/package-lock.json", "/app/npm-shrinkwrap.json", "/srv/web/yarn.lock", "/pnpm-lock.yaml"]) {
      assert.equal(nodeLockfileAnalyzer.wants(path, info), true, path);
    }
    for (const path of ["/app/node_modules/.package-lock.json", "/app/node_modules/foo/yarn.lock", "/app/package.json", "/app/yarn.lock.bak"]) {
      assert.equal(nodeLockfileAnalyzer.wants(path, info), false, path);
    }
  });

  it("turns a file into packages that carry its path", async () => {
    const result = await nodeLockfileAnalyzer.analyze(layerFile("/srv/web/pnpm-lock.yaml", fixture("pnpm-lock.v9.yaml")));
    assert.equal(result?.packages?.length, LOCKED.length);
    assert.ok(result?.packages?.every((p) => p.type === "npm" && p.paths[0] === "/srv/web/pnpm-lock.yaml" && p.layer === undefined));
  });
});

describe("broken lockfiles are InputErrors that say where", () => {
  it("malformed package-lock.json", () => {
    rejectsWith(() => parsePackageLock(fixture("package-lock.v1.json").slice(0, 300), "/app/package-lock.json"), "/app/package-lock.json", /invalid JSON/);
  });

  it("yarn v1: a file cut off inside an entry line, with its line", () => {
    const text = fixture("yarn-v1.lock");
    const cut = text.slice(0, text.indexOf('"ms-alias@npm:ms@2.1.2":') + 10);
    rejectsWith(() => parseYarnLock(cut, "/app/yarn.lock"), "/app/yarn.lock", /line 59: expected "<package specs>:"/);
  });

  it("yarn v1: an unterminated string, with its line", () => {
    const text = fixture("yarn-v1.lock").replace('"ms-alias@npm:ms@2.1.2":', '"ms-alias@npm:ms@2.1.2:');
    rejectsWith(() => parseYarnLock(text, "/app/yarn.lock"), "/app/yarn.lock", /line 59: unterminated string/);
  });

  it("yarn v1: an entry without a version, with its line", () => {
    const text = fixture("yarn-v1.lock").replace('  version "1.2.0"\n', "");
    rejectsWith(() => parseYarnLock(text, "/app/yarn.lock"), "/app/yarn.lock", /line 54: entry "minimist@1.2.0" has no "version"/);
  });

  it("yarn v1: text that is not a lockfile", () => {
    rejectsWith(() => parseYarnLock(fixture("package-lock.v1.json"), "/app/yarn.lock"), "/app/yarn.lock", /line 1: expected "<package specs>:"/);
  });

  it("pnpm: malformed YAML, with line and column", () => {
    const text = fixture("pnpm-lock.v9.yaml").replace("  ajv@8.17.1:\n    resolution: {integrity:", "  ajv@8.17.1:\n    resolution: {integrity: [");
    rejectsWith(() => parsePnpmLock(text, "/app/pnpm-lock.yaml"), "/app/pnpm-lock.yaml", /line \d+, column \d+: invalid YAML/);
  });

  it("pnpm: an alias bomb is refused", () => {
    const lines = ["lockfileVersion: '9.0'", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    rejectsWith(() => parsePnpmLock(lines.join("\n"), "/app/pnpm-lock.yaml"), "/app/pnpm-lock.yaml", /invalid YAML.*alias/i);
  });

  it("yarn berry: an entry without a resolution", () => {
    const text = fixture("yarn-berry.lock").replace('  resolution: "debug@npm:2.6.9"\n', "");
    rejectsWith(() => parseYarnLock(text, "/app/yarn.lock"), "/app/yarn.lock", /entry "debug@npm:\^2.6.9": expected a "resolution" string/);
  });
});
