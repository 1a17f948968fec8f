/**
 * OSV records as advisories: the whole real corpus (Go vulndb, GitHub
 * reviewed advisories, PyPA's YAML) parses without a warning, chosen records
 * come out field by field as their files say, and a malformed record costs
 * only itself — or, where the bad part only describes it, only that part.
 */
import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import type { Advisory } from "../model.js";
import { MAX_OSV_RECORD_CHARS, parseOsv } from "./osv.js";

const corpus = fileURLToPath(new URL("../../../../shared/vulndata/", import.meta.url));
const read = (...parts: string[]) => readFileSync(join(corpus, ...parts), "utf8");

/** The one advisory of a file that must parse cleanly. */
function only(text: string, file: string, format: "json" | "yaml" = "json"): Advisory {
  const r = parseOsv(text, file, format);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.advisories.length, 1);
  return r.advisories[0]!;
}

const ghsa = (id: string) => JSON.parse(read("npm-ghsa", `${id}.json`)) as Record<string, unknown> & { affected: Record<string, unknown>[] };

describe("the real OSV corpus", () => {
  it("parses every Go, GHSA and PyPA record, without a warning", (t) => {
    const files: { path: string[]; format: "json" | "yaml" }[] = [
      ...readdirSync(join(corpus, "go")).map((f) => ({ path: ["go", f], format: "json" as const })),
      ...readdirSync(join(corpus, "npm-ghsa"))
        .filter((f) => /^GHSA-.*\.json$/.test(f))
        .map((f) => ({ path: ["npm-ghsa", f], format: "json" as const })),
      ...readdirSync(join(corpus, "pypi/vulns")).flatMap((dir) => readdirSync(join(corpus, "pypi/vulns", dir)).map((f) => ({ path: ["pypi/vulns", dir, f], format: "yaml" as const }))),
    ];
    const texts = files.map((f) => ({ ...f, text: read(...f.path) }));
    const started = performance.now();
    const parsed = texts.map((f) => parseOsv(f.text, f.path.join("/"), f.format));
    const ms = performance.now() - started;

    const advisories = parsed.flatMap((p) => p.advisories);
    assert.deepEqual(
      parsed.flatMap((p) => p.warnings),
      [],
    );
    // The counts the corpus README gives: 4,291 Go, 64 GHSA, 2,661 PYSEC.
    assert.equal(advisories.filter((a) => a.id.startsWith("GO-")).length, 4291);
    assert.equal(advisories.filter((a) => a.id.startsWith("GHSA-")).length, 64);
    assert.equal(advisories.filter((a) => a.id.startsWith("PYSEC-")).length, 2661);
    const affected = advisories.flatMap((a) => a.affected);
    assert.deepEqual([...new Set(affected.map((a) => a.ecosystem))].sort(), ["GitHub Actions", "Go", "Maven", "NuGet", "PyPI", "npm"]);
    assert.ok(affected.every((a) => a.ranges.every((r) => r.type !== "GIT")), "GIT ranges are dropped");
    assert.ok(
      affected.filter((a) => a.ecosystem === "PyPI").every((a) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(a.package)),
      "PyPI names in PEP 503 form",
    );
    t.diagnostic(`${texts.length} files, ${advisories.length} advisories, ${affected.length} affected packages in ${Math.round(ms)} ms`);
  });
});

