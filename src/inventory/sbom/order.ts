/**
 * Deterministic output: the same inventory gives the same document (but for
 * the timestamp and serial the caller may pass in), so SBOMs diff cleanly and
 * can be signed and compared.
 */
import type { Package } from "../model.js";
import { compareText } from "../package-order.js";

export { compareText };

/** Packages sorted by purl, then paths, then layer (a stable total order for real inventories). */
export function sortedPackages(packages: readonly Package[]): Package[] {
  return [...packages].sort(
    (a, b) =>
      compareText(a.purl, b.purl) ||
      compareText(a.paths.join("\n"), b.paths.join("\n")) ||
      compareText(a.layer ?? "", b.layer ?? "") ||
      compareText(a.name, b.name) ||
      compareText(a.version, b.version),
  );
}

/**
 * Hands out ids that are unique within one document: the first request for a
 * base gets the base itself, later ones get `base<sep>2`, `base<sep>3`…
 */
export function uniqueIds(separator: string): (base: string) => string {
  const taken = new Set<string>();
  return (base) => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}${separator}${n}`;
    taken.add(id);
    return id;
  };
}
