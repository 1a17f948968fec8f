/**
 * Globs for suppression scopes: `*` (any run of characters but `/`), `?`
 * (one character but `/`) and `**` (anything, slashes included; as a whole
 * segment followed by a slash it also matches no segment at all, so
 * `deploy/**` + `/web.yaml` matches `deploy/web.yaml`). Everything else is
 * literal, `[`, `{` and `\` included.
 *
 * Why our own: no glob matcher is a dependency, and Node's `path.matchesGlob`
 * is still experimental in Node 20 and prints an ExperimentalWarning on its
 * first use, which would land in every scan's output. Three operators are
 * all suppressions need, and they fit in one tested function.
 */

/** Whether a string is a glob at all, or is matched as it is written. */
export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

/** A glob as an anchored regular expression; `ignoreCase` for rule ids and kinds. */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      const wholeSegment = (i === 0 || glob[i - 1] === "/") && (i + 2 === glob.length || glob[i + 2] === "/");
      if (wholeSegment && glob[i + 2] === "/") {
        source += "(?:.*/)?"; // `**/`: zero or more whole segments
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (c === "*") {
      source += "[^/]*";
    } else if (c === "?") {
      source += "[^/]";
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "");
}

/** Whether `text` matches `glob` entirely. */
export function matchesGlob(text: string, glob: string, ignoreCase = false): boolean {
  if (!isGlob(glob)) return ignoreCase ? text.toLowerCase() === glob.toLowerCase() : text === glob;
  return globToRegExp(glob, ignoreCase).test(text);
}
