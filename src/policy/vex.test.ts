/**
 * OpenVEX as a policy reads it: the statements of v0.2.0 and v0.0.x
 * documents (and of a VEX attestation), the errors bad documents give, and
 * which findings of an image the statements resolve.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Finding } from "../common/index.js";
import { applyVex, MAX_VEX_LENGTH, parseOpenVex, type VexStatement } from "./vex.js";
import { inputError } from "../../test/support/input-error.js";

const fixture = (name: string): string => readFileSync(new URL(`./testdata/vex/${name}`, import.meta.url), "utf8");

const API_DIGEST = "sha256:d20141dbeaeb24ed0d7bbc855d6b7f7c4bfce46b85d8b851f36ad8a47db7b7d1";
const API_142 = { reference: "registry.example.com/shop/api:1.4.2", digest: API_DIGEST };
const API_150 = { reference: "registry.example.com/shop/api:1.5.0", digest: "sha256:07a1348feb28d16fd0d34cd74811d2542253883f541b3ba6170727e072024bb8" };

/** A vulnerability finding as the matcher makes it. */
function vuln(id: string, aliases: string[], name: string, version: string, purl: string, severity: Finding["severity"] = "high"): Finding {
  const type = purl.slice(4, purl.indexOf("/"));
  return {
    kind: "vulnerability",
    id,
    aliases,
    severity,
    title: `${name}: ${id}`,
    references: [`https://nvd.nist.gov/vuln/detail/${id}`],
    package: { name, version, type, purl },
    status: "fixed",
  };
}

const libssl = (id: string, aliases: string[] = []) =>
  vuln(id, aliases, "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12", "medium");
const zlib = vuln("CVE-2023-45853", [], "zlib1g", "1:1.2.13.dfsg-1", "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&distro=debian-12", "critical");
const xnet = vuln("CVE-2023-45288", ["GHSA-4v7x-pqxf-cx7m", "GO-2024-2687"], "golang.org/x/net", "v0.17.0", "pkg:golang/golang.org/x/net@v0.17.0", "medium");
const glibc = vuln("CVE-2024-2961", [], "libc6", "2.36-9+deb12u4", "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12");
const semver = vuln("CVE-2022-25883", ["GHSA-c2qf-rxjj-qqgw"], "semver", "7.5.1", "pkg:npm/semver@7.5.1", "medium");
/** A misconfiguration whose id happens to be a statement's: VEX is about vulnerabilities only. */
const misconfig: Finding = { kind: "misconfig", id: "CVE-2023-6129", aliases: [], severity: "low", title: "not a vulnerability", references: [] };

const API_FINDINGS = [libssl("CVE-2023-6129"), zlib, xnet, glibc, semver, misconfig];

/** A v0.2.0 document around `statements`, as vexctl writes one. */
function doc(statements: unknown[], timestamp = "2024-03-04T09:12:45Z"): string {
  return JSON.stringify({
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://vex.shop.example/public/vex-test",
    author: "Shop Platform Security",
    timestamp,
    version: 1,
    statements,
  });
}

const ids = (findings: Finding[]): string[] => findings.map((f) => `${f.id} ${f.package?.name ?? f.kind}`);

describe("parseOpenVex: v0.2.0 (testdata/vex/shop-api.openvex.json)", () => {
  const statements = parseOpenVex(fixture("shop-api.openvex.json"), "vex/shop-api.openvex.json");

  it("reads every statement in document order, each knowing its file and place", () => {
    assert.deepEqual(
      statements.map((s) => [s.vulnerability, s.status, s.origin.index]),
      [
        ["CVE-2023-6129", "not_affected", 0],
        ["CVE-2023-45853", "not_affected", 1],
        ["GO-2024-2687", "not_affected", 2],
        ["GO-2024-2687", "under_investigation", 3],
        ["CVE-2024-2961", "affected", 4],
        ["CVE-2022-25883", "fixed", 5],
      ],
    );
    for (const s of statements) assert.equal(s.origin.file, "vex/shop-api.openvex.json");
  });

  it("keeps the products, their subcomponents, the justification and the statements", () => {
    assert.deepEqual(statements[0], {
      vulnerability: "CVE-2023-6129",
      aliases: [],
      products: ["pkg:oci/api@sha256%3Ad20141dbeaeb24ed0d7bbc855d6b7f7c4bfce46b85d8b851f36ad8a47db7b7d1?repository_url=registry.example.com%2Fshop%2Fapi&tag=1.4.2"],
      subcomponents: ["pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64"],
      status: "not_affected",
      justification: "vulnerable_code_not_present",
      impactStatement: "The bug is in the PowerPC assembly of POLY1305; this image is built for amd64 only.",
      timestamp: "2024-03-04T09:12:45.118204+01:00",
      origin: { file: "vex/shop-api.openvex.json", index: 0 },
    });
    assert.deepEqual(statements[2]!.aliases, ["CVE-2023-45288", "GHSA-4v7x-pqxf-cx7m"]);
    assert.equal(statements[4]!.actionStatement, "Rebuild on debian:12.5 or later, which ships libc6 2.36-9+deb12u7.");
  });

  it("gives a statement without a time the document's time", () => {
    assert.equal(statements[4]!.timestamp, "2024-03-04T09:12:45.118204+01:00");
    assert.equal(statements[2]!.timestamp, "2024-04-11T16:40:02.905117+02:00", "its own time when it has one");
  });
});

