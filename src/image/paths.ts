/** Paths inside an image: normalised absolute form, traversal detection, symlink resolution. */
import { posix } from "node:path";

/**
 * Normalise an archive member name to an absolute image path, or return null
 * when the name climbs out of the image root ("../../etc/passwd").
 * A leading "/" or "./" is accepted, as tar writers emit both.
 */
// Names as tar writes them ("./usr/bin/x", "usr/share/doc/") need no more than trimming.
const NEEDS_WORK = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|^\//;

export function normaliseEntryPath(name: string): string | null {
  let plain = name.startsWith("./") ? name.slice(2) : name.startsWith("/") ? name.slice(1) : name;
  if (!NEEDS_WORK.test(plain)) {
    if (plain.endsWith("/")) plain = plain.slice(0, -1);
    return "/" + plain;
  }
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return "/" + parts.join("/");
}

/** Number of components of an absolute path ("/" has 0). */
export function pathDepth(path: string): number {
  if (path === "/") return 0;
  let depth = 0;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) depth++;
  return depth;
}

/** True when `path` is `dir` itself or lies under it. */
export function isUnder(path: string, dir: string): boolean {
  if (dir === "/") return true;
  return path === dir || path.startsWith(dir + "/");
}

/**
 * Resolve a symlink target the way the kernel would inside a chroot: relative
 * targets against the link's directory, absolute ones against the image root,
 * and ".." never above the root.
 */
export function resolveLinkTarget(linkPath: string, target: string): string {
  const base = target.startsWith("/") ? target : posix.join(posix.dirname(linkPath), target);
  const parts: string[] = [];
  for (const part of base.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

const MAX_LINK_HOPS = 40;

/**
 * The path with every symlinked component resolved through `links` (the
 * image's final symlinks), never leaving the image root — /lib/x becomes
 * /usr/lib/x in a merged-/usr image. Gives up (returns the path as far as
 * resolved) after 40 links, as the kernel does with ELOOP.
 */
export function canonicalPath(path: string, links: ReadonlyMap<string, string>): string {
  if (links.size === 0 || !throughLink(path, links)) return path;
  let hops = 0;
  let resolved = "";
  const pending = path.split("/").filter(Boolean);
  while (pending.length > 0) {
    const next = `${resolved}/${pending.shift()!}`;
    const target = links.get(next);
    if (target !== undefined && hops++ < MAX_LINK_HOPS) {
      const dest = resolveLinkTarget(next, target);
      pending.unshift(...dest.split("/").filter(Boolean));
      resolved = "";
      continue;
    }
    resolved = next;
  }
  return resolved || "/";
}

/** Whether any prefix of `path` (or the path itself) is a symlink: most paths of an image are not. */
function throughLink(path: string, links: ReadonlyMap<string, string>): boolean {
  for (let i = path.indexOf("/", 1); i > 0; i = path.indexOf("/", i + 1)) {
    if (links.has(path.slice(0, i))) return true;
  }
  return links.has(path);
}
