/**
 * Alpine secdb: every id under a secfixes key becomes a row "fixed at that
 * apk version" on its branch ("0": not affected), in both the one-package
 * files of the corpus and the branch files Alpine publishes; entries that
 * are not clean ids are split, and their junk named.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import type { Advisory } from "../model.js";
import { parseAlpineSecdb } from "./alpine-secdb.js";

const corpus = fileURLToPath(new URL("../../../../shared/vulndata/alpine/", import.meta.url));
const BRANCHES = ["v3.18", "v3.20"];
const filesOf = (branch: string) => readdirSync(join(corpus, branch, "main")).sort();
const read = (branch: string, file: string) => readFileSync(join(corpus, branch, "main", file), "utf8");

interface PackageFile {
  name: string;
  secfixes: Record<string, string[]>;
  distroversion: string;
  reponame: string;
}

/** "id version" for each row, "0" for not-affected: the secfixes map read back. */
const pairs = (advisories: Advisory[]) => advisories.flatMap((a) => a.affected.map((x) => `${a.id} ${x.package} ${x.state === "not-affected" ? "0" : x.fixedVersion}`)).sort();

describe("the corpus's one-package files", () => {
  it("read without a warning: each id fixed at its version on its branch, the README's 128 and 159 version keys", () => {
    for (const branch of BRANCHES) {
      let keys = 0;
      for (const file of filesOf(branch)) {
        const text = read(branch, file);
        const doc = JSON.parse(text) as PackageFile;
        const r = parseAlpineSecdb(text, file);
        assert.deepEqual(r.warnings, [], file);
        keys += Object.keys(doc.secfixes).length;
        const expected = Object.entries(doc.secfixes)
          .flatMap(([version, ids]) => ids.map((id) => `${id} ${doc.name} ${version}`))
          .sort();
        assert.deepEqual(pairs(r.advisories), expected, file);
        assert.ok(r.advisories.every((a) => a.source === "alpine-secdb" && a.affected.every((x) => x.ecosystem === `Alpine:${branch}`)));
      }
      assert.equal(keys, branch === "v3.18" ? 128 : 159);
    }
  });

  it("keep a fix, a not-affected entry and an ALPINE- id as the files say (zlib and busybox on v3.20)", () => {
    const zlib = parseAlpineSecdb(read("v3.20", "zlib.json"), "zlib.json").advisories;
    assert.deepEqual(zlib.find((a) => a.id === "CVE-2022-37434"), {
      id: "CVE-2022-37434",
      aliases: [],
      source: "alpine-secdb",
      severities: [],
      cwes: [],
      references: [],
      affected: [{ ecosystem: "Alpine:v3.20", package: "zlib", ranges: [], versions: [], state: "fixed", fixedVersion: "1.2.12-r2" }],
    });
    assert.deepEqual(zlib.find((a) => a.id === "CVE-2023-45853")!.affected, [{ ecosystem: "Alpine:v3.20", package: "zlib", ranges: [], versions: [], state: "not-affected" }]);
    const busybox = parseAlpineSecdb(read("v3.20", "busybox.json"), "busybox.json").advisories;
    assert.deepEqual(
      busybox.find((a) => a.id === "ALPINE-13661")!.affected.map((x) => [x.package, x.state, x.fixedVersion]),
      [["busybox", "fixed", "1.35.0-r7"]],
    );
  });
});

describe("the published branch file", () => {
  it("reads the same rows as the one-package files it gathers", () => {
    const docs = filesOf("v3.20").map((f) => JSON.parse(read("v3.20", f)) as PackageFile);
    const branch = { apkurl: "{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk", archs: ["x86_64"], reponame: "main", urlprefix: "https://dl-cdn.alpinelinux.org/alpine", distroversion: "v3.20", packages: docs.map((d) => ({ pkg: { name: d.name, secfixes: d.secfixes } })) };
    const whole = parseAlpineSecdb(JSON.stringify(branch), "main.json");
    assert.deepEqual(whole.warnings, []);
    const separate = filesOf("v3.20").flatMap((f) => parseAlpineSecdb(read("v3.20", f), f).advisories);
    assert.deepEqual(pairs(whole.advisories), pairs(separate));
    // An id fixed in two packages is one advisory with two rows.
    const ids = new Set(separate.map((a) => a.id));
    assert.equal(whole.advisories.length, ids.size);
  });
});

