/** The one order of packages in an inventory, whether taken from an image or read from an SBOM. */
import type { Package } from "./model.js";

/** Code-unit order, not locale order: the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By type, name, version, then where it was found. */
export function comparePackages(a: Package, b: Package): number {
  return (
    compareText(a.type, b.type) ||
    compareText(a.name, b.name) ||
    compareText(a.version, b.version) ||
    compareText(a.paths.join("\n"), b.paths.join("\n")) ||
    compareText(a.layer ?? "", b.layer ?? "")
  );
}
