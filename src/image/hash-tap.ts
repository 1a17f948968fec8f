/** A pass-through that hashes and counts what flows, to verify digests without a second read. */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { isShared, OffThreadHash } from "./off-thread-hash.js";

export class HashTap extends Transform {
  private hash: Hash | OffThreadHash | undefined;
  bytes = 0;
  constructor(
    private readonly hashing = true,
    private readonly limit = Number.POSITIVE_INFINITY,
    private readonly onLimit?: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(this.onLimit?.() ?? new Error("size limit exceeded"));
    // Hashing costs more than reading: only pay for it when a digest will be checked,
    // and on another core when the bytes arrive in shared memory.
    if (this.hashing) (this.hash ??= isShared(chunk) ? new OffThreadHash() : createHash("sha256")).update(chunk);
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
