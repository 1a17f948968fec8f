/**
 * Decoding of one 512-byte tar header block, shared by the seeking archive
 * index and the streaming layer reader. Understands what image tools write:
 * ustar (with its name prefix), GNU long names and links, pax records, and
 * GNU base-256 numbers.
 */
export const BLOCK = 512;

/** The NUL-terminated text of a header field. */
export function field(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString("utf8", start, end < 0 || end > start + length ? start + length : end);
}

/** An octal header number (GNU base-256 when the high bit is set); `null` when it is not a number. */
export function headerNumber(buf: Buffer, start: number, length: number): number | null {
  if ((buf[start]! & 0x80) !== 0) {
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + buf[i]!;
    return value;
  }
  let value = 0;
  let i = start;
  const end = start + length;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0)) i++;
  if (i === end) return 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x20 || c === 0) break;
    if (c < 0x30 || c > 0x37) return null;
    value = value * 8 + (c - 0x30);
  }
  return value;
}

/** Whether the stored checksum matches, summed as unsigned bytes or, as some old tars did, signed ones. */
export function checksumOk(header: Buffer, at = 0): boolean {
  const stored = headerNumber(header, at + 148, 8);
  // The checksum field itself counts as eight spaces.
  let unsigned = 8 * 32;
  let high = 0;
  for (let i = at; i < at + 148; i++) unsigned += header[i]!;
  for (let i = at + 156; i < at + BLOCK; i++) unsigned += header[i]!;
  if (stored === unsigned) return true;
  for (let i = at; i < at + BLOCK; i++) if ((i < at + 148 || i >= at + 156) && header[i]! > 127) high++;
  return stored === unsigned - 256 * high;
}

export function isZeroBlock(buf: Buffer, at = 0): boolean {
  for (let i = at; i < at + BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Pax records are "<len> <key>=<value>\n" where len counts bytes, so walk the buffer. */
export function paxRecords(body: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(body.toString("ascii", pos, space), 10);
    if (!(len > 0) || pos + len > body.length) break;
    const record = body.toString("utf8", space + 1, pos + len - 1);
    const eq = record.indexOf("=");
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    pos += len;
  }
  return out;
}

export interface RawHeader {
  /** Type flag as a character ("0" file, "5" directory, "x" pax, "L" GNU long name, ...). */
  type: string;
  name: string;
  linkName: string;
  size: number;
  mode: number;
}

/**
 * The fields of the header at `at`, or a reason it is not a header. The ustar
 * prefix is used only with the POSIX magic: GNU tars keep times there.
 */
export function decodeHeader(buf: Buffer, at = 0): RawHeader | string {
  if (!checksumOk(buf, at)) return "not a tar header (checksum mismatch)";
  const size = headerNumber(buf, at + 124, 12);
  if (size === null) return `bad size "${field(buf, at + 124, 12)}" in tar header`;
  const mode = headerNumber(buf, at + 100, 8) ?? 0;
  const flag = buf[at + 156]!;
  const name = field(buf, at, 100);
  const posix = buf[at + 257] === 0x75 && buf[at + 262] === 0 && buf.toString("latin1", at + 257, at + 262) === "ustar";
  const prefix = posix && buf[at + 345] !== 0 ? field(buf, at + 345, 155) : "";
  return {
    type: flag === 0 ? "0" : String.fromCharCode(flag),
    name: prefix ? `${prefix}/${name}` : name,
    linkName: buf[at + 157] !== 0 ? field(buf, at + 157, 100) : "",
    size,
    mode,
  };
}
