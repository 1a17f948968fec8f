import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { globToRegExp, isGlob, matchesGlob } from "./glob.js";

describe("globs for suppression scopes", () => {
  it("matches a literal pattern only as written", () => {
    assert.equal(isGlob("deploy/web.yaml"), false);
    assert.equal(matchesGlob("deploy/web.yaml", "deploy/web.yaml"), true);
    assert.equal(matchesGlob("deploy/web.yml", "deploy/web.yaml"), false);
    assert.equal(matchesGlob("deploy/webXyaml", "deploy/web.yaml"), false, "a dot is no wildcard");
  });

  it("lets * stand for any characters inside one path segment", () => {
    assert.equal(matchesGlob("deploy/web.yaml", "deploy/*.yaml"), true);
    assert.equal(matchesGlob("deploy/.yaml", "deploy/*.yaml"), true);
    assert.equal(matchesGlob("deploy/prod/web.yaml", "deploy/*.yaml"), false);
  });

  it("lets ** stand for any number of whole segments, none included", () => {
    assert.equal(matchesGlob("deploy/web.yaml", "deploy/**/*.yaml"), true);
    assert.equal(matchesGlob("deploy/prod/eu/web.yaml", "deploy/**/*.yaml"), true);
    assert.equal(matchesGlob("web.yaml", "**/web.yaml"), true);
    assert.equal(matchesGlob("a/b/web.yaml", "**/web.yaml"), true);
    assert.equal(matchesGlob("a/bweb.yaml", "**/web.yaml"), false);
    assert.equal(matchesGlob("charts/x/templates/a.yaml", "charts/**"), true);
    assert.equal(matchesGlob("other/a.yaml", "charts/**"), false);
  });

  it("lets ? stand for one character but /", () => {
    assert.equal(matchesGlob("web-1.yaml", "web-?.yaml"), true);
    assert.equal(matchesGlob("web-10.yaml", "web-?.yaml"), false);
    assert.equal(matchesGlob("a/b", "a?b"), false);
  });

  it("keeps regular expression characters literal", () => {
    assert.equal(matchesGlob("a+b(1).yaml", "a+b(1).*"), true);
    assert.equal(matchesGlob("[x].yaml", "[x].*"), true);
    assert.equal(matchesGlob("x.yaml", "[x].*"), false);
  });

  it("compares rule ids without regard to case when asked", () => {
    assert.equal(matchesGlob("PCS-K8S-001", "pcs-k8s-*", true), true);
    assert.equal(matchesGlob("PCS-DF-001", "PCS-K8S-*", true), false);
    assert.equal(matchesGlob("pcs-k8s-001", "PCS-K8S-001"), false);
    assert.equal(matchesGlob("pcs-k8s-001", "PCS-K8S-001", true), true);
    assert.equal(globToRegExp("PCS-*").flags, "");
  });
});
