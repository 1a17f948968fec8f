/**
 * SHA-256 on another core. Verifying a layer's digest costs about as much as
 * reading it, and the walker already keeps one core busy parsing, so the
 * bytes are copied into a small ring of shared memory and a worker thread
 * hashes them there while the walker parses the originals. Copying is a
 * fraction of the cost of hashing; the ring bounds the memory whatever the
 * layer's size, and a producer that gets ahead of the hashing waits for a
 * free slot.
 */
import { Worker } from "node:worker_threads";

/** The ring's slot size: also the chunk size of sources that read straight into a shared ring. */
export const HASH_SLOT_BYTES = 1024 * 1024;
const SLOT_BYTES = HASH_SLOT_BYTES;
const SLOTS = 4;

// Plain JavaScript so it runs the same from sources and from the build.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const jobs = new Map();
parentPort.on("message", (m) => {
  if (m.ring) {
    jobs.set(m.id, { hash: createHash("sha256"), ring: m.ring });
    return;
  }
  const job = jobs.get(m.id);
  if (!job) return;
  if (m.slot !== undefined) {
    job.hash.update(new Uint8Array(job.ring, m.slot * ${SLOT_BYTES}, m.length));
    parentPort.postMessage({ id: m.id, slot: m.slot });
  }
  if (m.end) parentPort.postMessage({ id: m.id, digest: job.hash.digest("hex") });
  if (m.end || m.drop) jobs.delete(m.id);
});
`;

let worker: Worker | undefined;
let nextId = 1;
const hashes = new Map<number, OffThreadHash>();
/** Slots and digests the thread still owes: while any, it keeps the process alive. */
let owed = 0;

function owe(w: Worker, n: number): void {
  const before = owed;
  owed += n;
  if (before === 0 && owed > 0) w.ref();
  else if (before > 0 && owed === 0) w.unref();
}

function hashWorker(): Worker {
  if (worker) return worker;
  // A small heap: the thread holds a hash state and a few views, nothing more.
  const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8, codeRangeSizeMb: 2 } });
  w.on("message", (m: { id: number; slot?: number; digest?: string }) => {
    owe(w, -1);
    const hash = hashes.get(m.id);
    if (m.slot !== undefined) hash?.release(m.slot);
    else if (m.digest !== undefined) hash?.settle(m.digest);
  });
  const fail = (err: Error) => {
    worker = undefined;
    for (const hash of hashes.values()) hash.fail(err);
    hashes.clear();
    owed = 0;
  };
  w.on("error", fail);
  w.on("exit", (code) => fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  w.unref();
  worker = w;
  return w;
}

/**
 * Starts the hashing thread ahead of need: it takes tens of milliseconds to
 * boot, and a layer read waits for it once the ring is full.
 */
export function startHashWorker(): void {
  hashWorker();
}

/**
 * One SHA-256 computed by the worker thread. Feed it chunks in order with
 * `write` (copied into its own ring), or give it a ring the caller fills and
 * hand over slots in order with `hashSlot` (no copy).
 */
export class OffThreadHash {
  private readonly id = nextId++;
  private readonly worker = hashWorker();
  private readonly ring: SharedArrayBuffer;
  private readonly free: number[] = [];
  /** Caller-owned slots being hashed, and who to tell when each is done. */
  private readonly lent = new Map<number, () => void>();
  private waiting: (() => void) | undefined;
  private finished = false;
  private result: { resolve: (hex: string) => void; reject: (err: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(ring?: SharedArrayBuffer) {
    this.ring = ring ?? new SharedArrayBuffer(SLOT_BYTES * SLOTS);
    if (!ring) for (let i = 0; i < SLOTS; i++) this.free.push(i);
    hashes.set(this.id, this);
    this.worker.postMessage({ id: this.id, ring: this.ring });
  }

  /** Copies `chunk` into the ring for hashing; resolves once every piece is queued (waiting for free slots if needed). */
  async write(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length; at += SLOT_BYTES) {
      while (this.free.length === 0) {
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => (this.waiting = resolve));
      }
      if (this.failure) throw this.failure;
      const slot = this.free.pop()!;
      const length = Math.min(SLOT_BYTES, chunk.length - at);
      chunk.copy(new Uint8Array(this.ring, slot * SLOT_BYTES, length), 0, at, at + length);
      owe(this.worker, 1);
      this.worker.postMessage({ id: this.id, slot, length });
    }
  }

  /** Hashes `length` bytes of slot `slot` of the caller's ring; resolves when the thread is done with the slot. */
  hashSlot(slot: number, length: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const done = new Promise<void>((resolve, reject) => {
      this.lent.set(slot, () => (this.failure ? reject(this.failure) : resolve()));
    });
    owe(this.worker, 1);
    this.worker.postMessage({ id: this.id, slot, length });
    return done;
  }

  /** The thread is done with a slot. */
  release(slot: number): void {
    const lent = this.lent.get(slot);
    if (lent) {
      this.lent.delete(slot);
      return lent();
    }
    this.free.push(slot);
    const go = this.waiting;
    this.waiting = undefined;
    go?.();
  }

  settle(hex: string): void {
    hashes.delete(this.id);
    this.result?.resolve(hex);
  }

  fail(err: Error): void {
    this.failure = err;
    for (const settle of this.lent.values()) settle();
    this.lent.clear();
    this.result?.reject(err);
    this.waiting?.();
  }

  /** The hex digest of everything written (the only encoding); call once, after the last write resolved. */
  digest(_encoding: "hex" = "hex"): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    this.finished = true;
    const result = new Promise<string>((resolve, reject) => (this.result = { resolve, reject }));
    owe(this.worker, 1);
    this.worker.postMessage({ id: this.id, end: true });
    return result;
  }

  /** Forget a hash that will never be finished (the read failed). */
  discard(): void {
    if (this.finished) return;
    this.finished = true;
    hashes.delete(this.id);
    this.worker.postMessage({ id: this.id, drop: true });
  }
}
