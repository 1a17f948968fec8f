/**
 * Go binaries: the modules and toolchain a Go executable was built from,
 * read from the build information the Go linker embeds (see go-buildinfo.ts).
 *
 * Executables can be large (tens of MB), so the file is streamed through the
 * scanner and never held whole. For ELF files only the writable segments are
 * searched, as the build info is writable data (see elf-segments.ts): most
 * executables of an image are not Go, and this way saying so costs their
 * program headers and a few kilobytes of data rather than every byte.
 */
import { copyOf } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import { MAX_PROGRAM_HEADER_END, writableSegments, type FileRange } from "./elf-segments.js";
import { BuildInfoScanner, goBinaryPackages, type GoBuildInfo, type GoBuildInfoLimits } from "./go-buildinfo.js";

/** Smaller executables are scripts or tiny C tools: the Go runtime alone is over a megabyte. */
export const GO_BINARY_MIN_SIZE = 64 * 1024;

/** Feeds the scanner the parts of a chunk at file offset `at` that lie in `ranges`; the result once there is one. */
function feedRanges(scanner: BuildInfoScanner, chunk: Buffer, at: number, ranges: FileRange[]): GoBuildInfo | null | undefined {
  const end = at + chunk.length;
  let pos = at;
  while (pos < end) {
    // Once the header is found, its strings are read to their end whatever the ranges say.
    if (scanner.found) return scanner.push(chunk.subarray(pos - at), pos);
    const range = ranges.find((r) => r.end > pos);
    if (!range || range.start >= end) return undefined;
    const from = Math.max(pos, range.start);
    const to = Math.min(end, range.end);
    const result = scanner.push(chunk.subarray(from - at, to - at), from);
    if (result !== undefined) return result;
    pos = to;
  }
  return undefined;
}

/** Reads a file's chunks through the build info scanner; null when it is not a Go binary we can read. */
export async function readGoBuildInfo(
  chunks: AsyncIterable<Buffer>,
  source: string,
  limits?: Partial<GoBuildInfoLimits>,
): Promise<GoBuildInfo | null> {
  const scanner = new BuildInfoScanner(source, limits);
  /** Where to look: undefined until the program headers are read, null for everywhere. */
  let ranges: FileRange[] | null | undefined;
  let at = 0;
  const feed = (bytes: Buffer): GoBuildInfo | null | undefined => {
    const from = at;
    at += bytes.length;
    if (!ranges) return scanner.push(bytes, from);
    const result = feedRanges(scanner, bytes, from, ranges);
    // Past the last writable segment without a header: there is none.
    return result === undefined && !scanner.found && at >= ranges[ranges.length - 1]!.end ? null : result;
  };
  // Chunks before the program headers are complete, copied (the source reuses its chunks).
  let held: Buffer[] = [];
  // Leaving the loop early (return or throw) tells the source to stop reading.
  for await (const chunk of chunks) {
    if (ranges === undefined) {
      const head = held.length === 0 ? chunk : Buffer.concat([...held, chunk.subarray(0, MAX_PROGRAM_HEADER_END)]);
      const layout = writableSegments(head);
      if (layout !== null && "need" in layout) {
        held.push(copyOf(chunk));
        continue;
      }
      ranges = layout;
      if (ranges) scanner.formatKnown();
      for (const bytes of held) {
        const result = feed(bytes);
        if (result !== undefined) return result;
      }
      held = [];
    }
    const result = feed(chunk);
    if (result !== undefined) return result;
  }
  // A file shorter than its headers say: search what there is.
  ranges = null;
  for (const bytes of held) {
    const result = feed(bytes);
    if (result !== undefined) return result;
  }
  return scanner.end();
}

export const goBinaryAnalyzer: Analyzer = {
  name: "go-binary",
  version: 1,
  // Only what the tar header tells: an executable bit and a plausible size. The format check needs the bytes.
  wants: (_path, entry) => (entry.mode & 0o111) !== 0 && entry.size >= GO_BINARY_MIN_SIZE,
  async analyze(file) {
    const info = await readGoBuildInfo(file.chunks(), file.path);
    return info ? { packages: goBinaryPackages(info, file.path) } : null;
  },
};
