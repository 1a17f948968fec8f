/**
 * Which files are worth scanning as text. The caller sniffs the start of a
 * file with `looksBinary` and skips files above `MAX_TEXT_BYTES` before
 * decoding; both are cheap and keep multi-gigabyte layers from being read as
 * text.
 */

/** How much of a file's start `looksBinary` reads. */
export const BINARY_SNIFF_BYTES = 8192;

/**
 * A suggested cap on the size of a file scanned for secrets (1 MiB): config
 * files, scripts and keys are far smaller, and files above it are mostly
 * data, logs and bundles. The caller decides whether to apply it.
 */
export const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * True when the first `BINARY_SNIFF_BYTES` hold a NUL byte or are not valid
 * UTF-8 (a multi-byte character cut by the end of the sniffed part is not
 * held against the file). UTF-16 text (NUL bytes) and Latin-1 text (invalid
 * UTF-8) count as binary: secrets in them are not looked for.
 */
export function looksBinary(bytes: Uint8Array, sniff = BINARY_SNIFF_BYTES): boolean {
  const head = bytes.subarray(0, sniff);
  if (head.includes(0)) return true;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: head.length < bytes.length });
    return false;
  } catch {
    return true;
  }
}
