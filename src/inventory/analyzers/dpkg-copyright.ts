/**
 * Licenses of Debian packages. dpkg's database has none; Debian ships them in
 * /usr/share/doc/<package>/copyright, in the machine-readable DEP-5 format
 * for most packages. We take the short names of the `License:` fields;
 * free-form copyright files give none (no guessing from prose).
 */
import type { Analyzer } from "../analyzer.js";

const DOC = "/usr/share/doc/";
const MAX_LICENSES = 64;

/** Short license names from a DEP-5 copyright file, in order of first appearance. */
export function parseDebianCopyright(text: string): string[] {
  if (!/^Format:\s*\S*(dep5|copyright-format)/im.test(text)) return [];
  const seen = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^License:[ \t]*(\S.*?)\s*$/i.exec(line);
    if (!m) continue;
    // "GPL-2+ or Artistic" is one expression of the package: keep it whole.
    seen.add(m[1]!);
    if (seen.size >= MAX_LICENSES) break;
  }
  return [...seen];
}

export const dpkgCopyrightAnalyzer: Analyzer = {
  name: "dpkg-copyright",
  version: 1,
  wants: (path, entry) => path.startsWith(DOC) && path.endsWith("/copyright") && path.split("/").length === 6 && entry.size < 4 * 1024 * 1024,
  analyze: async (file) => {
    const licenses = parseDebianCopyright((await file.bytes()).toString("utf8"));
    if (licenses.length === 0) return null;
    const name = file.path.slice(DOC.length, -"/copyright".length);
    return { packageLicenses: [{ type: "deb", name, licenses }] };
  },
};
