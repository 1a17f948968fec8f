/**
 * Go binaries: the modules and toolchain a Go executable was built from,
 * read from the build information the Go linker embeds (see go-buildinfo.ts).
 *
 * Executables can be large (tens of MB), so the file is streamed through the
 * scanner and never held whole; reading stops as soon as the build info is
 * decoded or the first bytes show the file is no executable.
 */
import type { Readable } from "node:stream";
import type { Analyzer } from "../analyzer.js";
import { BuildInfoScanner, goBinaryPackages, type GoBuildInfo, type GoBuildInfoLimits } from "./go-buildinfo.js";

/** Smaller executables are scripts or tiny C tools: the Go runtime alone is over a megabyte. */
export const GO_BINARY_MIN_SIZE = 64 * 1024;

/** Stream a file through the build info scanner; null when it is not a Go binary we can read. */
export async function readGoBuildInfo(
  stream: Readable,
  source: string,
  limits?: Partial<GoBuildInfoLimits>,
): Promise<GoBuildInfo | null> {
  const scanner = new BuildInfoScanner(source, limits);
  try {
    for await (const chunk of stream) {
      const result = scanner.push(chunk as Buffer);
      if (result !== undefined) return result;
    }
    return scanner.end();
  } finally {
    // Leaving early must not leave the source open (for-await also does this on return/throw).
    stream.destroy();
  }
}

export const goBinaryAnalyzer: Analyzer = {
  name: "go-binary",
  version: 1,
  // Only what the tar header tells: an executable bit and a plausible size. The format check needs the bytes.
  wants: (_path, entry) => (entry.mode & 0o111) !== 0 && entry.size >= GO_BINARY_MIN_SIZE,
  async analyze(file) {
    const info = await readGoBuildInfo(file.stream(), file.path);
    return info ? { packages: goBinaryPackages(info, file.path) } : null;
  },
};
