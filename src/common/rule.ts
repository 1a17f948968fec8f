/**
 * What every check rule says about itself. Misconfiguration, image and secret
 * rules all carry this, so `portcullis rules list|show`, the docs and SARIF
 * read one catalog and never disagree with the code.
 */
import type { Severity } from "./finding.js";

/** The equivalent ids of other tools and benchmarks, where one exists. */
export interface RuleMappings {
  /** Trivy misconfiguration ids: "KSV-0017", "DS-0002". */
  trivy?: string[];
  /** Checkov: "CKV_K8S_16". */
  checkov?: string[];
  /** Kubescape controls: "C-0057". */
  kubescape?: string[];
  /** kube-linter check names: "privileged-container". */
  kubeLinter?: string[];
  /** Hadolint: "DL3002". */
  hadolint?: string[];
  /** Dockle: "CIS-DI-0001". */
  dockle?: string[];
  /** CIS Docker Benchmark recommendation numbers: "4.1". */
  cisDocker?: string[];
  /** CIS Kubernetes Benchmark recommendation numbers: "5.2.1". */
  cisKubernetes?: string[];
}

export interface RuleMeta {
  /** Stable: `PCS-K8S-nnn`, `PCS-DF-nnn`, `PCS-CMP-nnn`, `PCS-IMG-nnn`, `PCS-SEC-nnn`. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters, in a sentence or two. */
  why: string;
  /** What to change. */
  remediation: string;
  references: string[];
  mappings: RuleMappings;
}

export const RULE_ID = /^PCS-(K8S|DF|CMP|IMG|SEC)-\d{3}$/;

/** The metadata alone, as a copy: what catalogs, docs, SARIF and matches carry, without a rule's logic. */
export function metaOf(rule: RuleMeta): RuleMeta {
  const { id, title, severity, why, remediation, references, mappings } = rule;
  const copied = Object.fromEntries(Object.entries(mappings).map(([tool, ids]) => [tool, [...(ids as string[])]]));
  return { id, title, severity, why, remediation, references: [...references], mappings: copied };
}

/** Display names of the tools and benchmarks in `RuleMappings`, in the order they are shown. */
export const MAPPING_NAMES: Readonly<Record<keyof RuleMappings, string>> = {
  trivy: "Trivy",
  checkov: "Checkov",
  kubescape: "Kubescape",
  kubeLinter: "kube-linter",
  hadolint: "Hadolint",
  dockle: "Dockle",
  cisDocker: "CIS Docker",
  cisKubernetes: "CIS Kubernetes",
};

/** "Trivy KSV-0017", "Checkov CKV_K8S_16": each mapped tool with its ids, `quote` wrapping each id. */
export function mappingEntries(mappings: RuleMappings, quote: (id: string) => string = (id) => id): string[] {
  return (Object.keys(MAPPING_NAMES) as (keyof RuleMappings)[]).filter((k) => mappings[k]?.length).map((k) => `${MAPPING_NAMES[k]} ${mappings[k]!.map(quote).join(", ")}`);
}
