import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import Database from "better-sqlite3";
import { InputError } from "../../../common/index.js";
import type { Package } from "../../model.js";
import { withDistro } from "../dpkg.js";
import { parseRpmdb, parseSourceRpm, rpmAnalyzer } from "./analyzer.js";
import { memoryFile as layerFile } from "../../../../test/support/layer-file.js";

const testdata = new URL("./testdata/", import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, testdata));
const expectedFiles = [...new Set(read("expected-files.tsv").toString("utf8").split("\n").filter(Boolean).map((l) => l.split("\t")[1]!))].sort();

/** The three fixture packages as every backend must report them (gpg-pubkey left out). */
function expectedPackages(path: string): Package[] {
  return [
    {
      name: "hello-tool",
      version: "1.2-3",
      type: "rpm",
      purl: "pkg:rpm/redhat/hello-tool@1.2-3?arch=x86_64",
      source: { name: "hello-tool", version: "1.2-3" },
      licenses: ["MIT"],
      arch: "x86_64",
      paths: [path],
    },
    {
      name: "hello-tool-libs",
      version: "1.2-3",
      type: "rpm",
      purl: "pkg:rpm/redhat/hello-tool-libs@1.2-3?arch=x86_64",
      source: { name: "hello-tool", version: "1.2-3" },
      licenses: ["MIT AND Apache-2.0"],
      arch: "x86_64",
      paths: [path],
    },
    {
      name: "sample-data",
      version: "2:2024a-1.el9",
      type: "rpm",
      purl: "pkg:rpm/redhat/sample-data@2024a-1.el9?arch=noarch&epoch=2",
      source: { name: "sample-data", version: "2:2024a-1.el9" },
      licenses: ["GPL-2.0-or-later AND BSD-3-Clause"],
      arch: "noarch",
      paths: [path],
    },
  ];
}

const byName = (a: Package, b: Package): number => a.name.localeCompare(b.name);

describe("rpmAnalyzer", () => {
  it("wants the rpm databases of every backend at both of rpm's places, and nothing else", () => {
    const info = { size: 1, mode: 0o644 };
    for (const path of [
      "/var/lib/rpm/rpmdb.sqlite",
      "/usr/lib/sysimage/rpm/rpmdb.sqlite",
      "/var/lib/rpm/Packages",
      "/usr/lib/sysimage/rpm/Packages",
      "/var/lib/rpm/Packages.db",
      "/usr/lib/sysimage/rpm/Packages.db",
    ]) {
      assert.equal(rpmAnalyzer.wants(path, info), true, path);
    }
    for (const path of ["/var/lib/rpm/Name", "/var/lib/rpm/rpmdb.sqlite-wal", "/var/lib/rpm/Packages.bak", "/home/x/var/lib/rpm/Packages"]) {
      assert.equal(rpmAnalyzer.wants(path, info), false, path);
    }
  });

  for (const [fixture, path] of [
    ["rpmdb.sqlite", "/var/lib/rpm/rpmdb.sqlite"],
    ["Packages", "/var/lib/rpm/Packages"],
    ["Packages.be512", "/var/lib/rpm/Packages"],
    ["Packages.db", "/usr/lib/sysimage/rpm/Packages.db"],
  ] as const) {
    it(`reports the packages and owned files of ${fixture}, without the gpg-pubkey entry`, async () => {
      const result = await rpmAnalyzer.analyze(layerFile(path, read(fixture)));
      assert.ok(result);
      assert.deepEqual(result.packages?.sort(byName), expectedPackages(path));
      assert.deepEqual(result.ownedFiles?.sort(), expectedFiles);
      assert.deepEqual(result.warnings, []);
    });
  }

  it("tells the backend by content, not by file name", async () => {
    const result = await rpmAnalyzer.analyze(layerFile("/var/lib/rpm/Packages", read("Packages.db")));
    assert.equal(result?.packages?.length, 3);
  });

  it("keeps the epoch in the purl qualifier once withDistro names the distribution", () => {
    const sample = parseRpmdb(read("rpmdb.sqlite"), "/var/lib/rpm/rpmdb.sqlite").packages.find((p) => p.name === "sample-data")!;
    const rhel = withDistro(sample, { family: "rhel", version: "9.4" });
    assert.equal(rhel.purl, "pkg:rpm/rhel/sample-data@2024a-1.el9?arch=noarch&distro=rhel-9.4&epoch=2");
    assert.equal(rhel.version, "2:2024a-1.el9");
  });

  it("skips a package whose header is corrupt with a warning naming it, and keeps the others", () => {
    const db = new Database(read("rpmdb.sqlite").fill(1, 18, 20));
    const blob = (db.prepare("SELECT blob FROM Packages WHERE hnum = 3").get() as { blob: Buffer }).blob;
    db.prepare("UPDATE Packages SET blob = ? WHERE hnum = 3").run(blob.subarray(0, 1000));
    const bytes = db.serialize();
    db.close();
    const result = parseRpmdb(bytes, "/var/lib/rpm/rpmdb.sqlite");
    assert.deepEqual(result.packages.map((p) => p.name).sort(), ["hello-tool-libs", "sample-data"]);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!, /^skipped: \/var\/lib\/rpm\/rpmdb\.sqlite package 3, header offset 1000: header is truncated/);
  });

  it("rejects a file of no rpm database format", () => {
    assert.throws(
      () => parseRpmdb(Buffer.from("#!/bin/sh\necho not a database\n"), "/var/lib/rpm/Packages"),
      (err: unknown) => err instanceof InputError && err.location === "offset 0" && /not an rpm database/.test(err.detail),
    );
  });
});

describe("parseSourceRpm", () => {
  it("splits a source RPM file name into name and version-release", () => {
    assert.deepEqual(parseSourceRpm("foo-1.2-3.src.rpm"), { name: "foo", version: "1.2-3" });
    assert.deepEqual(parseSourceRpm("python3-pip-21.3.1-1.el9.src.rpm"), { name: "python3-pip", version: "21.3.1-1.el9" });
    assert.deepEqual(parseSourceRpm("kernel-5.14.0-427.13.1.el9_4.nosrc.rpm"), { name: "kernel", version: "5.14.0-427.13.1.el9_4" });
  });

  it("gives nothing for names that are not source RPMs", () => {
    assert.equal(parseSourceRpm("(none)"), undefined);
    assert.equal(parseSourceRpm("foo-1.2.src.rpm"), undefined);
    assert.equal(parseSourceRpm("foo-1.2-3.x86_64.rpm"), undefined);
  });
});
