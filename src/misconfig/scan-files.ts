/**
 * `portcullis config` without the CLI: list the files under the paths, detect
 * each one's type, run its checks and the secret detectors, apply
 * suppressions, and report — one bad file costs only itself. Kubernetes
 * objects are checked together after every file is read, because some rules
 * look across files (a ServiceAccount in one file, its pods in another; a
 * namespace's NetworkPolicy).
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { InputError, isInputError, messageOf, severityRank, SEVERITIES, type Finding, type Severity } from "../common/index.js";
import { looksBinary, MAX_TEXT_BYTES, scanText, toFinding as secretFinding } from "../secrets/index.js";
import { checkCompose, loadCompose } from "./compose/index.js";
import { checkDockerfile, parseDockerfile } from "./dockerfile/index.js";
import { detectType, type ConfigType } from "./files/detect.js";
import { listFiles, type ListedFile } from "./files/walk.js";
import { checkObjects, MAX_MANIFEST_LENGTH, objectsOfText, type KubernetesObject } from "./kubernetes/index.js";
import { annotationSuppressions, applySuppressions, expiredNotice, inlineSuppressions, originText, parseIgnoreFile, parseTrivyIgnore, unusedNotice, type Suppression } from "./suppress/index.js";

/** The suppression file looked for at the top of each directory scanned. */
export const IGNORE_FILE = ".portcullisignore";
/** Trivy's suppression file, carried over from the same place. */
export const TRIVY_IGNORE_FILE = ".trivyignore";

export interface ConfigScanOptions {
  /** Run the misconfiguration checks (default true). */
  misconfig?: boolean;
  /** Run the secret detectors over every text file (default true). */
  secret?: boolean;
  /** Look for secrets in binary files too, read as Latin-1 (default: binaries are skipped). */
  secretBinaries?: boolean;
  /** Registries images may come from; without a list the untrusted-registry rule is silent. */
  trustedRegistries?: readonly string[];
  /** Suppression files (`.portcullisignore` syntax) to use instead of those found at the top of each directory. */
  ignoreFiles?: readonly string[];
  /** The day expiries are judged against (tests pin it). */
  today?: Date;
  /** Called after each file. */
  onProgress?: (done: number, total: number) => void;
}

export interface ScannedFile {
  path: string;
  type: ConfigType;
  /** Findings in this file after suppressions. */
  findings: number;
  /** Why the file was not (fully) scanned: binary, too large. */
  skipped?: string;
}

export interface Problem {
  severity: "error" | "warning";
  /** One line naming the file and the place. */
  message: string;
}

export interface ReportedSuppression {
  rule: string;
  reason: string;
  expires?: string;
  approvedBy?: string;
  /** Where it is written: "deploy.yaml:12". */
  origin: string;
}

export interface ConfigReport {
  schemaVersion: 1;
  targets: string[];
  summary: { files: number; findings: number; bySeverity: Record<Severity, number>; suppressed: number; errors: number };
  files: ScannedFile[];
  findings: Finding[];
  /** Findings a suppression in force covers, with the first suppression that does. */
  suppressed: { finding: Finding; by: ReportedSuppression }[];
  /** Suppressions past their expiry: they no longer apply, and what they covered is reported again. */
  expiredSuppressions: (ReportedSuppression & { findings: number; message: string })[];
  /** Suppressions in force that cover nothing: candidates for removal. */
  unusedSuppressions: (ReportedSuppression & { message: string })[];
  problems: Problem[];
}

function reported(s: Suppression): ReportedSuppression {
  return { rule: s.rule, reason: s.reason, ...(s.expires ? { expires: s.expires } : {}), ...(s.approvedBy ? { approvedBy: s.approvedBy } : {}), origin: originText(s) };
}

function compareFindings(a: Finding, b: Finding): number {
  const pa = a.location?.path ?? "";
  const pb = b.location?.path ?? "";
  if (pa !== pb) return pa < pb ? -1 : 1;
  const line = (a.location?.line ?? 0) - (b.location?.line ?? 0);
  if (line !== 0) return line;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return severityRank(b.severity) - severityRank(a.severity);
}

/** The files at the top of a scanned directory with this name. */
function topFiles(listed: readonly ListedFile[], name: string): string[] {
  return listed.filter((f) => f.root !== undefined && basename(f.path) === name && f.path.slice(f.root.length).replace(/^[\\/]+/, "") === name).map((f) => f.path);
}

async function readSuppressionFile(file: string, parse: (text: string, file: string) => Suppression[]): Promise<Suppression[]> {
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    throw new InputError(file, undefined, err.code === "ENOENT" ? "no such file" : err.message);
  });
  return parse(text, file);
}

