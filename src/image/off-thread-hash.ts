/**
 * SHA-256 on another core. Verifying a layer's digest costs about as much as
 * reading it, and the walker already keeps one core busy parsing, so bytes
 * read into shared memory are hashed by a worker thread while the walker
 * parses the very same bytes: no copy, and no second read of the file that
 * could see different bytes than the parser.
 */
import { Worker } from "node:worker_threads";

// Plain JavaScript so it runs the same from sources and from the build.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
// This thread allocates almost nothing, so its garbage collector would hardly
// ever run, and each shared chunk stays alive while any thread holds a handle
// to it: collect the young generation now and then to let the chunks go.
require("node:v8").setFlagsFromString("--expose-gc");
const gc = require("node:vm").runInNewContext("gc");
const jobs = new Map();
let sinceGc = 0;
parentPort.on("message", (m) => {
  let hash = jobs.get(m.id);
  if (!hash) jobs.set(m.id, (hash = createHash("sha256")));
  if (m.chunk) {
    hash.update(m.chunk);
    sinceGc += m.chunk.length;
    if (sinceGc >= 8 * 1024 * 1024) {
      sinceGc = 0;
      gc({ type: "minor" });
    }
  }
  if (m.end) parentPort.postMessage({ id: m.id, digest: hash.digest("hex") });
  if (m.end || m.drop) jobs.delete(m.id);
});
`;

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (hex: string) => void; reject: (err: Error) => void }>();

function hashWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true });
  w.on("message", (m: { id: number; digest: string }) => {
    const job = pending.get(m.id);
    pending.delete(m.id);
    job?.resolve(m.digest);
    // Only a digest someone waits for keeps the process alive.
    if (pending.size === 0) w.unref();
  });
  const fail = (err: Error) => {
    worker = undefined;
    for (const job of pending.values()) job.reject(err);
    pending.clear();
  };
  w.on("error", fail);
  w.on("exit", (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  w.unref();
  worker = w;
  return w;
}

/** True when `chunk` lives in shared memory, so another thread can read it without a copy. */
export function isShared(chunk: Buffer): boolean {
  return chunk.buffer instanceof SharedArrayBuffer;
}

/** One SHA-256 computed by the worker thread; feed it shared chunks in order. */
export class OffThreadHash {
  private readonly id = nextId++;
  private readonly worker = hashWorker();
  private finished = false;

  update(chunk: Buffer): void {
    if (!isShared(chunk)) {
      const copy = Buffer.from(new SharedArrayBuffer(chunk.length));
      chunk.copy(copy);
      chunk = copy;
    }
    this.worker.postMessage({ id: this.id, chunk });
  }

  /** The hex digest of everything fed (the only encoding); call once. */
  digest(_encoding: "hex" = "hex"): Promise<string> {
    this.finished = true;
    const result = new Promise<string>((resolve, reject) => pending.set(this.id, { resolve, reject }));
    this.worker.ref();
    this.worker.postMessage({ id: this.id, end: true });
    return result;
  }

  /** Forget a hash that will never be finished (the read failed). */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    this.worker.postMessage({ id: this.id, drop: true });
  }
}
