/**
 * The report of `portcullis image`: the vulnerability report, plus the
 * image's own findings, the hardening facts, a summary of its configuration
 * (with secrets redacted) and how many of its bottom layers are the base
 * image's. Policies read it, from a scan run on the spot or from a file saved
 * by an earlier step of a pipeline.
 */
import type { Finding } from "../common/index.js";
import type { ImageConfig } from "../image/index.js";
import type { VulnerabilityReport } from "../match/index.js";
import type { ImageHardening } from "../misconfig/image/index.js";
import { redactSecrets } from "../secrets/index.js";

export type Scanner = "vuln" | "misconfig" | "secret";

export interface ImageConfigSummary {
  user: string;
  /** NAME=value, secrets in the values redacted. */
  env: string[];
  exposedPorts: string[];
  entrypoint: string[];
  cmd: string[];
  labels: Record<string, string>;
}

export interface ImageReport extends Omit<VulnerabilityReport, "db"> {
  scanners: Scanner[];
  /** Absent when vulnerabilities were not scanned. */
  db?: VulnerabilityReport["db"];
  misconfigurations: Finding[];
  secrets: Finding[];
  hardening?: ImageHardening;
  /** Absent for an SBOM or a directory. */
  config?: ImageConfigSummary;
  /** How many of the bottom layers are the base image's, when the history tells. */
  baseLayers?: number;
  /** Every package with its licenses and layer: what package and license rules judge. */
  packages?: ReportPackage[];
}

export interface ReportPackage {
  name: string;
  version: string;
  type: string;
  purl: string;
  licenses: string[];
  layer?: string;
}

export function reportPackages(packages: readonly { name: string; version: string; type: string; purl: string; licenses: string[]; layer?: string }[]): ReportPackage[] {
  return packages.map((p) => ({ name: p.name, version: p.version, type: p.type, purl: p.purl, licenses: p.licenses, ...(p.layer ? { layer: p.layer } : {}) }));
}

export function configSummary(config: ImageConfig): ImageConfigSummary {
  const c = config.config ?? {};
  return {
    user: c.User ?? "",
    env: (c.Env ?? []).map((e) => redactSecrets(e)),
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    entrypoint: (c.Entrypoint ?? []).map((a) => redactSecrets(a)),
    cmd: (c.Cmd ?? []).map((a) => redactSecrets(a)),
    labels: { ...(c.Labels ?? {}) },
  };
}

const STAGE_END = /^(?:\/bin\/sh -c #\(nop\)\s*)?(?:CMD|ENTRYPOINT)\b/;

/**
 * How many bottom layers the base image made, from the history: Buildah
 * and Podman mark the first step of a build with a `FROM <base>` comment;
 * otherwise a base image ends with its CMD or ENTRYPOINT, so the last such
 * step that more layers follow closes the base. Undefined when neither tells.
 */
export function baseLayerCount(config: ImageConfig): number | undefined {
  const history = config.history ?? [];
  let layers = 0;
  let end: number | undefined;
  let lastEnd: number | undefined;
  for (const h of history) {
    if (h.comment?.startsWith("FROM ") && layers > 0) return layers;
    if (h.empty_layer && STAGE_END.test(h.created_by ?? "")) end = layers;
    if (!h.empty_layer) {
      // A CMD that more layers follow closed a stage someone built on.
      if (end !== undefined && end > 0) lastEnd = end;
      end = undefined;
      layers++;
    }
  }
  return lastEnd;
}
