/**
 * The Debian security tracker's JSON: one advisory per CVE, one row per
 * source package and release, each with the tracker's own verdict. Checked
 * on the corpus's tracker subset (the packages of a bookworm image), whose
 * README counts the bookworm states.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import type { Affected } from "../model.js";
import { parseDebianTracker } from "./debian-tracker.js";

const subsetFile = fileURLToPath(new URL("../../../../shared/vulndata/debian/tracker-subset.json", import.meta.url));
const subset = readFileSync(subsetFile, "utf8");

type Tracker = Record<string, Record<string, { releases: Record<string, Record<string, unknown>> }>>;

describe("the tracker subset", () => {
  const feed = parseDebianTracker(subset, "tracker-subset.json");
  const row = (cve: string, pkg: string, ecosystem = "Debian:12"): Affected => {
    const advisory = feed.advisories.find((a) => a.id === cve);
    assert.ok(advisory, cve);
    const found = advisory.affected.find((x) => x.package === pkg && x.ecosystem === ecosystem);
    assert.ok(found, `${cve} ${pkg} ${ecosystem}`);
    return found;
  };

  it("gives one advisory per CVE and one row per package and release, without a warning", () => {
    assert.deepEqual(feed.warnings, []);
    const tracker = JSON.parse(subset) as Tracker;
    const rows = Object.values(tracker).flatMap((cves) => Object.values(cves).flatMap((c) => Object.keys(c.releases)));
    // README: 101 package/CVE records, 100 distinct CVEs.
    assert.equal(feed.advisories.length, 100);
    assert.equal(feed.advisories.reduce((n, a) => n + a.affected.length, 0), rows.length);
    assert.ok(feed.advisories.every((a) => a.source === "debian-tracker"));
  });

  it("has the bookworm states the corpus README counts: 30 unfixed, 16 no-dsa or ignored, 51 fixed, 4 not affected", () => {
    const states = new Map<string, number>();
    for (const a of feed.advisories) for (const x of a.affected) if (x.ecosystem === "Debian:12") states.set(x.state!, (states.get(x.state!) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(states), { "not-fixed": 30, "will-not-fix": 16, fixed: 51, "not-affected": 4 });
  });

  it("reads a fix with its version per release (glibc CVE-2023-4911, Looney Tunables)", () => {
    const a = feed.advisories.find((x) => x.id === "CVE-2023-4911")!;
    assert.equal(a.summary, "buffer overflow in dynamic loader's processing of the GLIBC_TUNABLES environment variable");
    assert.deepEqual(a.affected, [
      { ecosystem: "Debian:12", package: "glibc", ranges: [], versions: [], state: "fixed", fixedVersion: "2.36-9+deb12u3", urgency: "not yet assigned" },
      { ecosystem: "Debian:11", package: "glibc", ranges: [], versions: [], state: "fixed", fixedVersion: "2.31-13+deb11u7", urgency: "not yet assigned" },
    ]);
    assert.deepEqual(a.severities, [], '"not yet assigned" rates nothing');
    assert.deepEqual(a.references, ["https://security-tracker.debian.org/tracker/CVE-2023-4911"]);
  });

  it("reads fixed_version 0 as not affected, and keeps no summary where the tracker has none (xz-utils CVE-2024-3094)", () => {
    const a = feed.advisories.find((x) => x.id === "CVE-2024-3094")!;
    assert.equal(a.summary, undefined);
    assert.deepEqual(
      a.affected.map((x) => [x.ecosystem, x.package, x.state, x.fixedVersion]),
      [
        ["Debian:12", "xz-utils", "not-affected", undefined],
        ["Debian:11", "xz-utils", "not-affected", undefined],
      ],
    );
  });

  it("reads ignored and no-dsa as will-not-fix, postponed as not-fixed, keeping the tracker's note", () => {
    // coreutils CVE-2016-2781: ignored in both releases, urgency low.
    assert.deepEqual(row("CVE-2016-2781", "coreutils"), { ecosystem: "Debian:12", package: "coreutils", ranges: [], versions: [], state: "will-not-fix", note: "Minor issue", urgency: "low" });
    // glibc CVE-2025-0395: no-dsa in bookworm, postponed in bullseye.
    assert.deepEqual([row("CVE-2025-0395", "glibc").state, row("CVE-2025-0395", "glibc").note], ["will-not-fix", "Minor issue"]);
    assert.deepEqual([row("CVE-2025-0395", "glibc", "Debian:11").state, row("CVE-2025-0395", "glibc", "Debian:11").note], ["not-fixed", "Minor issue; can be fixed in next update"]);
    // db5.3 CVE-2019-8457: fixed in bookworm, ignored in bullseye with a reason.
    assert.equal(row("CVE-2019-8457", "db5.3").state, "fixed");
    assert.deepEqual(
      [row("CVE-2019-8457", "db5.3", "Debian:11").state, row("CVE-2019-8457", "db5.3", "Debian:11").note],
      ["will-not-fix", "vulnerable code is present but unused in Debian, and fix is too risky to backport"],
    );
  });

  it("reads an open issue as not-fixed, its urgency kept as written and rated for the advisory (apt CVE-2011-3374)", () => {
    const a = feed.advisories.find((x) => x.id === "CVE-2011-3374")!;
    assert.deepEqual(
      a.affected.map((x) => [x.ecosystem, x.state, x.urgency]),
      [
        ["Debian:12", "not-fixed", "unimportant"],
        ["Debian:11", "not-fixed", "unimportant"],
      ],
    );
    assert.deepEqual(a.severities, [{ source: "debian", type: "rating", rating: "negligible" }]);
    assert.deepEqual(a.references, ["https://security-tracker.debian.org/tracker/CVE-2011-3374", "https://bugs.debian.org/642480"]);
  });

  it("merges a CVE listed under two source packages into one advisory (CVE-2022-1271: gzip and xz-utils)", () => {
    const a = feed.advisories.find((x) => x.id === "CVE-2022-1271")!;
    assert.deepEqual(
      a.affected.map((x) => [x.package, x.state, x.fixedVersion]),
      [
        ["gzip", "fixed", "1.12-1"],
        ["xz-utils", "fixed", "5.2.5-2.1"],
      ],
    );
    assert.deepEqual(a.references, ["https://security-tracker.debian.org/tracker/CVE-2022-1271", "https://bugs.debian.org/1009168", "https://bugs.debian.org/1009167"]);
  });
});

describe("releases, states and ratings", () => {
  const parse = (releases: Record<string, unknown>) => parseDebianTracker(JSON.stringify({ zlib: { "CVE-2023-45853": { description: "zip overflow", releases } } }), "t.json");

  it("names releases by number, and keeps a codename it has no number for", () => {
    const r = parse(Object.fromEntries(["buster", "bullseye", "bookworm", "trixie", "forky", "sid", "duke"].map((c) => [c, { status: "open", urgency: "low" }])));
    assert.deepEqual(
      r.advisories[0]!.affected.map((x) => x.ecosystem),
      ["Debian:10", "Debian:11", "Debian:12", "Debian:13", "Debian:14", "Debian:sid", "Debian:duke"],
    );
    assert.deepEqual(r.advisories[0]!.severities, [{ source: "debian", type: "rating", rating: "low" }]);
  });

  it("reads end-of-life and undetermined, and rates the advisory only when all its rows agree", () => {
    const r = parse({ buster: { status: "open", urgency: "end-of-life" }, bookworm: { status: "undetermined", urgency: "high*" } });
    assert.deepEqual(
      r.advisories[0]!.affected.map((x) => [x.state, x.urgency]),
      [
        ["end-of-life", "end-of-life"],
        ["unknown", "high*"],
      ],
    );
    assert.deepEqual(r.advisories[0]!.severities, []);
    assert.deepEqual(parse({ bookworm: { status: "open", urgency: "high*" } }).advisories[0]!.severities, [{ source: "debian", type: "rating", rating: "high" }]);
  });
});

describe("what the parser cannot read", () => {
  it("skips only the bad row, CVE or package, naming its JSON path; an unknown no-dsa reason still reads as open", () => {
    const doc = {
      zlib: {
        "CVE-2023-45853": { releases: { bookworm: { status: "weird" }, bullseye: { status: "resolved", urgency: "low" }, trixie: { status: "open", nodsa: "x", nodsa_reason: "maybe" }, forky: "open", sid: { status: "open" } } },
        "CVE-2022-37434": 5,
        "CVE-2018-25032": { description: "x", releases: [] },
        "not-a-cve": { releases: {} },
      },
      glibc: "none",
    };
    const r = parseDebianTracker(JSON.stringify(doc), "t.json");
    assert.deepEqual(r.warnings, [
      't.json $.zlib["CVE-2023-45853"].releases.bookworm.status: skipped: "weird" is none of "open", "resolved", "undetermined"',
      't.json $.zlib["CVE-2023-45853"].releases.bullseye.fixed_version: skipped: a resolved release needs a fixed_version, got nothing',
      't.json $.zlib["CVE-2023-45853"].releases.trixie.nodsa_reason: ignored: "maybe" is none of "", "ignored", "postponed"; read as not-fixed',
      't.json $.zlib["CVE-2023-45853"].releases.forky: skipped: expected an object, got a string',
      't.json $.zlib["CVE-2022-37434"]: skipped: expected an object of releases, got a number',
      't.json $.zlib["CVE-2018-25032"].releases: skipped: expected an object of releases, got an array',
      't.json $.zlib["not-a-cve"]: skipped: not a CVE or TEMP- id',
      "t.json $.glibc: skipped: expected an object of CVEs, got a string",
    ]);
    assert.deepEqual(
      r.advisories.map((a) => [a.id, a.affected.map((x) => `${x.ecosystem} ${x.state}`)]),
      [["CVE-2023-45853", ["Debian:13 not-fixed", "Debian:sid not-fixed"]]],
    );
  });

  it("skips a file that is no tracker JSON, whole", () => {
    assert.match(parseDebianTracker('{"zlib": {"CVE-2023-45853": {', "cut.json").warnings[0]!, /^cut\.json: skipped: not valid JSON \(.+\)$/);
    assert.deepEqual(parseDebianTracker("[]", "list.json"), { advisories: [], warnings: ["list.json $: skipped: expected an object of source packages, got an array"] });
    assert.deepEqual(parseDebianTracker(subset, "huge.json", { maxChars: 1000 }).warnings, [`huge.json: skipped: ${subset.length} characters is more than a tracker dump may hold (1000)`]);
  });

  it("accepts the tracker's TEMP- ids for issues without a CVE yet", () => {
    const r = parseDebianTracker(JSON.stringify({ bash: { "TEMP-0000000-F7A20F": { releases: { bookworm: { status: "open", urgency: "unimportant" } } } } }), "t.json");
    assert.deepEqual([r.warnings, r.advisories.map((a) => a.id)], [[], ["TEMP-0000000-F7A20F"]]);
  });
});

describe("the demo's sample tracker entries", () => {
  it("parse without a warning, so the quick start scans with them", () => {
    const text = readFileSync(fileURLToPath(new URL("../../../demo/advisories/debian-tracker.json", import.meta.url)), "utf8");
    const r = parseDebianTracker(text, "debian-tracker.json");
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(
      r.advisories.map((a) => [a.id, a.affected.map((x) => x.state)]),
      [
        ["CVE-2016-2781", ["will-not-fix"]],
        ["CVE-2024-3094", ["not-affected"]],
      ],
    );
  });
});

describe("a large tracker dump", () => {
  it("parses in one pass: 1,000 copies of the subset under other package names, tens of megabytes", (t) => {
    const tracker = JSON.parse(subset) as Tracker;
    const big: Tracker = {};
    for (let i = 0; i < 1000; i++) for (const [pkg, cves] of Object.entries(tracker)) big[`${pkg}-${i}`] = cves;
    const text = JSON.stringify(big, null, 1);
    const started = performance.now();
    const feed = parseDebianTracker(text, "big.json");
    const ms = performance.now() - started;
    assert.deepEqual(feed.warnings, []);
    assert.equal(feed.advisories.length, 100);
    assert.equal(feed.advisories.reduce((n, a) => n + a.affected.length, 0), 1000 * 169);
    t.diagnostic(`${(text.length / 1e6).toFixed(0)} MB, ${1000 * 169} rows in ${Math.round(ms)} ms`);
  });
});
