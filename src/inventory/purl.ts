/** Package URLs are built in one place so every ecosystem spells them the same way. */
import { PackageURL } from "packageurl-js";

export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers?: Record<string, string | undefined>,
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v !== undefined && v !== "") q[k] = v;
  return new PackageURL(type, namespace || undefined, name, version || undefined, Object.keys(q).length ? q : undefined).toString();
}

export interface ParsedPurl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers: Record<string, string>;
}

/** Parse a purl; throws on a malformed one (callers wrap it in an InputError). */
export function parsePurl(text: string): ParsedPurl {
  const p = PackageURL.fromString(text);
  return {
    type: p.type,
    namespace: p.namespace ?? undefined,
    name: p.name,
    version: p.version ?? undefined,
    qualifiers: { ...(p.qualifiers ?? {}) },
  };
}