export async function scanConfigFiles(paths: readonly string[], options: ConfigScanOptions = {}): Promise<ConfigReport> {
  const misconfig = options.misconfig !== false;
  const secret = options.secret !== false;
  const listed = await listFiles(paths);
  const problems: Problem[] = [];
  const problem = (severity: Problem["severity"], err: unknown): void => {
    problems.push({ severity, message: messageOf(err) });
  };

  // A broken suppression file stops the scan: going on would report what the user meant to suppress.
  const suppressions: Suppression[] = [];
  const ignoreFiles = options.ignoreFiles ?? topFiles(listed, IGNORE_FILE);
  const trivyIgnoreFiles = options.ignoreFiles ? [] : topFiles(listed, TRIVY_IGNORE_FILE);
  for (const file of ignoreFiles) suppressions.push(...(await readSuppressionFile(file, parseIgnoreFile)));
  for (const file of trivyIgnoreFiles) suppressions.push(...(await readSuppressionFile(file, parseTrivyIgnore)));
  const suppressionFiles = new Set([...ignoreFiles, ...trivyIgnoreFiles]);

  const files: ScannedFile[] = [];
  const findings: Finding[] = [];
  const objects: KubernetesObject[] = [];
  let done = 0;
  for (const entry of listed) {
    const scanned: ScannedFile = { path: entry.path, type: "other", findings: 0 };
    files.push(scanned);
    try {
      if (suppressionFiles.has(entry.path)) continue;
      if (entry.size > MAX_MANIFEST_LENGTH) {
        scanned.skipped = `larger than ${MAX_MANIFEST_LENGTH} bytes`;
        continue;
      }
      // Configuration files are small and many: a synchronous read is several times cheaper per file than an asynchronous one.
      const bytes = readFileSync(entry.path);
      if (looksBinary(bytes)) {
        scanned.skipped = "binary";
        if (secret && options.secretBinaries && bytes.length <= MAX_TEXT_BYTES) {
          for (const match of scanText(bytes.toString("latin1"), { path: entry.path })) findings.push(secretFinding(match, { path: entry.path }));
          scanned.skipped = "binary: scanned for secrets only";
        }
        continue;
      }
      const text = bytes.toString("utf8");
      scanned.type = detectType(entry.path, text);
      try {
        suppressions.push(...inlineSuppressions(text, entry.path));
      } catch (err) {
        // A malformed suppression comment must not cost the file its checks.
        if (!isInputError(err)) throw err;
        problem("error", err);
      }
      if (secret) {
        if (bytes.length > MAX_TEXT_BYTES) scanned.skipped = `larger than ${MAX_TEXT_BYTES} bytes: not scanned for secrets`;
        else for (const match of scanText(text, { path: entry.path })) findings.push(secretFinding(match, { path: entry.path }));
      }
      if (misconfig) findings.push(...checkFile(scanned.type, text, entry.path, objects, problem));
    } catch (err) {
      if (!isInputError(err) && (err as NodeJS.ErrnoException).code === undefined) throw err;
      problem("error", isInputError(err) ? err : new InputError(entry.path, undefined, messageOf(err)));
    } finally {
      options.onProgress?.(++done, listed.length);
    }
  }

  if (misconfig && objects.length > 0) {
    const wholeDirectory = listed.some((f) => f.root !== undefined);
    const checked = checkObjects(objects, { wholeDirectory, ...(options.trustedRegistries ? { trustedRegistries: options.trustedRegistries } : {}) });
    findings.push(...checked.findings);
    for (const warning of checked.warnings) problem("warning", warning);
    for (const object of objects) {
      try {
        suppressions.push(...annotationSuppressions(object.annotations, object.resource, object.file, object.line));
      } catch (err) {
        if (!isInputError(err)) throw err;
        problem("error", err);
      }
    }
  }

  const applied = applySuppressions(findings, suppressions, options.today ?? new Date());
  const kept = [...applied.findings].sort(compareFindings);
  const perFile = new Map<string, number>();
  for (const f of kept) if (f.location?.path) perFile.set(f.location.path, (perFile.get(f.location.path) ?? 0) + 1);
  for (const file of files) file.findings = perFile.get(file.path) ?? 0;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of kept) bySeverity[f.severity]++;
  return {
    schemaVersion: 1,
    targets: [...paths],
    summary: { files: files.length, findings: kept.length, bySeverity, suppressed: applied.suppressed.length, errors: problems.filter((p) => p.severity === "error").length },
    files,
    findings: kept,
    suppressed: applied.suppressed.map(({ finding, by }) => ({ finding, by: reported(by) })),
    expiredSuppressions: applied.expired.map((e) => ({ ...reported(e.suppression), findings: e.findings.length, message: expiredNotice(e) })),
    unusedSuppressions: applied.unused.map((s) => ({ ...reported(s), message: unusedNotice(s) })),
    problems,
  };
}

/** The misconfiguration findings of one file; Kubernetes objects are collected for the checks across files. */
function checkFile(type: ConfigType, text: string, path: string, objects: KubernetesObject[], problem: (severity: Problem["severity"], err: unknown) => void): Finding[] {
  switch (type) {
    case "dockerfile":
      return checkDockerfile(parseDockerfile(text, path));
    case "compose": {
      const loaded = loadCompose(text, path);
      for (const error of loaded.problems) problem("error", error);
      return checkCompose(loaded);
    }
    case "kubernetes": {
      const loaded = objectsOfText(text, path);
      for (const p of loaded.problems) problem(p.severity, p.error);
      objects.push(...loaded.objects);
      return [];
    }
    case "other":
      return [];
  }
}
