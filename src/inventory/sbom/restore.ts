/**
 * Model fields from what an SBOM says about a package: the purl decides the
 * ecosystem, name and (failing the document's own) version; our
 * `portcullis:*` properties, when present, restore layer, paths, source
 * package and arch. Shared by the CycloneDX and SPDX readers.
 */
import { InputError } from "../../common/index.js";
import type { LayerSummary, OsInfo, Package, PackageType, TargetInfo } from "../model.js";
import { parsePurl, type ParsedPurl } from "../purl.js";
import { jsonPath, type JsonPath } from "./shape.js";
import { PROP } from "./taxonomy.js";

const PACKAGE_TYPES: ReadonlySet<string> = new Set<PackageType>([
  "deb", "apk", "rpm", "npm", "pypi", "maven", "golang", "gem", "cargo",
]);

/** Property name → values, in document order (names repeat for lists). */
export type Props = ReadonlyMap<string, readonly string[]>;

export function propsOf(pairs: Iterable<{ name: string; value?: string | undefined }>): Props {
  const out = new Map<string, string[]>();
  for (const { name, value } of pairs) {
    if (value === undefined) continue;
    const list = out.get(name);
    if (list) list.push(value);
    else out.set(name, [value]);
  }
  return out;
}

const first = (props: Props, name: string): string | undefined => props.get(name)?.[0];

/**
 * The model's package name for a purl: npm scopes and Go module paths keep
 * their namespace ("@babel/core", "github.com/spf13/cobra"), Maven is
 * "group:artifact" as OSV names it; OS package namespaces are vendors, not
 * part of the name.
 */
export function nameFromPurl(p: ParsedPurl): string {
  if (!p.namespace) return p.name;
  if (p.type === "npm" || p.type === "golang") return `${p.namespace}/${p.name}`;
  if (p.type === "maven") return `${p.namespace}:${p.name}`;
  return p.name;
}

/** Names that differ only in case and -_. (PyPI "PyYAML" vs purl "pyyaml") are the same. */
const loose = (s: string) => s.toLowerCase().replace(/[-_.]+/g, "-");

export interface Described {
  purl: ParsedPurl;
  purlText: string;
  /** The name the document gives, kept when it is the purl's name spelt differently. */
  name?: string;
  version?: string;
  licenses: string[];
  props: Props;
  /** Paths the format itself records (CycloneDX evidence), used when our properties are absent. */
  paths?: string[];
}

/** A model package, or null when the purl type is not an ecosystem we have. */
export function restorePackage(d: Described): Package | null {
  if (!PACKAGE_TYPES.has(d.purl.type)) return null;
  const derived = nameFromPurl(d.purl);
  const sourceName = first(d.props, PROP.sourceName);
  const sourceVersion = first(d.props, PROP.sourceVersion);
  const arch = first(d.props, PROP.arch) ?? d.purl.qualifiers.arch;
  const layer = first(d.props, PROP.layer);
  const pkg: Package = {
    name: d.name && loose(d.name) === loose(derived) ? d.name : derived,
    version: d.version || d.purl.version || "",
    type: d.purl.type as PackageType,
    purl: d.purlText,
    licenses: d.licenses,
    paths: [...(d.props.get(PROP.path) ?? d.paths ?? [])],
  };
  if (sourceName) pkg.source = sourceVersion ? { name: sourceName, version: sourceVersion } : { name: sourceName };
  if (arch) pkg.arch = arch;
  if (layer) pkg.layer = layer;
  // npm's own SBOMs mark dev dependencies with the CycloneDX taxonomy's npm property.
  if (first(d.props, PROP.dev) === "true" || first(d.props, "cdx:npm:package:development") === "true") pkg.dev = true;
  return pkg;
}

/** The OS from a purl `distro` qualifier: "debian-12", "alpine-3.20.3", "rhel-9.4". */
export function osFromPurl(p: ParsedPurl): OsInfo | undefined {
  const m = /^(.+?)-(\d.*)$/.exec(p.qualifiers.distro ?? "");
  return m ? { family: m[1]!, version: m[2]! } : undefined;
}

export function restoreOs(family: string, version: string | undefined, prettyName: string | undefined, props: Props): OsInfo {
  const os: OsInfo = { family, version: version ?? "" };
  const codename = first(props, PROP.osCodename);
  const release = first(props, PROP.osRelease);
  if (codename) os.codename = codename;
  if (prettyName) os.prettyName = prettyName;
  if (release) os.release = release;
  return os;
}

/** The target of an inventory read from an SBOM: the SBOM is what was given, the image it describes is named. */
export function restoreTarget(source: string, image: { name?: string; version?: string; props: Props } | undefined): TargetInfo {
  const target: TargetInfo = { reference: source, transport: "sbom", layers: [] };
  if (!image) return target;
  const names = [...new Set([...(image.name ? [image.name] : []), ...(image.props.get(PROP.imageName) ?? [])])];
  if (names.length) target.names = names;
  if (image.version && /^[a-z0-9]+:[0-9a-f]{32,}$/.test(image.version)) target.digest = image.version;
  const imageId = first(image.props, PROP.imageId);
  const indexDigest = first(image.props, PROP.imageIndexDigest);
  const platform = first(image.props, PROP.imagePlatform);
  if (imageId) target.imageId = imageId;
  if (indexDigest) target.indexDigest = indexDigest;
  if (platform) target.platform = platform;
  target.layers = (image.props.get(PROP.imageLayer) ?? []).map((digest): LayerSummary => ({ digest }));
  return target;
}

/** Counts what had to be left out, to be reported once per kind rather than once per package. */
export class Skipped {
  private readonly counts = new Map<string, number>();
  add(reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }
  warnings(source: string, noun: string): string[] {
    return [...this.counts].map(([reason, n]) => `${source}: ${n} ${noun}${n === 1 ? "" : "s"} skipped: ${reason}`);
  }
}

export const unsupportedType = (type: string) => `purl type "${type}" is not an ecosystem portcullis inventories`;

/** A purl from the document, or an InputError at its JSON path. */
export function parsedPurl(text: string, source: string, at: JsonPath): ParsedPurl {
  try {
    return parsePurl(text);
  } catch (err) {
    throw new InputError(source, jsonPath(at), `not a valid package URL: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}
