/** A pass-through that hashes and counts what flows, to verify digests without a second read. */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { OffThreadHash } from "./off-thread-hash.js";

export class HashTap extends Transform {
  private hash: Hash | OffThreadHash | undefined;
  bytes = 0;
  constructor(
    private readonly hashing = true,
    private readonly limit = Number.POSITIVE_INFINITY,
    private readonly onLimit?: () => Error,
    /** Hash on the worker thread: worth it for layers, which are large; not for manifests. */
    private readonly offThread = false,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(this.onLimit?.() ?? new Error("size limit exceeded"));
    // Hashing costs more than reading: only pay for it when a digest will be checked,
    // and for layers on another core.
    if (!this.hashing) return done(null, chunk);
    if (this.offThread) {
      this.hash ??= new OffThreadHash();
      // Hand the chunk on at once; take the next when the hashing thread has room for it.
      this.push(chunk);
      (this.hash as OffThreadHash).write(chunk).then(() => done(), done);
      return;
    }
    this.hash ??= createHash("sha256");
    (this.hash as Hash).update(chunk);
    done(null, chunk);
  }
  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.hash instanceof OffThreadHash && err) this.hash.discard();
    done(err);
  }
  /** "sha256:<hex>" of everything that passed; call once, after the end. */
  async digest(): Promise<string> {
    if (!this.hashing) throw new Error("digest of a tap that does not hash");
    this.hash ??= createHash("sha256");
    return "sha256:" + (await this.hash.digest("hex"));
  }
}
