/**
 * The risk score as its documentation states it: the weights, the caps, the
 * curve, and the properties a gate relies on — the same input gives the same
 * score, more findings never give less, nothing is counted twice.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import type { Finding, FixStatus, Severity } from "../common/index.js";
import type { PolicyImageConfig, PolicyInput, PolicyTool } from "./input.js";
import { NO_CONFIG, RISK_FORMULA, RISK_MODEL, riskScore, type RiskFactor, type RiskFactorName } from "./risk.js";

const BASE = "sha256:b0";
const APP = "sha256:a1";
const APP2 = "sha256:a2";

function input(over: Partial<PolicyInput> = {}): PolicyInput {
  return { target: { reference: "registry.example.com/shop/web:1.0" }, layers: [BASE, APP, APP2], baseLayers: 1, packages: [], findings: [], config: config(), tools: [], setuidFiles: 0, signatures: [], scanners: ["vuln", "misconfig", "secret"], ...over };
}

function config(over: Partial<PolicyImageConfig> = {}): PolicyImageConfig {
  return { user: "10001", env: [], exposedPorts: ["8080/tcp"], entrypoint: ["/app/server"], cmd: [], labels: {}, ...over };
}

let serial = 0;
function vuln(severity: Severity, opts: { fixed?: boolean; layer?: string; status?: FixStatus; pkg?: string } = {}): Finding {
  const fixed = opts.fixed ?? true;
  const pkg = opts.pkg ?? "libexample";
  return {
    kind: "vulnerability",
    id: `CVE-2024-${String(++serial).padStart(5, "0")}`,
    aliases: [],
    severity,
    title: `${pkg}: flaw`,
    references: [],
    package: { name: pkg, version: "1.0-1", type: "deb", purl: `pkg:deb/debian/${pkg}@1.0-1` },
    status: opts.status ?? (fixed ? "fixed" : "not-fixed"),
    ...(fixed ? { fixedVersion: "1.0-2" } : {}),
    layer: opts.layer ?? APP,
    location: { layer: opts.layer ?? APP },
  };
}

function rule(kind: "misconfig" | "secret", id: string, severity: Severity, title = id): Finding {
  return { kind, id, aliases: [], severity, title, references: [] };
}

function tool(name: string, category: PolicyTool["category"]): PolicyTool {
  return { tool: name, category, bytes: 100_000 };
}

function factor(i: PolicyInput, name: RiskFactorName): RiskFactor {
  return riskScore(i, "build").factors.find((f) => f.factor === name)!;
}

/** The curve, written out: what a factor gives for a raw sum. */
function curve(name: RiskFactorName, raw: number): number {
  const { cap, k } = RISK_MODEL.factors[name];
  return cap * (1 - Math.exp(-raw / k));
}

describe("the score", () => {
  test("an image with nothing found scores 0, with all four factors listed at 0", () => {
    const r = riskScore(input(), "deploy");
    assert.equal(r.score, 0);
    assert.equal(r.formula, RISK_FORMULA);
    assert.equal(r.stage, "deploy");
    assert.deepEqual(
      r.factors.map((f) => [f.factor, f.points, f.max, f.raw, f.contributions.length]),
      [
        ["vulnerabilities", 0, 40, 0, 0],
        ["secrets", 0, 25, 0, 0],
        ["privilege", 0, 20, 0, 0],
        ["misconfiguration", 0, 15, 0, 0],
      ],
    );
  });

  test("the caps sum to 100", () => {
    assert.equal(Object.values(RISK_MODEL.factors).reduce((s, f) => s + f.cap, 0), 100);
  });

  test("is the rounded sum of the unrounded factor points, always an integer in 0-100", () => {
    const i = input({ findings: [vuln("critical"), vuln("low", { layer: BASE }), rule("secret", "PCS-SEC-001", "high"), rule("misconfig", "PCS-IMG-011", "low")], config: config({ user: "root" }) });
    const r = riskScore(i, "build");
    const exact = curve("vulnerabilities", 10 + 0.5 * 0.5) + curve("secrets", 5) + curve("privilege", 5) + curve("misconfiguration", 0.5);
    assert.equal(r.score, Math.round(exact));
    assert.ok(Math.abs(r.factors.reduce((s, f) => s + f.points, 0) - r.score) <= 0.5 + 0.05 * 4);
  });

  test("everything at once saturates at 100 and never passes it", () => {
    const many = <T>(n: number, f: () => T): T[] => Array.from({ length: n }, f);
    const i = input({
      findings: [...many(1000, () => vuln("critical")), ...many(100, () => rule("secret", "PCS-SEC-001", "critical")), ...many(100, () => rule("misconfig", "PCS-IMG-004", "high"))],
      config: config({ user: "", exposedPorts: ["22/tcp"] }),
      setuidFiles: 500,
      tools: [tool("bash", "shell"), tool("apt", "package-manager"), tool("gcc", "compiler"), tool("gdb", "debugger"), tool("curl", "network-tool")],
    });
    const r = riskScore(i, "run");
    assert.equal(r.score, 100);
    assert.deepEqual(r.factors.map((f) => f.points), [40, 25, 20, 15]);
  });
});

