/**
 * Policy exceptions as the policy language documents them: how the
 * `exceptions:` list of a policy file is read and checked, and which findings
 * an exception sets aside, on which day, for which image, namespace and rule.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { LineCounter, parseDocument } from "yaml";
import type { Finding } from "../common/index.js";
import { applyExceptions, exceptionApplies, exceptionExpired, exceptionMatches, readExceptions, type ExceptionInput, type PolicyException } from "./exceptions.js";
import type { PolicyTarget } from "./input.js";
import { inputError } from "../../test/support/input-error.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/exceptions/${name}`, import.meta.url), "utf8");

/** Read the `exceptions:` list of a policy file the way the policy file reader does: plain values plus the line of each node. */
function read(text: string, file = "policy.yaml"): PolicyException[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, version: "1.2" });
  assert.deepEqual(doc.errors, []);
  const lineOf = (path: (string | number)[]): number => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(["exceptions", ...path.slice(0, n)], true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return 1;
  };
  return readExceptions((doc.toJS() as { exceptions?: unknown } | null)?.exceptions, file, lineOf);
}

function vuln(id: string, aliases: string[], name: string, version: string, purl: string): Finding {
  return {
    kind: "vulnerability",
    id,
    aliases,
    severity: "high",
    title: `${name}: ${id}`,
    references: [],
    package: { name, version, type: purl.slice(4, purl.indexOf("/")), purl },
    status: "fixed",
  };
}

