/** dir:ROOTFS — an unpacked root filesystem, walked as one synthetic layer. */
import { createReadStream } from "node:fs";
import { lstat, opendir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../common/index.js";
import { withDefaults, type WalkLimits } from "./limits.js";
import type { EntryType, LayerEntry, OpenedImage, OpenOptions } from "./model.js";
import { pathDepth } from "./paths.js";

/** Kernel views of a running system, not files of the image: never walked. */
const VIRTUAL_TOP_DIRS = new Set(["proc", "sys", "dev"]);

export async function openRootfs(dir: string, reference: string, opts: OpenOptions & { limits?: Partial<WalkLimits> } = {}): Promise<OpenedImage> {
  const st = await lstat(dir).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`dir ${dir}`, undefined, `cannot read (${err.code ?? err.message})`);
  });
  if (!st.isDirectory()) throw new InputError(`dir ${dir}`, undefined, "not a directory");
  const limits = withDefaults(opts.limits);
  return {
    reference,
    transport: "dir",
    names: [],
    layers: [{ digest: `dir:${dir}`, synthetic: true, entries: () => walk(dir, limits) }],
    close: async () => {},
  };
}

async function* walk(root: string, limits: WalkLimits): AsyncGenerator<LayerEntry> {
  let count = 0;
  const stack: string[] = ["/"];
  while (stack.length > 0) {
    const dirPath = stack.pop()!;
    const handle = await opendir(join(root, dirPath)).catch(() => null);
    if (!handle) continue;
    const names: string[] = [];
    for await (const d of handle) names.push(d.name);
    names.sort();
    const subdirs: string[] = [];
    for (const name of names) {
      if (dirPath === "/" && VIRTUAL_TOP_DIRS.has(name)) continue;
      const path = dirPath === "/" ? `/${name}` : `${dirPath}/${name}`;
      if (++count > limits.maxEntries) throw new InputError(`dir ${root}`, path, `more than ${limits.maxEntries} entries`);
      if (path.length > limits.maxPathLength || pathDepth(path) > limits.maxPathDepth) continue;
      const full = join(root, path);
      const st = await lstat(full).catch(() => null);
      if (!st) continue;
      const type: EntryType = st.isFile() ? "file" : st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "other";
      const entry: LayerEntry = { path, type, size: type === "file" ? st.size : 0, mode: st.mode & 0o7777 };
      if (type === "symlink") entry.linkTarget = await readlink(full).catch(() => "");
      if (type === "file") entry.open = () => createReadStream(full);
      if (type === "directory") subdirs.push(path);
      yield entry;
    }
    // Depth-first in name order, so the walk is deterministic.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
