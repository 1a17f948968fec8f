/**
 * Berkeley DB hash databases, read-only: the `Packages` file of rpm < 4.16
 * (RHEL ≤ 8, CentOS, Amazon Linux 2, old openSUSE). Keys are 4-byte header
 * numbers, values are header blobs.
 *
 * Our own reader: Berkeley DB itself is a C library with no maintained
 * JavaScript binding that opens a database from memory, and reading the
 * on-disk hash format needs only the metadata page, the bucket pages and the
 * overflow page chains. Pages are in the byte order of the host that wrote
 * them (big-endian on s390x), which the metadata magic tells.
 *
 * Format facts used here:
 * - page 0 is the hash metadata page: magic at 12, version at 16, page size
 *   at 20, encryption at 24, page type at 25, flags at 26, last page at 32,
 *   max bucket at 72, and 32 "spares" at 96 that map buckets to pages
 *   (page = bucket + spares[bit length of bucket]);
 * - every page starts with a 26-byte header: its own number at 8, next page
 *   at 16, item count at 20, a 16-bit "high free offset" at 22 (on overflow
 *   pages: the data length on that page), type at 25; bucket pages then hold
 *   16-bit item offsets, items stored downward from the end of the page in
 *   key/value pairs;
 * - an item's first byte is its kind: 1 = data in place, 3 = on overflow
 *   pages (page number at 4, total length at 8).
 */
import { InputError } from "../../../common/index.js";
import type { RpmdbRecord } from "./record.js";

const HASH_MAGIC = 0x00061561;
const PAGE_HEADER = 26;

const PAGE = { HASH_UNSORTED: 2, OVERFLOW: 7, HASH_META: 8, HASH: 13 } as const;
const ITEM = { KEYDATA: 1, DUPLICATE: 2, OFFPAGE: 3, OFFDUP: 4 } as const;

export interface BdbEntry {
  key: Uint8Array;
  value: Uint8Array;
  /** File offset of the key item, for messages. */
  offset: number;
}

export function isBdbHash(bytes: Uint8Array): boolean {
  if (bytes.length < 16) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(12, true) === HASH_MAGIC || view.getUint32(12, false) === HASH_MAGIC;
}

