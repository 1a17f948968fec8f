/**
 * Go build information, read from an executable's bytes as they stream past.
 *
 * Since Go 1.18 the linker writes a 32-byte header, 16-byte aligned, starting
 * with the magic "\xff Go buildinf:", then a pointer-size byte and a flags
 * byte. With the "inline" flag set, the header is followed by two
 * varint-length-prefixed strings: the toolchain version ("go1.19.8") and the
 * module info, a text of tab-separated lines (`path`, `mod`, `dep`, `=>`,
 * `build`) wrapped in two 16-byte sentinels.
 *
 * Older binaries (the pointer format, before Go 1.18) store two pointers to
 * string headers instead, which only a reader with random access to the
 * file's sections and virtual addresses can follow. A stream cannot go back,
 * so those binaries give null: they are years out of support and rare in
 * current images.
 *
 * Node has no reader for this (Go's own is debug/buildinfo), so the scanner is
 * ours. It is pure: bytes in, build info out, no I/O.
 */
import { copyOf, InputError } from "../../common/index.js";
import type { Package } from "../model.js";
import { purl } from "../purl.js";

const MAGIC = Buffer.from("\xff Go buildinf:", "latin1");
const HEADER_SIZE = 32;
const ALIGN = 16;
const FLAG_BIG_ENDIAN = 0x1;
const FLAG_INLINE = 0x2;

/** Start of the module info string and its end, as the linker writes them. */
const SENTINEL_SIZE = 16;

export interface GoBuildInfoLimits {
  /** Bytes of the toolchain version string ("go1.22.5 X:boringcrypto"). */
  maxVersionBytes: number;
  /** Bytes of the module info text; large programs have a few hundred deps, ~50 KB. */
  maxModInfoBytes: number;
}

export const DEFAULT_GO_BUILDINFO_LIMITS: GoBuildInfoLimits = {
  maxVersionBytes: 1024,
  maxModInfoBytes: 4 * 1024 * 1024,
};

export interface GoModule {
  path: string;
  version: string;
  /** go.sum hash ("h1:…"), absent for vendored or replaced-by-directory modules. */
  sum?: string;
  /** The `=>` line after this module, when go.mod replaced it. */
  replace?: GoModule;
}

export interface GoBuildInfo {
  /** Toolchain version as written: "go1.19.8", "go1.23.1 X:boringcrypto", "devel go1.22-…". */
  goVersion: string;
  /** Import path of the main package (`path` line), when the binary has module info. */
  path?: string;
  /** The main module (`mod` line); its version is "(devel)" unless built from a module proxy or VCS tag. */
  main?: GoModule;
  deps: GoModule[];
  /** File offset of the build info header. */
  offset: number;
}

/** Executable formats Go writes build info into: ELF, Mach-O (32/64 bit, both byte orders, fat), PE. */
function isExecutable(head: Buffer): boolean {
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return true; // \x7fELF
  if (head[0] === 0x4d && head[1] === 0x5a) return true; // MZ (PE)
  const be = head.readUInt32BE(0);
  return be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe || be === 0xcafebabe;
}

/** Unsigned LEB128 (Go's binary.Uvarint) at `at`: value and length, "short" when the buffer ends first, "bad" on overflow. */
function uvarint(buf: Buffer, at: number): { value: number; size: number } | "short" | "bad" {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (at + i >= buf.length) return "short";
    const b = buf[at + i]!;
    value += (b & 0x7f) * scale;
    if (value > Number.MAX_SAFE_INTEGER) return "bad";
    if (b < 0x80) return { value, size: i + 1 };
    scale *= 128;
  }
  return "bad";
}

type State = "format" | "search" | "strings" | "done";

/**
 * Finds and decodes the build info of one executable fed in chunks of any
 * size (the magic may straddle chunks). `push` returns the build info once
 * complete, null once the file is known to hold none we can read, and
 * undefined while it needs more bytes. Memory held is a few bytes while
 * searching and the two strings once found.
 */
export class BuildInfoScanner {
  private readonly limits: GoBuildInfoLimits;
  private state: State = "format";
  /** Bytes not yet consumed and the file offset of their first byte. */
  private pending: Buffer = Buffer.alloc(0);
  private pendingOffset = 0;
  private headerOffset = 0;

  constructor(
    /** Names the file in errors: "/usr/bin/skopeo". */
    private readonly source: string,
    limits?: Partial<GoBuildInfoLimits>,
  ) {
    this.limits = { ...DEFAULT_GO_BUILDINFO_LIMITS, ...limits };
  }