describe("vulnerabilities", () => {
  test("one fixable critical in the application moves the score by 13 points on its own", () => {
    const r = riskScore(input({ findings: [vuln("critical")] }), "build");
    assert.equal(r.score, 13);
    assert.deepEqual(r.factors[0], { factor: "vulnerabilities", points: 13.2, max: 40, raw: 10, contributions: [{ what: "1 critical fixable in app layers", points: 13.2 }] });
  });

  test("severity weights rank critical > high > medium > low > negligible = unknown", () => {
    const raw = (s: Severity) => factor(input({ findings: [vuln(s)] }), "vulnerabilities").raw;
    assert.deepEqual((["critical", "high", "medium", "low", "negligible", "unknown"] as Severity[]).map(raw), [10, 5, 2, 0.5, 0.1, 0.1]);
  });

  test("the first low adds 0.8 points, the hundredth 0.1: the curve saturates", () => {
    const lows = (n: number) => factor(input({ findings: Array.from({ length: n }, () => vuln("low")) }), "vulnerabilities").points;
    assert.equal(lows(1), 0.8);
    assert.ok(lows(100) - lows(99) <= 0.15);
  });

  test("a thousand criticals stay within the 40-point cap", () => {
    const f = factor(input({ findings: Array.from({ length: 1000 }, () => vuln("critical")) }), "vulnerabilities");
    assert.ok(f.points <= 40);
    assert.equal(f.raw, 10_000);
    assert.deepEqual(f.contributions, [{ what: "1000 critical fixable in app layers", points: 40 }]);
  });

  test("without a fixed version (not-fixed, will-not-fix, end-of-life, unknown) a vulnerability weighs half", () => {
    for (const status of ["not-fixed", "will-not-fix", "end-of-life", "unknown"] as FixStatus[]) {
      assert.deepEqual(factor(input({ findings: [vuln("high", { fixed: false, status })] }), "vulnerabilities").contributions, [{ what: "1 high without a fix in app layers", points: 3.8 }], status);
    }
    assert.equal(factor(input({ findings: [vuln("high", { fixed: false })] }), "vulnerabilities").raw, 2.5);
    assert.equal(factor(input({ findings: [vuln("high")] }), "vulnerabilities").raw, 5);
  });

  test("in a base image layer a vulnerability weighs half; both halvings multiply", () => {
    const raw = (layer: string, fixed: boolean) => factor(input({ findings: [vuln("critical", { layer, fixed })] }), "vulnerabilities").raw;
    assert.deepEqual([raw(APP, true), raw(BASE, true), raw(APP, false), raw(BASE, false)], [10, 5, 5, 2.5]);
    assert.equal(factor(input({ findings: [vuln("critical", { layer: BASE, fixed: false })] }), "vulnerabilities").contributions[0]!.what, "1 critical without a fix in base image layers");
  });

  test("the layer is the finding's layer, else its location's; the base is the bottom baseLayers of input.layers", () => {
    const inLocationOnly: Finding = { ...vuln("critical"), layer: undefined, location: { layer: BASE } };
    assert.equal(factor(input({ findings: [inLocationOnly] }), "vulnerabilities").raw, 5);
    assert.equal(factor(input({ findings: [vuln("critical", { layer: APP })], baseLayers: 2 }), "vulnerabilities").raw, 5);
    assert.equal(factor(input({ findings: [vuln("critical", { layer: BASE })], baseLayers: 0 }), "vulnerabilities").raw, 10);
  });

  test("when the base cannot be told, or the layer is unknown, a vulnerability counts as the application's", () => {
    assert.equal(factor(input({ findings: [vuln("critical", { layer: BASE })], baseLayers: undefined }), "vulnerabilities").raw, 10);
    const noLayer: Finding = { ...vuln("critical"), layer: undefined, location: undefined };
    assert.equal(factor(input({ findings: [noLayer] }), "vulnerabilities").raw, 10);
    assert.equal(factor(input({ findings: [vuln("critical", { layer: "sha256:elsewhere" })] }), "vulnerabilities").raw, 10);
  });

  test("contributions group by severity, fix and place, largest first, and share the factor's points by weight", () => {
    const f = factor(input({ findings: [vuln("low", { layer: BASE, fixed: false }), vuln("critical"), vuln("critical"), vuln("high", { layer: BASE })] }), "vulnerabilities");
    assert.equal(f.raw, 20 + 2.5 + 0.125);
    assert.equal(f.points, Math.round(curve("vulnerabilities", 22.625) * 10) / 10);
    assert.deepEqual(f.contributions.map((c) => c.what), ["2 critical fixable in app layers", "1 high fixable in base image layers", "1 low without a fix in base image layers"]);
    assert.deepEqual(f.contributions.map((c) => c.points), [21.1, 2.6, 0.1]);
  });
});

