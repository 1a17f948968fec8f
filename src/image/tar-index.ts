/**
 * Random access to the members of a tar file on disk (docker-archive,
 * oci-archive): read the 512-byte headers, seek past the bodies, remember
 * where each member lives. Streaming tar libraries cannot seek, and reading a
 * multi-gigabyte archive once just to find manifest.json would double the
 * I/O, so this small reader is ours. It understands ustar, pax `path`/`size`
 * records and GNU long names — what image tools write.
 */
import { open, type FileHandle } from "node:fs/promises";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { InputError } from "../common/index.js";
import { normaliseEntryPath } from "./paths.js";

export interface TarMember {
  name: string;
  offset: number;
  size: number;
  type: string;
  linkName?: string;
}

const BLOCK = 512;
/** Large reads: a layer is read start to end, and each read costs a trip through the thread pool. */
export const LAYER_READ_CHUNK = 1024 * 1024;
const MAX_MEMBERS = 1_000_000;
const MAX_META_BYTES = 1024 * 1024;

function field(buf: Buffer, start: number, length: number): string {
  const raw = buf.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString("utf8");
}

function octal(buf: Buffer, start: number, length: number, where: string, file: string): number {
  if ((buf[start]! & 0x80) !== 0) {
    // GNU base-256 for sizes beyond 8 GiB.
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + buf[i]!;
    return value;
  }
  const text = field(buf, start, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new InputError(file, where, `bad octal number "${text}" in tar header`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  const stored = parseInt(field(header, 148, 8).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return sum === stored;
}

/** Pax records are "<len> <key>=<value>\n" where len counts bytes, so walk the buffer. */
function paxRecords(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(body.subarray(pos, space).toString("ascii"), 10);
    if (!(len > 0) || pos + len > body.length) break;
    const record = body.subarray(space + 1, pos + len - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

export class TarIndex {
  private constructor(
    readonly file: string,
    readonly members: Map<string, TarMember>,
  ) {}

  static async open(file: string): Promise<TarIndex> {
    let fh: FileHandle;
    try {
      fh = await open(file, "r");
    } catch (err) {
      throw new InputError(file, undefined, `cannot open (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    try {
      const { size: fileSize } = await fh.stat();
      const members = new Map<string, TarMember>();
      const header = Buffer.alloc(BLOCK);
      let offset = 0;
      let longName: string | undefined;
      let pax: Map<string, string> | undefined;
      while (offset + BLOCK <= fileSize) {
        const where = `offset ${offset}`;
        await fh.read(header, 0, BLOCK, offset);
        if (header.every((b) => b === 0)) break;
        if (!checksumOk(header)) throw new InputError(file, where, "not a tar header (checksum mismatch)");
        const type = String.fromCharCode(header[156] || 48);
        let size = octal(header, 124, 12, where, file);
        if (pax?.has("size")) size = Number(pax.get("size"));
        const bodyOffset = offset + BLOCK;
        if (bodyOffset + size > fileSize) throw new InputError(file, where, `truncated tar: member needs ${size} bytes, file ends at ${fileSize}`);
        if (type === "L" || type === "x" || type === "g") {
          if (size > MAX_META_BYTES) throw new InputError(file, where, "tar metadata record too large");
          const body = Buffer.alloc(size);
          await fh.read(body, 0, size, bodyOffset);
          if (type === "L") longName = field(body, 0, size);
          else if (type === "x") pax = paxRecords(body);
        } else {
          const prefix = field(header, 345, 155);
          const plain = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
          const name = pax?.get("path") ?? longName ?? plain;
          const normalised = normaliseEntryPath(name);
          if (normalised === null) throw new InputError(file, where, `member "${name}" escapes the archive root`);
          if (members.size >= MAX_MEMBERS) throw new InputError(file, where, `more than ${MAX_MEMBERS} members`);
          const linkName = pax?.get("linkpath") ?? (field(header, 157, 100) || undefined);
          members.set(normalised.slice(1), { name: normalised.slice(1), offset: bodyOffset, size, type, linkName });
          longName = undefined;
          pax = undefined;
        }
        offset = bodyOffset + Math.ceil(size / BLOCK) * BLOCK;
      }
      return new TarIndex(file, members);
    } finally {
      await fh.close();
    }
  }

  /** The member, following hard/symbolic links inside the archive (docker save uses them for shared layers). */
  private resolve(name: string, hops = 0): TarMember {
    const member = this.members.get(name.replace(/^\.?\//, ""));
    if (!member) throw new InputError(this.file, undefined, `no member "${name}" in the archive`);
    if ((member.type === "1" || member.type === "2") && member.linkName && hops < 16) {
      const target = member.type === "2" ? normaliseEntryPath(`${name.slice(0, name.lastIndexOf("/") + 1)}${member.linkName}`) : normaliseEntryPath(member.linkName);
      if (target === null) throw new InputError(this.file, undefined, `link "${name}" escapes the archive root`);
      return this.resolve(target.slice(1), hops + 1);
    }
    return member;
  }

  has(name: string): boolean {
    return this.members.has(name.replace(/^\.?\//, ""));
  }

  sizeOf(name: string): number {
    return this.resolve(name).size;
  }

  stream(name: string): Readable {
    const m = this.resolve(name);
    if (m.size === 0) return createReadStream(this.file, { start: 1, end: 0 });
    return createReadStream(this.file, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: LAYER_READ_CHUNK });
  }

  async text(name: string, maxBytes = 16 * 1024 * 1024): Promise<string> {
    const m = this.resolve(name);
    if (m.size > maxBytes) throw new InputError(this.file, name, `member larger than ${maxBytes} bytes`);
    const fh = await open(this.file, "r");
    try {
      const buf = Buffer.alloc(m.size);
      await fh.read(buf, 0, m.size, m.offset);
      return buf.toString("utf8");
    } finally {
      await fh.close();
    }
  }
}
