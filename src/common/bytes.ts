/** Small byte helpers shared by readers of layer files. */

/**
 * A copy of `bytes` in fresh memory: for keeping part of a chunk the walk
 * will reuse. (Buffer.from of a view into shared memory copies element by
 * element, several times slower than this.)
 */
export function copyOf(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  bytes.copy(out);
  return out;
}
