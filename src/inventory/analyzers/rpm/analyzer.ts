/**
 * Installed rpm packages from the rpm database, whichever backend wrote it:
 * SQLite (rpm ≥ 4.16), Berkeley DB hash (older) or ndb (SUSE). The format is
 * told by the file's magic bytes, not its name.
 *
 * Version convention: `Package.version` is "VERSION-RELEASE", prefixed with
 * "EPOCH:" only when the epoch is above 0 ("2:2024a-1.el9"), the form rpm
 * compares and Red Hat advisories print. The purl keeps the epoch apart, as
 * the purl spec asks: pkg:rpm/redhat/sample-data@2024a-1.el9?arch=noarch&epoch=2.
 * A missing epoch and epoch 0 compare equal in rpm, so both are left out.
 */
import { InputError, messageOf } from "../../../common/index.js";
import type { Analyzer } from "../../analyzer.js";
import type { Package } from "../../model.js";
import { purl } from "../../purl.js";
import { isBdbHash, readBdbRpmdb } from "./bdb.js";
import { parseRpmHeader, type RpmHeader } from "./header.js";
import { isNdbRpmdb, readNdbRpmdb } from "./ndb.js";
import type { RpmdbRecord } from "./record.js";
import { isSqliteRpmdb, readSqliteRpmdb } from "./sqlite.js";

/** Where rpm keeps its database: the classic place and the /usr one (Fedora ≥ 36, openSUSE). */
export const RPMDB_PATHS: ReadonlySet<string> = new Set([
  "/var/lib/rpm/rpmdb.sqlite",
  "/usr/lib/sysimage/rpm/rpmdb.sqlite",
  "/var/lib/rpm/Packages",
  "/usr/lib/sysimage/rpm/Packages",
  "/var/lib/rpm/Packages.db",
  "/usr/lib/sysimage/rpm/Packages.db",
]);

/** Placeholder purl namespace until OS detection; `withDistro` replaces it with the OS family. */
const NAMESPACE = "redhat";

/** Imported OpenPGP keys are stored as packages named gpg-pubkey; they install no software. */
const PUBKEY = "gpg-pubkey";

/** The header blobs of an rpm database file of any backend. */
export function readRpmdb(bytes: Uint8Array, path: string): RpmdbRecord[] {
  if (isSqliteRpmdb(bytes)) return readSqliteRpmdb(bytes, path);
  if (isNdbRpmdb(bytes)) return readNdbRpmdb(bytes, path);
  if (isBdbHash(bytes)) return readBdbRpmdb(bytes, path);
  throw new InputError(path, "offset 0", "not an rpm database: expected SQLite, Berkeley DB hash or ndb magic bytes");
}

/** "bash-5.1.8-9.el9.src.rpm" → bash, 5.1.8-9.el9 (the name may itself contain dashes). */
export function parseSourceRpm(file: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(file);
  return m ? { name: m[1]!, version: `${m[2]}-${m[3]}` } : undefined;
}

function toPackage(h: RpmHeader, path: string): Package {
  const versionRelease = `${h.version}-${h.release}`;
  const epoch = h.epoch !== undefined && h.epoch > 0 ? h.epoch : undefined;
  const withEpoch = (vr: string): string => (epoch !== undefined ? `${epoch}:${vr}` : vr);
  const src = h.sourceRpm ? parseSourceRpm(h.sourceRpm) : undefined;
  return {
    name: h.name,
    version: withEpoch(versionRelease),
    type: "rpm",
    purl: purl("rpm", NAMESPACE, h.name, versionRelease, { arch: h.arch, epoch: epoch?.toString() }),
    // rpm records no epoch for the source package; it is built from the same spec, so it shares the binary's.
    ...(src ? { source: { name: src.name, version: withEpoch(src.version) } } : {}),
    licenses: h.license ? [h.license] : [],
    ...(h.arch ? { arch: h.arch } : {}),
    paths: [path],
  };
}

/**
 * An rpm database file → its packages (without gpg-pubkey entries) and the
 * files they own. A database whose structure is broken throws; one corrupt
 * header costs only its own package, reported in `warnings`.
 */
export function parseRpmdb(bytes: Uint8Array, path: string): { packages: Package[]; ownedFiles: string[]; warnings: string[] } {
  const packages: Package[] = [];
  const owned = new Set<string>();
  const warnings: string[] = [];
  for (const record of readRpmdb(bytes, path)) {
    let header: RpmHeader;
    try {
      header = parseRpmHeader(record.blob, path, `package ${record.key}`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      warnings.push(`skipped: ${messageOf(err)}`);
      continue;
    }
    if (header.name === PUBKEY) continue;
    packages.push(toPackage(header, path));
    for (const file of header.files) owned.add(file);
  }
  return { packages, ownedFiles: [...owned], warnings };
}

export const rpmAnalyzer: Analyzer = {
  name: "rpmdb",
  version: 1,
  wants: (path) => RPMDB_PATHS.has(path),
  async analyze(file) {
    return parseRpmdb(await file.bytes(), file.path);
  },
};