describe("entries that are not one clean id", () => {
  const parse = (secfixes: Record<string, unknown>) => parseAlpineSecdb(JSON.stringify({ distroversion: "v3.20", reponame: "main", packages: [{ pkg: { name: "zlib", secfixes } }] }), "main.json");

  it("split into their ids, naming any other words", () => {
    const r = parse({ "1.2.12-r0": ["CVE-2018-25032 CVE-2022-37434", "CVE-2023-6992 (upstream only)", "see upstream", "cve-2016-9840", "GHSA-JJJJ-2222-3333"], "0": ["CVE-2023-45853", "CVE-2023-45853"] });
    assert.deepEqual(r.warnings, [
      'main.json $.packages[0].pkg.secfixes["1.2.12-r0"][1]: ignored: "(upstream only)" beside CVE-2023-6992 is no advisory id',
      'main.json $.packages[0].pkg.secfixes["1.2.12-r0"][2]: ignored: no advisory id in "see upstream"',
    ]);
    assert.deepEqual(pairs(r.advisories), [
      "CVE-2016-9840 zlib 1.2.12-r0",
      "CVE-2018-25032 zlib 1.2.12-r0",
      "CVE-2022-37434 zlib 1.2.12-r0",
      "CVE-2023-45853 zlib 0",
      "CVE-2023-6992 zlib 1.2.12-r0",
      "GHSA-jjjj-2222-3333 zlib 1.2.12-r0",
    ]);
  });

  it("are skipped one by one when they are no text, and a version key when it is no version or holds no list", () => {
    const r = parse({ "1.2.12-r0": ["CVE-2018-25032", 7], "1.3-r0": "CVE-2022-37434", "latest": ["CVE-2023-6992"] });
    assert.deepEqual(r.warnings, [
      'main.json $.packages[0].pkg.secfixes["1.2.12-r0"][1]: ignored: expected an id, got a number',
      'main.json $.packages[0].pkg.secfixes["1.3-r0"]: skipped: expected a list of ids, got a string',
      "main.json $.packages[0].pkg.secfixes.latest: skipped: not an apk version",
    ]);
    assert.deepEqual(pairs(r.advisories), ["CVE-2018-25032 zlib 1.2.12-r0"]);
  });
});

describe("files it cannot read", () => {
  it("skip the bad package, or the whole file when its branch or shape is unknown", () => {
    const branch = (packages: unknown) => parseAlpineSecdb(JSON.stringify({ distroversion: "v3.20", packages }), "main.json");
    assert.deepEqual(branch([{ pkg: { name: "zlib", secfixes: ["CVE-2022-37434"] } }, { pkg: { secfixes: {} } }, "musl", { pkg: { name: "curl" } }]).warnings, [
      "main.json $.packages[0].pkg.secfixes: skipped: expected an object of fixed versions, got an array",
      "main.json $.packages[1].pkg.name: skipped: expected a package name, got nothing",
      "main.json $.packages[2].pkg: skipped: expected an object, got a string",
    ]);
    const zlib = read("v3.20", "zlib.json");
    assert.deepEqual(parseAlpineSecdb(zlib.replace('"distroversion": "v3.20"', '"distroversion": "3.20"'), "zlib.json").warnings, ['zlib.json $.distroversion: skipped: expected a branch such as "v3.20", got "3.20"']);
    assert.deepEqual(parseAlpineSecdb('{"distroversion": "v3.20"}', "x.json").warnings, ["x.json $: skipped: expected packages[] (a branch file) or name and secfixes (a package file)"]);
    assert.match(parseAlpineSecdb(zlib.slice(0, 100), "cut.json").warnings[0]!, /^cut\.json: skipped: not valid JSON \(.+\)$/);
    assert.deepEqual(parseAlpineSecdb(zlib, "zlib.json", { maxChars: 100 }).warnings, [`zlib.json: skipped: ${zlib.length} characters is more than a secdb file may hold (100)`]);
  });
});
