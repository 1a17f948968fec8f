export { InputError, isInputError, messageOf } from "./errors.js";
export { shortDigest } from "./digest.js";
