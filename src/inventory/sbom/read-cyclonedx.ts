/**
 * CycloneDX 1.4–1.6 JSON → Inventory. Components are walked with an explicit
 * stack (nested `components` to a fixed depth), each checked on its own so an
 * error names its exact path. Packages come from purls; the OS from an
 * operating-system component or else from purl `distro` qualifiers.
 */
import { z } from "zod";
import { InputError } from "../../common/index.js";
import type { Inventory, OsInfo, Package } from "../model.js";
import { splitConjunction } from "./licenses.js";
import { Skipped, osFromPurl, parsedPurl, propsOf, restoreOs, restorePackage, restoreTarget, unsupportedType } from "./restore.js";
import { checkShape, jsonPath, type JsonPath } from "./shape.js";

/** Deeper nesting than this is not a real BOM. */
export const MAX_COMPONENT_DEPTH = 32;
export const MAX_COMPONENTS = 1_000_000;

const License = z.object({
  license: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  expression: z.string().optional(),
});

const Component = z.object({
  type: z.string(),
  name: z.string(),
  group: z.string().optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  purl: z.string().optional(),
  licenses: z.array(License).optional(),
  properties: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
  evidence: z.object({ occurrences: z.array(z.object({ location: z.string() })).optional() }).optional(),
  components: z.array(z.unknown()).optional(),
});
type Component = z.infer<typeof Component>;

const Bom = z.object({
  bomFormat: z.literal("CycloneDX"),
  specVersion: z.enum(["1.4", "1.5", "1.6"]),
  metadata: z.object({ component: Component.optional() }).optional(),
  components: z.array(z.unknown()).optional(),
});

export function readCycloneDx(doc: unknown, source: string): Inventory {
  const bom = checkShape(Bom, doc, source);
  const packages: Package[] = [];
  const skipped = new Skipped();
  let os: OsInfo | undefined;
  let distroOs: OsInfo | undefined;

  // Depth-first in document order: children are pushed in reverse.
  const stack: Array<{ value: unknown; at: JsonPath; depth: number }> = [];
  const pushAll = (list: readonly unknown[] | undefined, at: JsonPath, depth: number) => {
    if (!list) return;
    if (depth > MAX_COMPONENT_DEPTH) {
      throw new InputError(source, jsonPath(at), `components nested deeper than ${MAX_COMPONENT_DEPTH} levels`);
    }
    for (let i = list.length - 1; i >= 0; i--) stack.push({ value: list[i], at: [...at, i], depth });
  };
  pushAll(bom.components, ["components"], 1);
  let seen = 0;
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (++seen > MAX_COMPONENTS) throw new InputError(source, jsonPath(item.at), `more than ${MAX_COMPONENTS} components`);
    const c = checkShape(Component, item.value, source, item.at);
    pushAll(c.components, [...item.at, "components"], item.depth + 1);
    const props = propsOf(c.properties ?? []);
    if (c.type === "operating-system") {
      os ??= restoreOs(c.name, c.version, c.description, props);
      continue;
    }
    if (!c.purl) {
      skipped.add("no purl");
      continue;
    }
    const purl = parsedPurl(c.purl, source, [...item.at, "purl"]);
    const pkg = restorePackage({
      purl,
      purlText: c.purl,
      name: fullName(c),
      ...(c.version ? { version: c.version } : {}),
      licenses: licensesOf(c),
      props,
      paths: (c.evidence?.occurrences ?? []).map((o) => o.location),
    });
    if (!pkg) {
      skipped.add(unsupportedType(purl.type));
      continue;
    }
    distroOs ??= osFromPurl(purl);
    packages.push(pkg);
  }

  const image = bom.metadata?.component;
  const inv: Inventory = {
    schemaVersion: 1,
    target: restoreTarget(source, image && { name: image.name, ...(image.version ? { version: image.version } : {}), props: propsOf(image.properties ?? []) }),
    packages,
    warnings: skipped.warnings(source, "component"),
  };
  const found = os ?? distroOs;
  if (found) inv.os = found;
  return inv;
}

/** npm scopes are sometimes written as group "@babel" with name "core". */
function fullName(c: Component): string {
  return c.group && !c.name.includes("/") && c.group.startsWith("@") ? `${c.group}/${c.name}` : c.name;
}

function licensesOf(c: Component): string[] {
  const out: string[] = [];
  for (const l of c.licenses ?? []) {
    if (l.expression) out.push(...splitConjunction(l.expression));
    else if (l.license?.id) out.push(l.license.id);
    else if (l.license?.name) out.push(l.license.name);
  }
  return out;
}
