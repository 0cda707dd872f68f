// Track numbers from the order tracks are in (the table's sort, or a query's): 1, 2, 3… — per disc when
// the tracks carry disc numbers (a track without one counts as disc 1), each with its disc's track count
// when totals are asked for.

export interface Numbered {
  readonly tracknumber: string;
  readonly totaltracks?: string;
}

/** `discs`: each track's disc number tag, in order (undefined when it has none). */
export function numberTracks(
  discs: ReadonlyArray<string | undefined>,
  options: { readonly perDisc: boolean; readonly totals: boolean },
): Numbered[] {
  const discOf = (d: string | undefined) => (options.perDisc ? Number.parseInt(d ?? '', 10) || 1 : 1);
  const counts = new Map<number, number>();
  for (const d of discs) counts.set(discOf(d), (counts.get(discOf(d)) ?? 0) + 1);
  const next = new Map<number, number>();
  return discs.map((d) => {
    const disc = discOf(d);
    const n = (next.get(disc) ?? 0) + 1;
    next.set(disc, n);
    return {
      tracknumber: String(n),
      ...(options.totals ? { totaltracks: String(counts.get(disc)) } : {}),
    };
  });
}
