/** A pass-through that hashes and counts what flows, to verify digests without a second read. */
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export class HashTap extends Transform {
  private readonly hash: Hash = createHash("sha256");
  bytes = 0;
  constructor(private readonly limit = Number.POSITIVE_INFINITY, private readonly onLimit?: () => Error) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) return done(this.onLimit?.() ?? new Error("size limit exceeded"));
    this.hash.update(chunk);
    done(null, chunk);
  }
  /** "sha256:<hex>" of everything that passed; call once, after the end. */
  digest(): string {
    return "sha256:" + this.hash.digest("hex");
  }
}
