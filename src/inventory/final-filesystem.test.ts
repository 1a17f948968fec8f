import { test } from "node:test";
import assert from "node:assert/strict";
import { finalFilesystem } from "./final-filesystem.js";
import type { LayerInventory } from "./layer-inventory.js";
import type { ListingKind } from "./layer-listing.js";

type Entry = [path: string, kind: ListingKind, mode: number, size?: number];

function layer(entries: Entry[], parts: Partial<LayerInventory> = {}): LayerInventory {
  return {
    files: [],
    whiteouts: [],
    opaques: [],
    links: [],
    warnings: [],
    entries: entries.length,
    listing: { paths: entries.map((e) => e[0]), kinds: entries.map((e) => e[1]).join(""), modes: entries.map((e) => e[2]), sizes: entries.map((e) => e[3] ?? 0) },
    ...parts,
  };
}

function view(layers: LayerInventory[]): string[] {
  return [...finalFilesystem(layers)].map(([path, f]) => `${path} ${f.kind} ${f.mode.toString(8)} ${f.size} @${f.layer}`).sort();
}

const BASE = layer([
  ["/usr", "d", 0o755],
  ["/usr/bin", "d", 0o755],
  ["/usr/bin/bash", "f", 0o755, 1000],
  ["/usr/bin/su", "f", 0o4755, 70],
  ["/opt/tools", "d", 0o755],
  ["/opt/tools/gdb", "f", 0o755, 500],
  ["/opt/tools/lib/x.so", "f", 0o644, 50],
]);

test("every path of every layer, the upper version winning", () => {
  const after = view([BASE, layer([["/usr/bin/su", "f", 0o755, 70]])]);
  assert.ok(after.includes("/usr/bin/su f 755 70 @1"), "chmod u-s in a later layer removes the bit from the final file");
  assert.ok(after.includes("/usr/bin/bash f 755 1000 @0"));
});

test("a whiteout deletes a file, or a directory and everything under it", () => {
  const after = view([BASE, layer([], { whiteouts: ["/usr/bin/bash", "/opt/tools"] })]);
  assert.deepEqual(after, ["/usr d 755 0 @0", "/usr/bin d 755 0 @0", "/usr/bin/su f 4755 70 @0"]);
});

test("an opaque directory hides what lower layers had under it, not what its own layer adds", () => {
  const after = view([BASE, layer([["/opt/tools", "d", 0o755], ["/opt/tools/strace", "f", 0o755, 300]], { opaques: ["/opt/tools"] })]);
  assert.ok(after.includes("/opt/tools/strace f 755 300 @1"));
  assert.ok(!after.some((p) => p.startsWith("/opt/tools/gdb") || p.startsWith("/opt/tools/lib")));
});

test("a directory entry over a directory changes its mode and keeps its contents; a file over a directory replaces the tree", () => {
  const chmod = view([BASE, layer([["/opt/tools", "d", 0o777]])]);
  assert.ok(chmod.includes("/opt/tools d 777 0 @1") && chmod.includes("/opt/tools/gdb f 755 500 @0"));
  const replaced = view([BASE, layer([["/opt/tools", "l", 0o777]])]);
  assert.ok(replaced.includes("/opt/tools l 777 0 @1") && !replaced.some((p) => p.startsWith("/opt/tools/")));
});

test("a hard link weighs what the file it shares weighs", () => {
  const after = view([BASE, layer([["/usr/bin/rbash", "h", 0o755]], { links: [{ path: "/usr/bin/rbash", type: "hardlink", target: "/usr/bin/bash" }] })]);
  assert.ok(after.includes("/usr/bin/rbash h 755 1000 @1"));
});

test("a layer walked without a listing cannot be merged", () => {
  assert.throws(() => finalFilesystem([{ ...BASE, listing: undefined }]), /without a listing/);
});
