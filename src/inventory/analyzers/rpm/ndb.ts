/**
 * rpm's own "ndb" package database, Packages.db (openSUSE and SLES 15+).
 * Our own reader: no library reads it outside rpm, and the format is small.
 *
 * Format facts (all integers little-endian, blocks of 16 bytes, pages of 4096):
 * - a 32-byte file header: magic "RpmP", version 0, generation, the number of
 *   slot pages, the next package index;
 * - slot pages follow the header: 16-byte slots "Slot", package index, first
 *   block, block count (block 0 marks a free slot);
 * - each package is a blob at its first block: "BlbS", package index,
 *   generation, length; the header blob; zero padding to the block; then a
 *   trailer of Adler-32 (over everything before the trailer), length, "BlbE".
 */
import { InputError } from "../../../common/index.js";
import type { RpmdbRecord } from "./record.js";

const BLOCK = 16;
const PAGE = 4096;
const FILE_HEADER = 32;
const BLOB_HEAD = 16;
const BLOB_TAIL = 12;

const magic = (text: string): number => Buffer.from(text, "latin1").readUInt32LE(0);
const DB_MAGIC = magic("RpmP");
const SLOT_MAGIC = magic("Slot");
const HEAD_MAGIC = magic("BlbS");
const TAIL_MAGIC = magic("BlbE");

export function isNdbRpmdb(bytes: Uint8Array): boolean {
  return bytes.length >= FILE_HEADER && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true) === DB_MAGIC;
}

/** Adler-32 (RFC 1950); node:zlib computes it only inside deflate streams, never on its own. */
function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; ) {
    // 5552 bytes is the most that can be summed before b could pass 2^32.
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** The header blobs of a Packages.db, in package-index order. */
export function readNdbRpmdb(bytes: Uint8Array, source: string): RpmdbRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (offset: number, detail: string): never => {
    throw new InputError(source, `offset ${offset}`, detail);
  };
  const u32 = (at: number): number => view.getUint32(at, true);
  if (!isNdbRpmdb(bytes)) fail(0, 'expected the ndb magic "RpmP"');
  if (u32(4) !== 0) fail(4, `unsupported ndb version ${u32(4)} (expected 0)`);
  const slotPages = u32(12);
  if (slotPages < 1 || slotPages * PAGE > bytes.length) fail(12, `${slotPages} slot pages do not fit in the ${bytes.length}-byte file`);
  const firstBlobBlock = (slotPages * PAGE) / BLOCK;
  const blocks = Math.floor(bytes.length / BLOCK);

  const records: RpmdbRecord[] = [];
  const seen = new Set<number>();
  for (let at = FILE_HEADER; at < slotPages * PAGE; at += BLOCK) {
    if (u32(at) !== SLOT_MAGIC) fail(at, 'expected a slot ("Slot")');
    const blkoff = u32(at + 8);
    if (blkoff === 0) continue;
    const pkgidx = u32(at + 4);
    const blkcnt = u32(at + 12);
    if (pkgidx === 0) fail(at + 4, "slot in use with package index 0");
    if (seen.has(pkgidx)) fail(at + 4, `package index ${pkgidx} is in two slots`);
    seen.add(pkgidx);
    if (blkoff < firstBlobBlock || blkcnt === 0 || blkoff + blkcnt > blocks) {
      fail(at + 8, `package ${pkgidx} at blocks ${blkoff}+${blkcnt}, outside the blob area ${firstBlobBlock}..${blocks}`);
    }
    const start = blkoff * BLOCK;
    const end = start + blkcnt * BLOCK;
    if (u32(start) !== HEAD_MAGIC) fail(start, `package ${pkgidx}: expected a blob head ("BlbS")`);
    if (u32(start + 4) !== pkgidx) fail(start + 4, `blob belongs to package ${u32(start + 4)}, its slot says ${pkgidx}`);
    const length = u32(start + 12);
    if (Math.ceil((BLOB_HEAD + length + BLOB_TAIL) / BLOCK) !== blkcnt) {
      fail(start + 12, `package ${pkgidx}: a ${length}-byte blob does not fill its ${blkcnt} blocks`);
    }
    const tail = end - BLOB_TAIL;
    if (u32(tail + 8) !== TAIL_MAGIC) fail(tail + 8, `package ${pkgidx}: expected a blob trailer ("BlbE")`);
    if (u32(tail + 4) !== length) fail(tail + 4, `package ${pkgidx}: trailer length ${u32(tail + 4)} differs from head length ${length}`);
    const sum = adler32(bytes.subarray(start, tail));
    if (u32(tail) !== sum) fail(tail, `package ${pkgidx}: Adler-32 ${u32(tail).toString(16)} does not match the blob's ${sum.toString(16)}`);
    records.push({ key: pkgidx, blob: bytes.subarray(start + BLOB_HEAD, start + BLOB_HEAD + length) });
  }
  return records.sort((a, b) => a.key - b.key);
}
