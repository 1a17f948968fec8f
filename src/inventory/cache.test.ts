import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Analyzer } from "./analyzer.js";
import { LayerCache, type AssembledLayers } from "./cache.js";

const dir = mkdtempSync(join(tmpdir(), "pcs-cache-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const analyzer = (version: number): Analyzer => ({ name: "dpkg-status", version, wants: () => false, analyze: async () => null });
const base = "sha256:" + "a".repeat(64);
const app = "sha256:" + "b".repeat(64);
const other = "sha256:" + "c".repeat(64);
const assembled: AssembledLayers = {
  os: { family: "debian", version: "12", codename: "bookworm" },
  packages: [],
  warnings: ["layer sha256:aaaaaaaaaaaa /var/lib/dpkg/status line 3: skipped"],
};

describe("the layer cache", () => {
  it("keeps an image's assembled packages under its diff ids in order", async () => {
    const cache = new LayerCache(dir, [analyzer(1)]);
    await cache.putImage([base, app], assembled);
    assert.deepEqual(await cache.getImage([base, app]), assembled);
  });

  it("does not answer for another image that shares only its base layer, or the same layers in another order", async () => {
    const cache = new LayerCache(dir, [analyzer(1)]);
    await cache.putImage([base, app], assembled);
    assert.equal(await cache.getImage([base, other]), undefined);
    assert.equal(await cache.getImage([app, base]), undefined);
    assert.equal(await cache.getImage([base]), undefined);
  });

  it("forgets everything an older analyzer version produced", async () => {
    await new LayerCache(dir, [analyzer(1)]).putImage([base, app], assembled);
    await new LayerCache(dir, [analyzer(1)]).put(base, { files: [], whiteouts: [], opaques: [], links: [], warnings: [], entries: 1 });
    const newer = new LayerCache(dir, [analyzer(2)]);
    assert.equal(await newer.getImage([base, app]), undefined);
    assert.equal(await newer.get(base), undefined);
  });
});
