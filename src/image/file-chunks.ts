/**
 * An uncompressed layer that is a byte range of a local file (`docker save`
 * output, an OCI layout's blob) read straight into a small ring of shared
 * memory. The walker parses each slot where it landed, the hashing thread
 * hashes the same bytes there, and the next read is already under way. No
 * buffer is allocated per read and none is copied: with a stream of fresh
 * 1 MiB buffers, allocating and faulting them in cost more than the reads,
 * and each read waited for the parse of the chunk before it.
 */
import { open, type FileHandle } from "node:fs/promises";
import { InputError } from "../common/index.js";
import { HASH_SLOT_BYTES, OffThreadHash } from "./off-thread-hash.js";
import type { ChunkSource } from "./tar-entries.js";

/** Bytes `start` to `start + size` of `file`. */
export interface FileRange {
  file: string;
  start: number;
  size: number;
}

/** Enough to keep the reads and the hashing thread ahead of the parse (8 MiB). */
const SLOTS = 8;
const READS_IN_FLIGHT = 3;

interface PendingRead {
  slot: number;
  at: number;
  length: number;
  done: boolean;
  error?: Error;
}

export class FileChunks implements ChunkSource {
  private readonly ring = new SharedArrayBuffer(HASH_SLOT_BYTES * SLOTS);
  private readonly hash: OffThreadHash | undefined;
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => i);
  /** Per slot: who still needs its bytes (the reader, the hashing thread). */
  private readonly holds = new Uint8Array(SLOTS);
  /** Slots read and not yet handed to the reader, in file order. */
  private readonly ready: { slot: number; length: number }[] = [];
  private current: number | undefined;
  /** End of the bytes landed in order; end of the bytes asked for. */
  private readTo = 0;
  private asked = 0;
  private readonly inFlight: PendingRead[] = [];
  private closed = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private digested: Promise<string> | undefined;

  private constructor(
    private readonly fh: FileHandle,
    private readonly range: FileRange,
    private readonly label: string,
    hashing: boolean,
  ) {
    if (hashing) this.hash = new OffThreadHash(this.ring);
  }

  /** Opens the range; `hashing` computes its SHA-256 on the way. */
  static async open(range: FileRange, label: string, hashing: boolean): Promise<FileChunks> {
    let fh: FileHandle;
    try {
      fh = await open(range.file, "r");
    } catch (err) {
      throw new InputError(label, undefined, `cannot open ${range.file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return new FileChunks(fh, range, label, hashing);
  }

  /** The first `n` bytes (fewer when the range is shorter), without consuming them. */
  async head(n: number): Promise<Buffer> {
    const buf = Buffer.alloc(Math.min(n, this.range.size));
    const { bytesRead } = await this.fh.read(buf, 0, buf.length, this.range.start);
    return buf.subarray(0, bytesRead);
  }

  /** Bytes handed to the reader so far, the current chunk included. */
  get bytes(): number {
    return this.readTo - this.ready.reduce((n, r) => n + r.length, 0);
  }

  async next(): Promise<Buffer | null> {
    if (this.current !== undefined) {
      this.release(this.current);
      this.current = undefined;
    }
    this.pump();
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = this.ready.shift();
      if (chunk) {
        this.current = chunk.slot;
        this.pump();
        return Buffer.from(this.ring, chunk.slot * HASH_SLOT_BYTES, chunk.length);
      }
      if (this.readTo >= this.range.size) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** "sha256:<hex>" of the whole range; after `next` returned null. */
  digest(): Promise<string> {
    if (!this.hash) return Promise.reject(new Error("digest of a range read without hashing"));
    this.digested ??= this.hash.digest().then((hex) => "sha256:" + hex);
    return this.digested;
  }

  /** Stops reading and lets go of the file; safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.readTo < this.range.size) this.hash?.discard();
    this.failure ??= new Error(`${this.label}: read after close`);
    void this.fh.close().catch(() => undefined);
  }

  /**
   * Starts reads into free slots, a few at once: each read's completion waits
   * for the event loop, so one at a time would leave the walker waiting on
   * round trips rather than on the disk.
   */
  private pump(): void {
    while (this.inFlight.length < READS_IN_FLIGHT && !this.closed && !this.failure && this.asked < this.range.size) {
      const slot = this.free.pop();
      if (slot === undefined) return;
      const at = this.asked;
      const length = Math.min(HASH_SLOT_BYTES, this.range.size - at);
      this.asked = at + length;
      const read: PendingRead = { slot, at, length, done: false };
      this.inFlight.push(read);
      const view = new Uint8Array(this.ring, slot * HASH_SLOT_BYTES, length);
      this.fh.read(view, 0, length, this.range.start + at).then(
        ({ bytesRead }) => {
          if (bytesRead !== length) {
            read.error = new InputError(this.label, `at offset ${at + bytesRead}`, `the file ends early: expected ${this.range.size} bytes`);
          }
          read.done = true;
          this.land();
        },
        (err: unknown) => {
          read.error = new InputError(this.label, `at offset ${at}`, `cannot read: ${(err as Error).message}`, { cause: err });
          read.done = true;
          this.land();
        },
      );
    }
  }

  /** Moves the finished reads at the head of the queue, in file order, to the reader and the hashing thread. */
  private land(): void {
    if (this.closed) return;
    while (this.inFlight[0]?.done) {
      const { slot, at, length, error } = this.inFlight.shift()!;
      // Reads finish in any order; the first failure in file order is the one to report.
      if (error) return this.fail(error);
      this.readTo = at + length;
      this.holds[slot] = this.hash ? 2 : 1;
      this.ready.push({ slot, length });
      this.hash?.hashSlot(slot, length).then(
        () => this.release(slot),
        (err: unknown) => this.fail(err as Error),
      );
    }
    this.notify();
    this.pump();
  }

  /** One holder is done with a slot; the last one frees it for the next read. */
  private release(slot: number): void {
    if (--this.holds[slot]! > 0) return;
    this.free.push(slot);
    this.pump();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
