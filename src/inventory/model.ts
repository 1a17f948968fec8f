/**
 * The inventory model: one package shape for every ecosystem, the OS, and the
 * image an inventory came from. The JSON output (`--format json`) is exactly
 * `Inventory`; docs/inventory-json.md documents it.
 */

export type PackageType =
  | "deb"
  | "apk"
  | "rpm"
  | "npm"
  | "pypi"
  | "maven"
  | "golang"
  | "gem"
  | "cargo";

export const OS_PACKAGE_TYPES: ReadonlySet<PackageType> = new Set(["deb", "apk", "rpm"]);

export interface SourcePackage {
  name: string;
  version?: string;
}

export interface Package {
  name: string;
  version: string;
  type: PackageType;
  /** Package URL (purl spec), e.g. pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12 */
  purl: string;
  /** Source package (dpkg `Source:`, apk origin, rpm source RPM) where the format has one. */
  source?: SourcePackage;
  licenses: string[];
  /** CPU architecture where the format records one (dpkg, apk, rpm). */
  arch?: string;
  /** Digest of the layer that added this package (compressed blob digest as in the manifest). */
  layer?: string;
  /** The file(s) the package was found in, as absolute paths inside the image. */
  paths: string[];
  /** Direct dependency names where the format records them (lockfiles). Not used for matching. */
  dev?: boolean;
}

export interface OsInfo {
  /** os-release ID: "debian", "alpine", "rhel", "ubuntu"… */
  family: string;
  /** os-release VERSION_ID (or alpine-release / debian_version when that is all there is). */
  version: string;
  /** os-release VERSION_CODENAME, e.g. "bookworm". */
  codename?: string;
  /** os-release PRETTY_NAME. */
  prettyName?: string;
  /** Debian point release from /etc/debian_version ("12.7"); Alpine full release ("3.20.3"). */
  release?: string;
  /** True when the OS is past its end of life or unknown to the tool (set by later stages). */
  eosl?: boolean;
}

export interface LayerSummary {
  /** Blob digest as in the manifest (compressed), or the diff id when the source has no blobs. */
  digest: string;
  /** Digest of the uncompressed tar (config rootfs.diff_ids). */
  diffId?: string;
  /** Compressed size in bytes, when known. */
  size?: number;
  /** Image history `created_by` of the step that made this layer, when known. */
  createdBy?: string;
}

export interface TargetInfo {
  /** The target as the user gave it, e.g. "docker-archive:img.tar". */
  reference: string;
  /** Transport: docker-archive, oci-archive, oci, dir, registry, docker, sbom. */
  transport: string;
  /** Manifest digest when the image has a manifest. */
  digest?: string;
  /** Digest of the multi-platform index the manifest was picked from (registry images). */
  indexDigest?: string;
  /** Config (image id) digest. */
  imageId?: string;
  /** Tags or names the source gives the image. */
  names?: string[];
  platform?: string;
  layers: LayerSummary[];
}

export interface Inventory {
  /** Version of this JSON document's shape. */
  schemaVersion: 1;
  target: TargetInfo;
  os?: OsInfo;
  packages: Package[];
  /** Non-fatal problems (a corrupt file skipped), each naming the layer and file. */
  warnings: string[];
}
