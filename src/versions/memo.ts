/**
 * Remembers a function's value per string, in two generations: when the
 * newer one fills, the older is dropped. Memory stays bounded, every step is
 * O(1), and a working set of up to `limit` strings is never parsed twice.
 * (Deleting a Map's oldest key one at a time instead makes V8 walk ever more
 * tombstones.) Matching compares the same few thousand versions over and over.
 */
export function memo<T extends object | string | true>(make: (key: string) => T, limit = 10_000): (key: string) => T {
  let recent = new Map<string, T>();
  let older = new Map<string, T>();
  return (key) => {
    let value = recent.get(key);
    if (value === undefined) {
      value = older.get(key) ?? make(key);
      if (recent.size >= limit) {
        older = recent;
        recent = new Map();
      }
      recent.set(key, value);
    }
    return value;
  };
}
