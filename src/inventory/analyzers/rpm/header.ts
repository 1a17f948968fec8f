/**
 * The rpm header blob as an rpmdb stores it: the header without the lead, the
 * signature and the 8-byte magic of a package file. Layout (big-endian):
 *
 *   int32 il, int32 dl | il × {tag, type, offset, count} | dl bytes of data
 *
 * Our own reader: the one npm package that parses rpmdb headers
 * (@snyk/rpm-parser) reads only the name/version fields, not the licence or
 * the file lists, is best-effort (corrupt entries are dropped without saying
 * where) and brings its own WebAssembly SQLite; nothing else on npm reads
 * them. The checks follow the limits rpm itself applies on import.
 */
import { InputError } from "../../../common/index.js";

/** rpm's own bounds: at most 0xffff index entries and 256 MiB of data per header. */
export const HEADER_LIMITS = { maxEntries: 0xffff, maxDataLength: 0x0fffffff } as const;

const ENTRY_SIZE = 16;

const TYPE = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** Byte alignment rpm requires of each type's data. */
const ALIGN: Record<number, number> = { [TYPE.INT16]: 2, [TYPE.INT32]: 4, [TYPE.INT64]: 8 };

export const TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  LICENSE: 1014,
  ARCH: 1022,
  /** Old-style file list: full paths (rpm < 4 and converted headers). */
  FILENAMES: 1027,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;

/** What the inventory needs from one installed package's header. */
export interface RpmHeader {
  name: string;
  /** Absent when the package has no EPOCH tag (rpm then compares as epoch 0). */
  epoch?: number;
  version: string;
  release: string;
  arch?: string;
  /** File name of the source package, e.g. "bash-5.1.8-9.el9.src.rpm". */
  sourceRpm?: string;
  license?: string;
  /** Absolute paths of the files and directories the package owns. */
  files: string[];
}

interface Entry {
  tag: number;
  type: number;
  /** Offset of the value inside the data store. */
  offset: number;
  count: number;
  /** Offset of the index entry inside the blob, for messages. */
  at: number;
}

const utf8 = new TextDecoder("utf-8");

/** Reads the values of index entries, checking every access against the data store. */
class HeaderReader {
  private readonly view: DataView;
  private readonly entries = new Map<number, Entry>();
  private readonly dataStart: number;

  constructor(
    private readonly blob: Uint8Array,
    private readonly source: string,
    private readonly record: string,
  ) {
    this.view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    if (blob.length < 8) this.fail(0, `header is ${blob.length} bytes, shorter than its 8-byte intro`);
    const il = this.view.getUint32(0);
    const dl = this.view.getUint32(4);
    if (il < 1 || il > HEADER_LIMITS.maxEntries) this.fail(0, `index count ${il} is outside 1..${HEADER_LIMITS.maxEntries}`);
    if (dl > HEADER_LIMITS.maxDataLength) this.fail(4, `data length ${dl} is larger than ${HEADER_LIMITS.maxDataLength}`);
    this.dataStart = 8 + il * ENTRY_SIZE;
    const expected = this.dataStart + dl;
    if (blob.length < expected) this.fail(blob.length, `header is truncated: ${il} entries and ${dl} data bytes need ${expected} bytes, the blob has ${blob.length}`);
    if (blob.length > expected) this.fail(expected, `${blob.length - expected} bytes after the header's ${expected}`);
    for (let i = 0; i < il; i++) {
      const at = 8 + i * ENTRY_SIZE;
      const entry: Entry = {
        tag: this.view.getUint32(at),
        type: this.view.getUint32(at + 4),
        offset: this.view.getInt32(at + 8),
        count: this.view.getUint32(at + 12),
        at,
      };
      if (entry.type > TYPE.I18NSTRING) this.fail(at + 4, `entry ${i} (tag ${entry.tag}) has unknown type ${entry.type}`);
      if (entry.offset < 0 || entry.offset > dl) this.fail(at + 8, `entry ${i} (tag ${entry.tag}) has offset ${entry.offset} outside the ${dl}-byte data store`);
      if (entry.count < 1 || entry.count > dl) this.fail(at + 12, `entry ${i} (tag ${entry.tag}) has count ${entry.count} outside 1..${dl}`);
      const align = ALIGN[entry.type];
      if (align && entry.offset % align !== 0) this.fail(at + 8, `entry ${i} (tag ${entry.tag}) has offset ${entry.offset}, not aligned to ${align} bytes`);
      // A header lists each tag once; should one repeat, rpm reads the first.
      if (!this.entries.has(entry.tag)) this.entries.set(entry.tag, entry);
    }
  }

