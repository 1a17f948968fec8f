/**
 * The streaming half of the layer walker: tar entries from a stream of
 * chunks, in one pass. Headers are decoded in place; a body is handed out as
 * views of the chunks it lies in, only when the caller opens it, and unopened
 * bodies are skipped by moving an offset. Streaming tar libraries make a
 * stream object per entry and copy every body, which costs more than reading
 * the bytes when a layer has tens of thousands of small files; the layer
 * walker is the hot loop of every scan, so this one is ours.
 */
import { Writable } from "node:stream";
import { BLOCK, decodeHeader, field, isZeroBlock, paxRecords, type RawHeader } from "./tar-header.js";

/** Pax and GNU long-name records are metadata: a few KiB in real tars. */
const MAX_META_BYTES = 1024 * 1024;
/** Chunks accepted ahead of the reader before the writer must wait. */
const CHUNKS_AHEAD = 2;

/** Where a tar stops making sense: the message and the uncompressed offset. */
export class TarFormatError extends Error {
  override readonly name = "TarFormatError";
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`${detail} at offset ${offset}`);
  }
}

/** Where a `TarReader` gets its bytes: chunks in order, then null. */
export interface ChunkSource {
  /** The next chunk; its memory may be reused once the reader asks for the one after. */
  next(): Promise<Buffer | null>;
}

/**
 * The end of a pipeline that hands its chunks to a reader one at a time,
 * holding the writer back while the reader is behind.
 */
export class ChunkSink extends Writable implements ChunkSource {
  private readonly chunks: Buffer[] = [];
  private held: (() => void) | undefined;
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.chunks.length < CHUNKS_AHEAD) done();
    else this.held = () => done();
    this.notify();
  }

  override _final(done: (err?: Error | null) => void): void {
    this.finished = true;
    this.notify();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (err || !this.finished) this.failure = err ?? new Error("the tar stream was closed before its end");
    this.notify();
    done(err);
  }

  /** The next chunk, or null after the last one. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        const held = this.held;
        this.held = undefined;
        held?.();
        return chunk;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * A body in chunks. Each chunk is a view of the source's memory, valid only
 * until the next chunk (or the next entry) is asked for: a reader copies what
 * it keeps. Views rather than copies because most readers look and move on
 * (a format check, a search for a marker), and copying every executable's
 * bytes cost more than parsing the whole layer.
 */
export type BodyChunks = AsyncIterable<Buffer>;

export interface TarEntry extends RawHeader {
  /** Uncompressed offset of the entry's header, for messages. */
  offset: number;
  /** The body; at most once, and read (or abandoned) before the next entry is asked for. */
  open(): BodyChunks;
}

/** A body being read: bytes not yet handed out, and whether the walk has moved past it. */
interface OpenBody {
  left: number;
  closed: boolean;
}

