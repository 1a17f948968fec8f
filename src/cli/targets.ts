/** The pieces of the CLI that pick readers and writers: SBOM formats and the server-backed image transports. */
import { readFile, stat } from "node:fs/promises";
import { InputError } from "../common/index.js";
import type { ImageOpeners } from "../image/open.js";
import type { Inventory } from "../inventory/index.js";
import { readSbom, toCycloneDx, toSpdx } from "../inventory/sbom/index.js";
import { openEngineImage, openRegistryImage } from "../image/index.js";
import { VERSION } from "./version.js";

export const FORMATS = ["table", "json", "cyclonedx", "spdx"] as const;
export type Format = (typeof FORMATS)[number];

export const openers: ImageOpeners = { registry: openRegistryImage, docker: openEngineImage };

const MAX_SBOM_BYTES = 256 * 1024 * 1024;

export async function readInventoryFile(file: string, reference: string): Promise<Inventory> {
  const st = await stat(file).catch(() => null);
  if (!st?.isFile()) throw new InputError(reference, undefined, "no such file");
  if (st.size > MAX_SBOM_BYTES) throw new InputError(reference, undefined, `SBOM larger than ${MAX_SBOM_BYTES} bytes`);
  return readSbom(await readFile(file, "utf8"), file);
}

export function renderInventory(inv: Inventory, format: Exclude<Format, "table">): string {
  switch (format) {
    case "json":
      return JSON.stringify(inv, null, 2) + "\n";
    case "cyclonedx":
      return JSON.stringify(toCycloneDx(inv, { toolVersion: VERSION }), null, 2) + "\n";
    case "spdx":
      return JSON.stringify(toSpdx(inv, { toolVersion: VERSION }), null, 2) + "\n";
  }
}
