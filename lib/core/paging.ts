/**
 * Collects the items of every page an SDK paginator yields (`paginateListRoles`
 * and friends), so callers never hand-write a NextToken or Marker loop.
 * `maxPages` stops early where reading everything would be unbounded (log events).
 */
export async function collectPages<P, T>(
  pages: AsyncIterable<P>,
  pick: (page: P) => readonly T[] | undefined,
  opts: { maxPages?: number } = {},
): Promise<T[]> {
  const items: T[] = [];
  let read = 0;
  for await (const page of pages) {
    items.push(...(pick(page) ?? []));
    if (++read >= (opts.maxPages ?? Infinity)) break;
  }
  return items;
}