describe("secrets", () => {
  test("weigh by severity with the same table, on a curve with a 25-point cap", () => {
    const f = factor(input({ findings: [rule("secret", "PCS-SEC-001", "critical", "AWS access key ID"), rule("secret", "PCS-SEC-001", "critical", "AWS access key ID"), rule("secret", "PCS-SEC-020", "low", "Generic password")] }), "secrets");
    assert.equal(f.raw, 20.5);
    assert.equal(f.max, 25);
    assert.deepEqual(f.contributions, [
      { what: "2 critical secret PCS-SEC-001 (AWS access key ID)", points: 21.3 },
      { what: "1 low secret PCS-SEC-020 (Generic password)", points: 0.5 },
    ]);
  });

  test("one critical secret is 16 points", () => {
    assert.equal(riskScore(input({ findings: [rule("secret", "PCS-SEC-003", "critical")] }), "ship").score, 16);
  });
});

describe("privilege and exposure", () => {
  test("root is an empty user, root or uid 0, with or without a group", () => {
    for (const user of ["", " ", "root", "0", "0:0", "root:app"]) assert.equal(factor(input({ config: config({ user }) }), "privilege").raw, 5, JSON.stringify(user));
    for (const user of ["app", "10001", "10001:0", "nobody:nogroup"]) assert.equal(factor(input({ config: config({ user }) }), "privilege").raw, 0, user);
    assert.deepEqual(factor(input({ config: config({ user: "" }) }), "privilege").contributions, [{ what: "runs as root (no user set)", points: 7.9 }]);
  });

  test("exposing 22 (tcp) weighs 3; 2222 and 22/udp are not SSH", () => {
    assert.deepEqual(factor(input({ config: config({ exposedPorts: ["22/tcp", "8080/tcp"] }) }), "privilege").contributions, [{ what: "exposes the SSH port (22/tcp)", points: 5.2 }]);
    assert.equal(factor(input({ config: config({ exposedPorts: ["2222/tcp", "22/udp"] }) }), "privilege").raw, 0);
  });

  test("each setuid or setgid file weighs 0.25", () => {
    assert.equal(factor(input({ setuidFiles: 11 }), "privilege").raw, 2.75);
    assert.equal(factor(input({ setuidFiles: 1 }), "privilege").contributions[0]!.what, "1 setuid or setgid file");
  });

  test("tools count once per category, however many of it the image ships", () => {
    const f = factor(input({ tools: [tool("dash", "shell"), tool("bash", "shell"), tool("bash", "shell"), tool("apt", "package-manager"), tool("gcc", "compiler"), tool("gdb", "debugger"), tool("wget", "network-tool")] }), "privilege");
    assert.equal(f.raw, 2 + 3 + 3 + 3 + 2);
    assert.deepEqual(f.contributions.map((c) => c.what), ["ships apt (package managers)", "ships gcc (compilers)", "ships gdb (debuggers)", "ships bash, dash (shells)", "ships wget (network tools)"]);
    assert.equal(factor(input({ tools: [tool("bash", "shell")] }), "privilege").raw, factor(input({ tools: [tool("bash", "shell"), tool("dash", "shell"), tool("zsh", "shell")] }), "privilege").raw);
  });

  test("an SBOM has no image configuration: privilege is not assessed and says so", () => {
    const f = factor(input({ config: undefined, setuidFiles: 0, tools: [] }), "privilege");
    assert.deepEqual(f, { factor: "privilege", points: 0, max: 20, raw: 0, contributions: [{ what: NO_CONFIG, points: 0 }] });
    assert.equal(NO_CONFIG, "no image configuration (SBOM): not assessed");
  });
});