  /**
   * Feeds the bytes at file offset `at` (default: right after the last ones).
   * While searching, bytes may be left out: a gap drops what was pending.
   * The chunk may be a view the caller reuses: what is kept is copied.
   */
  push(chunk: Buffer, at = this.pendingOffset + this.pending.length): GoBuildInfo | null | undefined {
    if (this.state === "done") throw new Error("BuildInfoScanner: push after the result");
    if (at !== this.pendingOffset + this.pending.length) {
      if (this.state !== "search") throw new Error(`BuildInfoScanner: a gap before offset ${at} while in state ${this.state}`);
      this.pending = Buffer.alloc(0);
      this.pendingOffset = at;
    }
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const result = this.step();
    if (result === undefined && this.pending.buffer === chunk.buffer) this.pending = copyOf(this.pending);
    return result;
  }

  /** The caller has checked the file's format itself (it read the ELF headers): search from the next bytes on. */
  formatKnown(): void {
    if (this.state === "format") this.state = "search";
  }

  /** True once the header is found: from then on every following byte is needed, without gaps. */
  get found(): boolean {
    return this.state === "strings";
  }

  private step(): GoBuildInfo | null | undefined {
    if (this.state === "format") {
      if (this.pending.length < 4) return undefined;
      if (!isExecutable(this.pending)) return this.finish(null);
      this.state = "search";
    }
    if (this.state === "search") {
      const found = this.search();
      if (found !== undefined) return found;
    }
    if (this.state === "strings") return this.strings();
    return undefined;
  }

  /** The file ended: null when it holds no build info; an error when it ends inside one. */
  end(): GoBuildInfo | null {
    if (this.state === "strings") {
      throw new InputError(this.source, `offset ${this.headerOffset}`, "file ends inside the Go build information");
    }
    return this.finish(null);
  }

  private finish<T extends GoBuildInfo | null>(result: T): T {
    this.state = "done";
    this.pending = Buffer.alloc(0);
    return result;
  }

  private consume(count: number): void {
    this.pending = this.pending.subarray(count);
    this.pendingOffset += count;
  }

  /** Look for an aligned, well-formed header; leaves state "strings" when found. */
  private search(): null | undefined {
    let from = 0;
    for (;;) {
      const i = this.pending.indexOf(MAGIC, from);
      if (i < 0) {
        // Keep just enough of the tail for a magic that straddles this chunk and the next.
        this.consume(Math.max(0, this.pending.length - (MAGIC.length - 1)));
        return undefined;
      }
      const offset = this.pendingOffset + i;
      // The magic also appears as a string constant in binaries that read build info
      // (the go command itself): the real header is aligned and has a pointer size.
      if (offset % ALIGN !== 0) {
        from = i + 1;
        continue;
      }
      if (this.pending.length - i < HEADER_SIZE) {
        this.consume(i);
        return undefined;
      }
      const ptrSize = this.pending[i + MAGIC.length]!;
      const flags = this.pending[i + MAGIC.length + 1]!;
      if ((ptrSize !== 4 && ptrSize !== 8) || (flags & ~(FLAG_BIG_ENDIAN | FLAG_INLINE)) !== 0) {
        from = i + 1;
        continue;
      }
      // Pre-1.18 pointer format: see the module comment.
      if ((flags & FLAG_INLINE) === 0) return this.finish(null);
      this.headerOffset = offset;
      this.consume(i + HEADER_SIZE);
      this.state = "strings";
      return undefined;
    }
  }

  /** Decode the two length-prefixed strings after the header once all their bytes are here. */
  private strings(): GoBuildInfo | null | undefined {
    const buf = this.pending;
    const version = this.lengthAt(buf, 0, this.limits.maxVersionBytes, "Go version string");
    if (version === undefined || buf.length < version.end) return undefined;
    const modinfo = this.lengthAt(buf, version.end, this.limits.maxModInfoBytes, "module info");
    if (modinfo === undefined || buf.length < modinfo.end) return undefined;
    const goVersion = buf.toString("utf8", version.start, version.end);
    const raw = buf.subarray(modinfo.start, modinfo.end);
    const modOffset = this.pendingOffset + modinfo.start;
    // An empty version means the section is not a Go binary's (Go's own reader says the same).
    if (goVersion === "") return this.finish(null);
    const info: GoBuildInfo = { goVersion, deps: [], offset: this.headerOffset };
    // The text sits between two 16-byte sentinels and ends with "\n"; anything else is no module info.
    if (raw.length >= 2 * SENTINEL_SIZE + 1 && raw[raw.length - SENTINEL_SIZE - 1] === 0x0a) {
      const text = raw.toString("utf8", SENTINEL_SIZE, raw.length - SENTINEL_SIZE);
      Object.assign(info, parseModInfo(text, this.source, modOffset + SENTINEL_SIZE));
    }
    return this.finish(info);
  }

  /** A varint length at `at` and the span it prefixes; undefined when more bytes are needed. */
  private lengthAt(buf: Buffer, at: number, max: number, what: string): { start: number; end: number } | undefined {
    const n = uvarint(buf, at);
    const where = `offset ${this.pendingOffset + at}`;
    if (n === "short") return undefined;
    if (n === "bad") throw new InputError(this.source, where, `malformed length of the ${what} in the Go build information`);
    if (n.value > max) {
      throw new InputError(this.source, where, `${what} in the Go build information is ${n.value} bytes, more than the limit of ${max}`);
    }
    return { start: at + n.size, end: at + n.size + n.value };
  }
}

