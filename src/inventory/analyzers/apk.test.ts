/**
 * The apk analyzer against a real installed database written by apk-tools
 * (testdata/apk/README.md says how it was made).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parsePurl } from "../purl.js";
import { apkAnalyzer, parseApkInstalled } from "./apk.js";
import { memoryFile as layerFile } from "../../../test/support/layer-file.js";

const INSTALLED = "/lib/apk/db/installed";
const fixture = readFileSync(new URL("./testdata/apk/installed", import.meta.url), "utf8");

test("each installed package gives name, version, arch, license expression and origin as source", () => {
  const { packages } = parseApkInstalled(fixture, INSTALLED);
  assert.deepEqual(
    packages.map((p) => ({ ...p, purl: parsePurl(p.purl) })),
    [
      ["ca-roots", "20240705-r0", "noarch", "MPL-2.0 AND MIT", "ca-roots-src"],
      ["hello", "2.12.1-r0", "x86_64", "GPL-3.0-or-later", "hello"],
      ["hello-doc", "2.12.1-r0", "noarch", "GPL-3.0-or-later", "hello"],
      // No o: line: the package is its own origin.
      ["rootfile", "1.0-r3", "x86_64", "MIT", "rootfile"],
    ].map(([name, version, arch, license, origin]) => ({
      name,
      version,
      type: "apk",
      purl: { type: "apk", namespace: "alpine", name, version, qualifiers: { arch } },
      source: { name: origin, version },
      licenses: [license],
      arch,
      paths: [INSTALLED],
    })),
  );
});

test("F: directories and the R: files after them are the files apk owns, as absolute paths", () => {
  const { ownedFiles } = parseApkInstalled(fixture, INSTALLED);
  assert.deepEqual(ownedFiles, [
    "/etc/ssl/certs/ca-roots.crt",
    "/etc/hello/hello.conf",
    "/usr/bin/hello",
    "/usr/share/doc/hello/README",
    // "F:" alone is the root directory.
    "/.rootfile",
    "/usr/lib/link",
  ]);
});

test("the analyzer wants both database locations and reports packages with owned files", async () => {
  const info = { size: 1, mode: 0o644 };
  assert.equal(apkAnalyzer.wants("/lib/apk/db/installed", info), true);
  assert.equal(apkAnalyzer.wants("/usr/lib/apk/db/installed", info), true);
  assert.equal(apkAnalyzer.wants("/lib/apk/db/triggers", info), false);
  const path = "/usr/lib/apk/db/installed";
  const result = await apkAnalyzer.analyze(layerFile(path, fixture));
  assert.deepEqual(result, parseApkInstalled(fixture, path));
  assert.deepEqual(result?.packages?.[0]?.paths, [path]);
});

test("a package without V:, or an R: without F:, is an error naming the file and the line", () => {
  const lines = fixture.split("\n");
  const helloAt = lines.indexOf("P:hello");
  // The paragraph of "hello" starts on its C: line, just before P:.
  const noVersion = lines.filter((_, i) => i !== helloAt + 1).join("\n");
  assert.equal(lines[helloAt + 1], "V:2.12.1-r0");
  assert.throws(() => parseApkInstalled(noVersion, INSTALLED), new RegExp(`^InputError: /lib/apk/db/installed line ${helloAt}: package "hello" has no "V:"`));

  // Without the F: lines before it, the first R: line moves up to where the first F: was.
  const firstF = lines.findIndex((l) => l.startsWith("F:"));
  const noDir = lines.filter((l, i) => !(l.startsWith("F:") && i < lines.indexOf("R:ca-roots.crt"))).join("\n");
  assert.throws(() => parseApkInstalled(noDir, INSTALLED), new RegExp(`installed line ${firstF + 1}: "R:" \\(file\\) line without an "F:"`));

  assert.throws(() => parseApkInstalled("P:x\nV:1-r0\nnot a field\n", INSTALLED), /installed line 3: expected "X:value"/);
  assert.throws(() => parseApkInstalled("V:1-r0\n", INSTALLED), /installed line 1: package has no "P:"/);
});
