/**
 * Whether a version falls in an OSV range: `introduced` opens an interval,
 * `fixed` closes it before the fixed version, `last_affected` closes it after
 * the named version, and `limit` caps every interval. Events are put in
 * version order first (with "0" lowest), as the OSV specification evaluates
 * them, so a feed's listing order does not matter.
 */
import type { VersionScheme } from "./scheme.js";

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

type Kind = "introduced" | "fixed" | "last_affected" | "limit";

function parts(event: OsvEvent): { kind: Kind; version: string } | undefined {
  if (event.introduced !== undefined) return { kind: "introduced", version: event.introduced };
  if (event.fixed !== undefined) return { kind: "fixed", version: event.fixed };
  if (event.last_affected !== undefined) return { kind: "last_affected", version: event.last_affected };
  if (event.limit !== undefined) return { kind: "limit", version: event.limit };
  return undefined;
}

/** True when `version` is affected according to `events` in `scheme`. */
export function inOsvRange(scheme: VersionScheme, version: string, events: readonly OsvEvent[]): boolean {
  const order = (a: string, b: string) => (a === b ? 0 : a === "0" ? -1 : b === "0" ? 1 : scheme.compare(a, b));
  const sorted = events
    .map(parts)
    .filter((e): e is { kind: Kind; version: string } => e !== undefined)
    .sort((a, b) => order(a.version, b.version));
  let affected = false;
  for (const { kind, version: at } of sorted) {
    const cmp = order(version, at);
    if (kind === "introduced") {
      if (cmp >= 0) affected = true;
    } else if (kind === "fixed" || kind === "limit") {
      if (cmp >= 0) affected = false;
    } else if (cmp > 0) {
      affected = false;
    }
  }
  return affected;
}

/** The lowest `fixed` version above `version`, for the finding's fix. */
export function fixedVersionFor(scheme: VersionScheme, version: string, events: readonly OsvEvent[]): string | undefined {
  let best: string | undefined;
  for (const e of events) {
    if (e.fixed === undefined || scheme.compare(e.fixed, version) <= 0) continue;
    if (best === undefined || scheme.compare(e.fixed, best) < 0) best = e.fixed;
  }
  return best;
}
