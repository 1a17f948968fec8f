/**
 * Our own JSON (`--format json`, exactly the Inventory type) read back, with
 * one zod schema standing for the model so a hand-edited or foreign file
 * fails at the JSON path of its first bad field.
 */
import { z } from "zod";
import type { Inventory, PackageType } from "../model.js";
import { checkShape } from "./shape.js";

const PackageTypeSchema = z.enum(["deb", "apk", "rpm", "npm", "pypi", "maven", "golang", "gem", "cargo"] as const satisfies readonly PackageType[]);

const PackageSchema = z.object({
  name: z.string(),
  version: z.string(),
  type: PackageTypeSchema,
  purl: z.string(),
  source: z.object({ name: z.string(), version: z.string().optional() }).optional(),
  licenses: z.array(z.string()),
  arch: z.string().optional(),
  layer: z.string().optional(),
  paths: z.array(z.string()),
  dev: z.boolean().optional(),
});

const InventorySchema = z.object({
  schemaVersion: z.literal(1),
  target: z.object({
    reference: z.string(),
    transport: z.string(),
    digest: z.string().optional(),
    indexDigest: z.string().optional(),
    imageId: z.string().optional(),
    names: z.array(z.string()).optional(),
    platform: z.string().optional(),
    layers: z.array(
      z.object({
        digest: z.string(),
        diffId: z.string().optional(),
        size: z.number().int().nonnegative().optional(),
        createdBy: z.string().optional(),
      }),
    ),
  }),
  os: z
    .object({
      family: z.string(),
      version: z.string(),
      codename: z.string().optional(),
      prettyName: z.string().optional(),
      release: z.string().optional(),
      eosl: z.boolean().optional(),
    })
    .optional(),
  packages: z.array(PackageSchema),
  warnings: z.array(z.string()),
});

// The schema must describe the model exactly: a change to either breaks the build here.
const _sameShape: z.infer<typeof InventorySchema> extends Inventory ? true : never = true;
void _sameShape;

export function readNative(doc: unknown, source: string): Inventory {
  return checkShape(InventorySchema, doc, source);
}
