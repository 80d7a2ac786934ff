/**
 * Runs `fn` over `items` with at most `limit` in flight, keeping results in
 * input order. Hand-written rather than p-limit: p-limit 4 and later are
 * ESM-only while breakfix compiles to CommonJS, and this is all we need.
 * `fn` must not reject: callers turn failures into values (an `error` cell).
 */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
