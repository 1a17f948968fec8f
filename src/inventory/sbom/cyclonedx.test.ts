import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Inventory } from "../model.js";
import { cdxLicenses, toCycloneDx, type CycloneDxBom } from "./cyclonedx.js";
import { readSbom } from "./read.js";
import { alpineInventory, debianAppInventory } from "./testdata/inventories.js";
import { npmSbom } from "./testdata/producers.js";
import { cycloneDx16Validator } from "./testdata/validators.js";

const validate = cycloneDx16Validator();
const FIXED = { toolVersion: "0.1.0", timestamp: "2026-01-15T10:00:00.000Z", serialNumber: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" };
const props = (c: { properties?: Array<{ name: string; value: string }> }, name: string) =>
  (c.properties ?? []).filter((p) => p.name === name).map((p) => p.value);

describe("toCycloneDx", () => {
  it("writes documents that validate against the official CycloneDX 1.6 JSON schema", () => {
    const fromNpm = readSbom(npmSbom("spdx"), "npm-sbom.spdx.json");
    for (const inv of [debianAppInventory(), alpineInventory(), fromNpm]) {
      assert.deepEqual(validate(toCycloneDx(inv, { toolVersion: "0.1.0" })), [], inv.target.reference);
    }
  });

  it("a document that breaks the schema fails validation", () => {
    const bom = toCycloneDx(debianAppInventory(), FIXED) as CycloneDxBom & Record<string, unknown>;
    const withFreeTextAsId = structuredClone(bom);
    withFreeTextAsId.components[1]!.licenses = [{ license: { id: "GPL-3+" } }];
    assert.ok(validate(withFreeTextAsId).some((e) => e.instancePath === "/components/1/licenses/0/license/id"));
    const withoutName = structuredClone(bom) as unknown as { components: Array<Record<string, unknown>> };
    delete withoutName.components[2]!.name;
    assert.ok(validate(withoutName).some((e) => e.instancePath === "/components/2" && e.params.missingProperty === "name"));
    assert.notDeepEqual(validate({ ...bom, specVersion: 1.6 }), []);
  });

  it("describes the image, depends it on the OS and every package", () => {
    const inv = debianAppInventory();
    const bom = toCycloneDx(inv, FIXED);
    assert.equal(bom.bomFormat, "CycloneDX");
    assert.equal(bom.specVersion, "1.6");
    assert.equal(bom.version, 1);
    assert.equal(bom.serialNumber, FIXED.serialNumber);
    assert.equal(bom.metadata.timestamp, FIXED.timestamp);
    assert.deepEqual(bom.metadata.tools.components, [{ type: "application", name: "portcullis", version: "0.1.0" }]);
    const image = bom.metadata.component;
    assert.equal(image.type, "container");
    assert.equal(image.name, "docker-archive:app.tar");
    assert.equal(image.version, inv.target.digest);
    assert.deepEqual(props(image, "portcullis:image:layer"), inv.target.layers.map((l) => l.digest));

    const os = bom.components[0]!;
    assert.deepEqual(
      { type: os.type, name: os.name, version: os.version, description: os.description },
      { type: "operating-system", name: "debian", version: "12", description: "Debian GNU/Linux 12 (bookworm)" },
    );
    assert.equal(bom.components.length, inv.packages.length + 1);
    assert.ok(bom.components.slice(1).every((c) => c.type === "library"));
    assert.deepEqual(bom.dependencies, [{ ref: image["bom-ref"], dependsOn: bom.components.map((c) => c["bom-ref"]) }]);
  });

  it("keeps the facts CycloneDX has no field for as portcullis:package:* properties", () => {
    const bom = toCycloneDx(debianAppInventory(), FIXED);
    const bash = bom.components.find((c) => c.name === "bash")!;
    assert.equal(bash.purl, "pkg:deb/debian/bash@5.2.15-2+b8?arch=amd64&distro=debian-12");
    assert.deepEqual(bash.properties, [
      { name: "portcullis:package:type", value: "deb" },
      { name: "portcullis:package:arch", value: "amd64" },
      { name: "portcullis:package:layer", value: "sha256:45a67ba6525eb9ed2bf2b7f8111bdc3563f5d476d8972edaefbe27480775bb56" },
      { name: "portcullis:package:path", value: "/var/lib/dpkg/status" },
      { name: "portcullis:package:source-name", value: "bash" },
      { name: "portcullis:package:source-version", value: "5.2.15-2" },
    ]);
    const utils = bom.components.find((c) => c.name === "@eslint-community/eslint-utils")!;
    assert.deepEqual(props(utils, "portcullis:package:dev"), ["true"]);
  });

  it("gives a purl found at two paths two components with distinct bom-refs", () => {
    const bom = toCycloneDx(debianAppInventory(), FIXED);
    const ms = bom.components.filter((c) => c.purl === "pkg:npm/ms@2.1.3");
    assert.deepEqual(ms.map((c) => c["bom-ref"]), ["pkg:npm/ms@2.1.3", "pkg:npm/ms@2.1.3|2"]);
    assert.deepEqual(ms.map((c) => props(c, "portcullis:package:path")), [
      ["/app/node_modules/debug/node_modules/ms/package.json"],
      ["/app/node_modules/ms/package.json"],
    ]);
    const refs = bom.components.map((c) => c["bom-ref"]);
    assert.equal(new Set(refs).size, refs.length);
  });

  it("writes SPDX ids as ids, SPDX expressions as one expression, anything else as a license name", () => {
    assert.deepEqual(cdxLicenses(["Zlib"]), [{ license: { id: "Zlib" } }]);
    assert.deepEqual(cdxLicenses(["(MIT OR WTFPL)"]), [{ expression: "(MIT OR WTFPL)" }]);
    assert.deepEqual(cdxLicenses(["GPL-2.0+"]), [{ expression: "GPL-2.0+" }]);
    assert.deepEqual(cdxLicenses(["mit or apache-2.0"]), [{ license: { name: "mit or apache-2.0" } }]);
    assert.deepEqual(cdxLicenses(["MIT or Apache-2.0"]), [{ expression: "MIT OR Apache-2.0" }]);
    assert.deepEqual(cdxLicenses(["GPL-3+", "public-domain"]), [{ license: { name: "GPL-3+" } }, { license: { name: "public-domain" } }]);
    assert.deepEqual(cdxLicenses(["Apache-2.0", "Artistic or GPL-1+"]), [{ license: { id: "Apache-2.0" } }, { license: { name: "Artistic or GPL-1+" } }]);
    // CycloneDX allows only one expression: licenses that all apply are joined with AND.
    assert.deepEqual(cdxLicenses(["CC-BY-3.0", "MIT OR Apache-2.0"]), [{ expression: "CC-BY-3.0 AND (MIT OR Apache-2.0)" }]);
    // An expression beside free text cannot be joined, so it is kept as a name.
    assert.deepEqual(cdxLicenses(["MIT OR Apache-2.0", "public-domain"]), [
      { license: { name: "MIT OR Apache-2.0" } },
      { license: { name: "public-domain" } },
    ]);
    assert.deepEqual(cdxLicenses([]), []);
  });

  it("writes the same document for the same inventory, whatever the package order", () => {
    const inv = debianAppInventory();
    const shuffled: Inventory = { ...inv, packages: [...inv.packages].reverse() };
    assert.equal(JSON.stringify(toCycloneDx(shuffled, FIXED)), JSON.stringify(toCycloneDx(inv, FIXED)));
    const purls = toCycloneDx(inv, FIXED).components.slice(1).map((c) => c.purl!);
    assert.deepEqual(purls, [...purls].sort());
  });

  it("stamps a fresh uuid serial number and the current time when none is given", () => {
    const a = toCycloneDx(alpineInventory(), { toolVersion: "0.1.0" });
    const b = toCycloneDx(alpineInventory(), { toolVersion: "0.1.0" });
    assert.match(a.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.notEqual(a.serialNumber, b.serialNumber);
    assert.ok(!Number.isNaN(Date.parse(a.metadata.timestamp)));
  });
});
