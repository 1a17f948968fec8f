/**
 * SPDX 2.2/2.3 JSON → Inventory. Packages with a purl external ref become
 * packages; the package the document DESCRIBES (or the CONTAINER one) is the
 * image; the OS is the OPERATING_SYSTEM package or else a purl `distro`
 * qualifier. licenseDeclared is split back into the list it was written
 * from, LicenseRefs turned back into their extracted text.
 */
import { z } from "zod";
import type { Inventory, OsInfo, Package } from "../model.js";
import { splitConjunction } from "./licenses.js";
import { Skipped, osFromPurl, parsedPurl, propsOf, restoreOs, restorePackage, restoreTarget, unsupportedType, type Props } from "./restore.js";
import { checkShape } from "./shape.js";

export const MAX_SPDX_PACKAGES = 1_000_000;

const SpdxPackage = z.object({
  SPDXID: z.string(),
  name: z.string(),
  versionInfo: z.string().optional(),
  description: z.string().optional(),
  licenseDeclared: z.string().optional(),
  licenseConcluded: z.string().optional(),
  primaryPackagePurpose: z.string().optional(),
  externalRefs: z
    .array(z.object({ referenceCategory: z.string(), referenceType: z.string(), referenceLocator: z.string() }))
    .optional(),
  annotations: z.array(z.object({ comment: z.string() })).optional(),
});
type SpdxPackage = z.infer<typeof SpdxPackage>;

const SpdxDocument = z.object({
  spdxVersion: z.enum(["SPDX-2.2", "SPDX-2.3"]),
  documentDescribes: z.array(z.string()).optional(),
  packages: z.array(SpdxPackage).max(MAX_SPDX_PACKAGES).optional(),
  hasExtractedLicensingInfos: z
    .array(z.object({ licenseId: z.string(), extractedText: z.string().optional(), name: z.string().optional() }))
    .optional(),
  relationships: z
    .array(z.object({ spdxElementId: z.string(), relationshipType: z.string(), relatedSpdxElement: z.string() }))
    .optional(),
});

const NO_LICENSE = new Set(["NOASSERTION", "NONE", ""]);

export function readSpdx(doc: unknown, source: string): Inventory {
  const spdx = checkShape(SpdxDocument, doc, source);
  const list = spdx.packages ?? [];
  const described = new Set([
    ...(spdx.documentDescribes ?? []),
    ...(spdx.relationships ?? [])
      .filter((r) => r.spdxElementId === "SPDXRef-DOCUMENT" && r.relationshipType === "DESCRIBES")
      .map((r) => r.relatedSpdxElement),
  ]);
  const extracted = new Map(
    (spdx.hasExtractedLicensingInfos ?? []).map((e) => [e.licenseId, e.name || e.extractedText || e.licenseId]),
  );

  const packages: Package[] = [];
  const skipped = new Skipped();
  let image: SpdxPackage | undefined;
  let os: OsInfo | undefined;
  let distroOs: OsInfo | undefined;
  list.forEach((p, i) => {
    const purpose = p.primaryPackagePurpose?.replace("-", "_");
    const purlRef = p.externalRefs?.findIndex(
      (r) => r.referenceType === "purl" && r.referenceCategory.replace("_", "-") === "PACKAGE-MANAGER",
    ) ?? -1;
    if (purpose === "OPERATING_SYSTEM") {
      os ??= restoreOs(p.name, p.versionInfo, p.description, annotationProps(p));
      return;
    }
    if (purpose === "CONTAINER" || (purlRef < 0 && described.has(p.SPDXID) && !image)) {
      image ??= p;
      return;
    }
    if (purlRef < 0) {
      skipped.add("no purl");
      return;
    }
    const purlText = p.externalRefs![purlRef]!.referenceLocator;
    const purl = parsedPurl(purlText, source, ["packages", i, "externalRefs", purlRef, "referenceLocator"]);
    const pkg = restorePackage({
      purl,
      purlText,
      name: p.name,
      ...(p.versionInfo ? { version: p.versionInfo } : {}),
      licenses: licensesOf(p, extracted),
      props: annotationProps(p),
    });
    if (!pkg) {
      skipped.add(unsupportedType(purl.type));
      return;
    }
    distroOs ??= osFromPurl(purl);
    packages.push(pkg);
  });

  const inv: Inventory = {
    schemaVersion: 1,
    target: restoreTarget(
      source,
      image && { name: image.name, ...(image.versionInfo ? { version: image.versionInfo } : {}), props: annotationProps(image) },
    ),
    packages,
    warnings: skipped.warnings(source, "package"),
  };
  const found = os ?? distroOs;
  if (found) inv.os = found;
  return inv;
}

/** Our annotations read "portcullis:package:layer: sha256:…". */
function annotationProps(p: SpdxPackage): Props {
  return propsOf(
    (p.annotations ?? []).flatMap((a) => {
      const m = /^(portcullis:[a-z-]+:[a-z-]+): ([^]*)$/.exec(a.comment);
      return m ? [{ name: m[1]!, value: m[2]! }] : [];
    }),
  );
}

function licensesOf(p: SpdxPackage, extracted: ReadonlyMap<string, string>): string[] {
  const declared = [p.licenseDeclared, p.licenseConcluded].find((l) => l !== undefined && !NO_LICENSE.has(l.trim()));
  if (!declared) return [];
  return splitConjunction(declared).map((part) => extracted.get(part) ?? part);
}