describe("parseOpenVex: v0.0.x and attestations", () => {
  it("reads v0.0.x statements: the vulnerability, products and subcomponents as strings", () => {
    const [first, second] = parseOpenVex(fixture("legacy.openvex.json"), "legacy.openvex.json");
    assert.deepEqual(first, {
      vulnerability: "CVE-2023-5678",
      aliases: [],
      products: ["pkg:oci/api?repository_url=registry.example.com/shop/api"],
      subcomponents: ["pkg:deb/debian/libssl3", "pkg:deb/debian/openssl"],
      status: "not_affected",
      justification: "vulnerable_code_cannot_be_controlled_by_adversary",
      impactStatement: "The api only uses built-in DH groups; it never checks DH parameters from outside.",
      timestamp: "2023-11-14T08:05:31.551923-05:00",
      origin: { file: "legacy.openvex.json", index: 0 },
    });
    assert.equal(second!.status, "under_investigation");
  });

  it("reads the OpenVEX predicate of an in-toto statement, naming a product by @id and by its sha-256 hash", () => {
    const [s] = parseOpenVex(fixture("shop-api.intoto.json"), "shop-api.intoto.json");
    assert.deepEqual(s!.products, [`registry.example.com/shop/api@${API_DIGEST}`, API_DIGEST]);
    assert.equal(s!.justification, "inline_mitigations_already_exist");
  });

  it("reads a document with no statements as none", () => {
    assert.deepEqual(parseOpenVex(doc([]), "empty.json"), []);
  });
});