  fail(offset: number, detail: string): never {
    throw new InputError(this.source, `${this.record}header offset ${offset}`, detail);
  }

  /** The strings of a STRING, STRING_ARRAY or I18NSTRING entry (for I18NSTRING, the first is the C locale's). */
  strings(tag: number): string[] | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== TYPE.STRING && e.type !== TYPE.STRING_ARRAY && e.type !== TYPE.I18NSTRING) {
      this.fail(e.at + 4, `tag ${tag} should hold strings, has type ${e.type}`);
    }
    if (e.type === TYPE.STRING && e.count !== 1) this.fail(e.at + 12, `tag ${tag} is a STRING with count ${e.count}, not 1`);
    const out: string[] = [];
    let pos = this.dataStart + e.offset;
    for (let i = 0; i < e.count; i++) {
      const nul = this.blob.indexOf(0, pos);
      if (nul < 0) this.fail(pos, `string ${i + 1} of ${e.count} of tag ${tag} runs past the end of the data store`);
      out.push(utf8.decode(this.blob.subarray(pos, nul)));
      pos = nul + 1;
    }
    return out;
  }

  string(tag: number): string | undefined {
    return this.strings(tag)?.[0];
  }

  int32s(tag: number): number[] | undefined {
    const e = this.entries.get(tag);
    if (!e) return undefined;
    if (e.type !== TYPE.INT32) this.fail(e.at + 4, `tag ${tag} should be INT32, has type ${e.type}`);
    const start = this.dataStart + e.offset;
    if (start + e.count * 4 > this.blob.length) this.fail(start, `${e.count} INT32 values of tag ${tag} run past the end of the data store`);
    const out = new Array<number>(e.count);
    for (let i = 0; i < e.count; i++) out[i] = this.view.getUint32(start + i * 4);
    return out;
  }

  /** Offset of an entry's data inside the blob, for messages about its values. */
  dataOffset(tag: number): number {
    return this.dataStart + (this.entries.get(tag)?.offset ?? 0);
  }
}

function fileList(h: HeaderReader): string[] {
  const basenames = h.strings(TAG.BASENAMES);
  if (basenames) {
    const dirnames = h.strings(TAG.DIRNAMES);
    const dirindexes = h.int32s(TAG.DIRINDEXES);
    if (!dirnames || !dirindexes) h.fail(0, "header has BASENAMES without DIRNAMES and DIRINDEXES");
    if (dirindexes.length !== basenames.length) {
      h.fail(h.dataOffset(TAG.DIRINDEXES), `${dirindexes.length} DIRINDEXES for ${basenames.length} BASENAMES`);
    }
    return basenames.map((base, i) => {
      const dir = dirnames[dirindexes[i]!];
      if (dir === undefined) h.fail(h.dataOffset(TAG.DIRINDEXES) + i * 4, `DIRINDEXES[${i}] is ${dirindexes[i]}, but there are ${dirnames.length} DIRNAMES`);
      return dir + base;
    });
  }
  return h.strings(TAG.FILENAMES) ?? [];
}

/**
 * One header blob → the package fields the inventory uses. `source` names
 * the database file; `record` (e.g. "package 12") says which of its headers
 * this is. Throws an InputError with the byte offset inside the blob when
 * the header is malformed.
 */
export function parseRpmHeader(blob: Uint8Array, source: string, record?: string): RpmHeader {
  const h: HeaderReader = new HeaderReader(blob, source, record ? `${record}, ` : "");
  const required = (tag: number, label: string): string => {
    const value = h.string(tag);
    if (value === undefined || value === "") return h.fail(0, `header has no ${label}`);
    return value;
  };
  const name = required(TAG.NAME, "NAME");
  const version = required(TAG.VERSION, "VERSION");
  const release = required(TAG.RELEASE, "RELEASE");
  const epoch = h.int32s(TAG.EPOCH)?.[0];
  const arch = h.string(TAG.ARCH);
  const sourceRpm = h.string(TAG.SOURCERPM);
  const license = h.string(TAG.LICENSE);
  return {
    name,
    ...(epoch !== undefined ? { epoch } : {}),
    version,
    release,
    ...(arch ? { arch } : {}),
    ...(sourceRpm ? { sourceRpm } : {}),
    ...(license ? { license } : {}),
    files: fileList(h),
  };
}
