/**
 * Which DB rows a package is matched against. OS packages are matched only
 * against their distribution's release, by source package, so a vendor's
 * backported fix counts; language packages against their ecosystem.
 */
import type { OsInfo, Package } from "../inventory/index.js";
import { go, schemeForEcosystem, semver, type VersionScheme } from "../versions/index.js";

export interface PackageQuery {
  ecosystem: string;
  /** The name the ecosystem's advisories use. */
  name: string;
  /** The version to compare: a Debian package's source version, else the package's. */
  version: string;
  scheme: VersionScheme;
}

/** Debian and Ubuntu advisories name source packages; the OSV release is the major version ("12"). */
function osEcosystem(os: OsInfo | undefined): string | undefined {
  if (!os) return undefined;
  const family = os.family.toLowerCase();
  if (family === "debian") {
    const major = /^(\d+)/.exec(os.version ?? "")?.[1];
    return major ? `Debian:${major}` : os.codename ? `Debian:${os.codename}` : undefined;
  }
  if (family === "ubuntu") return os.version ? `Ubuntu:${os.version}` : undefined;
  if (family === "alpine") {
    const branch = /^(\d+\.\d+)/.exec(os.version ?? "")?.[1];
    return branch ? `Alpine:v${branch}` : undefined;
  }
  const rpmDistros: Record<string, string> = { rocky: "Rocky Linux", almalinux: "AlmaLinux", rhel: "Red Hat", opensuse: "openSUSE", "opensuse-leap": "openSUSE", sles: "SUSE", mageia: "Mageia", photon: "Photon OS" };
  const name = rpmDistros[family];
  if (name) {
    const major = /^(\d+(?:\.\d+)?)/.exec(os.version ?? "")?.[1];
    return major ? `${name}:${family === "rocky" || family === "almalinux" || family === "rhel" ? major.split(".")[0] : major}` : undefined;
  }
  return undefined;
}

const LANGUAGE_ECOSYSTEMS: Partial<Record<Package["type"], string>> = {
  npm: "npm",
  pypi: "PyPI",
  maven: "Maven",
  golang: "Go",
  gem: "RubyGems",
  cargo: "crates.io",
};

/** The DB query for a package, or undefined when no feed covers its kind (an OS we have no data for). */
export function queryFor(pkg: Package, os: OsInfo | undefined): PackageQuery | undefined {
  if (pkg.type === "deb" || pkg.type === "apk" || pkg.type === "rpm") {
    const ecosystem = osEcosystem(os);
    const scheme = ecosystem && schemeForEcosystem(ecosystem);
    if (!ecosystem || !scheme) return undefined;
    const name = pkg.type === "rpm" ? pkg.name : (pkg.source?.name ?? pkg.name);
    const version = pkg.type === "deb" ? (pkg.source?.version ?? pkg.version) : pkg.version;
    return { ecosystem, name, version, scheme };
  }
  const ecosystem = LANGUAGE_ECOSYSTEMS[pkg.type];
  const scheme = ecosystem && schemeForEcosystem(ecosystem);
  if (!ecosystem || !scheme) return undefined;
  const name = pkg.type === "pypi" ? pkg.name.toLowerCase().replace(/[-_.]+/g, "-") : pkg.name;
  return { ecosystem, name, version: pkg.version, scheme };
}

/** OSV `SEMVER` ranges use semver precedence; Go's use Go's own reading of it. */
export function rangeScheme(query: PackageQuery, rangeType: string): VersionScheme {
  if (rangeType !== "SEMVER") return query.scheme;
  return query.scheme === go ? go : semver;
}