describe("a GHSA record", () => {
  it("keeps id, aliases, texts, dates, both vectors scored, GitHub's own rating, CWEs, references and each package (lodash, GHSA-p6mc-m468-83gw)", () => {
    const a = only(read("npm-ghsa", "GHSA-p6mc-m468-83gw.json"), "GHSA-p6mc-m468-83gw.json");
    assert.equal(a.id, "GHSA-p6mc-m468-83gw");
    assert.equal(a.source, "osv");
    assert.deepEqual(a.aliases, ["CVE-2020-8203"]);
    assert.equal(a.summary, "Prototype Pollution in lodash");
    assert.ok(a.details!.startsWith("Versions of lodash prior to 4.17.19 are vulnerable to Prototype Pollution."));
    assert.deepEqual([a.published, a.modified, a.withdrawn], ["2020-07-15T19:15:48Z", "2022-02-08T22:04:28Z", undefined]);
    assert.deepEqual(a.severities, [
      { source: "ghsa", type: "CVSS_V3", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", score: 7.4, rating: "high" },
      { source: "ghsa", type: "rating", rating: "high" },
    ]);
    assert.deepEqual(a.cwes, ["CWE-1321", "CWE-770"]);
    assert.equal(a.references.length, 13);
    assert.equal(a.references[0], "https://nvd.nist.gov/vuln/detail/CVE-2020-8203");
    const range = [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "4.17.20" }] }];
    assert.deepEqual(a.affected, [
      { ecosystem: "npm", package: "lodash", ranges: range, versions: [] },
      { ecosystem: "npm", package: "lodash-es", ranges: range, versions: [] },
    ]);
  });

  it("scores a CVSS 4.0 vector beside the 3.1 one (body-parser, GHSA-qwcr-r2fm-qrc7)", () => {
    const a = only(read("npm-ghsa", "GHSA-qwcr-r2fm-qrc7.json"), "x.json");
    assert.deepEqual(
      a.severities.map((s) => [s.type, s.score, s.rating]),
      [
        ["CVSS_V3", 7.5, "high"],
        ["CVSS_V4", 8.7, "high"],
        ["rating", undefined, "high"],
      ],
    );
  });

  it("keeps names and ecosystems as GitHub wrote them: Axios with a capital, a GitHub Actions entry", () => {
    assert.deepEqual(
      only(read("npm-ghsa", "GHSA-8hc4-vh64-cxmj.json"), "x.json").affected.map((x) => [x.ecosystem, x.package]),
      [["npm", "Axios"]],
    );
    assert.ok(only(read("npm-ghsa", "GHSA-j8xg-fqg3-53r7.json"), "x.json").affected.some((x) => x.ecosystem === "GitHub Actions"));
  });
});

describe("a Go vulndb record", () => {
  it("keeps the standard library and a module as packages with their SEMVER ranges (GO-2024-2687, HTTP/2 CONTINUATION flood)", () => {
    const a = only(read("go", "GO-2024-2687.json"), "GO-2024-2687.json");
    assert.deepEqual([a.id, a.aliases, a.summary], ["GO-2024-2687", ["CVE-2023-45288", "GHSA-4v7x-pqxf-cx7m"], "HTTP/2 CONTINUATION flood in net/http"]);
    assert.deepEqual(a.affected, [
      {
        ecosystem: "Go",
        package: "stdlib",
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.21.9" }, { introduced: "1.22.0-0" }, { fixed: "1.22.2" }] }],
        versions: [],
      },
      { ecosystem: "Go", package: "golang.org/x/net", ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "0.23.0" }] }], versions: [] },
    ]);
    assert.deepEqual(a.severities, [], "the Go team publishes no severity");
    assert.deepEqual(a.references, ["https://go.dev/issue/65051", "https://go.dev/cl/576155", "https://groups.google.com/g/golang-announce/c/YgW0sx8mN3M"]);
  });
});

describe("a PyPA YAML record", () => {
  it("names the package in PEP 503 form and keeps every enumerated version as text (jw.util, PYSEC-2020-341)", () => {
    const a = only(read("pypi/vulns/jw.util/PYSEC-2020-341.yaml"), "PYSEC-2020-341.yaml", "yaml");
    assert.deepEqual([a.id, a.aliases], ["PYSEC-2020-341", ["CVE-2020-13388", "GHSA-h72c-w3q3-55qq"]]);
    const [x] = a.affected;
    assert.deepEqual([x!.ecosystem, x!.package], ["PyPI", "jw-util"]);
    assert.deepEqual(x!.ranges, [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "2.3" }] }]);
    assert.equal(x!.versions.length, 37);
    // "2" and "2.0" are different releases; YAML numbers would have made both the number 2.
    assert.deepEqual(x!.versions.slice(0, 3), ["-class.-jw.util.version.Version-", "1.0a", "1.0dev1"]);
    assert.ok(x!.versions.includes("2") && x!.versions.includes("2.0") && x!.versions.includes("1.4"));
    assert.deepEqual([a.published, a.modified], ["2020-05-22T17:15:00Z", "2022-01-05T02:16:25.743194Z"]);
  });

  it("drops GIT ranges, whose events are commits, and keeps the ECOSYSTEM range beside them (jinja2, PYSEC-2014-82)", () => {
    const a = only(read("pypi/vulns/jinja2/PYSEC-2014-82.yaml"), "PYSEC-2014-82.yaml", "yaml");
    assert.deepEqual(
      a.affected.map((x) => x.ranges.map((r) => r.type)),
      [["ECOSYSTEM"]],
    );
  });

  it("keeps a withdrawn record, marked withdrawn (loguru, PYSEC-2022-15)", () => {
    const a = only(read("pypi/vulns/loguru/PYSEC-2022-15.yaml"), "PYSEC-2022-15.yaml", "yaml");
    assert.equal(a.withdrawn, "2022-02-22T16:15:07Z");
    assert.deepEqual(a.affected, [{ ecosystem: "PyPI", package: "loguru", ranges: [], versions: [] }]);
  });
});

