/**
 * Java: Maven packages in jar, war, ear and Jenkins plugin (jpi, hpi)
 * archives, nested archives included. The reading is in java-archive.ts.
 */
import { InputError } from "../../common/index.js";
import type { Analyzer } from "../analyzer.js";
import { DEFAULT_JAVA_ARCHIVE_LIMITS, isJavaArchiveName, parseJavaArchive, type JavaArchiveLimits } from "./java-archive.js";

/** The smallest zip (an empty one) is its 22-byte end-of-central-directory record. */
const MIN_ZIP_BYTES = 22;

export function createJavaAnalyzer(limits?: Partial<JavaArchiveLimits>): Analyzer {
  const lim: JavaArchiveLimits = { ...DEFAULT_JAVA_ARCHIVE_LIMITS, ...limits };
  return {
    name: "java-archive",
    version: 1,
    wants: (path, entry) => entry.size >= MIN_ZIP_BYTES && isJavaArchiveName(path),
    async analyze(file) {
      // Checked here rather than in wants() so an oversized archive shows up as a warning, not silently.
      if (file.size > lim.maxArchiveBytes) {
        throw new InputError(file.path, undefined, `archive is ${file.size} bytes, more than the limit of ${lim.maxArchiveBytes}`);
      }
      const { packages, warnings } = await parseJavaArchive(await file.bytes(), file.path, lim);
      return warnings.length ? { packages, warnings } : { packages };
    },
  };
}

export const javaAnalyzer: Analyzer = createJavaAnalyzer();