describe("misconfiguration", () => {
  test("weighs the misconfig findings by severity, grouped by rule", () => {
    const f = factor(input({ findings: [rule("misconfig", "PCS-IMG-004", "medium", "World-writable file"), rule("misconfig", "PCS-IMG-004", "medium", "World-writable file"), rule("misconfig", "PCS-IMG-011", "low", "No HEALTHCHECK")] }), "misconfiguration");
    assert.equal(f.raw, 4.5);
    assert.deepEqual(f.contributions.map((c) => c.what), ["2 medium PCS-IMG-004 (World-writable file)", "1 low PCS-IMG-011 (No HEALTHCHECK)"]);
  });

  test("does not count again what privilege counts: root (001), SSH (002), setuid (003), tools (005-009)", () => {
    const counted = ["PCS-IMG-001", "PCS-IMG-002", "PCS-IMG-003", "PCS-IMG-005", "PCS-IMG-006", "PCS-IMG-007", "PCS-IMG-008", "PCS-IMG-009"];
    const image = { config: config({ user: "root", exposedPorts: ["22/tcp"] }), setuidFiles: 2, tools: [tool("bash", "shell"), tool("apt", "package-manager"), tool("gcc", "compiler"), tool("gdb", "debugger"), tool("curl", "network-tool")] };
    const without = riskScore(input(image), "build");
    const withRules = riskScore(input({ ...image, findings: counted.map((id) => rule("misconfig", id, "high")) }), "build");
    assert.deepEqual(withRules, without);
    assert.equal(factor(input({ findings: [rule("misconfig", "PCS-IMG-004", "medium"), rule("misconfig", "PCS-IMG-010", "low")] }), "misconfiguration").raw, 2.5);
  });

  test("benchmark and runtime findings are not part of an image's score", () => {
    const r = riskScore(input({ findings: [{ ...rule("misconfig", "CIS-4.1", "critical"), kind: "benchmark" }, { ...rule("misconfig", "RT-1", "critical"), kind: "runtime" }] }), "run");
    assert.equal(r.score, 0);
  });
});

