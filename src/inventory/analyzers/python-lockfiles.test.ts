import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Package } from "../model.js";
import { parsePipfileLock, parsePoetryLock, parseRequirementsTxt, pythonLockfileAnalyzer } from "./python-lockfiles.js";
import { memoryFile as layerFile, throwsInputError as rejectsWith } from "../../../test/support/layer-file.js";

const testdata = fileURLToPath(new URL("./testdata/python/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(testdata, name), "utf8");

/** "name@version" plus " dev" for dev-only packages, sorted. */
const summary = (packages: Package[]): string[] => packages.map((p) => `${p.name}@${p.version}${p.dev ? " dev" : ""}`).sort();

describe("requirements files: exact pins only", () => {
  it("pip-compile style: continuation lines with hashes, extras, markers, comments between entries", () => {
    const packages = parseRequirementsTxt(fixture("pip/requirements.txt"), "/app/requirements.txt");
    assert.deepEqual(summary(packages), ["Fixture_Beta.Two@2.1.0", "fixture-alpha@1.0.0", "setuptools@66.1.1", "wheel@0.38.4"]);
    const beta = packages.find((p) => p.name === "Fixture_Beta.Two")!;
    assert.equal(beta.purl, "pkg:pypi/fixture-beta-two@2.1.0");
    assert.deepEqual(beta.paths, ["/app/requirements.txt"]);
  });

  it("hand-kept style: -r includes, === pins, spaces around ==, ranges and unpinned names ignored", () => {
    assert.deepEqual(summary(parseRequirementsTxt(fixture("pip/requirements-dev.txt"), "/app/requirements-dev.txt")), [
      "Fixture_Beta.Two@2.1.0",
      "pip@23.0.1",
    ]);
  });

  it("pipenv's `requirements --hash` output: the hash after the environment marker", () => {
    assert.deepEqual(summary(parseRequirementsTxt(fixture("pipenv/requirements.txt"), "/app/requirements.txt")), [
      "fixture-alpha@1.0.0",
      "fixture-beta.two@2.1.0",
      "setuptools@66.1.1",
      "wheel@0.38.4",
    ]);
    assert.deepEqual(summary(parseRequirementsTxt(fixture("pipenv/requirements-dev.txt"), "/app/requirements-dev.txt")), ["pip@23.0.1"]);
  });
});

describe("poetry.lock and Pipfile.lock", () => {
  it("poetry.lock (Poetry 1.3): every [[package]], category dev marked", () => {
    const packages = parsePoetryLock(fixture("poetry/poetry.lock"), "/app/poetry.lock");
    assert.deepEqual(summary(packages), ["fixture-alpha@1.0.0", "fixture-beta-two@2.1.0", "setuptools@66.1.1 dev", "wheel@0.38.4"]);
    assert.ok(packages.every((p) => p.type === "pypi" && p.paths[0] === "/app/poetry.lock"));
  });

  it("Pipfile.lock: default and develop sections, == versions", () => {
    const packages = parsePipfileLock(fixture("pipenv/Pipfile.lock"), "/app/Pipfile.lock");
    assert.deepEqual(summary(packages), ["fixture-alpha@1.0.0", "fixture-beta.two@2.1.0", "pip@23.0.1 dev", "setuptools@66.1.1", "wheel@0.38.4"]);
    assert.equal(packages.find((p) => p.name === "fixture-beta.two")?.purl, "pkg:pypi/fixture-beta-two@2.1.0");
  });

  it("malformed poetry.lock: line and column", () => {
    const text = fixture("poetry/poetry.lock").replace('name = "wheel"', 'name = "wheel');
    rejectsWith(() => parsePoetryLock(text, "/app/poetry.lock"), "/app/poetry.lock", /line \d+, column \d+: invalid TOML/);
  });

  it("poetry.lock [[package]] without a version: its index", () => {
    const text = fixture("poetry/poetry.lock").replace('version = "66.1.1"\n', "");
    rejectsWith(() => parsePoetryLock(text, "/app/poetry.lock"), "/app/poetry.lock", /package\[2\]: expected "name" and "version" strings/);
  });

  it("Pipfile.lock: bad JSON, and a version of the wrong type with its JSON path", () => {
    rejectsWith(() => parsePipfileLock(fixture("pipenv/Pipfile.lock").slice(0, 200), "/app/Pipfile.lock"), "/app/Pipfile.lock", /invalid JSON/);
    const doc = JSON.parse(fixture("pipenv/Pipfile.lock")) as { develop: { pip: { version: unknown } } };
    doc.develop.pip.version = 23;
    rejectsWith(() => parsePipfileLock(JSON.stringify(doc), "/app/Pipfile.lock"), "/app/Pipfile.lock", /\$\.develop\["pip"\]\.version: expected a string/);
  });
});

describe("the Python lockfile analyzer", () => {
  it("claims the project's lockfiles, not those inside installed packages", () => {
    const info = { size: 100, mode: 0o644 };
    for (const path of ["/app/requirements.txt", "/app/requirements-dev.txt", "/srv/poetry.lock", "/srv/Pipfile.lock"]) {
      assert.equal(pythonLockfileAnalyzer.wants(path, info), true, path);
    }
    for (const path of [
      "/usr/lib/python3/dist-packages/foo/requirements.txt",
      "/usr/local/lib/python3.11/site-packages/bar/poetry.lock",
      "/app/Pipfile",
      "/app/pyproject.toml",
      "/app/dev-requirements.in",
    ]) {
      assert.equal(pythonLockfileAnalyzer.wants(path, info), false, path);
    }
  });

  it("dispatches on the file name", async () => {
    const result = await pythonLockfileAnalyzer.analyze(layerFile("/srv/Pipfile.lock", fixture("pipenv/Pipfile.lock")));
    assert.equal(result?.packages?.length, 5);
  });
});
