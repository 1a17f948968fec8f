/**
 * Which version scheme orders an OSV ecosystem's versions. The part before
 * ":" names the ecosystem ("Debian:12" → Debian); names are OSV's.
 */
import { apk } from "./apk.js";
import { composer } from "./composer.js";
import { dpkg } from "./dpkg.js";
import { gem } from "./gem.js";
import { go } from "./go.js";
import { maven } from "./maven.js";
import { nuget } from "./nuget.js";
import { pep440 } from "./pep440.js";
import { rpm } from "./rpm.js";
import type { VersionScheme } from "./scheme.js";
import { semver } from "./semver.js";

const BY_ECOSYSTEM: Record<string, VersionScheme> = {
  debian: dpkg,
  ubuntu: dpkg,
  alpine: apk,
  wolfi: apk,
  chainguard: apk,
  almalinux: rpm,
  "rocky linux": rpm,
  "red hat": rpm,
  suse: rpm,
  opensuse: rpm,
  mageia: rpm,
  "photon os": rpm,
  "openeuler": rpm,
  npm: semver,
  "crates.io": semver,
  nuget: nuget,
  packagist: composer,
  pypi: pep440,
  maven: maven,
  rubygems: gem,
  go: go,
};

/** The scheme for an ecosystem name such as "Debian:12" or "PyPI"; undefined when we have none. */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const colon = ecosystem.indexOf(":");
  return BY_ECOSYSTEM[(colon < 0 ? ecosystem : ecosystem.slice(0, colon)).toLowerCase()];
}