/** Any mix of findings: the properties below hold for every one. */
const arbFinding: fc.Arbitrary<Finding> = fc.oneof(
  fc.record({ severity: fc.constantFrom<Severity>("critical", "high", "medium", "low", "negligible", "unknown"), fixed: fc.boolean(), layer: fc.constantFrom(BASE, APP, APP2) }).map((v) => vuln(v.severity, v)),
  fc.record({ kind: fc.constantFrom<"misconfig" | "secret">("misconfig", "secret"), id: fc.constantFrom("PCS-IMG-001", "PCS-IMG-004", "PCS-IMG-006", "PCS-IMG-011", "PCS-SEC-001"), severity: fc.constantFrom<Severity>("critical", "high", "medium", "low") }).map((v) => rule(v.kind, v.id, v.severity)),
);

describe("determinism and monotonicity", () => {
  test("the same input twice gives the same score and breakdown", () => {
    const i = bookworm();
    assert.deepEqual(riskScore(i, "build"), riskScore(structuredClone(i), "build"));
  });

  test("the order of the findings and tools does not matter", () => {
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 60 }), fc.integer(), (findings, seed) => {
        const shuffled = shuffle(findings, seed);
        const tools = [tool("dash", "shell"), tool("bash", "shell"), tool("apt", "package-manager")];
        assert.deepEqual(riskScore(input({ findings: shuffled, tools: shuffle(tools, seed) }), "build"), riskScore(input({ findings, tools }), "build"));
      }),
    );
  });

  test("adding a finding never lowers the score or any factor's points", () => {
    fc.assert(
      fc.property(fc.array(arbFinding, { maxLength: 60 }), arbFinding, (findings, extra) => {
        const before = riskScore(input({ findings }), "build");
        const after = riskScore(input({ findings: [...findings, extra] }), "build");
        assert.ok(after.score >= before.score);
        after.factors.forEach((f, n) => assert.ok(f.points >= before.factors[n]!.points, f.factor));
      }),
    );
  });

  test("privilege never falls when the image gets worse", () => {
    const base = input({ config: config(), setuidFiles: 3, tools: [tool("bash", "shell")] });
    const worse = [
      input({ ...base, config: config({ user: "root" }) }),
      input({ ...base, setuidFiles: 4 }),
      input({ ...base, tools: [...base.tools, tool("curl", "network-tool")] }),
      input({ ...base, config: config({ exposedPorts: ["22"] }) }),
    ];
    for (const w of worse) assert.ok(factor(w, "privilege").points > factor(base, "privilege").points);
  });
});

/**
 * A debian:bookworm-slim base (one layer) with an application on top that
 * installs curl with apt and copies a binary: root, bash and dash, apt and
 * dpkg, 11 setuid files, 30 Debian vulnerabilities — 26 in the base, nearly
 * all without a fix, 4 in the curl packages the application installed.
 */
function bookworm(): PolicyInput {
  const findings: Finding[] = [];
  const add = (n: number, severity: Severity, fixed: boolean, layer: string, pkg: string) => {
    for (let i = 0; i < n; i++) findings.push(vuln(severity, { fixed, layer, pkg }));
  };
  add(1, "critical", false, BASE, "zlib1g");
  add(3, "high", false, BASE, "libc6");
  add(1, "high", true, BASE, "libssl3");
  add(5, "medium", false, BASE, "perl-base");
  add(1, "medium", true, BASE, "libgnutls30");
  add(7, "low", false, BASE, "login");
  add(8, "negligible", false, BASE, "coreutils");
  add(1, "high", true, APP, "libcurl4");
  add(2, "medium", false, APP, "libcurl4");
  add(1, "low", false, APP, "curl");
  findings.push(
    rule("misconfig", "PCS-IMG-001", "high", "Image runs as root"),
    ...Array.from({ length: 11 }, () => rule("misconfig", "PCS-IMG-003", "medium", "Setuid or setgid file in the image")),
    rule("misconfig", "PCS-IMG-005", "low", "Shell shipped in the image"),
    rule("misconfig", "PCS-IMG-005", "low", "Shell shipped in the image"),
    rule("misconfig", "PCS-IMG-006", "medium", "Package manager shipped in the image"),
    rule("misconfig", "PCS-IMG-006", "medium", "Package manager shipped in the image"),
    rule("misconfig", "PCS-IMG-011", "low", "Image has no HEALTHCHECK"),
    rule("misconfig", "PCS-IMG-012", "low", "Package manager cache left in the image"),
  );
  return input({
    findings,
    config: config({ user: "", cmd: ["/app/server"] }),
    tools: [tool("bash", "shell"), tool("dash", "shell"), tool("apt", "package-manager"), tool("dpkg", "package-manager")],
    setuidFiles: 11,
  });
}

