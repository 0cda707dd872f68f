// What the track table does with a key and a header click, apart from the table: the row a movement key
// takes the keyboard to, and the sort a header's clicks cycle through (ascending, descending, none).
import type { Sort } from '../../app/shared/rpc-contract.ts';

/** The row `key` moves the keyboard to from `lead` (none yet: -1), kept within the `total` rows; a page is
 *  `page` rows. Undefined: not a movement key, or no rows. */
export function movedTo(key: string, lead: number | null, page: number, total: number): number | undefined {
  const from = lead ?? -1;
  const moves: Record<string, number> = {
    ArrowDown: from + 1,
    ArrowUp: from - 1,
    PageDown: from + page,
    PageUp: from - page,
    Home: 0,
    End: total - 1,
  };
  return within(moves, key, total);
}

/** The place `moves` gives `key`, kept within the `total` places; undefined for another key or none. */
function within(moves: Record<string, number>, key: string, total: number): number | undefined {
  if (!(key in moves) || total === 0) return undefined;
  return Math.min(total - 1, Math.max(0, moves[key]!));
}

/** The tile `key` moves the keyboard to from tile `at` in a grid of `perRow` tiles a row (arrows, Home,
 *  End), kept within the `total` tiles. Undefined: not a movement key. */
export function gridMovedTo(key: string, at: number, perRow: number, total: number): number | undefined {
  const moves: Record<string, number> = {
    ArrowRight: at + 1,
    ArrowLeft: at - 1,
    ArrowDown: at + perRow,
    ArrowUp: at - perRow,
    Home: 0,
    End: total - 1,
  };
  return within(moves, key, total);
}

/** The sort after a click on the header of `field`: by it ascending, then descending, then none. */
export function nextSort(sort: Sort | null, field: string): Sort | null {
  if (sort?.field !== field) return { field, descending: false };
  return sort.descending ? null : { field, descending: true };
}