describe("parseOpenVex errors name the file and the JSON path", () => {
  const statement = { vulnerability: { name: "CVE-2023-45853" }, products: [{ "@id": "pkg:deb/debian/zlib1g" }], status: "not_affected", justification: "vulnerable_code_not_present" };
  const bad = (s: Record<string, unknown>) => inputError(() => parseOpenVex(doc([statement, { ...statement, ...s }]), "vex.json"));

  it("refuses text that is not JSON", () => {
    const err = inputError(() => parseOpenVex('{"statements": [', "vex/broken.json"));
    assert.equal(err.source, "vex/broken.json");
    assert.equal(err.location, undefined);
    assert.match(err.detail, /^not valid JSON: /);
  });

  it("refuses a document larger than 16 MiB", () => {
    assert.equal(MAX_VEX_LENGTH, 16 * 1024 * 1024);
    const err = inputError(() => parseOpenVex(" ".repeat(MAX_VEX_LENGTH + 1), "huge.json"));
    assert.equal(err.message, `huge.json: larger than ${MAX_VEX_LENGTH} characters`);
  });

  it("refuses JSON that is not an object, or has no statements list", () => {
    assert.equal(inputError(() => parseOpenVex("[]", "a.json")).message, "a.json $: expected an OpenVEX document, a JSON object with a statements list");
    const cyclonedx = JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.5", vulnerabilities: [] });
    assert.equal(inputError(() => parseOpenVex(cyclonedx, "bom.json")).message, 'bom.json $: no "statements" list: not an OpenVEX document');
    assert.equal(inputError(() => parseOpenVex('{"statements": {}}', "a.json")).message, "a.json $.statements: expected a list of statements");
    const attestation = JSON.stringify({ predicateType: "https://openvex.dev/ns/v0.2.0", predicate: { author: "x" } });
    assert.equal(inputError(() => parseOpenVex(attestation, "att.json")).message, 'att.json $.predicate: no "statements" list: not an OpenVEX document');
  });

  it("refuses a statement that is not an object", () => {
    const err = inputError(() => parseOpenVex(doc(["CVE-2023-45853"]), "vex.json"));
    assert.equal(err.message, "vex.json $.statements[0]: expected a statement object with vulnerability, products and status");
  });

  it("refuses a statement without a vulnerability, or with a nameless one", () => {
    assert.equal(bad({ vulnerability: undefined }).message, "vex.json $.statements[1]: no vulnerability: expected a vulnerability with a name such as CVE-2023-6129");
    assert.equal(bad({ vulnerability: { "@id": "https://nvd.nist.gov/vuln/detail/CVE-2023-45853" } }).message, "vex.json $.statements[1].vulnerability.name: expected the vulnerability's name, such as CVE-2023-6129");
    assert.equal(bad({ vulnerability: "" }).message, "vex.json $.statements[1].vulnerability: expected the vulnerability's name, got an empty string");
    assert.equal(bad({ vulnerability: 45853 }).message, 'vex.json $.statements[1].vulnerability: expected an object with a "name", or a name as a string');
    assert.equal(bad({ vulnerability: { name: "CVE-2023-45853", aliases: "GHSA-x" } }).message, "vex.json $.statements[1].vulnerability.aliases: expected a list of names");
    assert.equal(bad({ vulnerability: { name: "CVE-2023-45853", aliases: [7] } }).message, "vex.json $.statements[1].vulnerability.aliases[0]: expected a name such as GHSA-4v7x-pqxf-cx7m");
  });

  it("refuses a missing or unknown status, naming the known ones", () => {
    assert.equal(bad({ status: undefined }).message, "vex.json $.statements[1].status: missing; expected one of not_affected, affected, fixed, under_investigation");
    assert.equal(bad({ status: "not-affected" }).message, 'vex.json $.statements[1].status: unknown status "not-affected"; expected one of not_affected, affected, fixed, under_investigation');
  });

  it("refuses not_affected without a justification or an impact statement, as the spec requires", () => {
    assert.equal(bad({ justification: undefined }).message, "vex.json $.statements[1]: status not_affected needs a justification or an impact_statement saying why");
    assert.equal(bad({ justification: undefined, impact_statement: "" }).message, "vex.json $.statements[1]: status not_affected needs a justification or an impact_statement saying why");
    assert.equal(parseOpenVex(doc([{ ...statement, justification: undefined, impact_statement: "MiniZip is not built" }]), "vex.json")[0]!.impactStatement, "MiniZip is not built");
  });

  it("refuses a justification that is not one of the VEX labels", () => {
    assert.equal(
      bad({ justification: "not_used" }).message,
      'vex.json $.statements[1].justification: unknown justification "not_used"; expected one of component_not_present, vulnerable_code_not_present, vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary, inline_mitigations_already_exist',
    );
  });

  it("refuses products and subcomponents that name nothing", () => {
    assert.equal(bad({ products: "pkg:deb/debian/zlib1g" }).message, "vex.json $.statements[1].products: expected a list of products");
    assert.equal(bad({ products: [{ "@id": "pkg:deb/debian/zlib1g" }, { hashes: {} }] }).message, 'vex.json $.statements[1].products[1]: the product names nothing: expected "@id", identifiers.purl or hashes["sha-256"]');
    assert.equal(bad({ products: [{ "@id": "" }] }).message, "vex.json $.statements[1].products[0][\"@id\"]: expected the product's identifier (a purl or an image reference)");
    assert.equal(bad({ products: [42] }).message, 'vex.json $.statements[1].products[0]: expected a product: an object with "@id", or an identifier string');
    assert.equal(bad({ products: [{ "@id": "pkg:oci/api", subcomponents: {} }] }).message, "vex.json $.statements[1].products[0].subcomponents: expected a list of subcomponents");
    assert.equal(bad({ subcomponents: [""] }).message, "vex.json $.statements[1].subcomponents[0]: expected a subcomponent identifier, got an empty string");
  });

  it("refuses times that are not RFC 3339, in a statement or the document", () => {
    assert.equal(bad({ timestamp: "04/11/2024" }).message, 'vex.json $.statements[1].timestamp: expected an RFC 3339 time such as 2024-03-01T10:00:00Z, got "04/11/2024"');
    assert.equal(inputError(() => parseOpenVex(doc([], "2024-03-04"), "vex.json")).message, 'vex.json $.timestamp: expected an RFC 3339 time such as 2024-03-01T10:00:00Z, got "2024-03-04"');
  });

  it("refuses free-text fields that are not strings", () => {
    assert.equal(bad({ status: "affected", action_statement: ["upgrade"] }).message, "vex.json $.statements[1].action_statement: expected a string");
  });
});

