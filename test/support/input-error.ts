/** Tests of outside-input parsers: the InputError a call throws, for assertions on its parts. */
import assert from "node:assert/strict";
import { InputError } from "../../src/common/index.js";

export function inputError(parse: () => unknown): InputError {
  try {
    parse();
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected an InputError, nothing was thrown");
}
