/** JSON paths for error locations: `$.layers[2].digest`, `$.auths["quay.io"].auth`. */

export type JsonPath = ReadonlyArray<PropertyKey>;

/** `$`, `.name` for plain keys, `["odd key"]` for others, `[3]` for indexes. */
export function jsonPath(path: JsonPath): string {
  let out = "$";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
