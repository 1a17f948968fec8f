/**
 * Configuration and secret scanning benchmark. Prints:
 *   config   files per second for `portcullis config` (in process) over a
 *            generated directory of 5,000 Kubernetes manifests, and that time
 *            over two floors measured in the same run: reading the files, and
 *            reading plus parsing their YAML
 *   cli      the same directory through the built CLI, JSON to a file
 *   secrets  secret-scan throughput in MiB/s over generated text files (code,
 *            configuration, logs, a few planted secrets), and that time over
 *            the floor of reading and decoding the same bytes
 * Usage: npm run bench:config   (BENCH_MANIFESTS, BENCH_SECRET_MB to resize)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { scanConfigFiles } from "../src/misconfig/scan-files.js";
import { scanText } from "../src/secrets/index.js";

const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const MANIFESTS = Number(process.env.BENCH_MANIFESTS ?? 5_000);
const SECRET_MB = Number(process.env.BENCH_SECRET_MB ?? 32);

/** A deterministic pseudo-random sequence, so every run scans the same files. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

const KINDS = [
  ["apps/v1", "Deployment"],
  ["apps/v1", "StatefulSet"],
  ["apps/v1", "DaemonSet"],
  ["batch/v1", "Job"],
] as const;

/** One realistic manifest: a workload (settings varied so rules both fire and pass), often with a Service. */
function manifest(i: number, r: () => number): string {
  const [apiVersion, kind] = KINDS[Math.floor(r() * KINDS.length)]!;
  const name = `app-${i}`;
  const ns = `team-${i % 40}`;
  const secure = r() < 0.5;
  const container = (c: number) => `      - name: ${name}-${c}
        image: registry.example.com/team/${name}:${r() < 0.2 ? "latest" : `1.${i % 17}.${c}`}
        ports:
        - containerPort: ${8000 + c}
        env:
        - name: LOG_LEVEL
          value: info
        - name: DB_HOST
          value: db.${ns}.svc
${secure ? `        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          capabilities:
            drop: ["ALL"]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: 500m, memory: 256Mi}
        readinessProbe:
          httpGet: {path: /ready, port: ${8000 + c}}
        livenessProbe:
          httpGet: {path: /live, port: ${8000 + c}}` : `        securityContext:
          privileged: ${r() < 0.3}`}`;
  const containers = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, c) => container(c)).join("\n");
  const spec = `    metadata:
      labels: {app: ${name}}
    spec:
      serviceAccountName: ${name}
${r() < 0.1 ? "      hostNetwork: true\n" : ""}      containers:
${containers}`;
  const template = kind === "Job" ? `  template:\n${spec.replace("    spec:\n", "    spec:\n      restartPolicy: Never\n")}` : `  selector:\n    matchLabels: {app: ${name}}\n  template:\n${spec}`;
  const workload = `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: ${name}
  namespace: ${ns}
  labels: {app: ${name}, tier: ${r() < 0.5 ? "web" : "worker"}}
spec:
${kind === "StatefulSet" ? `  serviceName: ${name}\n` : ""}${template}
`;
  if (r() < 0.5) return workload;
  return `${workload}---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  selector: {app: ${name}}
  ports:
  - port: 80
    targetPort: 8000
`;
}

const WORDS = ["const", "return", "function", "value", "config", "server", "request", "response", "user", "token", "error", "data", "items", "count", "index", "result", "import", "export", "default", "string"];

/** Text that looks like a repository: code, config and logs, with a planted secret about every 200 KB. */
function textFile(r: () => number, bytes: number, n: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const pick = r();
    let line: string;
    if (pick < 0.001) line = `aws_secret_access_key = ${Array.from({ length: 40 }, () => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(r() * 62)]).join("")}`;
    else if (pick < 0.5) line = `  ${WORDS[Math.floor(r() * WORDS.length)]} ${WORDS[Math.floor(r() * WORDS.length)]}_${n} = ${WORDS[Math.floor(r() * WORDS.length)]}(${Math.floor(r() * 1e6)});`;
    else if (pick < 0.8) line = `${WORDS[Math.floor(r() * WORDS.length)]}.${WORDS[Math.floor(r() * WORDS.length)]}: "${Math.floor(r() * 1e9).toString(36)}"`;
    else line = `2026-11-22T10:${String(Math.floor(r() * 60)).padStart(2, "0")}:00Z INFO request id=${Math.floor(r() * 1e12).toString(16)} path=/api/v1/${WORDS[Math.floor(r() * WORDS.length)]} status=200`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n") + "\n";
}

