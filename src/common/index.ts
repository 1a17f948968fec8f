export { InputError, isInputError, messageOf } from "./errors.js";
export { shortDigest } from "./digest.js";
export { jsonPath, type JsonPath } from "./json-path.js";
