/**
 * The built-in rule types: what everyone's policy needs, decided here once
 * so every checkpoint decides the same way. Each turns the stage's input
 * into the violations that fire the rule; exceptions are applied by the
 * caller. Where the input cannot show a rule is met (no image configuration
 * in an SBOM, no secret scan, no signature), the rule fires: a gate that
 * cannot see must not let through.
 */
import { severityRank, type Finding, type Severity } from "../common/index.js";
import { isRootUser } from "../misconfig/image/index.js";
import { matchesGlob } from "../misconfig/suppress/glob.js";
import type { PolicyInput, PolicyPackage } from "./input.js";
import type { PolicyRule } from "./policy-file.js";

/** One reason a rule fires: a finding, a package, or a fact of the image. */
export interface Violation {
  /** What fired, in one line. */
  what: string;
  finding?: Finding;
  package?: PolicyPackage;
}

export interface RuleInput {
  input: PolicyInput;
  /** The findings that still apply (after VEX), before this rule's exceptions. */
  findings: readonly Finding[];
  riskScore: number;
  now: Date;
  /** Notes for the verdict: what the input could not show. */
  warn(message: string): void;
}

/** Environment variables that switch an application into a debug or development mode. */
export const DEBUG_ENV: readonly string[] = [
  "DEBUG",
  "*_DEBUG",
  "NODE_ENV=development",
  "FLASK_ENV=development",
  "RAILS_ENV=development",
  "APP_ENV=dev*",
  "ASPNETCORE_ENVIRONMENT=Development",
  "SPRING_PROFILES_ACTIVE=*dev*",
  "JAVA_TOOL_OPTIONS=*jdwp*",
  "NODE_OPTIONS=*--inspect*",
  "PYTHONDEVMODE",
];
/** Debugger ports: Delve, JDWP, debugpy, the Node inspector. */
export const DEBUG_PORTS: readonly number[] = [2345, 5005, 5678, 9229];
export const DEBUG_TOOLS = ["shell", "package-manager", "debugger"] as const;

const FALSY = new Set(["", "0", "false", "no", "off"]);

function layerIndex(input: PolicyInput, f: Finding): number {
  const layer = f.layer ?? f.location?.layer;
  return layer === undefined ? -1 : input.layers.indexOf(layer);
}

function describe(f: Finding): string {
  const where = f.package ? ` in ${f.package.name} ${f.package.version}` : f.location?.path ? ` at ${f.location.path}${f.location.line ? `:${f.location.line}` : ""}` : "";
  return `${f.id} (${f.severity})${where}`;
}

