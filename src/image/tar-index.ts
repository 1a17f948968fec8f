/**
 * Random access to the members of a tar file on disk (docker-archive,
 * oci-archive): read the 512-byte headers, seek past the bodies, remember
 * where each member lives. Streaming tar libraries cannot seek, and reading a
 * multi-gigabyte archive once just to find manifest.json would double the
 * I/O, so this small reader is ours. It understands ustar, pax `path`/`size`
 * records and GNU long names — what image tools write.
 */
import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import { InputError } from "../common/index.js";
import type { FileRange } from "./file-chunks.js";
import { normaliseEntryPath } from "./paths.js";
import { BLOCK, decodeHeader, field, isZeroBlock, paxRecords } from "./tar-header.js";

export interface TarMember {
  name: string;
  offset: number;
  size: number;
  type: string;
  linkName?: string;
}

/** Large reads: a layer is read start to end, and each read costs a trip through the thread pool. */
export const LAYER_READ_CHUNK = 1024 * 1024;
const MAX_MEMBERS = 1_000_000;
const MAX_META_BYTES = 1024 * 1024;

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
        if (isZeroBlock(header)) break;
        const decoded = decodeHeader(header);
        if (typeof decoded === "string") throw new InputError(file, where, decoded);
        const { type } = decoded;
        let size = decoded.size;
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
          const name = pax?.get("path") ?? longName ?? decoded.name;
          const normalised = normaliseEntryPath(name);
          if (normalised === null) throw new InputError(file, where, `member "${name}" escapes the archive root`);
          if (members.size >= MAX_MEMBERS) throw new InputError(file, where, `more than ${MAX_MEMBERS} members`);
          const linkName = pax?.get("linkpath") ?? (decoded.linkName || undefined);
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

  /** Where the member's bytes lie in the archive file. */
  range(name: string): FileRange {
    const m = this.resolve(name);
    return { file: this.file, start: m.offset, size: m.size };
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