describe("names", () => {
  it("puts the case of OSV's own ecosystem names right and keeps the release; unknown ecosystems stay as written", () => {
    const record = (ecosystem: string, name: string) => JSON.stringify({ id: "X-1", affected: [{ package: { ecosystem, name }, versions: ["1"] }] });
    const named = (ecosystem: string, name: string) => only(record(ecosystem, name), "x.json").affected[0]!;
    assert.deepEqual(named("pypi", "Jinja2"), { ecosystem: "PyPI", package: "jinja2", ranges: [], versions: ["1"] });
    assert.equal(named("PyPI", "zope.interface").package, "zope-interface");
    assert.equal(named("PyPI", "Foo__Bar-.baz").package, "foo-bar-baz");
    assert.equal(named("debian:12", "glibc").ecosystem, "Debian:12");
    assert.equal(named("Alpine:v3.20", "zlib").ecosystem, "Alpine:v3.20");
    assert.deepEqual([named("NPM", "Axios").ecosystem, named("NPM", "Axios").package], ["npm", "Axios"]);
    assert.equal(named("Zephyr:3", "kernel").ecosystem, "Zephyr:3");
  });
});

describe("per-package severities", () => {
  it("reads affected[].severity vectors and a distribution's per-package word", () => {
    const doc = ghsa("GHSA-p6mc-m468-83gw");
    doc.severity = [];
    doc.database_specific = {};
    doc.affected[0]!.severity = [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H" }];
    doc.affected[0]!.ecosystem_specific = { severity: "Moderate" };
    doc.affected[1]!.ecosystem_specific = { severity: "MODERATE" };
    const a = only(JSON.stringify(doc), "x.json");
    assert.deepEqual(a.severities, [
      { source: "ghsa", type: "CVSS_V3", vector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H", score: 7.4, rating: "high" },
      { source: "ghsa", type: "rating", rating: "medium" },
    ]);
    assert.deepEqual(
      a.affected.map((x) => x.urgency),
      ["Moderate", "MODERATE"],
    );
  });

  it("rates the advisory by per-package words only when they agree", () => {
    const doc = ghsa("GHSA-p6mc-m468-83gw");
    doc.severity = [];
    doc.database_specific = {};
    doc.affected[0]!.ecosystem_specific = { urgency: "low" };
    doc.affected[1]!.ecosystem_specific = { urgency: "high" };
    const a = only(JSON.stringify(doc), "x.json");
    assert.deepEqual(a.severities, []);
    assert.deepEqual(
      a.affected.map((x) => x.urgency),
      ["low", "high"],
    );
  });

  it("reads Ubuntu's priority word", () => {
    const a = only(JSON.stringify({ id: "UBUNTU-CVE-2024-3094", severity: [{ type: "Ubuntu", score: "critical" }], affected: [] }), "x.json");
    assert.deepEqual(a.severities, [{ source: "ubuntu", type: "rating", rating: "critical" }]);
  });
});

describe("a malformed record", () => {
  const lodash = () => ghsa("GHSA-p6mc-m468-83gw");

  it("cut short is skipped as not valid JSON", () => {
    const text = read("npm-ghsa", "GHSA-p6mc-m468-83gw.json");
    const r = parseOsv(text.slice(0, text.length / 2), "cut.json", "json");
    assert.deepEqual(r.advisories, []);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0]!, /^cut\.json: skipped: not valid JSON \(.+\)$/);
  });

  it("is skipped, with the JSON path of the bad field, when what decides a match is wrong", () => {
    const skipped = (change: (doc: ReturnType<typeof lodash>) => void) => {
      const doc = lodash();
      change(doc);
      const r = parseOsv(JSON.stringify(doc), "bad.json", "json");
      assert.deepEqual(r.advisories, []);
      assert.equal(r.warnings.length, 1, r.warnings.join("\n"));
      return r.warnings[0];
    };
    assert.equal(
      skipped((d) => {
        d.aliases = "CVE-2020-8203";
      }),
      "bad.json $.aliases: skipped: expected an array, got a string",
    );
    assert.equal(
      skipped((d) => {
        d.id = 7;
      }),
      "bad.json $.id: skipped: expected a string, got a number",
    );
    assert.equal(
      skipped((d) => {
        (d.affected[0]!.package as Record<string, unknown>).name = 7;
      }),
      "bad.json $.affected[0].package.name: skipped: expected a string, got a number",
    );
    assert.equal(
      skipped((d) => {
        d.affected[1]!.ranges = [{ type: "ECOSYSTEM", events: [{ introduced: "0" }] }, { type: "ECOSYSTEM", events: { fixed: "1" } }];
      }),
      "bad.json $.affected[1].ranges[1].events: skipped: expected an array, got an object",
    );
    assert.equal(
      skipped((d) => {
        d.affected[0]!.ranges = [{ type: "SEMVER", events: [{ introduced: "0", fixed: "4.17.20" }] }];
      }),
      "bad.json $.affected[0].ranges[0].events[0]: skipped: an event needs exactly one of introduced, fixed, last_affected, limit; got introduced and fixed",
    );
    assert.equal(
      skipped((d) => {
        d.affected[0]!.versions = ["4.17.19", null];
      }),
      "bad.json $.affected[0].versions[1]: skipped: expected a string, got null",
    );
    assert.equal(
      skipped((d) => {
        d.withdrawn = true;
      }),
      "bad.json $.withdrawn: skipped: expected a string, got a boolean",
    );
    assert.equal(
      skipped((d) => {
        (d as Record<string, unknown>).affected = { lodash: true };
      }),
      "bad.json $.affected: skipped: expected an array, got an object",
    );
  });

  it("loses only the part that merely describes it: a vector that does not score, an unknown severity, a bad CWE or reference", () => {
    const doc = lodash();
    doc.severity = [
      { type: "CVSS_V3", score: "CVSS:3.1/AV:Q/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H" },
      { type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N" },
      { type: "SEVERE", score: "9" },
    ];
    doc.database_specific = { severity: "SEVERE", cwe_ids: ["CWE-1321", "prototype pollution"] };
    doc.summary = 42;
    doc.published = "last summer";
    (doc.references as unknown[]).push({ type: "WEB" });
    const r = parseOsv(JSON.stringify(doc), "part.json", "json");
    assert.deepEqual(r.warnings, [
      'part.json $.severity[0].score: ignored: CVSS vector "CVSS:3.1/AV:Q/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H": AV:Q is not a value of AV (X, N, A, L, P)',
      'part.json $.severity[2].type: ignored: severity type "SEVERE" is none of CVSS_V2, CVSS_V3, CVSS_V4, Ubuntu',
      'part.json $.database_specific.severity: ignored: "SEVERE" is not a severity word we know',
      'part.json $.database_specific.cwe_ids[1]: ignored: "prototype pollution" is not a CWE id',
      'part.json $.references[13]: ignored: expected {"url": string}, got {"type":"WEB"}',
      "part.json $.summary: ignored: expected a string, got a number",
      'part.json $.published: ignored: "last summer" is not an RFC 3339 time',
    ]);
    const [a] = r.advisories;
    assert.deepEqual(
      a!.severities.map((s) => [s.type, s.score]),
      [["CVSS_V4", 8.7]],
    );
    assert.deepEqual(a!.cwes, ["CWE-1321"]);
    assert.equal(a!.references.length, 13);
    assert.deepEqual([a!.summary, a!.published], [undefined, undefined]);
    assert.deepEqual(
      a!.affected.map((x) => x.package),
      ["lodash", "lodash-es"],
    );
  });

  it("keeps a package whose unknown range type is ignored, and drops one that only names commits", () => {
    const doc = lodash();
    doc.affected[0]!.ranges = [{ type: "CALVER", events: [{ introduced: "0" }] }];
    doc.affected[1]!.ranges = [{ type: "GIT", repo: "https://github.com/lodash/lodash", events: [{ introduced: "0" }, { fixed: "c84fe82760fb2d3e03a63379b297a1cc1a2fce12" }] }];
    const r = parseOsv(JSON.stringify(doc), "r.json", "json");
    assert.deepEqual(r.warnings, ['r.json $.affected[0].ranges[0].type: ignored: range type "CALVER" is none of ECOSYSTEM, SEMVER, GIT']);
    assert.deepEqual(
      r.advisories[0]!.affected.map((x) => [x.package, x.ranges]),
      [["lodash", []]],
    );
  });

  it("nested beyond reason where only a description belongs costs that part, and nothing throws", () => {
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    const r = parseOsv(`{"id": "X-1", "references": [${deep}], "affected": []}`, "deep.json", "json");
    assert.deepEqual(r.warnings, ['deep.json $.references[0]: ignored: expected {"url": string}, got an array']);
    assert.equal(r.advisories.length, 1);
  });

  it("that is no object, or too large, is skipped whole", () => {
    assert.deepEqual(parseOsv("[]", "list.json", "json").warnings, ["list.json $: skipped: expected an object, got an array"]);
    assert.deepEqual(parseOsv("- id: X", "list.yaml", "yaml").warnings, ["list.yaml $: skipped: expected an object, got an array"]);
    const big = parseOsv(" ".repeat(MAX_OSV_RECORD_CHARS + 1), "big.json", "json");
    assert.deepEqual(big, { advisories: [], warnings: [`big.json: skipped: ${MAX_OSV_RECORD_CHARS + 1} characters is more than an OSV record may hold (${MAX_OSV_RECORD_CHARS})`] });
  });
});

describe("YAML", () => {
  it("keeps unquoted numbers and booleans as the text they are", () => {
    const a = only(["id: PYSEC-0000-1", "affected:", "- package: {name: x, ecosystem: PyPI}", "  versions: [1.0, 1.10, 2, 1e3, true, 0o17]"].join("\n"), "n.yaml", "yaml");
    assert.deepEqual(a.affected[0]!.versions, ["1.0", "1.10", "2", "1e3", "true", "0o17"]);
  });

  it("refuses alias bombs, duplicate keys, several documents and deep nesting without throwing", () => {
    const names = "abcdefghijklm";
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...[...names.slice(1)].map((n, i) => `${n}: &${n} [${Array(10).fill(`*${names[i]}`).join(", ")}]`), "id: X"].join("\n");
    const cases: [string, RegExp][] = [
      [bomb, /^bomb\.yaml: skipped: not valid YAML \(.*alias/i],
      ["id: X\nid: Y\n", /^bomb\.yaml: skipped: not valid YAML \(.*unique/i],
      ["id: X\n---\nid: Y\n", /^bomb\.yaml: skipped: not valid YAML \(/],
      [`id: ${"[".repeat(20000)}${"]".repeat(20000)}`, /^bomb\.yaml: skipped: not valid YAML \(/],
    ];
    for (const [text, expected] of cases) {
      const r = parseOsv(text, "bomb.yaml", "yaml");
      assert.deepEqual(r.advisories, []);
      assert.match(r.warnings[0]!, expected);
    }
  });
});

describe("the demo's sample OSV advisories", () => {
  it("parse without a warning, so the quick start scans with all of them", () => {
    const dir = fileURLToPath(new URL("../../../demo/advisories/", import.meta.url));
    const files = readdirSync(dir).filter((f) => f.startsWith("GHSA-") && f.endsWith(".json"));
    assert.equal(files.length, 5);
    for (const f of files) only(readFileSync(join(dir, f), "utf8"), f);
  });
});