/** Reads entries from `sink`; call `entries()` once. */
export class TarReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Uncompressed offset of buf[0]. */
  private base = 0;
  private fetching: Promise<boolean> | undefined;
  private readonly scratch = Buffer.alloc(BLOCK);

  constructor(private readonly sink: ChunkSource) {}

  private get offset(): number {
    return this.base + this.pos;
  }

  /** Makes the next chunk current; false at the end. One fetch at a time, shared by whoever asks. */
  private more(): Promise<boolean> {
    this.fetching ??= this.sink.next().then((chunk) => {
      this.fetching = undefined;
      if (chunk === null) return false;
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      return true;
    });
    return this.fetching;
  }

  /**
   * Where the next 512-byte block starts in the current chunk, moving past
   * it; -1 when it does not lie whole in the chunk. The common case, kept
   * free of promises: the walk is a loop over thousands of headers.
   */
  private blockHere(): number {
    if (this.buf.length - this.pos < BLOCK) return -1;
    const at = this.pos;
    this.pos += BLOCK;
    return at;
  }

  /** The next 512-byte block (a view when it lies in one chunk, else a copy), or null at a clean end. */
  private async block(): Promise<Buffer | null> {
    if (this.buf.length - this.pos >= BLOCK) {
      const at = this.pos;
      this.pos += BLOCK;
      return this.buf.subarray(at, at + BLOCK);
    }
    let have = this.buf.copy(this.scratch, 0, this.pos);
    const start = this.offset;
    this.pos = this.buf.length;
    while (have < BLOCK) {
      if (!(await this.more())) {
        if (have === 0) return null;
        throw new TarFormatError(start, "truncated tar (unexpected end of data)");
      }
      const n = Math.min(BLOCK - have, this.buf.length);
      this.buf.copy(this.scratch, have, 0, n);
      have += n;
      this.pos = n;
    }
    return this.scratch;
  }

  /** Moves past `n` bytes when they lie in the current chunk; false (and no move) when they do not. */
  private skipHere(n: number): boolean {
    if (this.buf.length - this.pos < n) return false;
    this.pos += n;
    return true;
  }

  /** Moves past `n` bytes. */
  private async skip(n: number): Promise<void> {
    while (n > 0) {
      const available = this.buf.length - this.pos;
      if (available >= n) {
        this.pos += n;
        return;
      }
      n -= available;
      this.pos = this.buf.length;
      if (!(await this.more())) throw new TarFormatError(this.offset, "truncated tar (unexpected end of data)");
    }
  }

  /** The next `n` bytes in one buffer (metadata records only). */
  private async take(n: number): Promise<Buffer> {
    // Copied as it goes: a source may reuse a chunk's memory once the next is asked for.
    const out = Buffer.allocUnsafe(n);
    let have = 0;
    while (have < n) {
      while (this.pos === this.buf.length) {
        if (!(await this.more())) throw new TarFormatError(this.offset, "truncated tar (unexpected end of data)");
      }
      const k = Math.min(n - have, this.buf.length - this.pos);
      this.buf.copy(out, have, this.pos, this.pos + k);
      this.pos += k;
      have += k;
    }
    return out;
  }

  private static padding(size: number): number {
    return (BLOCK - (size % BLOCK)) % BLOCK;
  }

  /** The body that starts at the current position, as views of the chunks it lies in. */
  private async *body(state: OpenBody): AsyncGenerator<Buffer> {
    while (state.left > 0) {
      while (this.pos === this.buf.length) {
        if (!(await this.more())) throw new TarFormatError(this.offset, "truncated tar (unexpected end of data)");
        // The walk moved on while this fetch was landing: the bytes are no longer this body's.
        if (state.closed) return;
      }
      if (state.closed) return;
      const k = Math.min(state.left, this.buf.length - this.pos);
      const view = this.buf.subarray(this.pos, this.pos + k);
      this.pos += k;
      state.left -= k;
      yield view;
    }
  }

  async *entries(): AsyncGenerator<TarEntry> {
    let longName: string | undefined;
    let longLink: string | undefined;
    let pax: Map<string, string> | undefined;
    for (;;) {
      const offset = this.offset;
      let block = this.buf;
      let at = this.blockHere();
      if (at < 0) {
        const copy = await this.block();
        if (copy === null) break;
        block = copy;
        at = 0;
      }
      if (isZeroBlock(block, at)) break;
      const header = decodeHeader(block, at);
      if (typeof header === "string") throw new TarFormatError(offset, header);
      const paxSize = pax?.get("size");
      if (paxSize !== undefined) {
        if (!/^\d+$/.test(paxSize)) throw new TarFormatError(offset, `bad pax size "${paxSize}"`);
        header.size = Number(paxSize);
      }
      if (header.type === "x" || header.type === "g" || header.type === "L" || header.type === "K") {
        if (header.size > MAX_META_BYTES) throw new TarFormatError(offset, `tar metadata record of ${header.size} bytes (limit ${MAX_META_BYTES})`);
        const record = await this.take(header.size);
        if (!this.skipHere(TarReader.padding(header.size))) await this.skip(TarReader.padding(header.size));
        if (header.type === "x") pax = paxRecords(record);
        else if (header.type === "L") longName = field(record, 0, record.length);
        else if (header.type === "K") longLink = field(record, 0, record.length);
        continue;
      }
      header.name = pax?.get("path") ?? longName ?? header.name;
      header.linkName = pax?.get("linkpath") ?? longLink ?? header.linkName;
      longName = longLink = pax = undefined;

      let opened: OpenBody | undefined;
      yield {
        type: header.type,
        name: header.name,
        linkName: header.linkName,
        size: header.size,
        mode: header.mode,
        offset,
        open: () => {
          if (opened) throw new Error(`${header.name}: body opened twice`);
          opened = { left: header.size, closed: false };
          return this.body(opened);
        },
      };
      if (opened) opened.closed = true;
      // A fetch the body started may still be landing: let it, so the offsets below are current.
      if (this.fetching) await this.fetching;
      const rest = (opened ? opened.left : header.size) + TarReader.padding(header.size);
      if (!this.skipHere(rest)) await this.skip(rest);
    }
    // Whatever follows the end marker still flows through, so digests cover the whole blob.
    while (await this.more());
  }
}
