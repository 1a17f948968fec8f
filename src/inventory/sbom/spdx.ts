/**
 * Inventory → SPDX 2.3 JSON. The document DESCRIBES the image package
 * (purpose CONTAINER), which CONTAINS the OS package (purpose
 * OPERATING_SYSTEM, the schema's spelling) and one package per inventory
 * package with its purl as a PACKAGE-MANAGER external ref. Licenses go into
 * licenseDeclared as one SPDX expression; free-text licenses become
 * LicenseRef ids listed in hasExtractedLicensingInfos. Layer, paths, source
 * package and arch ride in annotations ("portcullis:package:layer: sha256:…")
 * that `readSbom` reads back.
 */
import { randomUUID } from "node:crypto";
import type { Inventory, Package } from "../model.js";
import { classifyLicense, conjunction, licenseRefs } from "./licenses.js";
import { compareText, sortedPackages, uniqueIds } from "./order.js";
import { PROP, imageProperties, packageProperties, type Property } from "./taxonomy.js";

export interface SpdxOptions {
  /** Portcullis version, recorded in creationInfo.creators. */
  toolVersion: string;
  /** "YYYY-MM-DDThh:mm:ssZ"; now when absent. */
  created?: string;
  /** documentNamespace; a fresh one with a random uuid when absent. */
  namespace?: string;
}

export interface SpdxAnnotation {
  annotationDate: string;
  annotationType: "OTHER";
  annotator: string;
  comment: string;
}

export interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  supplier: "NOASSERTION";
  downloadLocation: "NOASSERTION";
  filesAnalyzed: false;
  licenseConcluded: "NOASSERTION";
  licenseDeclared: string;
  copyrightText: "NOASSERTION";
  description?: string;
  checksums?: Array<{ algorithm: string; checksumValue: string }>;
  externalRefs?: Array<{ referenceCategory: "PACKAGE-MANAGER"; referenceType: "purl"; referenceLocator: string }>;
  primaryPackagePurpose?: "CONTAINER" | "OPERATING_SYSTEM" | "LIBRARY";
  annotations?: SpdxAnnotation[];
}

export interface SpdxDocument {
  spdxVersion: "SPDX-2.3";
  dataLicense: "CC0-1.0";
  SPDXID: "SPDXRef-DOCUMENT";
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  hasExtractedLicensingInfos?: Array<{ licenseId: string; extractedText: string; name: string }>;
  relationships: Array<{ spdxElementId: string; relationshipType: "DESCRIBES" | "CONTAINS"; relatedSpdxElement: string }>;
}

const IMAGE_ID = "SPDXRef-Image";
const OS_ID = "SPDXRef-OperatingSystem";

/** SPDX element ids allow only letters, digits, "." and "-" after "SPDXRef-". */
export function spdxIdPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, "") || "x";
}

