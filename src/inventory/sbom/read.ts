/**
 * Read an SBOM back into an Inventory, whichever of the formats we know it
 * is: our own JSON, CycloneDX 1.4–1.6 JSON, SPDX 2.2/2.3 JSON. Pure: text in,
 * inventory out; what cannot be used (components of ecosystems we do not
 * inventory, components without a purl) becomes one warning per kind.
 */
import { InputError } from "../../common/index.js";
import type { Inventory } from "../model.js";
import { comparePackages } from "../package-order.js";
import { parseJsonText } from "./json-text.js";
import { readCycloneDx } from "./read-cyclonedx.js";
import { readNative } from "./read-native.js";
import { readSpdx } from "./read-spdx.js";

/** Larger documents are refused before parsing: 256 MiB of text. */
export const MAX_SBOM_CHARS = 256 * 1024 * 1024;

export type SbomFormat = "portcullis" | "cyclonedx" | "spdx";

/**
 * @param text the document
 * @param source what it is, for messages and as the inventory's target reference: "sbom.cdx.json"
 */
export function readSbom(text: string, source: string): Inventory {
  const inv = readDocument(text, source);
  // Documents order components their own way: give the inventory its one canonical order.
  return { ...inv, packages: [...inv.packages].sort(comparePackages) };
}

function readDocument(text: string, source: string): Inventory {
  if (text.length > MAX_SBOM_CHARS) {
    throw new InputError(source, undefined, `SBOM is ${text.length} characters, more than the limit of ${MAX_SBOM_CHARS}`);
  }
  const doc = parseJsonText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, source);
  switch (sbomFormat(doc, source)) {
    case "portcullis":
      return readNative(doc, source);
    case "cyclonedx":
      return readCycloneDx(doc, source);
    case "spdx":
      return readSpdx(doc, source);
  }
}

/** Which format a parsed document is, by the field each format puts first. */
export function sbomFormat(doc: unknown, source: string): SbomFormat {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new InputError(source, "$", `expected a JSON object, got ${Array.isArray(doc) ? "an array" : doc === null ? "null" : typeof doc}`);
  }
  const o = doc as Record<string, unknown>;
  if ("bomFormat" in o) return "cyclonedx";
  if ("spdxVersion" in o) return "spdx";
  if ("schemaVersion" in o && "packages" in o) return "portcullis";
  throw new InputError(
    source,
    "$",
    "not a known SBOM: expected CycloneDX (bomFormat), SPDX 2.2/2.3 (spdxVersion) or portcullis JSON (schemaVersion, packages)",
  );
}