describe("a realistic image: bookworm-slim with curl and an application on top", () => {
  // Vulnerabilities, raw 20.575: base 13.325 (critical 10×½×½, 3 high 3×5×¼, fixable high 5×½,
  // 5 medium 5×2×¼, fixable medium 2×½, 7 low 7×½×¼, 8 negligible 8×0.1×¼), app 7.25
  // (fixable high 5, 2 medium 2×2×½, low ½×½) → 40 × (1 − e^(−20.575/25)) = 22.4.
  // Privilege, raw 12.75: root 5, shells 2, package managers 3, 11 setuid × 0.25 → 20 × (1 − e^(−1.275)) = 14.4.
  // Misconfiguration, raw 1: no HEALTHCHECK ½, apt cache ½ (root, setuid, shells, apt are privilege's) → 1.4.
  // 22.4 + 0 + 14.4 + 1.4 = 38.3 → 38: the vulnerabilities are many but mostly the base's and unfixable.
  test("scores 38", () => {
    const r = riskScore(bookworm(), "build");
    assert.equal(r.score, 38);
    assert.deepEqual(r.factors.map((f) => [f.factor, f.points, f.raw]), [
      ["vulnerabilities", 22.4, 20.575],
      ["secrets", 0, 0],
      ["privilege", 14.4, 12.75],
      ["misconfiguration", 1.4, 1],
    ]);
    assert.deepEqual(r.factors[2]!.contributions, [
      { what: "runs as root (no user set)", points: 5.7 },
      { what: "ships apt, dpkg (package managers)", points: 3.4 },
      { what: "11 setuid or setgid files", points: 3.1 },
      { what: "ships bash, dash (shells)", points: 2.3 },
    ]);
  });

  test("moving to a non-root user and a distroless-like final stage leaves the vulnerabilities: 23", () => {
    const i = bookworm();
    const hardened = { ...i, config: config(), tools: [], setuidFiles: 0, findings: i.findings.filter((f) => f.kind === "vulnerability" || f.id === "PCS-IMG-011") };
    assert.equal(riskScore(hardened, "build").score, 23);
  });
});

describe("docs/risk-score.md", () => {
  test("states the formula id and every weight of the model", () => {
    const doc = readFileSync(new URL("../../docs/risk-score.md", import.meta.url), "utf8");
    assert.ok(doc.includes(RISK_FORMULA));
    for (const [name, { cap, k }] of Object.entries(RISK_MODEL.factors)) assert.ok(doc.includes(`| ${name} | ${cap} | ${k} |`), name);
    for (const [severity, w] of Object.entries(RISK_MODEL.severity)) assert.ok(doc.includes(`| ${severity} | ${w} |`), severity);
    const p = RISK_MODEL.privilege;
    for (const [what, w] of [["runs as root", p.root], ["exposes port 22", p.sshPort], ["each setuid or setgid file", p.setuidFile], ...Object.entries(p.tools)] as const) assert.ok(doc.includes(`| ${what} | ${w} |`), what);
    assert.ok(doc.includes(`× ${RISK_MODEL.withoutFix}`) && doc.includes(`× ${RISK_MODEL.inBase}`));
    for (const id of RISK_MODEL.countedByPrivilege) assert.ok(doc.includes(id), id);
  });
});

function shuffle<T>(values: readonly T[], seed: number): T[] {
  const out = [...values];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
