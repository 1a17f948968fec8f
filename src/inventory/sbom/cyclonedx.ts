/**
 * Inventory → CycloneDX 1.6 JSON. The image is the BOM's subject
 * (metadata.component, type "container"), the OS and every package are
 * components, and the facts CycloneDX has no field for (layer, paths, source
 * package, arch) are `portcullis:package:*` properties that `readSbom` reads
 * back. We build plain objects rather than use @cyclonedx/cyclonedx-library's
 * model: the mapping is small and the library's serializer would add nothing
 * but a runtime dependency (it is a dev dependency for its schemas).
 */
import { randomUUID } from "node:crypto";
import type { Inventory, OsInfo, Package } from "../model.js";
import { classifyLicense, conjunction } from "./licenses.js";
import { sortedPackages, uniqueIds } from "./order.js";
import { PROP, imageProperties, packageProperties, type Property } from "./taxonomy.js";

export interface CycloneDxOptions {
  /** Portcullis version, recorded as the tool that made the BOM. */
  toolVersion: string;
  /** ISO 8601 date-time; now when absent. */
  timestamp?: string;
  /** "urn:uuid:…"; a fresh random one when absent. */
  serialNumber?: string;
}

export type CdxLicense = { license: { id: string } | { name: string } } | { expression: string };

export interface CdxComponent {
  "bom-ref": string;
  type: "application" | "container" | "library" | "operating-system";
  name: string;
  version?: string;
  description?: string;
  purl?: string;
  licenses?: CdxLicense[];
  properties?: Property[];
}

export interface CycloneDxBom {
  $schema: string;
  bomFormat: "CycloneDX";
  specVersion: "1.6";
  serialNumber: string;
  version: 1;
  metadata: {
    timestamp: string;
    tools: { components: Array<{ type: "application"; name: string; version?: string }> };
    component: CdxComponent;
  };
  components: CdxComponent[];
  dependencies: Array<{ ref: string; dependsOn: string[] }>;
}

export function toCycloneDx(inv: Inventory, opts?: CycloneDxOptions): CycloneDxBom {
  const t = inv.target;
  const image: CdxComponent = {
    "bom-ref": `image:${t.digest ?? t.imageId ?? t.reference}`,
    type: "container",
    name: t.reference,
    ...(t.digest || t.imageId ? { version: t.digest ?? t.imageId } : {}),
    properties: imageProperties(t),
  };
  const components: CdxComponent[] = [];
  if (inv.os) components.push(osComponent(inv.os));
  const ref = uniqueIds("|");
  for (const pkg of sortedPackages(inv.packages)) components.push(packageComponent(pkg, ref(pkg.purl)));

  return {
    $schema: "http://cyclonedx.org/schema/bom-1.6.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.6",
    serialNumber: opts?.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: opts?.timestamp ?? new Date().toISOString(),
      tools: {
        components: [{ type: "application", name: "portcullis", ...(opts?.toolVersion ? { version: opts.toolVersion } : {}) }],
      },
      component: image,
    },
    components,
    dependencies: [{ ref: image["bom-ref"], dependsOn: components.map((c) => c["bom-ref"]) }],
  };
}

function osComponent(os: OsInfo): CdxComponent {
  const properties: Property[] = [];
  if (os.codename) properties.push({ name: PROP.osCodename, value: os.codename });
  if (os.release) properties.push({ name: PROP.osRelease, value: os.release });
  return {
    "bom-ref": `os:${os.family}@${os.version}`,
    type: "operating-system",
    name: os.family,
    ...(os.version ? { version: os.version } : {}),
    ...(os.prettyName ? { description: os.prettyName } : {}),
    ...(properties.length ? { properties } : {}),
  };
}

function packageComponent(pkg: Package, bomRef: string): CdxComponent {
  const licenses = cdxLicenses(pkg.licenses);
  return {
    "bom-ref": bomRef,
    type: "library",
    name: pkg.name,
    ...(pkg.version ? { version: pkg.version } : {}),
    purl: pkg.purl,
    ...(licenses.length ? { licenses } : {}),
    properties: packageProperties(pkg),
  };
}

/**
 * CycloneDX takes either any number of single licenses or exactly one
 * expression. When a package has an expression among its licenses and all of
 * them are SPDX, they become one expression joined by AND (they all apply);
 * when an expression sits beside free text, which no expression can hold,
 * the expression is kept as a license name so nothing is lost.
 */
export function cdxLicenses(licenses: readonly string[]): CdxLicense[] {
  const kinds = licenses.map(classifyLicense);
  if (kinds.some((k) => k.kind === "expression") && kinds.every((k) => k.kind !== "name")) {
    return [{ expression: conjunction(kinds.map((k) => (k.kind === "id" ? k.id : k.kind === "expression" ? k.expression : ""))) }];
  }
  return kinds.map((k) =>
    k.kind === "id" ? { license: { id: k.id } } : { license: { name: k.kind === "name" ? k.name : k.expression } },
  );
}
