/**
 * Ecosystem and package names as the DB keys them. Ecosystems keep OSV's
 * spelling, release included ("Debian:12", "Alpine:v3.20"); only the case of
 * a name OSV knows is put right ("pypi" → "PyPI"). A name OSV does not know
 * is kept as written: whether anything can match it is the importer's
 * question, not the parser's.
 */

/** OSV's ecosystem names (the part before any ":"). */
const OSV_ECOSYSTEMS = [
  "AlmaLinux",
  "Alpaquita",
  "Alpine",
  "Android",
  "Azure Linux",
  "BellSoft Hardened Containers",
  "Bioconductor",
  "Bitnami",
  "Chainguard",
  "ConanCenter",
  "CRAN",
  "crates.io",
  "Debian",
  "Echo",
  "GHC",
  "GitHub Actions",
  "Go",
  "Hackage",
  "Hex",
  "Julia",
  "Linux",
  "Mageia",
  "Maven",
  "MinimOS",
  "npm",
  "NuGet",
  "openEuler",
  "openSUSE",
  "OSS-Fuzz",
  "Packagist",
  "Photon OS",
  "Pub",
  "PyPI",
  "Red Hat",
  "Rocky Linux",
  "RubyGems",
  "SUSE",
  "SwiftURL",
  "Ubuntu",
  "VSCode",
  "Wolfi",
];

const BY_LOWER = new Map(OSV_ECOSYSTEMS.map((name) => [name.toLowerCase(), name]));

/** "debian:12" → "Debian:12", "PYPI" → "PyPI"; unknown names as written (trimmed). */
export function osvEcosystem(name: string): string {
  const text = name.trim();
  const colon = text.indexOf(":");
  const base = colon < 0 ? text : text.slice(0, colon);
  const known = BY_LOWER.get(base.toLowerCase());
  return known === undefined || known === base ? text : known + text.slice(base.length);
}

/** The package name matching compares: PyPI's in PEP 503 form (lower case, runs of "-", "_", "." as one "-"), others as written. */
export function packageNameIn(ecosystem: string, name: string): string {
  return ecosystem === "PyPI" ? name.toLowerCase().replace(/[-_.]+/g, "-") : name;
}