class HashReader {
  private readonly view: DataView;
  private readonly le: boolean;
  readonly pageSize: number;
  private readonly lastPage: number;
  private readonly maxBucket: number;
  private readonly spares: number[] = [];
  /** Every page is in at most one chain: a page seen twice is a cycle or a cross-link. */
  private readonly seen = new Set<number>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 512) this.fail(0, `${bytes.length} bytes is too short for a Berkeley DB metadata page`);
    if (this.view.getUint32(12, true) === HASH_MAGIC) this.le = true;
    else if (this.view.getUint32(12, false) === HASH_MAGIC) this.le = false;
    else this.fail(12, "expected the Berkeley DB hash magic 0x061561");
    const version = this.u32(16);
    if (version < 8 || version > 10) this.fail(16, `unsupported hash version ${version} (expected 8 to 10)`);
    this.pageSize = this.u32(20);
    if (this.pageSize < 512 || this.pageSize > 65536 || (this.pageSize & (this.pageSize - 1)) !== 0) {
      this.fail(20, `page size ${this.pageSize} is not a power of two from 512 to 65536`);
    }
    if (bytes[24] !== 0) this.fail(24, "the database is encrypted");
    if (bytes[25] !== PAGE.HASH_META) this.fail(25, `page 0 has type ${bytes[25]}, expected the hash metadata page (${PAGE.HASH_META})`);
    if ((bytes[26]! & 1) !== 0) this.fail(26, "pages carry checksums, which this reader does not support");
    this.lastPage = this.u32(32);
    const pages = Math.floor(bytes.length / this.pageSize);
    if (this.lastPage >= pages) this.fail(bytes.length, `truncated: the metadata says the last page is ${this.lastPage}, the file holds ${pages} pages`);
    this.maxBucket = this.u32(72);
    if (this.maxBucket > this.lastPage) this.fail(72, `max bucket ${this.maxBucket} is beyond the last page ${this.lastPage}`);
    for (let i = 0; i < 32; i++) this.spares.push(this.u32(96 + i * 4));
  }

  fail(offset: number, detail: string): never {
    throw new InputError(this.source, `offset ${offset}`, detail);
  }

  private u32(at: number): number {
    return this.view.getUint32(at, this.le);
  }

  private u16(at: number): number {
    return this.view.getUint16(at, this.le);
  }

  /** Byte offset of page `pgno`, after checking it exists, has not been visited and is of `types`. */
  private page(pgno: number, from: number, types: readonly number[], what: string): number {
    if (pgno === 0 || pgno > this.lastPage) this.fail(from, `${what} points to page ${pgno}, outside 1..${this.lastPage}`);
    if (this.seen.has(pgno)) this.fail(from, `${what} points to page ${pgno}, which is already part of another chain (a cycle?)`);
    this.seen.add(pgno);
    const base = pgno * this.pageSize;
    if (this.u32(base + 8) !== pgno) this.fail(base + 8, `page ${pgno} says it is page ${this.u32(base + 8)}`);
    const type = this.bytes[base + 25]!;
    if (!types.includes(type)) this.fail(base + 25, `page ${pgno} (${what}) has type ${type}, expected ${types.join(" or ")}`);
    return base;
  }

  private bucketPage(bucket: number): number {
    const bits = bucket === 0 ? 0 : 32 - Math.clz32(bucket);
    return bucket + this.spares[bits]!;
  }

  *entries(): Generator<BdbEntry> {
    for (let bucket = 0; bucket <= this.maxBucket; bucket++) {
      let pgno = this.bucketPage(bucket);
      let from = 96;
      let what = `bucket ${bucket}`;
      while (pgno !== 0) {
        const base = this.page(pgno, from, [PAGE.HASH, PAGE.HASH_UNSORTED], what);
        yield* this.pageEntries(pgno, base);
        from = base + 16;
        what = `page ${pgno}'s next page`;
        pgno = this.u32(base + 16);
      }
    }
  }

  private *pageEntries(pgno: number, base: number): Generator<BdbEntry> {
    const count = this.u16(base + 20);
    if (count % 2 !== 0) this.fail(base + 20, `page ${pgno} has ${count} items, not key/value pairs`);
    const itemsStart = PAGE_HEADER + count * 2;
    if (itemsStart > this.pageSize) this.fail(base + 20, `page ${pgno} claims ${count} items, more than fit on a page`);
    let previous = this.pageSize;
    let at = 0;
    const item = (i: number): Uint8Array => {
      const off = this.u16(base + PAGE_HEADER + i * 2);
      if (off < itemsStart || off >= previous) {
        this.fail(base + PAGE_HEADER + i * 2, `page ${pgno} item ${i} is at ${off}, outside ${itemsStart}..${previous - 1}`);
      }
      const bytes = this.bytes.subarray(base + off, base + previous);
      previous = off;
      at = base + off;
      return this.itemValue(bytes, base + off, pgno, i);
    };
    for (let i = 0; i < count; i += 2) {
      const key = item(i);
      const offset = at;
      const value = item(i + 1);
      yield { key, value, offset };
    }
  }

  private itemValue(item: Uint8Array, at: number, pgno: number, index: number): Uint8Array {
    const kind = item[0];
    if (kind === ITEM.KEYDATA) return item.subarray(1);
    if (kind === ITEM.OFFPAGE) {
      if (item.length !== 12) this.fail(at, `page ${pgno} item ${index} is an overflow reference of ${item.length} bytes, expected 12`);
      return this.overflow(this.u32(at + 4), this.u32(at + 8), at + 4);
    }
    if (kind === ITEM.DUPLICATE || kind === ITEM.OFFDUP) {
      this.fail(at, `page ${pgno} item ${index} holds duplicate values, which an rpm Packages database never has`);
    }
    this.fail(at, `page ${pgno} item ${index} has unknown kind ${kind}`);
  }

  /** Concatenates an overflow chain of exactly `length` bytes. */
  private overflow(first: number, length: number, from: number): Uint8Array {
    if (length === 0 || length > this.bytes.length) this.fail(from + 4, `overflow item of ${length} bytes in a ${this.bytes.length}-byte file`);
    const out = new Uint8Array(length);
    let filled = 0;
    let pgno = first;
    let what = "overflow reference";
    while (filled < length) {
      if (pgno === 0) this.fail(from, `overflow chain ends after ${filled} of ${length} bytes`);
      const base = this.page(pgno, from, [PAGE.OVERFLOW], what);
      const size = this.u16(base + 22);
      if (size > this.pageSize - PAGE_HEADER || size > length - filled) {
        this.fail(base + 22, `overflow page ${pgno} holds ${size} bytes; ${length - filled} were left to read`);
      }
      out.set(this.bytes.subarray(base + PAGE_HEADER, base + PAGE_HEADER + size), filled);
      filled += size;
      if (size === 0 && filled < length) this.fail(base + 22, `overflow page ${pgno} is empty`);
      from = base + 16;
      what = `overflow page ${pgno}'s next page`;
      pgno = this.u32(base + 16);
    }
    if (pgno !== 0) this.fail(from, `overflow chain goes on past its ${length} bytes`);
    return out;
  }

  keyNumber(key: Uint8Array): number {
    return new DataView(key.buffer, key.byteOffset, key.byteLength).getUint32(0, this.le);
  }
}

/** Every key/value pair of a Berkeley DB hash database, bucket by bucket. */
export function readBdbHash(bytes: Uint8Array, source: string): BdbEntry[] {
  return [...new HashReader(bytes, source).entries()];
}

/**
 * The header blobs of an rpm Packages database, in header-number order. Keys
 * are header numbers in the writing host's byte order; key 0 is rpm's counter
 * of the last header number handed out, not a package.
 */
export function readBdbRpmdb(bytes: Uint8Array, source: string): RpmdbRecord[] {
  const reader = new HashReader(bytes, source);
  const records: RpmdbRecord[] = [];
  for (const { key, value, offset } of reader.entries()) {
    if (key.length !== 4) throw new InputError(source, `offset ${offset}`, `a key of ${key.length} bytes; rpm keys packages by 4-byte header numbers`);
    const hnum = reader.keyNumber(key);
    if (hnum !== 0) records.push({ key: hnum, blob: value });
  }
  return records.sort((a, b) => a.key - b.key);
}
