import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { parseDebianCopyright } from "./dpkg-copyright.js";

// Real copyright files as Debian installs them on this system.
const doc = "/usr/share/doc";

test("a machine-readable copyright file gives each License short name once, in order", () => {
  const text = readFileSync(`${doc}/dpkg/copyright`, "utf8");
  const licenses = parseDebianCopyright(text);
  assert.ok(licenses.length > 0, "dpkg's copyright file is DEP-5");
  assert.ok(licenses.includes("GPL-2+"), `got ${licenses.join(", ")}`);
  assert.equal(new Set(licenses).size, licenses.length);
  // Every name we report appears as a License: field in the file.
  for (const l of licenses) assert.match(text, new RegExp(`^License: *${l.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`, "m"));
});

test("free-form copyright files give no licenses rather than a guess", () => {
  const freeForm = readdirSync(doc)
    .map((d) => `${doc}/${d}/copyright`)
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f, "utf8"))
    .find((t) => !/^Format:/m.test(t));
  assert.ok(freeForm, "this system has at least one free-form copyright file");
  assert.deepEqual(parseDebianCopyright(freeForm), []);
});