/** A purl pattern matches a purl with or without a version, ignoring qualifiers and subpath. */
function purlMatches(pattern: string, purl: string): boolean {
  const bare = (p: string) => p.replace(/[?#].*$/, "");
  const p = bare(pattern);
  const target = bare(purl);
  return p.includes("@") ? matchesGlob(target, p) : matchesGlob(target.replace(/@[^/]*$/, ""), p);
}

/** The SPDX ids of a license or license expression: "MIT OR (GPL-2.0-only WITH Classpath-exception-2.0)". */
function licenseIds(license: string): string[] {
  return license
    .split(/\s+(?:AND|OR|WITH)\s+|[()]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function envMatches(pattern: string, entry: string): boolean {
  const eq = entry.indexOf("=");
  const name = eq < 0 ? entry : entry.slice(0, eq);
  const value = eq < 0 ? "" : entry.slice(eq + 1);
  const p = pattern.indexOf("=");
  if (p < 0) return matchesGlob(name, pattern) && !FALSY.has(value.toLowerCase());
  return matchesGlob(name, pattern.slice(0, p)) && matchesGlob(value, pattern.slice(p + 1), true);
}

function durationMs(text: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(text)!;
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
}

/** Every violation of one rule; empty when the input passes it. */
export function violations(rule: PolicyRule, r: RuleInput): Violation[] {
  const { input } = r;
  switch (rule.type) {
    case "maxSeverity": {
      const kinds = new Set(rule.kinds ?? ["vulnerability"]);
      for (const kind of kinds) if (!input.scanners.includes(kind === "vulnerability" ? "vuln" : kind)) r.warn(`rule ${rule.name}: the scan did not look for ${kind} findings`);
      const layers = rule.layers ?? "all";
      if (layers !== "all" && input.baseLayers === undefined) r.warn(`rule ${rule.name}: which layers are the base image's is not known: every layer counts as the application's`);
      const base = input.baseLayers ?? 0;
      return r.findings
        .filter((f) => kinds.has(f.kind as "vulnerability") && f.severity !== "unknown" && severityRank(f.severity) < severityRank(rule.max))
        .filter((f) => !rule.fixable || f.fixedVersion !== undefined)
        .filter((f) => {
          if (layers === "all") return true;
          const inBase = layerIndex(input, f) >= 0 && layerIndex(input, f) < base;
          return layers === "base" ? inBase : !inBase;
        })
        .map((f) => ({ what: `${describe(f)} is above ${rule.max}${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : ""}`, finding: f }));
    }
    case "maxRiskScore":
      return r.riskScore > rule.max ? [{ what: `risk score ${r.riskScore} is above ${rule.max}` }] : [];
    case "forbiddenPackages":
      return input.packages.flatMap((p) => {
        const hit = rule.packages.find((pattern) => (pattern.startsWith("pkg:") ? purlMatches(pattern, p.purl) : matchesGlob(p.name, pattern)));
        return hit ? [{ what: `package ${p.name} ${p.version} is forbidden (${hit})`, package: p }] : [];
      });
    case "forbiddenLicenses":
      return input.packages.flatMap((p) => {
        const ids = p.licenses.flatMap(licenseIds);
        const hit = ids.find((id) => rule.licenses.some((pattern) => matchesGlob(id, pattern, true)));
        return hit ? [{ what: `package ${p.name} ${p.version} is licensed ${hit}, which is forbidden`, package: p }] : [];
      });
    case "noSecrets": {
      if (!input.scanners.includes("secret")) return [{ what: "the scan did not look for secrets, so their absence is not shown" }];
      const min = rule.min ?? "negligible";
      return r.findings.filter((f) => f.kind === "secret" && severityRank(f.severity) <= severityRank(min)).map((f) => ({ what: `secret ${describe(f)}: ${f.evidence ?? f.title}`, finding: f }));
    }
    case "nonRoot": {
      if (!input.config) return [{ what: "no image configuration (an SBOM): the user the image runs as is not known" }];
      return isRootUser(input.config.user) ? [{ what: input.config.user ? `the image runs as ${input.config.user}` : "the image sets no user, so it runs as root" }] : [];
    }
    case "trustedRegistries": {
      const { registry, repository } = input.target;
      if (!registry) return [{ what: `${input.target.reference} does not come from a registry` }];
      const full = `${registry}/${repository ?? ""}`;
      const trusted = rule.registries.some((prefix) => {
        const p = prefix.replace(/\/+$/, "");
        return full === p || full.startsWith(`${p}/`) || registry === p;
      });
      return trusted ? [] : [{ what: `${registry}/${repository ?? ""} is not in the trusted registries (${rule.registries.join(", ")})` }];
    }
    case "signedBy": {
      const keys = new Set(rule.keys);
      const signed = input.signatures.filter((s) => s.kind === "signature" && keys.has(s.key));
      const out: Violation[] = [];
      if (signed.length === 0) out.push({ what: `no verified signature by ${rule.keys.join(" or ")}` });
      if (rule.attestation || rule.maxAge || rule.maxRiskScore !== undefined) {
        let attestations = input.signatures.filter((s) => s.kind === "attestation" && keys.has(s.key));
        if (attestations.length === 0) out.push({ what: `no verified attestation by ${rule.keys.join(" or ")}` });
        if (rule.maxAge && attestations.length > 0) {
          const oldest = r.now.getTime() - durationMs(rule.maxAge);
          attestations = attestations.filter((a) => a.created !== undefined && Date.parse(a.created) >= oldest);
          if (attestations.length === 0) out.push({ what: `no attestation by ${rule.keys.join(" or ")} made within ${rule.maxAge}` });
        }
        if (rule.maxRiskScore !== undefined && attestations.length > 0) {
          // The newest scan speaks: an older, lower score predates what has been found since.
          const newest = attestations.reduce((a, b) => (Date.parse(b.created ?? "") > Date.parse(a.created ?? "") ? b : a));
          if (newest.riskScore === undefined || newest.riskScore > rule.maxRiskScore) {
            out.push({ what: `the newest attestation by ${rule.keys.join(" or ")} states ${newest.riskScore === undefined ? "no risk score" : `a risk score of ${newest.riskScore}`}, above ${rule.maxRiskScore}` });
          }
        }
      }
      return out;
    }
    case "noDebug": {
      if (!input.config) return [{ what: "no image configuration (an SBOM): debug settings cannot be ruled out" }];
      const out: Violation[] = [];
      for (const entry of input.config.env) {
        const pattern = (rule.env ?? DEBUG_ENV).find((p) => envMatches(p, entry));
        if (pattern) out.push({ what: `environment ${entry.split("=")[0]} turns on debugging (${pattern})` });
      }
      for (const port of rule.ports ?? DEBUG_PORTS) {
        if (input.config.exposedPorts.some((p) => Number.parseInt(p, 10) === port)) out.push({ what: `port ${port} (a debugger's) is exposed` });
      }
      const categories = new Set<string>(rule.tools ?? DEBUG_TOOLS);
      for (const t of input.tools) if (categories.has(t.category)) out.push({ what: `ships ${t.category} ${t.tool}` });
      return out;
    }
    case "cel":
      throw new Error("CEL rules are evaluated with their context: see evaluate.ts");
  }
}

/** Severity order for sorting violations by their findings. */
export function violationSeverity(v: Violation): Severity {
  return v.finding?.severity ?? "unknown";
}
