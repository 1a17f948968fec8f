/**
 * A byte range of a file as a stream of large chunks in shared memory, so the
 * digest can be computed on another thread from the same bytes the walker
 * parses (see off-thread-hash.ts).
 */
import { close, open, read } from "node:fs";
import { Readable } from "node:stream";

/** Large reads: a layer is read start to end, and each read costs a trip through the thread pool. */
export const LAYER_READ_CHUNK = 1024 * 1024;

class FileChunks extends Readable {
  private fd = -1;
  constructor(
    private readonly file: string,
    private pos: number,
    private readonly end: number,
  ) {
    super();
  }

  override _construct(done: (err?: Error | null) => void): void {
    open(this.file, "r", (err, fd) => {
      this.fd = fd;
      done(err);
    });
  }

  override _read(): void {
    const n = Math.min(LAYER_READ_CHUNK, this.end - this.pos);
    if (n <= 0) {
      this.push(null);
      return;
    }
    const chunk = Buffer.from(new SharedArrayBuffer(n));
    read(this.fd, chunk, 0, n, this.pos, (err, got) => {
      if (err) return this.destroy(err);
      // A file shorter than its index said: end here and let the digest check report it.
      if (got === 0) return void this.push(null);
      this.pos += got;
      this.push(got < n ? chunk.subarray(0, got) : chunk);
    });
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.fd < 0) return done(err);
    close(this.fd, () => done(err));
  }
}

/** Bytes [start, end) of `file`. */
export function fileChunks(file: string, start = 0, end = Number.POSITIVE_INFINITY): Readable {
  return new FileChunks(file, start, end);
}
