/**
 * Where an ELF executable's writable data lies in the file, read from the
 * program headers at its start.
 *
 * The Go linker puts the build information in a writable section
 * (`.go.buildinfo`, flags "WA"), which both Go's own linker and system
 * linkers place in a writable loadable segment. Knowing those file ranges
 * from the first kilobytes lets the Go analyzer look only there, instead of
 * searching every byte of every executable in an image for a marker that
 * most of them do not have. Program headers are part of the ELF format and
 * tiny, so this reader is ours; anything it does not understand gives null
 * and the caller searches the whole file.
 */

/** A byte range of the file: [start, end). */
export interface FileRange {
  start: number;
  end: number;
}

const PT_LOAD = 1;
const PF_W = 0x2;
/** e_phnum's escape value: the real count is elsewhere (section 0), which a head-only reader cannot reach. */
const PN_XNUM = 0xffff;
/** Program headers lie right after the 52/64-byte file header in every linker's output; further than this is not worth waiting for. */
export const MAX_PROGRAM_HEADER_END = 64 * 1024;

/**
 * The file ranges of the writable loadable segments, merged and in order;
 * `{ need }` when the first `need` bytes are required to tell; null when the
 * file is no ELF or its headers are unusual (then: search everything).
 */
export function writableSegments(head: Buffer): FileRange[] | { need: number } | null {
  if (head.length < 6) return { need: 64 };
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return null;
  const wide = head[4] === 2;
  if (!wide && head[4] !== 1) return null;
  const little = head[5] === 1;
  if (!little && head[5] !== 2) return null;
  const headerSize = wide ? 64 : 52;
  if (head.length < headerSize) return { need: headerSize };
  const u16 = (at: number) => (little ? head.readUInt16LE(at) : head.readUInt16BE(at));
  const u32 = (at: number) => (little ? head.readUInt32LE(at) : head.readUInt32BE(at));
  const word = (at: number) => (wide ? Number(little ? head.readBigUInt64LE(at) : head.readBigUInt64BE(at)) : u32(at));
  const phoff = word(wide ? 0x20 : 0x1c);
  const phentsize = u16(wide ? 0x36 : 0x2a);
  const phnum = u16(wide ? 0x38 : 0x2c);
  if (phnum === 0 || phnum === PN_XNUM || phentsize < (wide ? 56 : 32)) return null;
  const end = phoff + phnum * phentsize;
  if (phoff < headerSize || end > MAX_PROGRAM_HEADER_END) return null;
  if (head.length < end) return { need: end };

  const ranges: FileRange[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (u32(at) !== PT_LOAD) continue;
    const flags = u32(at + (wide ? 4 : 24));
    const offset = word(at + (wide ? 8 : 4));
    const filesz = word(at + (wide ? 32 : 16));
    if ((flags & PF_W) !== 0 && filesz > 0) ranges.push({ start: offset, end: offset + filesz });
  }
  if (ranges.length === 0) return null;
  ranges.sort((a, b) => a.start - b.start);
  const merged: FileRange[] = [ranges[0]!];
  for (const r of ranges.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push(r);
  }
  return merged;
}
