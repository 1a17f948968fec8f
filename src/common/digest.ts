/** "sha256:0123456789ab…" → "sha256:0123456789ab", for messages and tables. */
export function shortDigest(digest: string, hexChars = 12): string {
  const i = digest.indexOf(":");
  return i < 0 ? digest.slice(0, hexChars) : digest.slice(0, i + 1 + hexChars);
}
