import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Inventory } from "../model.js";
import { readSbom } from "./read.js";
import { toSpdx } from "./spdx.js";
import { alpineInventory, debianAppInventory } from "./testdata/inventories.js";
import { npmSbom } from "./testdata/producers.js";
import { spdx23Validator } from "./testdata/validators.js";

const validate = spdx23Validator();
const FIXED = { toolVersion: "0.1.0", created: "2026-01-15T10:00:00Z", namespace: "https://spdx.org/spdxdocs/portcullis-app-3e671687-395b-41f5-a30f-a58921a69b79" };
const comments = (p: { annotations?: Array<{ comment: string }> }) => (p.annotations ?? []).map((a) => a.comment);

describe("toSpdx", () => {
  it("writes documents that validate against the official SPDX 2.3 JSON schema", () => {
    const fromNpm = readSbom(npmSbom("cyclonedx"), "npm-sbom.cdx.json");
    for (const inv of [debianAppInventory(), alpineInventory(), fromNpm]) {
      assert.deepEqual(validate(toSpdx(inv, { toolVersion: "0.1.0" })), [], inv.target.reference);
    }
  });

  it("a document that breaks the schema fails validation", () => {
    const doc = toSpdx(debianAppInventory(), FIXED);
    const withoutDownload = structuredClone(doc) as unknown as { packages: Array<Record<string, unknown>> };
    delete withoutDownload.packages[3]!.downloadLocation;
    assert.ok(validate(withoutDownload).some((e) => e.instancePath === "/packages/3" && e.params.missingProperty === "downloadLocation"));
    const badPurpose = structuredClone(doc) as unknown as { packages: Array<Record<string, unknown>> };
    badPurpose.packages[1]!.primaryPackagePurpose = "OPERATING-SYSTEM";
    assert.ok(validate(badPurpose).some((e) => e.instancePath === "/packages/1/primaryPackagePurpose"));
    assert.notDeepEqual(validate({ ...doc, unknownField: true }), []);
  });

  it("describes the image, which contains the OS and every package", () => {
    const inv = debianAppInventory();
    const doc = toSpdx(inv, FIXED);
    assert.equal(doc.spdxVersion, "SPDX-2.3");
    assert.equal(doc.dataLicense, "CC0-1.0");
    assert.equal(doc.SPDXID, "SPDXRef-DOCUMENT");
    assert.equal(doc.name, "docker-archive:app.tar");
    assert.equal(doc.documentNamespace, FIXED.namespace);
    assert.deepEqual(doc.creationInfo, { created: FIXED.created, creators: ["Tool: portcullis-0.1.0"] });

    const [image, os, ...pkgs] = doc.packages;
    assert.equal(image!.primaryPackagePurpose, "CONTAINER");
    assert.equal(image!.versionInfo, inv.target.digest);
    assert.deepEqual(image!.checksums, [{ algorithm: "SHA256", checksumValue: inv.target.digest!.slice("sha256:".length) }]);
    assert.deepEqual([os!.primaryPackagePurpose, os!.name, os!.versionInfo], ["OPERATING_SYSTEM", "debian", "12"]);
    assert.equal(pkgs.length, inv.packages.length);
    assert.deepEqual(doc.relationships, [
      { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: image!.SPDXID },
      ...[os!, ...pkgs].map((p) => ({ spdxElementId: image!.SPDXID, relationshipType: "CONTAINS", relatedSpdxElement: p.SPDXID })),
    ]);
  });

  it("gives every package a unique SPDX id of allowed characters and its purl as a package-manager ref", () => {
    const doc = toSpdx(debianAppInventory(), FIXED);
    const ids = doc.packages.map((p) => p.SPDXID);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^SPDXRef-[A-Za-z0-9.-]+$/);
    const scoped = doc.packages.find((p) => p.name === "@eslint-community/eslint-utils")!;
    assert.equal(scoped.SPDXID, "SPDXRef-Package-npm-eslint-community-eslint-utils-4.10.1");
    assert.deepEqual(scoped.externalRefs, [
      { referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: "pkg:npm/%40eslint-community/eslint-utils@4.10.1" },
    ]);
    const ms = doc.packages.filter((p) => p.name === "ms");
    assert.deepEqual(ms.map((p) => p.SPDXID), ["SPDXRef-Package-npm-ms-2.1.3", "SPDXRef-Package-npm-ms-2.1.3-2"]);
  });

  it("declares SPDX licenses as an expression and free text as LicenseRefs with their text kept", () => {
    const doc = toSpdx(debianAppInventory(), FIXED);
    const declared = (name: string) => doc.packages.find((p) => p.name === name)!.licenseDeclared;
    assert.equal(declared("zlib1g"), "Zlib");
    assert.equal(declared("rc"), "(BSD-2-Clause OR MIT OR Apache-2.0)");
    assert.equal(declared("libc6"), "NOASSERTION");
    assert.equal(declared("libssl3"), "Apache-2.0 AND LicenseRef-Artistic-or-GPL-1");
    assert.equal(declared("spdx-exceptions"), "CC-BY-3.0 AND LicenseRef-scancode-public-domain");
    assert.equal(declared("tzdata"), "LicenseRef-public-domain");
    const refs = new Map((doc.hasExtractedLicensingInfos ?? []).map((e) => [e.licenseId, e.extractedText]));
    assert.equal(refs.get("LicenseRef-Artistic-or-GPL-1"), "Artistic or GPL-1+");
    assert.equal(refs.get("LicenseRef-public-domain"), "public-domain");
    assert.equal(refs.get("LicenseRef-scancode-public-domain"), "LicenseRef-scancode-public-domain");
    // Every LicenseRef used is declared exactly once.
    const used = new Set(doc.packages.flatMap((p) => p.licenseDeclared.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []));
    assert.deepEqual([...refs.keys()].sort(), [...used].sort());
    assert.ok(doc.packages.every((p) => p.licenseConcluded === "NOASSERTION" && p.supplier === "NOASSERTION" && p.downloadLocation === "NOASSERTION"));
  });

  it("keeps layer, paths, source and arch as annotations", () => {
    const doc = toSpdx(debianAppInventory(), FIXED);
    const libssl = doc.packages.find((p) => p.name === "libssl3")!;
    assert.deepEqual(comments(libssl), [
      "portcullis:package:type: deb",
      "portcullis:package:arch: amd64",
      "portcullis:package:layer: sha256:45a67ba6525eb9ed2bf2b7f8111bdc3563f5d476d8972edaefbe27480775bb56",
      "portcullis:package:path: /var/lib/dpkg/status",
      "portcullis:package:source-name: openssl",
    ]);
    assert.ok(libssl.annotations!.every((a) => a.annotator === "Tool: portcullis-0.1.0" && a.annotationDate === FIXED.created));
  });

  it("writes the same document for the same inventory, whatever the package order", () => {
    const inv = debianAppInventory();
    const shuffled: Inventory = { ...inv, packages: [...inv.packages].reverse() };
    assert.equal(JSON.stringify(toSpdx(shuffled, FIXED)), JSON.stringify(toSpdx(inv, FIXED)));
  });

  it("makes a unique namespace URI and a creation time without fractions when none is given", () => {
    const a = toSpdx(alpineInventory(), { toolVersion: "0.1.0" });
    const b = toSpdx(alpineInventory(), { toolVersion: "0.1.0" });
    assert.match(a.documentNamespace, /^https:\/\/spdx\.org\/spdxdocs\/portcullis-oci-archive-alpine.tar-[0-9a-f-]{36}$/);
    assert.notEqual(a.documentNamespace, b.documentNamespace);
    assert.match(a.creationInfo.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
});
