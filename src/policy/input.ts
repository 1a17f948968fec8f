/**
 * What a policy judges: one image's scan, whatever produced it — a scan run
 * by the gate itself, an SBOM matched against the DB, or a report saved by
 * `portcullis image -f json`. Every finding kind is in one list; the image's
 * configuration and hardening facts are there when the image was scanned.
 */
import type { Finding } from "../common/index.js";
import type { ImageConfigSummary, ReportPackage } from "../scan/index.js";

export interface PolicyTarget {
  /** As the user named it. */
  reference: string;
  /** Manifest digest, when known. */
  digest?: string;
  /** The multi-platform index's digest, when the manifest was picked from one: signatures of either count. */
  indexDigest?: string;
  /** Registry host and repository of a registry reference ("registry.example.com", "team/app"), when it has one. */
  registry?: string;
  repository?: string;
  tag?: string;
}

/** A package as the report lists it; `layer` is the diff id of the layer that added it. */
export type PolicyPackage = ReportPackage;

/** The image configuration as the report summarises it (env values with secrets redacted). */
export type PolicyImageConfig = ImageConfigSummary;

/** A shipped tool, as the image checks found it. */
export interface PolicyTool {
  tool: string;
  category: "shell" | "package-manager" | "compiler" | "debugger" | "network-tool";
  bytes: number;
}

/** A verified signature or attestation of the image (filled by the signing checks). */
export interface PolicySignature {
  /** The key's name as the policy names it. */
  key: string;
  kind: "signature" | "attestation";
  /** ISO time the attestation says it was made. */
  created?: string;
  /** From an attestation's predicate. */
  riskScore?: number;
}

export interface PolicyInput {
  target: PolicyTarget;
  /** Diff ids bottom first; the first `baseLayers` belong to the base image. */
  layers: string[];
  /** How many of the bottom layers are the base image's; undefined when that cannot be told. */
  baseLayers?: number;
  packages: PolicyPackage[];
  /** Vulnerabilities, misconfigurations and secrets. */
  findings: Finding[];
  /** Absent for an SBOM. */
  config?: PolicyImageConfig;
  tools: PolicyTool[];
  setuidFiles: number;
  signatures: PolicySignature[];
  /** Which scanners produced the findings: a policy about secrets over a scan without them says so. */
  scanners: string[];
  /** Kubernetes namespace, at admission. */
  namespace?: string;
  /** Version (update time) of the vulnerability DB the findings come from. */
  dbVersion?: string;
}
