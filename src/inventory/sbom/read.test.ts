import assert from "node:assert/strict";
import { basename } from "node:path";
import { describe, it } from "node:test";
import type { Inventory, Package } from "../model.js";
import { toCycloneDx } from "./cyclonedx.js";
import { syntaxErrorOffset } from "./json-text.js";
import { MAX_COMPONENT_DEPTH } from "./read-cyclonedx.js";
import { comparePackages } from "../package-order.js";
import { MAX_SBOM_CHARS, readSbom } from "./read.js";
import { toSpdx } from "./spdx.js";
import { alpineInventory, debianAppInventory } from "./testdata/inventories.js";
import { cycloneDx14Nested, lockEntries, npmSbom, REPO_ROOT } from "./testdata/producers.js";
import { inputError } from "../../../test/support/input-error.js";

const byIdentity = (a: Package, b: Package) =>
  a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : a.paths.join() < b.paths.join() ? -1 : a.paths.join() > b.paths.join() ? 1 : 0;
const sorted = (pkgs: readonly Package[]) => [...pkgs].sort(byIdentity);

describe("readSbom: round trips", () => {
  const writers = {
    CycloneDX: (inv: Inventory) => toCycloneDx(inv, { toolVersion: "0.1.0" }),
    SPDX: (inv: Inventory) => toSpdx(inv, { toolVersion: "0.1.0" }),
  };
  for (const [format, write] of Object.entries(writers)) {
    for (const make of [debianAppInventory, alpineInventory]) {
      const inv = make();
      it(`${format} of ${inv.target.reference} reads back to the same packages and OS`, () => {
        const back = readSbom(JSON.stringify(write(inv)), `app.${format}.json`);
        // name, version, type, purl, layer, paths, source, licenses, arch, dev: the whole package.
        assert.deepEqual(sorted(back.packages), sorted(inv.packages));
        assert.deepEqual(back.os, inv.os);
        assert.deepEqual(back.warnings, []);
      });
    }
    it(`${format} names the image it describes: digest, index digest, id, names, platform, layers`, () => {
      const inv = debianAppInventory();
      const back = readSbom(JSON.stringify(write(inv)), "app.sbom.json");
      assert.deepEqual(back.target, {
        reference: "app.sbom.json",
        transport: "sbom",
        names: ["docker-archive:app.tar", "registry.example/app:1.4.2"],
        digest: inv.target.digest,
        indexDigest: inv.target.indexDigest,
        imageId: inv.target.imageId,
        platform: "linux/amd64",
        layers: inv.target.layers.map((l) => ({ digest: l.digest })),
      });
    });
  }

  it("reads our own JSON back unchanged", () => {
    // As the scanner writes it: packages in the inventory's canonical order.
    const inv = debianAppInventory();
    inv.packages.sort(comparePackages);
    assert.deepEqual(readSbom(JSON.stringify(inv, null, 2), "app.json"), inv);
  });

  it("finds the OS in purl distro qualifiers when the document has no OS element", () => {
    const inv: Inventory = { ...alpineInventory(), os: undefined };
    delete inv.os;
    assert.deepEqual(readSbom(JSON.stringify(toCycloneDx(inv, { toolVersion: "0.1.0" })), "a.cdx.json").os, { family: "alpine", version: "3.20.3" });
    assert.deepEqual(readSbom(JSON.stringify(toSpdx(inv, { toolVersion: "0.1.0" })), "a.spdx.json").os, { family: "alpine", version: "3.20.3" });
  });
});

