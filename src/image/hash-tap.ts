/** A pass-through that hashes and counts what flows, to verify digests without a second read. */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export class HashTap extends Transform {
  private readonly hash: Hash | undefined;
  bytes = 0;
  constructor(
    hashing = true,
    private readonly limit = Number.POSITIVE_INFINITY,
    private readonly onLimit?: () => Error,
  ) {
    super();
    // Hashing costs more than reading: only pay for it when a digest will be checked.
    this.hash = hashing ? createHash("sha256") : undefined;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(this.onLimit?.() ?? new Error("size limit exceeded"));
    this.hash?.update(chunk);
    done(null, chunk);
  }
  /** "sha256:<hex>" of everything that passed; call once, after the end. */
  digest(): string {
    if (!this.hash) throw new Error("digest of a tap that does not hash");
    return "sha256:" + this.hash.digest("hex");
  }
}
