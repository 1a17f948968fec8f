import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { dpkg } from "./dpkg.js";
import { schemeForEcosystem } from "./ecosystems.js";
import { fixedVersionFor, inOsvRange } from "./osv-range.js";
import { semver } from "./semver.js";

describe("OSV ranges", () => {
  it("affects from introduced up to, not including, fixed", () => {
    const events = [{ introduced: "0" }, { fixed: "4.17.19" }];
    assert.equal(inOsvRange(semver, "4.17.15", events), true);
    assert.equal(inOsvRange(semver, "4.17.19", events), false);
    assert.equal(inOsvRange(semver, "4.17.20", events), false);
  });

  it("includes last_affected itself and nothing after it", () => {
    const events = [{ introduced: "1.0.0" }, { last_affected: "1.2.0" }];
    assert.equal(inOsvRange(semver, "0.9.0", events), false);
    assert.equal(inOsvRange(semver, "1.2.0", events), true);
    assert.equal(inOsvRange(semver, "1.2.1", events), false);
  });

  it("evaluates several intervals in version order, whatever order the feed lists them", () => {
    const events = [{ fixed: "2.6.0" }, { introduced: "2.5.0" }, { fixed: "1.3.5" }, { introduced: "0" }];
    assert.equal(inOsvRange(semver, "1.3.4", events), true);
    assert.equal(inOsvRange(semver, "2.0.0", events), false);
    assert.equal(inOsvRange(semver, "2.5.1", events), true);
    assert.equal(fixedVersionFor(semver, "1.3.4", events), "1.3.5");
    assert.equal(fixedVersionFor(semver, "2.5.1", events), "2.6.0");
  });

  it("caps every interval at limit", () => {
    const events = [{ introduced: "0" }, { limit: "3.0.0" }];
    assert.equal(inOsvRange(semver, "2.9.9", events), true);
    assert.equal(inOsvRange(semver, "3.0.0", events), false);
  });

  it("orders Debian versions by dpkg rules, so a backported +deb12u fix counts", () => {
    const events = [{ introduced: "0" }, { fixed: "2.36-9+deb12u4" }];
    assert.equal(inOsvRange(dpkg, "2.36-9+deb12u3", events), true);
    assert.equal(inOsvRange(dpkg, "2.36-9+deb12u4", events), false);
    assert.equal(inOsvRange(dpkg, "1:2.0-1", events), false, "an epoch outranks everything");
  });

  it("knows the scheme of each OSV ecosystem, releases and case aside", () => {
    assert.equal(schemeForEcosystem("Debian:12")?.name, "dpkg");
    assert.equal(schemeForEcosystem("Alpine:v3.20")?.name, "apk");
    assert.equal(schemeForEcosystem("Rocky Linux:9")?.name, "rpm");
    assert.equal(schemeForEcosystem("PyPI")?.name, "pep440");
    assert.equal(schemeForEcosystem("Go")?.name, "go");
    assert.equal(schemeForEcosystem("crates.io")?.name, "semver");
    assert.equal(schemeForEcosystem("NuGet")?.name, "nuget");
    assert.equal(schemeForEcosystem("Packagist")?.name, "composer");
    assert.equal(schemeForEcosystem("Hex"), undefined);
  });
});