describe("applyVex: which findings of an image the statements resolve", () => {
  const shop = parseOpenVex(fixture("shop-api.openvex.json"), "shop-api.openvex.json");

  it("resolves not_affected and fixed statements about the image, keeping affected ones and other kinds of finding", () => {
    const { findings, resolved } = applyVex(API_FINDINGS, shop, API_142);
    assert.deepEqual(ids(findings), ["CVE-2024-2961 libc6", "CVE-2023-6129 misconfig"]);
    assert.deepEqual(
      resolved.map((r) => [r.finding.id, r.statement.status, r.statement.origin.index]),
      [
        ["CVE-2023-6129", "not_affected", 0],
        ["CVE-2023-45853", "not_affected", 1],
        ["CVE-2023-45288", "not_affected", 2],
        ["CVE-2022-25883", "fixed", 5],
      ],
    );
  });

  it("binds statements about an image to its digest: another build of the same repository keeps its findings", () => {
    const { findings, resolved } = applyVex(API_FINDINGS, shop, API_150);
    assert.deepEqual(resolved.map((r) => r.finding.id), ["CVE-2023-45853"], "only the statement about the zlib1g package, in any image");
    assert.equal(findings.length, 5);
  });

  it("matches the subcomponent's purl ignoring qualifiers, and only that package", () => {
    const arm = vuln("CVE-2023-6129", [], "libssl3", "3.0.11-1~deb12u2", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=arm64&distro=debian-12");
    const newer = vuln("CVE-2023-6129", [], "libssl3", "3.0.11-1~deb12u3", "pkg:deb/debian/libssl3@3.0.11-1~deb12u3?arch=amd64&distro=debian-12");
    const crypto = vuln("CVE-2023-6129", [], "libcrypto3", "3.1.4-r5", "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=3.19.1");
    const { findings, resolved } = applyVex([arm, newer, crypto], shop, API_142);
    assert.deepEqual(resolved.map((r) => r.finding), [arm], "the statement's purl has a version: other versions and packages stay");
    assert.deepEqual(findings, [newer, crypto]);
  });

  it("compares purl versions decoded: 1%3A1.2.13.dfsg-1 is 1:1.2.13.dfsg-1", () => {
    const other = vuln("CVE-2023-45853", [], "zlib1g", "1:1.3.dfsg-3.1", "pkg:deb/debian/zlib1g@1:1.3.dfsg-3.1?arch=amd64&distro=debian-13");
    assert.deepEqual(applyVex([zlib, other], shop, API_150).findings, [other]);
  });

  it("matches names ignoring case, through the aliases of both the statement and the finding", () => {
    const byGhsa = vuln("GHSA-4v7x-pqxf-cx7m", [], "golang.org/x/net", "v0.17.0", "pkg:golang/golang.org/x/net@v0.17.0");
    const statement = doc([{ vulnerability: { name: "cve-2023-45853" }, status: "fixed" }]);
    assert.equal(applyVex([byGhsa], shop, API_142).resolved.length, 1, "the statement's alias is the finding's id");
    assert.equal(applyVex([zlib], parseOpenVex(statement, "lower.json"), API_150).resolved.length, 1);
  });

  it("lets the latest statement decide, whatever its place in the document", () => {
    const { resolved } = applyVex([xnet], shop, API_142);
    assert.equal(resolved[0]!.statement.origin.index, 2, "not_affected of 2024-04-11 beats under_investigation of 2024-03-04 written after it");
    const later = parseOpenVex(
      doc([{ vulnerability: { name: "CVE-2023-45853" }, products: [{ "@id": "pkg:deb/debian/zlib1g" }], status: "affected", action_statement: "MiniZip is now linked in: upgrade zlib1g" }], "2024-06-01T08:00:00Z"),
      "later.json",
    );
    const decided = applyVex([zlib], [...shop, ...later], API_142);
    assert.deepEqual(decided.findings, [zlib], "a later affected statement takes back an earlier not_affected");
    assert.deepEqual(applyVex([zlib], [...later, ...shop], API_142).findings, [zlib], "the list order does not matter, the time does");
  });

  it("breaks a tie of times by document order, the later statement winning", () => {
    const s = { vulnerability: { name: "CVE-2023-45853" }, products: [{ "@id": "pkg:deb/debian/zlib1g" }] };
    const fixedLast = parseOpenVex(doc([{ ...s, status: "under_investigation" }, { ...s, status: "fixed" }]), "tie.json");
    assert.equal(applyVex([zlib], fixedLast, API_142).resolved[0]?.statement.origin.index, 1);
    const fixedFirst = parseOpenVex(doc([{ ...s, status: "fixed" }, { ...s, status: "under_investigation" }]), "tie.json");
    assert.deepEqual(applyVex([zlib], fixedFirst, API_142), { findings: [zlib], resolved: [] });
  });

  it("counts a statement without any time as the oldest", () => {
    const undated = JSON.stringify({ statements: [{ vulnerability: "CVE-2023-45853", status: "under_investigation" }] });
    const statements = [...parseOpenVex(doc([{ vulnerability: { name: "CVE-2023-45853" }, status: "fixed" }]), "dated.json"), ...parseOpenVex(undated, "undated.json")];
    assert.equal(applyVex([zlib], statements, API_142).resolved[0]?.statement.origin.file, "dated.json");
  });

  it("keeps findings under investigation", () => {
    const legacy = parseOpenVex(fixture("legacy.openvex.json"), "legacy.openvex.json");
    assert.deepEqual(applyVex([libssl("CVE-2024-0727")], legacy, API_142).resolved, []);
  });

  it("applies a statement without products to every finding of its vulnerability", () => {
    const anywhere = parseOpenVex(doc([{ vulnerability: { name: "CVE-2022-25883" }, status: "not_affected", justification: "vulnerable_code_not_in_execute_path" }]), "any.json");
    const other = vuln("CVE-2022-25883", [], "semver", "6.3.0", "pkg:npm/semver@6.3.0");
    assert.equal(applyVex([semver, other], anywhere, { reference: "docker.io/library/node:20" }).resolved.length, 2);
  });

  it("names an image by a versionless pkg:oci purl with its repository_url (v0.0.x), a package purl without version covering every version", () => {
    const legacy = parseOpenVex(fixture("legacy.openvex.json"), "legacy.openvex.json");
    const finding = libssl("CVE-2023-5678");
    assert.equal(applyVex([finding], legacy, API_150).resolved.length, 1, "any tag of registry.example.com/shop/api");
    assert.equal(applyVex([finding], legacy, { reference: "registry.example.com/shop/api@" + API_DIGEST }).resolved.length, 1);
    assert.equal(applyVex([finding], legacy, { reference: "registry.example.com/shop/web:1.4.2", digest: API_DIGEST.replace("d2", "e3") }).resolved.length, 0);
  });

  it("holds a versionless pkg:oci purl with a tag qualifier to that tag", () => {
    const tagged = parseOpenVex(doc([{ vulnerability: { name: "CVE-2023-45853" }, products: [{ "@id": "pkg:oci/api?repository_url=registry.example.com/shop/api&tag=1.4.2" }], status: "fixed" }]), "tag.json");
    assert.equal(applyVex([zlib], tagged, API_142).resolved.length, 1);
    assert.equal(applyVex([zlib], tagged, API_150).resolved.length, 0);
  });

  it("names an image by its reference as @id, or by a sha-256 hash equal to its digest (testdata/vex/shop-api.intoto.json)", () => {
    const attested = parseOpenVex(fixture("shop-api.intoto.json"), "shop-api.intoto.json");
    assert.equal(applyVex([glibc], attested, API_142).resolved.length, 1, "the hash is the digest");
    assert.equal(applyVex([glibc], attested, { reference: `registry.example.com/shop/api@${API_DIGEST}` }).resolved.length, 1, "the @id is the reference");
    assert.equal(applyVex([glibc], attested, API_150).resolved.length, 0);
  });

  it("with subcomponents, wants the image among the products and the package among the subcomponents", () => {
    const s = { vulnerability: { name: "CVE-2023-45853" }, status: "fixed" };
    const inOther = parseOpenVex(doc([{ ...s, products: [{ "@id": API_150.reference, subcomponents: [{ "@id": "pkg:deb/debian/zlib1g" }] }] }]), "other.json");
    assert.equal(applyVex([zlib], inOther, API_142).resolved.length, 0, "about another image");
    const packageProduct = parseOpenVex(doc([{ ...s, products: [{ "@id": "pkg:deb/debian/zlib1g", subcomponents: [{ "@id": "pkg:deb/debian/libminizip1" }] }] }]), "pkg.json");
    assert.equal(applyVex([zlib], packageProduct, API_142).resolved.length, 0, "the package is the product, not one of the subcomponents");
    const subOnly = parseOpenVex(JSON.stringify({ statements: [{ ...s, vulnerability: "CVE-2023-45853", subcomponents: ["pkg:deb/debian/zlib1g"] }] }), "sub.json");
    assert.equal(applyVex([zlib], subOnly, API_142).resolved.length, 1, "no products: any image holding the subcomponent");
  });

  it("changes nothing without statements", () => {
    const none: VexStatement[] = [];
    assert.deepEqual(applyVex(API_FINDINGS, none, API_142), { findings: API_FINDINGS, resolved: [] });
  });
});
