/** SBOM export (CycloneDX 1.6, SPDX 2.3) and import (those, older versions, and our own JSON). */
export { toCycloneDx, type CycloneDxBom, type CycloneDxOptions } from "./cyclonedx.js";
export { toSpdx, type SpdxDocument, type SpdxOptions } from "./spdx.js";
export { readSbom, sbomFormat, MAX_SBOM_CHARS, type SbomFormat } from "./read.js";