/**
 * The module info text → main package path, main module and deps. Lines are
 * "<key>\t<fields…>"; `=>` replaces the module on the line before it. Unknown
 * keys are skipped (later Go versions may add some); `build` lines (compiler
 * flags, VCS stamps) are not used.
 */
export function parseModInfo(
  text: string,
  source: string,
  offset = 0,
): Pick<GoBuildInfo, "path" | "main" | "deps"> {
  const out: Pick<GoBuildInfo, "path" | "main" | "deps"> = { deps: [] };
  let last: GoModule | undefined;
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const where = `offset ${offset} (module info line ${index + 1})`;
    const tab = line.indexOf("\t");
    const key = tab < 0 ? line : line.slice(0, tab);
    const fields = tab < 0 ? [] : line.slice(tab + 1).split("\t");
    switch (key) {
      case "path":
        out.path = fields[0];
        last = undefined;
        break;
      case "mod":
        out.main = moduleOf(fields, source, where, key);
        last = out.main;
        break;
      case "dep": {
        const dep = moduleOf(fields, source, where, key);
        out.deps.push(dep);
        last = dep;
        break;
      }
      case "=>": {
        if (!last) throw new InputError(source, where, 'replacement "=>" without a module on the line before');
        if (fields.length < 2 || fields.length > 3 || !fields[0]) {
          throw new InputError(source, where, 'expected "=>\\t<path>\\t<version>\\t<sum>"');
        }
        last.replace = { path: fields[0], version: fields[1]!, ...(fields[2] ? { sum: fields[2] } : {}) };
        last = undefined;
        break;
      }
      default:
        last = undefined;
    }
  });
  return out;
}

function moduleOf(fields: string[], source: string, where: string, key: string): GoModule {
  const [path, version, sum] = fields;
  if (fields.length < 2 || fields.length > 3 || !path || !version) {
    throw new InputError(source, where, `expected "${key}\\t<path>\\t<version>[\\t<sum>]", got ${fields.length} field(s)`);
  }
  return { path, version, ...(sum ? { sum } : {}) };
}

/**
 * A Go toolchain version → the semver form the Go vulnerability database
 * uses for "stdlib": go1.19.8 → v1.19.8, go1.21 → v1.21.0, go1.21rc2 →
 * v1.21.0-rc.2. Experiment suffixes (" X:boringcrypto") are dropped.
 * Development builds ("devel go1.22-abc…") and vendor forks with other
 * shapes give undefined: they match no release.
 */
export function goReleaseVersion(goVersion: string): string | undefined {
  const token = goVersion.trim().split(/\s+/)[0] ?? "";
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(token);
  if (!m) return undefined;
  const [, major, minor, patch, pre, preNumber] = m;
  return `v${major}.${minor}.${patch ?? "0"}${pre ? `-${pre}.${preNumber}` : ""}`;
}

/** `pkg:golang/<namespace>/<name>`: the module path split at its last "/". */
function golangPurl(path: string, version: string | undefined): string {
  const slash = path.lastIndexOf("/");
  return purl("golang", slash < 0 ? undefined : path.slice(0, slash), path.slice(slash + 1), version);
}

function modulePackage(path: string, version: string, file: string): Package {
  // "(devel)" (a main module built from a checkout) is kept as the version but is no
  // version a purl consumer could match, so the purl has none.
  return {
    name: path,
    version,
    type: "golang",
    purl: golangPurl(path, version === "(devel)" ? undefined : version),
    licenses: [],
    paths: [file],
  };
}

/** go.mod replacements by a directory: "./x", "../x", "/abs", "C:\\x" (a module path never starts so). */
function isDirectory(path: string): boolean {
  return /^(\.\.?($|[\\/])|[\\/]|[A-Za-z]:[\\/])/.test(path);
}

/**
 * Build info → packages: the main module, every dep, and the toolchain as
 * "stdlib" (its version in semver form, see `goReleaseVersion`).
 *
 * A replaced dep is reported as its replacement (the code actually linked
 * in). A replacement by a local directory has no real version (Go writes
 * "(devel)"); then the original path and version are kept, the closest thing
 * to a matchable identity.
 */
export function goBinaryPackages(info: GoBuildInfo, file: string): Package[] {
  const packages: Package[] = [];
  if (info.main) packages.push(modulePackage(info.main.path, info.main.version, file));
  for (const dep of info.deps) {
    const used = dep.replace && dep.replace.version && !isDirectory(dep.replace.path) ? dep.replace : dep;
    packages.push(modulePackage(used.path, used.version, file));
  }
  const std = goReleaseVersion(info.goVersion);
  if (std) packages.push({ name: "stdlib", version: std, type: "golang", purl: golangPurl("stdlib", std), licenses: [], paths: [file] });
  return packages;
}
