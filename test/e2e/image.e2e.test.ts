/**
 * `portcullis image` end to end: the real images against the real advisory
 * data in the shared corpus, with the expected findings worked out
 * independently (the Debian ones with the real dpkg).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { VulnerabilityReport } from "../../src/match/index.js";
import { portcullis } from "../support/cli.js";
import { fixtures, type Fixtures } from "../support/fixtures.js";

const vulndata = fileURLToPath(new URL("../../../shared/vulndata/", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "pcs-e2e-image-"));
const env = { PORTCULLIS_CACHE_DIR: join(work, "cache") };
let fx: Fixtures;

after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  fx = await fixtures();
});

async function importInto(db: string, ...paths: string[]): Promise<void> {
  const r = await portcullis(["db", "import", "--db", db, "-q", ...paths], env);
  assert.equal(r.status, 0, r.stderr);
}

async function scan(target: string, db: string, ...extra: string[]): Promise<VulnerabilityReport> {
  const r = await portcullis(["image", target, "--db", db, "-f", "json", "-q", ...extra], env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as VulnerabilityReport;
}

interface TrackerRelease {
  status: string;
  fixed_version?: string;
}
type Tracker = Record<string, Record<string, { releases: Record<string, TrackerRelease> }>>;

describe("Debian 12 against the Debian security tracker", () => {
  test("reports exactly the CVEs whose bookworm state makes the installed source version affected, as dpkg decides", async () => {
    const db = join(work, "debian.db");
    await importInto(db, join(vulndata, "debian"));

    // Installed source packages, read from the image's own dpkg database by dpkg.
    const admindir = join(fx.bookworm.rootfs, "var/lib/dpkg");
    const installed = new Map<string, string>();
    for (const line of execFileSync("dpkg-query", ["--admindir", admindir, "-W", "-f", "${source:Package}\t${source:Version}\n"], { encoding: "utf8" }).trim().split("\n")) {
      const [name, version] = line.split("\t");
      installed.set(name!, version!);
    }
    const tracker = JSON.parse(readFileSync(join(vulndata, "debian/tracker-subset.json"), "utf8")) as Tracker;
    const expected = new Set<string>();
    for (const [source, cves] of Object.entries(tracker)) {
      const version = installed.get(source);
      if (!version) continue;
      for (const [cve, record] of Object.entries(cves)) {
        const bookworm = record.releases.bookworm;
        if (!bookworm) continue;
        if (bookworm.status === "resolved") {
          if (bookworm.fixed_version === "0" || !bookworm.fixed_version) continue;
          const older = spawnSync("dpkg", ["--compare-versions", version, "lt", bookworm.fixed_version]).status === 0;
          if (!older) continue;
        }
        expected.add(`${source} ${cve}`);
      }
    }
    assert.ok(expected.size > 20, `the tracker subset affects this image (${expected.size})`);

    const report = await scan(`docker-archive:${fx.bookworm.dockerArchive}`, db);
    const sbom = JSON.parse((await portcullis(["sbom", `docker-archive:${fx.bookworm.dockerArchive}`, "-f", "json", "-q"], env)).stdout) as {
      packages: { name: string; source?: { name: string } }[];
    };
    const sourceOf = new Map(sbom.packages.map((p) => [p.name, p.source?.name ?? p.name]));
    const reported = new Set(report.findings.map((f) => `${sourceOf.get(f.package!.name)} ${f.id}`));
    assert.deepEqual([...reported].sort(), [...expected].sort());

    // Every finding carries the tracker's state: a fix version only when resolved, no-dsa as will-not-fix.
    for (const f of report.findings) {
      const record = tracker[sourceOf.get(f.package!.name)!]![f.id]!.releases.bookworm!;
      if (record.status === "resolved") {
        assert.equal(f.status, "fixed", `${f.id} ${f.package!.name}`);
        assert.equal(f.fixedVersion, record.fixed_version);
      } else {
        assert.notEqual(f.status, "fixed", `${f.id} ${f.package!.name} is open in bookworm`);
        assert.equal(f.fixedVersion, undefined);
      }
      assert.equal(f.kind, "vulnerability");
      assert.ok(f.layer?.startsWith("sha256:"), "the layer that added the package");
    }
    assert.equal(report.summary.bySeverity.critical + report.summary.bySeverity.high + report.summary.bySeverity.medium + report.summary.bySeverity.low + report.summary.bySeverity.negligible + report.summary.bySeverity.unknown, report.findings.length);
  });
});

describe("language packages against their ecosystems' advisories", () => {
  test("the node_modules image reports the GHSA ids whose ranges include lodash 4.17.15, minimist 1.2.0 and the rest, each with its fix", async () => {
    const db = join(work, "npm.db");
    await importInto(db, join(vulndata, "npm-ghsa"));
    const report = await scan(`docker-archive:${fx.node.dockerArchive}`, db, "--pkg-types", "library");
    const byPackage = (name: string) => report.findings.filter((f) => f.package!.name === name);
    const ids = (name: string) => byPackage(name).flatMap((f) => [f.id, ...f.aliases]);
    assert.ok(ids("lodash").includes("GHSA-p6mc-m468-83gw"), `lodash prototype pollution (${ids("lodash").join(", ")})`);
    assert.ok(ids("minimist").includes("GHSA-vh95-rmgr-6w4m"), `minimist prototype pollution (${ids("minimist").join(", ")})`);
    for (const f of report.findings) assert.ok(f.fixedVersion, `${f.id} in ${f.package!.name} has a fix in the GHSA data`);
    // Independently: every advisory in the corpus whose range holds an installed version is reported.
    const installed = new Map<string, string>();
    const sbom = JSON.parse((await portcullis(["sbom", `docker-archive:${fx.node.dockerArchive}`, "-f", "json", "-q"], env)).stdout) as { packages: { name: string; version: string; type: string }[] };
    for (const p of sbom.packages) if (p.type === "npm") installed.set(p.name, p.version);
    const { default: semver } = await import("semver");
    const expected = new Set<string>();
    for (const file of readdirSync(join(vulndata, "npm-ghsa")).filter((f) => f.endsWith(".json"))) {
      const osv = JSON.parse(readFileSync(join(vulndata, "npm-ghsa", file), "utf8")) as {
        id: string;
        affected: { package: { ecosystem: string; name: string }; ranges?: { type: string; events: Record<string, string>[] }[] }[];
      };
      for (const a of osv.affected) {
        const version = a.package.ecosystem === "npm" ? installed.get(a.package.name) : undefined;
        if (!version) continue;
        for (const r of a.ranges ?? []) {
          let lo = "0.0.0";
          for (const e of r.events) {
            if (e.introduced !== undefined) lo = e.introduced === "0" ? "0.0.0" : e.introduced;
            const hi = e.fixed ?? e.last_affected;
            if (hi === undefined) continue;
            const inside = semver.gte(version, lo) && (e.fixed !== undefined ? semver.lt(version, hi) : semver.lte(version, hi));
            if (inside) expected.add(`${a.package.name} ${osv.id}`);
          }
          if (r.events.every((e) => e.fixed === undefined && e.last_affected === undefined) && semver.gte(version, lo)) expected.add(`${a.package.name} ${osv.id}`);
        }
      }
    }
    const reported = new Set(report.findings.flatMap((f) => [f.id, ...f.aliases].filter((id) => id.startsWith("GHSA-")).map((id) => `${f.package!.name} ${id}`)));
    assert.deepEqual([...reported].sort(), [...expected].sort());
  });

  test("the Go image reports stdlib and module findings from the Go vulnerability database", async () => {
    const db = join(work, "go.db");
    await importInto(db, join(vulndata, "go"));
    const report = await scan(`docker-archive:${fx.go.dockerArchive}`, db, "--pkg-types", "library");
    const stdlib = report.findings.filter((f) => f.package!.name === "stdlib");
    assert.ok(stdlib.length > 10, `Go 1.19's standard library has many fixed vulnerabilities (${stdlib.length})`);
    assert.ok(stdlib.every((f) => f.fixedVersion && (f.id.startsWith("GO-") || f.aliases.some((a) => a.startsWith("GO-")))));
    const modules = report.findings.filter((f) => f.package!.name !== "stdlib");
    assert.ok(modules.length > 0, `module findings: ${modules.map((f) => `${f.package!.name} ${f.id}`).join(", ")}`);
  });
});

describe("reports, filters and exit status", () => {
  let db: string;
  let target: string;
  before(async () => {
    db = join(work, "all.db");
    await importInto(db, join(vulndata, "npm-ghsa"), join(vulndata, "debian"));
    target = `docker-archive:${fx.node.dockerArchive}`;
  });

  test("filters by severity, fix and package type, and counts what is left", async () => {
    const all = await scan(target, db);
    const high = await scan(target, db, "--severity", "critical,high", "--ignore-unfixed");
    assert.ok(high.findings.length > 0 && high.findings.length < all.findings.length);
    assert.ok(high.findings.every((f) => (f.severity === "critical" || f.severity === "high") && f.fixedVersion));
    const os = await scan(target, db, "--pkg-types", "os");
    assert.ok(os.findings.length > 0 && os.findings.every((f) => f.package!.type === "deb"));
    assert.equal(Object.values(high.summary.bySeverity).reduce((a, b) => a + b, 0), high.findings.length);
  });

  test("--fail-on and --exit-code decide the exit status; nothing else does", async () => {
    const base = ["image", target, "--db", db, "-f", "json", "-q"];
    assert.equal((await portcullis(base, env)).status, 0, "findings alone never fail a scan");
    assert.equal((await portcullis([...base, "--fail-on", "critical"], env)).status, 1, "minimist 1.2.0 has a critical finding");
    assert.equal((await portcullis([...base, "--fail-on", "high", "--exit-code", "7"], env)).status, 7);
    assert.equal((await portcullis([...base, "--exit-code", "5", "--severity", "negligible", "--pkg-types", "library"], env)).status, 0, "nothing left after the filters");
    const bad = await portcullis([...base, "--severity", "urgent"], env);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown severity urgent/);
  });

  test("SARIF has what GitHub code scanning requires: rules, results with locations, security severity", async () => {
    const r = await portcullis(["image", target, "--db", db, "-f", "sarif", "-q"], env);
    assert.equal(r.status, 0, r.stderr);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string; properties: Record<string, unknown> }[] } }; results: { ruleId: string; ruleIndex: number; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    assert.equal(sarif.version, "2.1.0");
    const run = sarif.runs[0]!;
    assert.equal(run.tool.driver.name, "portcullis");
    assert.ok(run.results.length > 0);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
      assert.ok(result.message.text.length > 0);
      assert.ok(!result.locations[0]!.physicalLocation.artifactLocation.uri.startsWith("/"), "relative URIs");
      assert.ok(result.locations[0]!.physicalLocation.region.startLine >= 1);
    }
    assert.ok(run.tool.driver.rules.every((rule) => /^\d+\.\d$/.test(String(rule.properties["security-severity"]))));
  });

  test("CycloneDX output is the SBOM plus vulnerabilities, valid against the CycloneDX 1.6 schema", async () => {
    const { cycloneDx16Validator } = await import("../../src/inventory/sbom/testdata/validators.js");
    const r = await portcullis(["image", target, "--db", db, "-f", "cyclonedx", "-q"], env);
    assert.equal(r.status, 0, r.stderr);
    const bom = JSON.parse(r.stdout) as { components: { "bom-ref": string }[]; vulnerabilities: { id: string; affects: { ref: string }[] }[] };
    assert.deepEqual(cycloneDx16Validator()(bom), []);
    assert.ok(bom.vulnerabilities.length > 0);
    const refs = new Set(bom.components.map((c) => c["bom-ref"]));
    assert.ok(bom.vulnerabilities.every((v) => v.affects.every((a) => refs.has(a.ref))), "each vulnerability points at a component");
  });

  test("an SBOM is matched exactly like the image it came from, and rescan re-matches the cached inventory", async () => {
    const bomFile = join(work, "node.cdx.json");
    const out = await portcullis(["sbom", target, "-f", "cyclonedx", "-o", bomFile, "-q"], env);
    assert.equal(out.status, 0, out.stderr);
    const fromImage = await scan(target, db);
    const fromSbom = await scan(`sbom:${bomFile}`, db);
    const facts = (r: VulnerabilityReport) => r.findings.map((f) => `${f.package!.purl} ${f.id} ${f.status} ${f.fixedVersion ?? ""}`).sort();
    assert.deepEqual(facts(fromSbom), facts(fromImage));

    const rescan = await portcullis(["rescan", "--db", db, "-f", "json"], env);
    assert.equal(rescan.status, 0, rescan.stderr);
    const reports = JSON.parse(rescan.stdout) as VulnerabilityReport[];
    const again = reports.find((r) => r.target.reference === target);
    assert.ok(again, `the scanned image is in the cache (${reports.map((r) => r.target.reference).join(", ")})`);
    assert.deepEqual(facts(again), facts(fromImage));
  });

  test("a missing DB names the command that makes one; an old one is a warning that says how to refresh it", async () => {
    const missing = await portcullis(["image", target, "--db", join(work, "none.db")], env);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /none\.db: not found; create it with: portcullis db update/);
    const status = JSON.parse((await portcullis(["db", "status", "--db", db, "-f", "json"], env)).stdout) as { updatedAt: string; advisories: number };
    assert.ok(status.advisories > 100 && Date.now() - Date.parse(status.updatedAt) < 3_600_000);
    const fresh = await portcullis(["image", target, "--db", db, "-f", "json", "-q"], env);
    assert.doesNotMatch(fresh.stderr, /refresh it/, "a DB imported moments ago is fresh under the 5-day default");
    // Moments old is still older than a zero limit.
    const zero = await portcullis(["image", target, "--db", db, "-f", "json", "-q", "--db-max-age", "0m"], env);
    assert.match(zero.stderr, /warning: the vulnerability DB .* is 0 days old; refresh it with: portcullis db update/);
  });
});
