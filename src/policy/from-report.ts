/**
 * An image report (from a scan just run, or a JSON file an earlier pipeline
 * step saved) as the input a policy judges. A saved report is outside input:
 * it is checked for the fields policies read, and a wrong one is refused
 * with the JSON path of what is missing rather than judged half-blind.
 */
import { z } from "zod";
import { InputError, jsonPath, type Finding } from "../common/index.js";
import { parseReference } from "../image/index.js";
import type { ImageReport } from "../scan/index.js";
import type { PolicyInput, PolicyTarget } from "./input.js";

export const MAX_REPORT_LENGTH = 256 * 1024 * 1024;

const finding = z.looseObject({ kind: z.string(), id: z.string(), severity: z.string(), aliases: z.array(z.string()).optional() });
const SavedReport = z.looseObject({
  schemaVersion: z.literal(1, { error: "expected schemaVersion 1 (a report written by portcullis image -f json)" }),
  target: z.looseObject({ reference: z.string(), layers: z.array(z.looseObject({ digest: z.string(), diffId: z.string().optional() })).optional() }),
  findings: z.array(finding, { error: "expected the report's findings list" }),
  misconfigurations: z.array(finding).optional(),
  secrets: z.array(finding).optional(),
  scanners: z.array(z.string()).optional(),
});

/** Reads a saved `portcullis image -f json` report; throws InputError with the JSON path of what is wrong. */
export function readReport(text: string, file: string): ImageReport {
  if (text.length > MAX_REPORT_LENGTH) throw new InputError(file, undefined, `larger than ${MAX_REPORT_LENGTH} characters`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, undefined, `not JSON: ${(err as Error).message}`);
  }
  const parsed = SavedReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(file, jsonPath(issue.path.filter((k): k is string | number => typeof k !== "symbol")), issue.message);
  }
  const report = parsed.data as unknown as ImageReport;
  // Reports from before the image checks had only vulnerabilities.
  return { ...report, scanners: report.scanners ?? ["vuln"], misconfigurations: report.misconfigurations ?? [], secrets: report.secrets ?? [] };
}

function targetOf(report: ImageReport): PolicyTarget {
  const { reference, digest, indexDigest } = report.target;
  const target: PolicyTarget = { reference, ...(digest ? { digest } : {}), ...(indexDigest ? { indexDigest } : {}) };
  const m = /^(?:registry|docker):(.+)$/.exec(reference) ?? (/^[a-z]+:/.test(reference) ? null : [reference, reference]);
  if (m) {
    try {
      const ref = parseReference(m[1]!);
      Object.assign(target, { registry: ref.index, repository: ref.repository, ...(ref.tag ? { tag: ref.tag } : {}) });
    } catch {
      // Not a registry reference (a file path): no registry to judge.
    }
  }
  return target;
}

export function inputFromReport(report: ImageReport, namespace?: string): PolicyInput {
  const findings: Finding[] = [...report.findings, ...report.misconfigurations, ...report.secrets];
  const hardening = report.hardening;
  return {
    target: targetOf(report),
    layers: (report.target.layers ?? []).map((l) => l.diffId ?? l.digest),
    ...(report.baseLayers !== undefined ? { baseLayers: report.baseLayers } : {}),
    packages: report.packages ?? [],
    findings,
    ...(report.config ? { config: report.config } : {}),
    tools: (hardening?.attackSurface ?? []).map((t) => ({ tool: t.tool, category: t.category, bytes: t.bytes })),
    setuidFiles: hardening?.setuid.length ?? 0,
    signatures: [],
    scanners: report.scanners,
    ...(namespace ? { namespace } : {}),
    ...(report.db?.updatedAt ? { dbVersion: report.db.updatedAt } : {}),
  };
}
