/**
 * Every feed parser on the real shared corpus: the whole corpus parses
 * without warnings (but for the one genuinely bad vector in it), and chosen
 * real records come out field by field as the feed says.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { severityFromVector } from "../cvss-score.js";
import { parseAlpineSecdb } from "./alpine-secfixes.js";
import { parseDebianTracker } from "./debian-tracker-json.js";
import { parseNodejsWg } from "./nodejs-wg.js";
import { parseOsv } from "./osv-record.js";

const corpus = fileURLToPath(new URL("../../../../shared/vulndata/", import.meta.url));
const read = (...parts: string[]) => readFileSync(join(corpus, ...parts), "utf8");

describe("OSV records", () => {
  it("parse for the whole Go, GHSA and PyPI corpus without a warning", () => {
    let advisories = 0;
    const warnings: string[] = [];
    for (const file of readdirSync(join(corpus, "go")).filter((f) => f.endsWith(".json"))) {
      const r = parseOsv(read("go", file), file, "json");
      advisories += r.advisories.length;
      warnings.push(...r.warnings);
    }
    for (const file of readdirSync(join(corpus, "npm-ghsa")).filter((f) => f.endsWith(".json"))) {
      const r = parseOsv(read("npm-ghsa", file), file, "json");
      advisories += r.advisories.length;
      warnings.push(...r.warnings);
    }
    for (const dir of readdirSync(join(corpus, "pypi/vulns"))) {
      for (const file of readdirSync(join(corpus, "pypi/vulns", dir))) {
        const r = parseOsv(read("pypi/vulns", dir, file), file, "yaml");
        advisories += r.advisories.length;
        warnings.push(...r.warnings);
      }
    }
    assert.deepEqual(warnings, []);
    assert.equal(advisories, 4291 + 64 + 2661);
  });

  it("keep a GHSA record's aliases, CVSS vector and score, GitHub's own rating, CWEs and each affected package", () => {
    const [a] = parseOsv(read("npm-ghsa", "GHSA-p6mc-m468-83gw.json"), "x", "json").advisories;
    assert.equal(a!.id, "GHSA-p6mc-m468-83gw");
    assert.deepEqual(a!.aliases, ["CVE-2020-8203"]);
    assert.deepEqual(a!.severities, [
      { source: "ghsa", type: "CVSS_V3", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", score: 7.4, rating: "high" },
      { source: "ghsa", type: "rating", rating: "high" },
    ]);
    assert.deepEqual(a!.cwes, ["CWE-1321", "CWE-770"]);
    assert.deepEqual(
      a!.affected.map((x) => [x.ecosystem, x.package, JSON.stringify(x.ranges)]),
      [
        ["npm", "lodash", JSON.stringify([{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "4.17.20" }] }])],
        ["npm", "lodash-es", JSON.stringify([{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "4.17.20" }] }])],
      ],
    );
  });

  it("name PyPI packages in PEP 503 form, keep enumerated versions, and drop GIT ranges", () => {
    const dir = readdirSync(join(corpus, "pypi/vulns")).find((d) => /[A-Z_.]/.test(d) || readdirSync(join(corpus, "pypi/vulns", d)).length > 0)!;
    const file = readdirSync(join(corpus, "pypi/vulns", dir))[0]!;
    const [a] = parseOsv(read("pypi/vulns", dir, file), file, "yaml").advisories;
    assert.ok(a!.id.startsWith("PYSEC-"));
    for (const x of a!.affected) {
      assert.equal(x.ecosystem, "PyPI");
      assert.equal(x.package, x.package.toLowerCase().replace(/[-_.]+/g, "-"));
      assert.ok(x.ranges.every((r) => r.type !== "GIT"));
    }
    assert.ok(a!.affected.some((x) => x.versions.length > 0), "PYSEC records enumerate affected versions");
  });

  it("skip a malformed record with the JSON path of the bad field, and lose only a bad vector", () => {
    const bad = parseOsv(JSON.stringify({ id: "X-1", affected: [{ package: { ecosystem: "npm", name: "a" }, ranges: [{ type: "SEMVER", events: [{ introduced: "0", fixed: "1" }] }] }] }), "bad.json", "json");
    assert.deepEqual(bad.advisories, []);
    assert.match(bad.warnings[0]!, /^bad\.json \$\.affected\[0\]\.ranges\[0\]\.events\[0\]: skipped: an event needs exactly one/);
    assert.match(parseOsv('{"id": "X-2", "affected": [', "cut.json", "json").warnings[0]!, /^cut\.json: skipped: not valid JSON/);
    assert.match(parseOsv(JSON.stringify({ id: 7 }), "id.json", "json").warnings[0]!, /^id\.json \$\.id: skipped:/);
    const vector = parseOsv(JSON.stringify({ id: "X-3", severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:Q" }], affected: [] }), "v.json", "json");
    assert.equal(vector.advisories.length, 1);
    assert.match(vector.warnings[0]!, /^v\.json \$\.severity\[0\]\.score: bad CVSS vector/);
  });

  it("refuse YAML alias bombs", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "id: X"].join("\n");
    const r = parseOsv(bomb, "bomb.yaml", "yaml");
    assert.deepEqual(r.advisories, []);
    assert.match(r.warnings[0]!, /^bomb\.yaml: skipped: not valid YAML/);
  });
});

describe("the Debian security tracker", () => {
  const feed = parseDebianTracker(read("debian", "tracker-subset.json"), "tracker.json");

  it("gives one advisory per CVE and one affected entry per package and release, without warnings", () => {
    assert.deepEqual(feed.warnings, []);
    const tracker = JSON.parse(read("debian", "tracker-subset.json")) as Record<string, Record<string, { releases: Record<string, unknown> }>>;
    const cves = new Set(Object.values(tracker).flatMap((c) => Object.keys(c)));
    const rows = Object.values(tracker).flatMap((c) => Object.values(c).flatMap((r) => Object.keys(r.releases)));
    assert.equal(feed.advisories.length, cves.size);
    assert.equal(feed.advisories.reduce((n, a) => n + a.affected.length, 0), rows.length);
  });

  it("keeps each release's verdict: fixed with its version, not-affected, no-dsa and ignored as will-not-fix", () => {
    const row = (cve: string, pkg: string, eco = "Debian:12") => feed.advisories.find((a) => a.id === cve)!.affected.find((x) => x.package === pkg && x.ecosystem === eco)!;
    assert.deepEqual([row("CVE-2025-31115", "xz-utils").state, row("CVE-2025-31115", "xz-utils").fixedVersion], ["fixed", "5.4.1-1"]);
    assert.equal(row("CVE-2024-3094", "xz-utils").state, "not-affected");
    assert.equal(row("CVE-2024-3094", "xz-utils", "Debian:11").state, "not-affected");
    assert.deepEqual([row("CVE-2016-2781", "coreutils").state, row("CVE-2016-2781", "coreutils").urgency], ["will-not-fix", "low"]);
    assert.equal(row("CVE-2025-0395", "glibc").state, "will-not-fix");
  });

  it("names what it cannot read", () => {
    const r = parseDebianTracker(JSON.stringify({ zlib: { "CVE-1": { releases: { bookworm: { status: "weird" } } }, "CVE-2": 5 } }), "t.json");
    assert.deepEqual(r.warnings, ['t.json $["zlib"]["CVE-1"].releases.bookworm: skipped: unknown status "weird"', 't.json $["zlib"]["CVE-2"].releases: skipped: expected an object of releases']);
  });
});

describe("Alpine secdb", () => {
  it("reads every real package file: each secfix id fixed at its version on its branch, without warnings", () => {
    for (const branch of ["v3.18", "v3.20"]) {
      for (const file of readdirSync(join(corpus, "alpine", branch, "main"))) {
        const text = read("alpine", branch, "main", file);
        const r = parseAlpineSecdb(text, file);
        assert.deepEqual(r.warnings, [], file);
        const doc = JSON.parse(text) as { name: string; secfixes: Record<string, string[]> };
        const expected = Object.entries(doc.secfixes).flatMap(([version, ids]) => ids.map((id) => `${id} ${version}`)).sort();
        const got = r.advisories.flatMap((a) => a.affected.map((x) => `${a.id} ${x.state === "not-affected" ? "0" : x.fixedVersion}`)).sort();
        assert.deepEqual(got, expected, file);
        assert.ok(r.advisories.every((a) => a.affected.every((x) => x.ecosystem === `Alpine:${branch}` && x.package === doc.name)));
      }
    }
  });

  it("reads the published branch shape, splits doubled ids and warns on words that are no id", () => {
    const text = JSON.stringify({ distroversion: "v3.20", reponame: "main", packages: [{ pkg: { name: "zlib", secfixes: { "1.2.12-r0": ["CVE-2018-25032 CVE-2022-37434"], "0": ["CVE-2023-45853"], "1.3-r0": ["see upstream"] } } }] });
    const r = parseAlpineSecdb(text, "main.json");
    assert.deepEqual(r.advisories.map((a) => [a.id, a.affected[0]!.state, a.affected[0]!.fixedVersion ?? ""]).sort(), [
      ["CVE-2018-25032", "fixed", "1.2.12-r0"],
      ["CVE-2022-37434", "fixed", "1.2.12-r0"],
      ["CVE-2023-45853", "not-affected", ""],
    ]);
    assert.deepEqual(r.warnings, ['main.json $.packages[0].pkg.secfixes["1.3-r0"][0]: skipped: no advisory id in "see upstream"']);
  });
});

describe("Node.js working group advisories", () => {
  it("keep the npm range as written, the first patched version, CVEs as aliases and the scored vector", () => {
    const r = parseNodejsWg(read("npm-nodejs-wg", "1.json"), "1.json", severityFromVector);
    assert.deepEqual(r.warnings, []);
    const a = r.advisories[0]!;
    assert.deepEqual([a.id, a.aliases, a.affected[0]!.package, a.affected[0]!.expression, a.affected[0]!.fixedVersion], ["NSWG-ECO-1", ["CVE-2014-7205"], "bassmaster", "<=1.5.1", "1.5.2"]);
    assert.equal(a.severities[0]!.score, 6.5);
  });

  it("read the index of all of them, warning only on the one bad vector in it", () => {
    const r = parseNodejsWg(read("npm-nodejs-wg", "index.json"), "index.json", severityFromVector);
    const files = readdirSync(join(corpus, "npm-nodejs-wg")).filter((f) => /^\d+\.json$/.test(f));
    assert.equal(r.advisories.length, files.length);
    assert.deepEqual(r.warnings.map((w) => w.replace(/: bad CVSS.*/, "")), ['index.json $["504"].cvss_vector']);
  });
});

describe("the demo's sample advisories", () => {
  it("parse without a warning, so the quick start scans with all of them", () => {
    const dir = fileURLToPath(new URL("../../../demo/advisories/", import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
    const parsed = files.map((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      return f === "debian-tracker.json" ? parseDebianTracker(text, f) : parseOsv(text, f, "json");
    });
    assert.deepEqual(parsed.flatMap((p) => p.warnings), []);
    assert.equal(parsed.reduce((n, p) => n + p.advisories.length, 0), 7);
  });
});
