// A few tasks under way at once over a list: as many as the resource they share takes (a file lane's
// queue, a web service's politeness), each next item started as one ends.

/** `f` of each item, in their order, with at most `limit` of them under way at once. A rejection rejects
 *  the whole (the items under way then go on; no further one starts from the runner that failed). */
export async function atOnce<T, R>(
  items: readonly T[],
  limit: number,
  f: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const runner = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, runner));
  return out;
}