const zlib = vuln("CVE-2023-45853", [], "zlib1g", "1:1.2.13.dfsg-1", "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12");
const minizip = vuln("CVE-2023-45853", [], "libminizip1", "1:1.2.13.dfsg-1", "pkg:deb/debian/libminizip1@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12");
const semver = vuln("CVE-2022-25883", ["GHSA-c2qf-rxjj-qqgw"], "semver", "7.5.1", "pkg:npm/semver@7.5.1");
const glibc = vuln("CVE-2024-2961", [], "libc6", "2.36-9+deb12u4", "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12");
const libssl = vuln("CVE-2024-0727", [], "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
const openssl = vuln("CVE-2024-0727", [], "openssl", "3.0.11-1~deb12u2", "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
const libsslNewer = vuln("CVE-2024-2511", [], "libssl3", "3.0.13-1~deb12u1", "pkg:deb/debian/libssl3@3.0.13-1~deb12u1?arch=amd64&distro=debian-12");
const secret: Finding = { kind: "secret", id: "PCS-SEC-003", aliases: [], severity: "critical", title: "AWS access key", references: [], location: { path: "/app/.env", line: 3 } };

const API: PolicyTarget = {
  reference: "registry.example.com/shop/api:1.4.2",
  digest: "sha256:d20141dbeaeb24ed0d7bbc855d6b7f7c4bfce46b85d8b851f36ad8a47db7b7d1",
  registry: "registry.example.com",
  repository: "shop/api",
  tag: "1.4.2",
};
const WEB: PolicyTarget = { reference: "ghcr.io/acme/web:2.0.1", registry: "ghcr.io", repository: "acme/web", tag: "2.0.1" };
const TODAY = new Date("2025-05-20T12:00:00Z");
const ci: ExceptionInput = { target: API };

describe("readExceptions (testdata/exceptions/shop.exceptions.yaml)", () => {
  const exceptions = read(fixture("shop.exceptions.yaml"), "policies/shop.yaml");

  it("names each exception by its name, or by its place in the list, with the line it starts on", () => {
    assert.deepEqual(
      exceptions.map((e) => [e.id, e.origin.line]),
      [
        ["zlib-minizip", 3],
        ["exceptions[1]", 10],
        ["glibc-iconv-staging", 18],
        ["openssl-bookworm-3.0.11", 26],
      ],
    );
    for (const e of exceptions) assert.equal(e.origin.file, "policies/shop.yaml");
  });

  it("keeps every scope, the reason, the approver and the expiry", () => {
    assert.deepEqual(exceptions[1], {
      id: "exceptions[1]",
      findings: ["GHSA-*"],
      packages: ["semver"],
      images: ["registry.example.com/shop/*"],
      rules: ["no-high-vulnerabilities"],
      reason: "semver only ever parses our own version strings, never user input",
      approvedBy: "platform-lead@shop.example",
      expires: "2025-12-31",
      origin: { file: "policies/shop.yaml", line: 10 },
    });
    assert.equal(exceptions[3]!.expires, undefined, "no expiry: applies until removed");
  });

  it("reads a scope given as one string as a list of one", () => {
    assert.deepEqual(exceptions[2]!.findings, ["CVE-2024-2961"]);
  });

  it("holds no exceptions when the list is absent, null or empty", () => {
    assert.deepEqual(read("rules: []\n"), []);
    assert.deepEqual(read("exceptions:\n"), []);
    assert.deepEqual(read("exceptions: []\n"), []);
  });

  it("takes an expiry a YAML 1.1 reader turned into a date", () => {
    const raw = [{ findings: ["CVE-2023-45853"], reason: "r", approvedBy: "a", expires: new Date(Date.UTC(2026, 8, 30)) }];
    assert.equal(readExceptions(raw, "policy.yaml", () => 2)[0]!.expires, "2026-09-30");
  });
});

describe("readExceptions errors name the file, the line and the field", () => {
  const entry = (lines: string): string => `exceptions:\n  - findings: [CVE-2023-45853]\n    reason: MiniZip is not built\n    approvedBy: security@shop.example\n${lines}`;

  it("refuses an unknown field, naming it and the known ones", () => {
    const err = inputError(() => read(entry("    namespace: shop\n"), "shop/policy.yaml"));
    assert.equal(err.source, "shop/policy.yaml");
    assert.equal(err.location, "line 5");
    assert.equal(err.detail, '$.exceptions[0].namespace: unknown field "namespace"; known fields: name, findings, packages, images, namespaces, rules, reason, approvedBy, expires');
  });

  it("requires a reason and an approver", () => {
    assert.equal(
      inputError(() => read("exceptions:\n  - findings: [CVE-2023-45853]\n    approvedBy: security@shop.example\n")).message,
      "policy.yaml line 2: $.exceptions[0].reason: missing; expected the reason the exception is granted",
    );
    assert.equal(
      inputError(() => read("exceptions:\n  - findings: [CVE-2023-45853]\n    reason: MiniZip is not built\n")).message,
      "policy.yaml line 2: $.exceptions[0].approvedBy: missing; expected who approved the exception",
    );
    assert.equal(
      inputError(() => read("exceptions:\n  - findings: [CVE-2023-45853]\n    reason: '  '\n    approvedBy: me\n")).message,
      "policy.yaml line 3: $.exceptions[0].reason: expected the reason the exception is granted, got an empty string",
    );
    assert.equal(
      inputError(() => read("exceptions:\n  - findings: [CVE-2023-45853]\n    reason: [a, b]\n    approvedBy: me\n")).message,
      "policy.yaml line 3: $.exceptions[0].reason: expected the reason the exception is granted",
    );
  });

  it("requires a scope saying what is excepted: rules alone only narrow", () => {
    const err = inputError(() => read("exceptions:\n  - rules: [no-critical-vulnerabilities]\n    reason: the gate is too strict\n    approvedBy: dev@shop.example\n"));
    assert.equal(err.message, "policy.yaml line 2: $.exceptions[0]: says nothing about what it excepts: give at least one of findings, packages, images, namespaces");
  });

  it("refuses an empty scope list, which would match nothing", () => {
    assert.equal(
      inputError(() => read(entry("    images: []\n"))).message,
      "policy.yaml line 5: $.exceptions[0].images: an empty list matches nothing: list at least one image reference, or leave the field out",
    );
  });

  it("refuses scopes that are not strings or lists of strings", () => {
    assert.equal(inputError(() => read(entry("    namespaces: {name: shop}\n"))).message, "policy.yaml line 5: $.exceptions[0].namespaces: expected a list of namespaces");
    assert.equal(inputError(() => read(entry("    packages: [zlib1g, 42]\n"))).message, "policy.yaml line 5: $.exceptions[0].packages[1]: expected package name or purl");
  });

  it("refuses a package purl that does not parse", () => {
    assert.equal(inputError(() => read(entry("    packages: [pkg:deb/debian/]\n"))).message, 'policy.yaml line 5: $.exceptions[0].packages[0]: "pkg:deb/debian/" is not a valid purl');
  });

  it("refuses an expiry that is not a calendar day", () => {
    assert.equal(
      inputError(() => read(entry("    expires: 2026-02-30\n"))).message,
      'policy.yaml line 5: $.exceptions[0].expires: expected a date YYYY-MM-DD, got "2026-02-30", which is no calendar day',
    );
    assert.equal(
      inputError(() => read(entry("    expires: 30.09.2026\n"))).message,
      'policy.yaml line 5: $.exceptions[0].expires: expected a date YYYY-MM-DD, got "30.09.2026", which is no calendar day',
    );
    assert.equal(inputError(() => read(entry("    expires: 20260930\n"))).message, "policy.yaml line 5: $.exceptions[0].expires: expected a date YYYY-MM-DD");
  });

  it("refuses a list that is not one, and entries that are not mappings", () => {
    assert.equal(inputError(() => read("exceptions:\n  zlib: CVE-2023-45853\n")).message, "policy.yaml line 2: $.exceptions: expected a list of exceptions");
    assert.equal(
      inputError(() => read("exceptions:\n  - CVE-2023-45853\n")).message,
      "policy.yaml line 2: $.exceptions[0]: expected a mapping with reason:, approvedBy: and at least one of findings:, packages:, images:, namespaces:",
    );
  });

  it("refuses two exceptions of the same name, pointing at the first", () => {
    const twice = "exceptions:\n  - name: zlib\n    findings: [CVE-2023-45853]\n    reason: r\n    approvedBy: a\n  - name: zlib\n    packages: [zlib1g]\n    reason: r\n    approvedBy: a\n";
    assert.equal(inputError(() => read(twice)).message, 'policy.yaml line 6: $.exceptions[1].name: "zlib" already names exceptions[0] (line 2)');
  });
});

describe("applyExceptions: which findings an exception sets aside", () => {
  const [zlibMinizip, semverGhsa, glibcStaging, opensslApi] = read(fixture("shop.exceptions.yaml"));
  const all = [zlibMinizip!, semverGhsa!, glibcStaging!, opensslApi!];

  it("excepts a finding every given scope matches, and keeps the rest in order", () => {
    const out = applyExceptions([zlib, minizip, secret], all, ci, TODAY);
    assert.deepEqual(out.findings, [minizip, secret], "the same CVE in another package stays");
    assert.deepEqual(out.excepted, [{ finding: zlib, exception: zlibMinizip }]);
    assert.deepEqual(out.expired, []);
  });

  it("matches finding globs through aliases, ignoring case", () => {
    const lower = { ...semverGhsa!, findings: ["ghsa-c2qf-*"] };
    assert.ok(exceptionApplies(semverGhsa!, semver, ci, TODAY, "no-high-vulnerabilities"), "GHSA-* covers the alias GHSA-c2qf-rxjj-qqgw");
    assert.ok(exceptionApplies(lower, semver, ci, TODAY, "no-high-vulnerabilities"));
  });

  it("limits an exception with rules to those rules, and to no finding judged without a rule", () => {
    assert.equal(applyExceptions([semver], all, ci, TODAY, "no-high-vulnerabilities").excepted.length, 1);
    assert.equal(applyExceptions([semver], all, ci, TODAY, "no-fixable-vulnerabilities").excepted.length, 0);
    assert.equal(applyExceptions([semver], all, ci, TODAY).excepted.length, 0);
    assert.ok(exceptionApplies({ ...semverGhsa!, rules: ["no-*-vulnerabilities"] }, semver, ci, TODAY, "no-high-vulnerabilities"), "rule names may be globs");
  });

  it("matches image globs across path segments, and not other registries", () => {
    assert.ok(exceptionApplies(semverGhsa!, semver, { target: { reference: "registry.example.com/shop/payments/worker:3" } }, TODAY, "no-high-vulnerabilities"));
    assert.ok(!exceptionApplies(semverGhsa!, semver, { target: WEB }, TODAY, "no-high-vulnerabilities"));
  });

  it("matches images by reference, registry/repository, repository:tag and digest", () => {
    const scoped = (images: string[]): PolicyException => ({ ...zlibMinizip!, images });
    const applies = (images: string[], target: PolicyTarget = API) => exceptionApplies(scoped(images), zlib, { target }, TODAY);
    assert.ok(applies(["registry.example.com/shop/api:1.4.2"]), "the reference as the user named it");
    assert.ok(applies(["registry.example.com/shop/api"]), "registry/repository: every tag");
    assert.ok(applies(["shop/api:1.4.*"]), "repository:tag");
    assert.ok(applies(["shop/api"]), "repository");
    assert.ok(applies([`registry.example.com/shop/api@${API.digest!}`]), "registry/repository@digest");
    assert.ok(applies([API.digest!]), "the digest");
    assert.ok(!applies(["shop/api:1.5.*"]));
    assert.ok(!applies(["registry.example.com/shop/api"], { reference: "shop-api.tar" }), "a local archive has no repository");
    assert.ok(applies(["shop-api.tar"], { reference: "shop-api.tar" }));
  });

  it("matches packages by name glob, by a purl's version when it has one, and by a purl glob", () => {
    assert.deepEqual(
      applyExceptions([libssl, openssl, libsslNewer], all, ci, TODAY).excepted.map((e) => e.finding),
      [libssl, openssl],
      "libssl3 3.0.11-1~deb12u2 by its purl, openssl by its name; libssl3 3.0.13 is another version",
    );
    const glob = (packages: string[]): PolicyException => ({ ...opensslApi!, packages });
    assert.ok(exceptionApplies(glob(["libssl*"]), libsslNewer, ci, TODAY));
    assert.ok(exceptionApplies(glob(["pkg:deb/debian/libssl3@3.0.13-*"]), libsslNewer, ci, TODAY));
    assert.ok(exceptionApplies(glob(["pkg:deb/debian/*?arch=amd64*"]), libsslNewer, ci, TODAY), "a purl glob may take in the qualifiers");
    assert.ok(!exceptionApplies(glob(["pkg:npm/libssl3"]), libsslNewer, ci, TODAY), "the purl type counts");
  });

  it("never lets a package scope cover a finding without a package", () => {
    assert.ok(!exceptionMatches({ ...opensslApi!, images: undefined, packages: ["*"] }, secret, ci));
    assert.ok(exceptionMatches({ ...opensslApi!, packages: undefined, findings: ["PCS-SEC-*"] }, secret, ci));
  });

  it("matches namespaces only at admission", () => {
    const day = new Date("2024-06-29T23:59:59Z");
    assert.ok(exceptionApplies(glibcStaging!, glibc, { target: API, namespace: "shop-dev-eu" }, day));
    assert.ok(exceptionApplies(glibcStaging!, glibc, { target: API, namespace: "shop-staging" }, day));
    assert.ok(!exceptionApplies(glibcStaging!, glibc, { target: API, namespace: "shop" }, day));
    assert.ok(!exceptionApplies(glibcStaging!, glibc, ci, day), "no namespace in CI");
  });

  it("stops applying on its expiry day (UTC) and lists the findings it would have covered", () => {
    const staging = { target: API, namespace: "shop-staging" };
    assert.equal(applyExceptions([glibc], all, staging, new Date("2024-06-29T23:59:59Z")).excepted.length, 1, "the day before");
    assert.ok(exceptionExpired(glibcStaging!, new Date("2024-06-30T00:00:00Z")));
    const out = applyExceptions([glibc, zlib], all, staging, TODAY);
    assert.deepEqual(out.findings, [glibc]);
    assert.deepEqual(out.expired, [{ exception: glibcStaging, findings: [glibc] }]);
    assert.deepEqual(out.excepted, [{ finding: zlib, exception: zlibMinizip }]);
  });

  it("lists an expired exception only for findings no other exception covers, and not at all when it would cover none", () => {
    const renewed: PolicyException = { ...glibcStaging!, id: "glibc-iconv-staging-2", expires: "2025-09-30" };
    const staging = { target: API, namespace: "shop-staging" };
    const out = applyExceptions([glibc], [...all, renewed], staging, TODAY);
    assert.deepEqual(out.excepted, [{ finding: glibc, exception: renewed }]);
    assert.deepEqual(out.expired, []);
    assert.deepEqual(applyExceptions([zlib], all, staging, TODAY).expired, []);
  });

  it("lets the first exception in the list that applies take the finding", () => {
    const broad: PolicyException = { ...zlibMinizip!, id: "debian-base", packages: ["pkg:deb/debian/*"], findings: undefined };
    assert.equal(applyExceptions([zlib], [zlibMinizip!, broad], ci, TODAY).excepted[0]!.exception.id, "zlib-minizip");
    assert.equal(applyExceptions([zlib], [broad, zlibMinizip!], ci, TODAY).excepted[0]!.exception.id, "debian-base");
  });

  it("changes nothing without exceptions", () => {
    assert.deepEqual(applyExceptions([zlib, secret], [], ci, TODAY), { findings: [zlib, secret], excepted: [], expired: [] });
  });
});
