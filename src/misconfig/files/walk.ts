/**
 * The files under the paths given to `portcullis config`, in a stable order
 * (sorted by name, depth first) so reports are the same on every run.
 * Version-control and dependency directories are skipped: they hold other
 * people's code, not this project's configuration. Symbolic links are not
 * followed — a link can point outside the tree or make a loop — and the count
 * of files is bounded so a mistaken path (`/`) stops with a clear error.
 */
import { lstatSync } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../../common/index.js";

/** Directories never descended into. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([".git", ".hg", ".svn", "node_modules", ".terraform"]);

/** Most files one scan lists. */
export const MAX_FILES = 200_000;

export interface ListedFile {
  /** The path as the user would name it: the argument, joined with the path below it. */
  path: string;
  size: number;
  /** The directory argument it was found under; undefined when the file itself was named. */
  root: string | undefined;
}

export interface WalkOptions {
  maxFiles?: number;
}

/** Every regular file under `paths`; throws InputError for a path that does not exist or too many files. */
export async function listFiles(paths: readonly string[], options: WalkOptions = {}): Promise<ListedFile[]> {
  const max = options.maxFiles ?? MAX_FILES;
  const out: ListedFile[] = [];
  const add = (file: ListedFile): void => {
    if (out.length >= max) throw new InputError(file.root ?? file.path, undefined, `more than ${max} files; name a smaller directory`);
    out.push(file);
  };
  for (const path of paths) {
    const stat = await lstat(path).catch((err: NodeJS.ErrnoException) => {
      throw new InputError(path, undefined, err.code === "ENOENT" ? "no such file or directory" : err.message);
    });
    if (stat.isFile()) add({ path, size: stat.size, root: undefined });
    else if (stat.isDirectory()) await walk(path, path, add);
    else throw new InputError(path, undefined, "not a regular file or directory (symbolic links are not followed)");
  }
  return out;
}

async function walk(root: string, dir: string, add: (file: ListedFile) => void): Promise<void> {
  const entries: { name: string; kind: "file" | "dir" }[] = [];
  for await (const entry of await opendir(dir)) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) entries.push({ name: entry.name, kind: "dir" });
    } else if (entry.isFile()) entries.push({ name: entry.name, kind: "file" });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.kind === "dir") await walk(root, path, add);
    // One synchronous stat per file: the asynchronous round trip costs more than the stat itself.
    else add({ path, size: lstatSync(path).size, root });
  }
}
