/** Print one path from the built test images, e.g. `node.dockerArchive`. */
import { fixtures } from "../test/support/fixtures.js";

const key = process.argv[2] ?? "";
const [image, field] = key.split(".");
const fx = (await fixtures()) as unknown as Record<string, Record<string, unknown> | null>;
const value = image && field ? fx[image]?.[field] : undefined;
if (typeof value !== "string") {
  process.stderr.write(`no fixture "${key}" (e.g. node.dockerArchive, bookworm.ociArchive)\n`);
  process.exit(1);
}
process.stdout.write(`${value}\n`);
