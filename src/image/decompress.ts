/**
 * Layer blobs arrive gzip-, zstd- or un-compressed, and media types lie often
 * enough (Docker's "tar.gzip" for zstd layers, plain tars in archives) that we
 * decide by magic bytes. zstd uses fzstd (pure JS) because Node 20's zlib has
 * no zstd.
 */
import { once } from "node:events";
import { PassThrough, Transform, type Readable, type TransformCallback } from "node:stream";
import { createGunzip } from "node:zlib";
import { Decompress } from "fzstd";

export type Compression = "gzip" | "zstd" | "none";

export function sniffCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return "zstd";
  return "none";
}

/** Read at least `n` bytes (fewer at end of stream) and put them back. */
export async function peek(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < n) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      length += chunk.length;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) break;
    const ended = once(stream, "end").then(() => "end");
    const readable = once(stream, "readable").then(() => "readable");
    const errored = once(stream, "error").then(([err]) => Promise.reject(err as Error));
    const why = await Promise.race([ended, readable, errored]);
    if (why === "end") break;
  }
  const head = Buffer.concat(chunks, length);
  if (head.length > 0) stream.unshift(head);
  return head.subarray(0, n);
}

class ZstdDecompress extends Transform {
  private readonly inner = new Decompress((chunk) => {
    // fzstd may reuse its window buffer: copy before handing the bytes on.
    this.push(Buffer.from(chunk));
  });
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.inner.push(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }
  override _flush(done: TransformCallback): void {
    try {
      this.inner.push(new Uint8Array(0), true);
      done();
    } catch (err) {
      done(err as Error);
    }
  }
}

export function decompressor(kind: Compression): Transform {
  switch (kind) {
    case "gzip":
      // Large output chunks: the 16 KiB default makes every consumer downstream pay per chunk.
      return createGunzip({ chunkSize: 256 * 1024 });
    case "zstd":
      return new ZstdDecompress();
    case "none":
      return new PassThrough();
  }
}