describe("readSbom: documents written by other tools", () => {
  const lock = lockEntries();
  const key = (p: { name: string; version: string }) => `${p.name}@${p.version}`;

  it("reads npm's CycloneDX 1.5: every locked package with its license and dev flag", () => {
    const inv = readSbom(npmSbom("cyclonedx"), "npm.cdx.json");
    assert.deepEqual(inv.warnings, []);
    assert.ok(inv.packages.every((p) => p.type === "npm" && p.purl.startsWith("pkg:npm/")));
    assert.deepEqual(new Set(inv.packages.map(key)), new Set(lock.map(key)));
    const got = new Map(inv.packages.map((p) => [key(p), p]));
    for (const entry of lock) {
      const pkg = got.get(key(entry))!;
      assert.deepEqual(pkg.licenses, entry.license ? [entry.license] : [], key(entry));
      assert.equal(pkg.dev === true, entry.dev, key(entry));
    }
    assert.ok(inv.packages.some((p) => p.name.startsWith("@")), "scoped names keep their scope");
    // npm names the root component after the checkout's folder, whatever that is called.
    assert.equal(inv.target.names?.[0], basename(REPO_ROOT.replace(/\/$/, "")));
  });

  it("reads npm's SPDX 2.3: every locked package, plus the described project itself", () => {
    const inv = readSbom(npmSbom("spdx"), "npm.spdx.json");
    assert.deepEqual(inv.warnings, []);
    assert.deepEqual(new Set(inv.packages.map(key)), new Set([...lock.map(key), "portcullis@0.1.0"]));
    const got = new Map(inv.packages.map((p) => [key(p), p]));
    for (const entry of lock) assert.deepEqual(got.get(key(entry))!.licenses, entry.license ? [entry.license] : [], key(entry));
  });

  it("reads a CycloneDX 1.4 BOM from the CycloneDX library: nested components in document order, OS, skipped kinds once each", () => {
    const inv = readSbom(cycloneDx14Nested(), "shop.cdx.json");
    assert.deepEqual(
      inv.packages.map((p) => [p.type, p.name, p.version, p.licenses]),
      [
        ["apk", "musl", "1.2.5-r0", ["MIT"]],
        ["maven", "com.example:shop", "2.0.0", ["Apache-2.0 OR MIT"]],
        ["maven", "org.springframework:spring-core", "6.1.4", ["Apache-2.0"]],
        ["maven", "org.springframework:spring-jcl", "6.1.4", ["Apache-2.0"]],
      ],
    );
    assert.equal(inv.packages[0]!.arch, "x86_64");
    assert.deepEqual(inv.os, { family: "alpine", version: "3.20.3", prettyName: "Alpine Linux v3.20" });
    assert.deepEqual(inv.warnings, [
      "shop.cdx.json: 1 component skipped: no purl",
      'shop.cdx.json: 2 components skipped: purl type "generic" is not an ecosystem portcullis inventories',
    ]);
    assert.deepEqual(inv.target.names, ["registry.example/shop:2.0"]);
    assert.equal(inv.target.digest, "sha256:05b3abf2579a5eb66403cd78be557fd860633a1fe2103c7642030defe32c657f");
  });
});

