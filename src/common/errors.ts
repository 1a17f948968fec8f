/**
 * One error type for bad outside input: it names the input (`source`) and the
 * place inside it (`location`: offset, line, JSON path, entry), so the CLI can
 * print it on one line and the server can map it to a 400 with the same text.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    /** What was being read: "docker-archive /tmp/a.tar", "dpkg status (layer sha256:ab12…, var/lib/dpkg/status)". */
    readonly source: string,
    /** Where inside it, when known: "line 1841", "offset 5120", "$.layers[2].digest". */
    readonly location: string | undefined,
    /** What was wrong or expected. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}${location ? ` ${location}` : ""}: ${detail}`, options);
  }
}

/** True for errors that describe bad input rather than a bug. */
export function isInputError(err: unknown): err is InputError {
  return err instanceof InputError;
}

/** The message of anything thrown, for warnings and one-line CLI errors. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
