/**
 * JSON-schema validators for the SBOM tests, built on the official schemas:
 * CycloneDX 1.6 as shipped by the @cyclonedx/cyclonedx-library package (with
 * the SPDX license-id and JSF schemas it references), SPDX 2.3 from the copy
 * beside this file (see README.md). Both schemas are draft-07.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type AnySchemaObject, type ErrorObject } from "ajv";
import addFormatsPlugin from "ajv-formats";

const require = createRequire(import.meta.url);
// CommonJS plugins: their default export is the module itself at run time.
const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (ajv: Ajv) => Ajv;
// Adds the draft 2019 formats the CycloneDX schema uses (iri-reference, idn-email); it ships no types.
const addDraft2019Formats = require("ajv-formats-draft2019") as (ajv: Ajv) => Ajv;

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as AnySchemaObject;

export type Validate = (doc: unknown) => ErrorObject[];

function validator(schema: AnySchemaObject, extra: AnySchemaObject[] = []): Validate {
  // strict: false because the CycloneDX schema carries annotation keywords ajv does not know ("meta:enum").
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  addDraft2019Formats(ajv);
  for (const s of extra) ajv.addSchema(s);
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : [...(validate.errors ?? [])]);
}

export function cycloneDx16Validator(): Validate {
  const dir = join(dirname(require.resolve("@cyclonedx/cyclonedx-library/package.json")), "res", "schema");
  const base = "http://cyclonedx.org/schema/";
  // The package names the referenced schemas *.SNAPSHOT.schema.json; the BOM schema refers to them by those names.
  const spdx = { ...readJson(join(dir, "spdx.SNAPSHOT.schema.json")), $id: `${base}spdx.SNAPSHOT.schema.json` };
  const jsf = { ...readJson(join(dir, "jsf-0.82.SNAPSHOT.schema.json")), $id: `${base}jsf-0.82.SNAPSHOT.schema.json` };
  return validator(readJson(join(dir, "bom-1.6.SNAPSHOT.schema.json")), [spdx, jsf]);
}

export function spdx23Validator(): Validate {
  return validator(readJson(fileURLToPath(new URL("spdx-schema-2.3.json", import.meta.url))));
}