describe("readSbom: bad input", () => {
  const cdx = (components: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.6", version: 1, components, ...extra });

  it("names the line and column of a JSON syntax error, with the source", () => {
    const err = inputError(() => readSbom('{\n  "bomFormat": "CycloneDX",\n  "components": [}\n', "bad.json"));
    assert.equal(err.source, "bad.json");
    assert.equal(err.location, "line 3 column 18 (offset 47)");
    assert.match(err.message, /^bad\.json line 3 column 18 \(offset 47\): invalid JSON/);
    assert.equal(inputError(() => readSbom('{"a": [1, 2', "cut.json")).location, "line 1 column 12 (offset 11)");
    assert.equal(inputError(() => readSbom("", "empty.json")).location, "line 1 column 1 (offset 0)");
  });

  it("finds the offset of the first syntax error itself, and none in valid JSON", () => {
    for (const valid of ['{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n",{}],"b":{"c":[]}}', " [ ] ", '"\\/"']) {
      assert.equal(syntaxErrorOffset(valid), -1, valid);
      assert.doesNotThrow(() => JSON.parse(valid));
    }
    const cases: Array<[string, number]> = [
      ['{"a":}', 5],
      ["[1,2,]", 5],
      ['{"a" 1}', 5],
      ["[01]", 2],
      ['["\\x"]', 2],
      ['{"a":1}x', 7],
      ["[tru]", 1],
      ['{"a":"b', 7],
      ["[[[[", 4],
    ];
    for (const [text, offset] of cases) assert.equal(syntaxErrorOffset(text), offset, text);
  });

  it("names the JSON path of a field of the wrong shape", () => {
    let err = inputError(() => readSbom(cdx([{ type: "library", name: "a", purl: "pkg:npm/a@1" }, { type: "library", name: "b", purl: 7 }]), "s.json"));
    assert.equal(err.location, "$.components[1].purl");
    assert.match(err.detail, /expected string, received number/);

    const nested = [{ type: "library", name: "app", purl: "pkg:npm/app@1", components: [{ type: "library", name: "x" }, { type: "library" }] }];
    err = inputError(() => readSbom(cdx(nested), "s.json"));
    assert.equal(err.location, "$.components[0].components[1].name");

    err = inputError(() => readSbom(cdx([{ type: "library", name: "a", purl: "npm/a@1" }]), "s.json"));
    assert.equal(err.location, "$.components[0].purl");
    assert.match(err.detail, /not a valid package URL/);

    err = inputError(() => readSbom(cdx([], { specVersion: "1.2" }), "s.json"));
    assert.equal(err.location, "$.specVersion");

    const spdx = toSpdx(alpineInventory(), { toolVersion: "0.1.0" }) as unknown as { packages: Array<{ externalRefs?: Array<Record<string, unknown>> }> };
    spdx.packages[2]!.externalRefs![0]!.referenceLocator = null;
    err = inputError(() => readSbom(JSON.stringify(spdx), "s.spdx.json"));
    assert.equal(err.location, "$.packages[2].externalRefs[0].referenceLocator");

    err = inputError(() => readSbom(JSON.stringify({ spdxVersion: "SPDX-3.0" }), "s.spdx.json"));
    assert.equal(err.location, "$.spdxVersion");

    const ours = debianAppInventory() as unknown as { packages: Array<Record<string, unknown>> };
    ours.packages[4]!.type = "nuget";
    err = inputError(() => readSbom(JSON.stringify(ours), "inv.json"));
    assert.equal(err.location, "$.packages[4].type");
  });

  it("refuses documents that are no SBOM it knows", () => {
    assert.equal(inputError(() => readSbom("[]", "a.json")).location, "$");
    assert.match(inputError(() => readSbom('{"name": "x"}', "a.json")).detail, /not a known SBOM/);
  });

  it(`refuses components nested deeper than ${MAX_COMPONENT_DEPTH} levels`, () => {
    let component: Record<string, unknown> = { type: "library", name: "leaf", purl: "pkg:npm/leaf@1" };
    for (let i = 0; i < MAX_COMPONENT_DEPTH; i++) component = { type: "library", name: `n${i}`, purl: `pkg:npm/n${i}@1`, components: [component] };
    const err = inputError(() => readSbom(cdx([component]), "deep.json"));
    assert.match(err.detail, /nested deeper than 32 levels/);
    assert.equal(err.location, `$${".components[0]".repeat(MAX_COMPONENT_DEPTH)}.components`);
    // One level less is read.
    const ok = readSbom(cdx([(component.components as unknown[])[0]]), "deep.json");
    assert.equal(ok.packages.length, MAX_COMPONENT_DEPTH);
  });

  it("refuses input over the size limit before parsing it", () => {
    const err = inputError(() => readSbom(" ".repeat(MAX_SBOM_CHARS + 1), "huge.json"));
    assert.equal(err.source, "huge.json");
    assert.match(err.detail, /more than the limit/);
  });
});