export function toSpdx(inv: Inventory, opts?: SpdxOptions): SpdxDocument {
  const created = opts?.created ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const tool = opts?.toolVersion ? `portcullis-${opts.toolVersion}` : "portcullis";
  const annotate = (props: Property[]): SpdxAnnotation[] =>
    props.map((p) => ({ annotationDate: created, annotationType: "OTHER", annotator: `Tool: ${tool}`, comment: `${p.name}: ${p.value}` }));
  const t = inv.target;
  const licenses = new ExtractedLicenses(inv.packages);

  const image: SpdxPackage = {
    SPDXID: IMAGE_ID,
    name: t.reference,
    ...(t.digest || t.imageId ? { versionInfo: t.digest ?? t.imageId } : {}),
    ...noAssertion(),
    licenseDeclared: "NOASSERTION",
    ...(t.digest?.startsWith("sha256:") ? { checksums: [{ algorithm: "SHA256", checksumValue: t.digest.slice(7) }] } : {}),
    primaryPackagePurpose: "CONTAINER",
    annotations: annotate(imageProperties(t)),
  };
  const packages: SpdxPackage[] = [image];
  const relationships: SpdxDocument["relationships"] = [
    { spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES", relatedSpdxElement: IMAGE_ID },
  ];
  const contains = (id: string) => relationships.push({ spdxElementId: IMAGE_ID, relationshipType: "CONTAINS", relatedSpdxElement: id });

  if (inv.os) {
    const props: Property[] = [];
    if (inv.os.codename) props.push({ name: PROP.osCodename, value: inv.os.codename });
    if (inv.os.release) props.push({ name: PROP.osRelease, value: inv.os.release });
    packages.push({
      SPDXID: OS_ID,
      name: inv.os.family,
      ...(inv.os.version ? { versionInfo: inv.os.version } : {}),
      ...noAssertion(),
      licenseDeclared: "NOASSERTION",
      ...(inv.os.prettyName ? { description: inv.os.prettyName } : {}),
      primaryPackagePurpose: "OPERATING_SYSTEM",
      ...(props.length ? { annotations: annotate(props) } : {}),
    });
    contains(OS_ID);
  }

  const id = uniqueIds("-");
  for (const pkg of sortedPackages(inv.packages)) {
    const spdxId = id(`SPDXRef-Package-${spdxIdPart(pkg.type)}-${spdxIdPart(pkg.name)}-${spdxIdPart(pkg.version)}`);
    packages.push(packageElement(pkg, spdxId, licenses.declared(pkg), annotate(packageProperties(pkg))));
    contains(spdxId);
  }

  const extracted = licenses.infos();
  return {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: t.reference,
    documentNamespace: opts?.namespace ?? `https://spdx.org/spdxdocs/portcullis-${spdxIdPart(t.reference)}-${randomUUID()}`,
    creationInfo: { created, creators: [`Tool: ${tool}`] },
    packages,
    ...(extracted.length ? { hasExtractedLicensingInfos: extracted } : {}),
    relationships,
  };
}

function noAssertion() {
  return {
    supplier: "NOASSERTION",
    downloadLocation: "NOASSERTION",
    filesAnalyzed: false,
    licenseConcluded: "NOASSERTION",
    copyrightText: "NOASSERTION",
  } as const;
}

function packageElement(pkg: Package, spdxId: string, licenseDeclared: string, annotations: SpdxAnnotation[]): SpdxPackage {
  return {
    SPDXID: spdxId,
    name: pkg.name,
    ...(pkg.version ? { versionInfo: pkg.version } : {}),
    ...noAssertion(),
    licenseDeclared,
    externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: pkg.purl }],
    primaryPackagePurpose: "LIBRARY",
    annotations,
  };
}

/**
 * Free-text licenses as LicenseRef ids, one per distinct text, with the text
 * kept in hasExtractedLicensingInfos so a reader can restore it. LicenseRefs
 * that arrive already inside SPDX expressions keep their ids (reserved first,
 * so no free text takes them) and are declared too, as the spec requires of
 * every LicenseRef a document uses.
 */
class ExtractedLicenses {
  private readonly byText = new Map<string, string>();
  private readonly inExpressions = new Set<string>();
  private readonly id = uniqueIds("-");

  constructor(packages: readonly Package[]) {
    for (const pkg of packages) {
      for (const text of pkg.licenses) {
        const k = classifyLicense(text);
        if (k.kind === "expression") for (const ref of licenseRefs(k.expression)) this.inExpressions.add(ref);
      }
    }
    for (const ref of this.inExpressions) this.id(ref);
  }

  declared(pkg: Package): string {
    if (pkg.licenses.length === 0) return "NOASSERTION";
    return conjunction(
      pkg.licenses.map((text) => {
        const k = classifyLicense(text);
        if (k.kind === "id") return k.id;
        if (k.kind === "expression") return k.expression;
        let ref = this.byText.get(k.name);
        if (!ref) {
          ref = this.id(`LicenseRef-${spdxIdPart(k.name)}`);
          this.byText.set(k.name, ref);
        }
        return ref;
      }),
    );
  }

  infos(): Array<{ licenseId: string; extractedText: string; name: string }> {
    const out = [...this.byText].map(([text, licenseId]) => ({ licenseId, extractedText: text, name: text }));
    for (const ref of this.inExpressions) out.push({ licenseId: ref, extractedText: ref, name: ref });
    return out.sort((a, b) => compareText(a.licenseId, b.licenseId));
  }
}
