import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Inventory, OsInfo, Package } from "../inventory/index.js";
import { severityFromVector, VulnStore, type Advisory } from "../vulndb/index.js";
import { parseAlpineSecdb } from "../vulndb/sources/alpine-secdb.js";
import { parseDebianTracker } from "../vulndb/sources/debian-tracker.js";
import { parseNodejsWg } from "../vulndb/sources/nodejs-wg.js";
import { parseOsv } from "../vulndb/sources/osv.js";
import { Matcher } from "./match.js";

const corpus = fileURLToPath(new URL("../../../shared/vulndata/", import.meta.url));
const read = (path: string) => readFileSync(join(corpus, path), "utf8");
const work = mkdtempSync(join(tmpdir(), "pcs-match-"));
let store: VulnStore;

const bookworm: OsInfo = { family: "debian", version: "12", codename: "bookworm" };
const alpine320: OsInfo = { family: "alpine", version: "3.20.3" };

function pkg(type: Package["type"], name: string, version: string, source?: { name: string; version?: string }): Package {
  return { name, version, type, purl: `pkg:${type}/${name}@${version}`, licenses: [], paths: ["/somewhere"], layer: "sha256:" + "1".repeat(64), ...(source ? { source } : {}) };
}

function inventory(os: OsInfo | undefined, packages: Package[]): Inventory {
  return { schemaVersion: 1, target: { reference: "test", transport: "sbom", layers: [] }, ...(os ? { os } : {}), packages, warnings: [] };
}

/** A DSA as OSV publishes Debian advisories: it names the CVE as an alias. */
const dsa: Advisory = {
  id: "DSA-5678-1",
  aliases: ["CVE-2024-33599"],
  source: "osv",
  summary: "glibc - security update",
  severities: [],
  cwes: [],
  references: [],
  affected: [{ ecosystem: "Debian:12", package: "glibc", ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.36-9+deb12u7" }] }], versions: [] }],
};

before(() => {
  store = VulnStore.openForWrite(join(work, "db.sqlite"));
  const feeds: [string, Advisory[]][] = [
    ["tracker", parseDebianTracker(read("debian/tracker-subset.json"), "t").advisories],
    ["alpine", parseAlpineSecdb(read("alpine/v3.20/main/openssl.json"), "a").advisories],
    ["ghsa", ["GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm"].flatMap((id) => parseOsv(read(`npm-ghsa/${id}.json`), id, "json").advisories)],
    ["nswg", parseNodejsWg(read("npm-nodejs-wg/index.json"), "i", severityFromVector).advisories],
    ["dsa", [dsa, { ...dsa, id: "GHSA-wwww-xxxx-yyyy", withdrawn: "2024-01-01T00:00:00Z", aliases: [], affected: [{ ...dsa.affected[0]!, package: "zlib" }] }]],
  ];
  for (const [feed, advisories] of feeds) {
    const batch = store.importBatch(feed);
    for (const a of advisories) batch.add(a);
    batch.commit();
  }
});
after(() => {
  store.close();
  rmSync(work, { recursive: true, force: true });
});

describe("matching", () => {
  it("matches a Debian binary package by its source package and source version, with the tracker's verdict", () => {
    const result = new Matcher(store).match(inventory(bookworm, [pkg("deb", "libc6", "2.36-9+deb12u4", { name: "glibc" })]));
    const f = result.findings.find((x) => x.id === "CVE-2024-33599");
    assert.ok(f, result.findings.map((x) => x.id).join(" "));
    assert.deepEqual([f.status, f.fixedVersion, f.package!.name], ["fixed", "2.36-9+deb12u7", "libc6"]);
    assert.deepEqual(f.aliases, ["DSA-5678-1"], "the DSA and the tracker's CVE are one finding");
    assert.deepEqual(f.sources, ["debian-tracker", "osv"]);
    assert.ok(result.findings.some((x) => x.id === "CVE-2025-0395" && x.status === "will-not-fix"), "no-dsa is will-not-fix");
  });

  it("reports nothing the installed version already fixes, nor what the distribution calls not affected", () => {
    const fixed = new Matcher(store).match(inventory(bookworm, [pkg("deb", "libc6", "2.36-9+deb12u10", { name: "glibc" })]));
    assert.equal(fixed.findings.find((x) => x.id === "CVE-2024-33599"), undefined);
    const xz = new Matcher(store).match(inventory(bookworm, [pkg("deb", "liblzma5", "5.4.1-1", { name: "xz-utils" })]));
    assert.equal(xz.findings.find((x) => x.id === "CVE-2024-3094"), undefined, "the tracker says bookworm was never affected");
  });

  it("never matches an OS package against another release, another distribution or a language ecosystem", () => {
    const bullseyeOnly = new Matcher(store).match(inventory({ family: "debian", version: "11", codename: "bullseye" }, [pkg("deb", "libc6", "2.31-13", { name: "glibc" })]));
    assert.ok(bullseyeOnly.findings.every((f) => f.sources!.includes("debian-tracker")), "only Debian:11 rows");
    const debianLodash = new Matcher(store).match(inventory(bookworm, [pkg("deb", "lodash", "4.17.15")]));
    assert.deepEqual(debianLodash.findings, []);
    const noOs = new Matcher(store).match(inventory(undefined, [pkg("deb", "libc6", "2.36-9+deb12u4", { name: "glibc" })]));
    assert.deepEqual([noOs.findings.length, noOs.checked], [0, 0], "without an OS there is no release to match");
  });

  it("matches Alpine packages by origin on their branch", () => {
    const r = new Matcher(store).match(inventory(alpine320, [pkg("apk", "libcrypto3", "3.3.0-r0", { name: "openssl" })]));
    assert.ok(r.findings.length > 0);
    assert.ok(r.findings.every((f) => f.status === "fixed" && f.fixedVersion && f.package!.name === "libcrypto3"));
    const newest = new Matcher(store).match(inventory(alpine320, [pkg("apk", "libcrypto3", "99.0.0-r0", { name: "openssl" })]));
    assert.deepEqual(newest.findings, []);
  });

  it("matches npm packages by range, with the CVE as id, the GHSA as alias, the fix and the highest CVSS", () => {
    const r = new Matcher(store).match(inventory(bookworm, [pkg("npm", "lodash", "4.17.15")]));
    const f = r.findings.find((x) => x.id === "CVE-2020-8203")!;
    assert.ok(f.aliases.includes("GHSA-p6mc-m468-83gw"));
    assert.deepEqual([f.status, f.fixedVersion, f.severity], ["fixed", "4.17.20", "high"]);
    assert.ok(f.ratings!.some((x) => x.type === "CVSS_V3" && x.score === 7.4));
    assert.ok(r.findings.some((x) => x.aliases.includes("NSWG-ECO-516") || x.id === "NSWG-ECO-516"), "legacy advisories by their npm range");
    const patched = new Matcher(store).match(inventory(bookworm, [pkg("npm", "lodash", "4.17.21")]));
    assert.equal(patched.findings.find((x) => x.id === "CVE-2020-8203"), undefined);
  });

  it("ignores withdrawn advisories, and warns once about a version a scheme cannot read", () => {
    const r = new Matcher(store).match(inventory(bookworm, [pkg("deb", "zlib1g", "1:1.2.13.dfsg-1", { name: "zlib" }), pkg("npm", "lodash", "not a version")]));
    assert.ok(r.findings.every((f) => f.id !== "GHSA-wwww-xxxx-yyyy"));
    assert.ok(r.warnings.length > 0 && r.warnings.every((w) => /not evaluated for version not a version: .*\(lodash\)$/.test(w)), r.warnings.join("\n"));
  });
});
