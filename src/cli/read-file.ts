/** Reading a file the user named, with the file and what it was meant to be in the error. */
import { readFile } from "node:fs/promises";
import { InputError } from "../common/index.js";

export async function readInputFile(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new InputError(file, undefined, `cannot read the ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export async function readInputText(file: string, what: string): Promise<string> {
  return (await readInputFile(file, what)).toString("utf8");
}
