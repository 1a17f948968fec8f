/** Paths inside an image: normalised absolute form, traversal detection, symlink resolution. */
import { posix } from "node:path";

/**
 * Normalise an archive member name to an absolute image path, or return null
 * when the name climbs out of the image root ("../../etc/passwd").
 * A leading "/" or "./" is accepted, as tar writers emit both.
 */
export function normaliseEntryPath(name: string): string | null {
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
  return path === "/" ? 0 : path.split("/").length - 1;
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
