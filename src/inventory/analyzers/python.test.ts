import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Package } from "../model.js";
import { normalizePythonName, parsePythonMetadata, pythonPackageAnalyzer } from "./python.js";
import { memoryFile as layerFile, throwsInputError } from "../../../test/support/layer-file.js";

const testdata = fileURLToPath(new URL("./testdata/python/", import.meta.url));
const fixture = (name: string): string => readFileSync(join(testdata, name), "utf8");

async function analyze(fixturePath: string, imagePath: string): Promise<Package> {
  const result = await pythonPackageAnalyzer.analyze(layerFile(imagePath, fixture(fixturePath)));
  assert.equal(result?.packages?.length, 1);
  return result.packages[0]!;
}

const rejectsWith = (fn: () => unknown, pattern: RegExp): void => throwsInputError(fn, "/site/x.dist-info/METADATA", pattern);

const SITE = "/usr/local/lib/python3.11/site-packages";
const DIST = "/usr/lib/python3/dist-packages";

describe("installed Python distributions", () => {
  it("claims dist-info METADATA, egg-info PKG-INFO and egg-info files, nothing else of theirs", () => {
    const info = { size: 100, mode: 0o644 };
    for (const path of [`${SITE}/six-1.16.0.dist-info/METADATA`, `${DIST}/six-1.16.0.egg-info/PKG-INFO`, `${DIST}/crit-3.17.1-py3.11.egg-info`]) {
      assert.equal(pythonPackageAnalyzer.wants(path, info), true, path);
    }
    for (const path of [`${SITE}/six-1.16.0.dist-info/RECORD`, `${DIST}/six-1.16.0.egg-info/SOURCES.txt`, `${SITE}/six.py`, `${SITE}/METADATA`]) {
      assert.equal(pythonPackageAnalyzer.wants(path, info), false, path);
    }
  });

  it("wheel METADATA: name as written, PEP 503 purl, short License", async () => {
    const path = `${SITE}/fixture_alpha-1.0.0.dist-info/METADATA`;
    const pkg = await analyze("site-packages/fixture_alpha-1.0.0.dist-info/METADATA", path);
    assert.deepEqual(pkg, {
      name: "fixture-alpha",
      version: "1.0.0",
      type: "pypi",
      purl: "pkg:pypi/fixture-alpha@1.0.0",
      licenses: ["Apache-2.0"],
      paths: [path],
    });
  });

  it("a License field holding a whole licence text falls back to the classifiers", async () => {
    const pkg = await analyze("site-packages/Fixture_Beta.Two-2.1.0.dist-info/METADATA", `${SITE}/Fixture_Beta.Two-2.1.0.dist-info/METADATA`);
    assert.equal(pkg.name, "Fixture-Beta.Two");
    assert.equal(pkg.purl, "pkg:pypi/fixture-beta-two@2.1.0");
    assert.deepEqual(pkg.licenses, ["MIT License"]);
  });

  it("License-Expression (metadata 2.4) wins", async () => {
    const pkg = await analyze("site-packages/mypy_extensions-1.1.0.dist-info/METADATA", `${SITE}/mypy_extensions-1.1.0.dist-info/METADATA`);
    assert.equal(pkg.purl, "pkg:pypi/mypy-extensions@1.1.0");
    assert.deepEqual(pkg.licenses, ["MIT"]);
  });

  it("License: UNKNOWN is no licence; the classifier names it", async () => {
    const pkg = await analyze("site-packages/ptyprocess-0.7.0.dist-info/METADATA", `${SITE}/ptyprocess-0.7.0.dist-info/METADATA`);
    assert.deepEqual(pkg.licenses, ["ISC License (ISCL)"]);
  });

  it("egg-info PKG-INFO (Debian python3-six) and a distutils egg-info file (Debian criu)", async () => {
    const six = await analyze("dist-packages/six-1.16.0.egg-info/PKG-INFO", `${DIST}/six-1.16.0.egg-info/PKG-INFO`);
    assert.equal(six.purl, "pkg:pypi/six@1.16.0");
    assert.deepEqual(six.licenses, ["MIT"]);
    const crit = await analyze("dist-packages/crit-3.17.1-py3.11.egg-info", `${DIST}/crit-3.17.1-py3.11.egg-info`);
    assert.equal(crit.purl, "pkg:pypi/crit@3.17.1");
    assert.deepEqual(crit.licenses, ["GPLv2"]);
  });

  it("stops at the first empty line: the description body is not read as headers", () => {
    const text = fixture("site-packages/mypy_extensions-1.1.0.dist-info/METADATA");
    assert.match(text, /\n\nMypy Extensions\n=+\n/);
    assert.equal(parsePythonMetadata(text, "/site/x.dist-info/METADATA").version, "1.1.0");
  });

  it("normalises names as PEP 503 does", () => {
    assert.equal(normalizePythonName("Fixture_Beta.Two"), "fixture-beta-two");
    assert.equal(normalizePythonName("zope..interface"), "zope-interface");
    assert.equal(normalizePythonName("A-_-B"), "a-b");
  });

  it("a missing Version is an InputError", () => {
    const text = fixture("dist-packages/six-1.16.0.egg-info/PKG-INFO").replace("Version: 1.16.0\n", "");
    rejectsWith(() => parsePythonMetadata(text, "/site/x.dist-info/METADATA"), /missing "Version" header/);
  });

  it("text that is not core metadata is an InputError with the line", () => {
    rejectsWith(() => parsePythonMetadata(fixture("pipenv/Pipfile.lock"), "/site/x.dist-info/METADATA"), /line 1: expected "Name: value"/);
  });
});