function best(runs: number, fn: () => number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) min = Math.min(min, fn());
  return min;
}

async function bestAsync(runs: number, fn: () => Promise<number>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) min = Math.min(min, await fn());
  return min;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "pcs-bench-config-"));
  try {
    const manifests = join(work, "manifests");
    const r = rng(42);
    let manifestBytes = 0;
    for (let i = 0; i < MANIFESTS; i++) {
      const dir = join(manifests, `team-${i % 40}`);
      if (i < 40) mkdirSync(dir, { recursive: true });
      const text = manifest(i, r);
      manifestBytes += text.length;
      writeFileSync(join(dir, `app-${i}.yaml`), text);
    }
    const paths = filesUnder(manifests);

    const readFloor = best(3, () => {
      const start = performance.now();
      for (const p of paths) readFileSync(p, "utf8");
      return performance.now() - start;
    });
    const parseFloor = best(3, () => {
      const start = performance.now();
      for (const p of paths) for (const d of parseAllDocuments(readFileSync(p, "utf8"))) d.toJS();
      return performance.now() - start;
    });
    let findings = 0;
    const scan = await bestAsync(3, async () => {
      const start = performance.now();
      const report = await scanConfigFiles([manifests]);
      findings = report.findings.length;
      return performance.now() - start;
    });
    console.log(
      `config   ${paths.length} files, ${(manifestBytes / 1048576).toFixed(1)} MiB, ${findings} findings: ${scan.toFixed(0)} ms = ${((paths.length / scan) * 1000).toFixed(0)} files/s; ` +
        `${(scan / readFloor).toFixed(1)}x the read floor (${readFloor.toFixed(0)} ms), ${(scan / parseFloor).toFixed(2)}x read + YAML parse (${parseFloor.toFixed(0)} ms)`,
    );

    const cli = best(2, () => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [CLI, "config", manifests, "-q", "-f", "json", "-o", join(work, "report.json")], { encoding: "utf8" });
      if (run.status !== 0) throw new Error(`portcullis config failed (${run.status}): ${run.stderr}`);
      return performance.now() - start;
    });
    console.log(`cli      ${((paths.length / cli) * 1000).toFixed(0)} files/s end to end (${cli.toFixed(0)} ms, process start included)`);

    const texts = join(work, "texts");
    mkdirSync(texts);
    const tr = rng(7);
    const fileBytes = 256 * 1024;
    const count = Math.max(1, Math.round((SECRET_MB * 1048576) / fileBytes));
    for (let n = 0; n < count; n++) writeFileSync(join(texts, `f${n}.txt`), textFile(tr, fileBytes, n));
    const textPaths = filesUnder(texts);
    let total = 0;
    const textFloor = best(3, () => {
      const start = performance.now();
      total = 0;
      for (const p of textPaths) total += readFileSync(p).toString("utf8").length;
      return performance.now() - start;
    });
    let matches = 0;
    const secretScan = best(3, () => {
      const start = performance.now();
      matches = 0;
      for (const p of textPaths) matches += scanText(readFileSync(p).toString("utf8"), { path: p }).length;
      return performance.now() - start;
    });
    const mb = total / 1048576;
    console.log(
      `secrets  ${mb.toFixed(0)} MiB in ${textPaths.length} files, ${matches} secrets: ${(mb / (secretScan / 1000)).toFixed(1)} MiB/s; ` +
        `${(secretScan / textFloor).toFixed(1)}x the floor of reading the same bytes (${(mb / (textFloor / 1000)).toFixed(0)} MiB/s)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
