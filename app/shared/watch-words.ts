// How a watcher's report reads, in the app's notices and `sleeve watch`'s lines.

import { formatNumber } from './count-words.ts';

/** What one look of a watcher took in: the library folder, the places looked at, and the files. */
export interface WatchCounts {
  readonly folder: string;
  /** The folders looked at (the whole library folder after a poll or a resume). */
  readonly places: readonly string[];
  readonly added: number;
  readonly updated: number;
  readonly moved: number;
  readonly missing: number;
  readonly errors: number;
}

/** How many files a look took in, changed or lost: 0 for a look that changed nothing. */
export function changedCount(r: Omit<WatchCounts, 'folder' | 'places'>): number {
  return r.added + r.updated + r.moved + r.missing + r.errors;
}

/** "12 added, 1 moved in /music/Album" */
export function watchReportText(r: WatchCounts): string {
  const parts = (
    [
      [r.added, 'added'],
      [r.updated, 'changed'],
      [r.moved, 'moved'],
      [r.missing, 'missing'],
      [r.errors, 'unreadable'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${formatNumber(n)} ${what}`);
  const where = r.places.length === 1 ? r.places[0] : `${r.places.length} folders of ${r.folder}`;
  return r.places.length === 0 ? parts.join(', ') : `${parts.join(', ')} in ${where}`;
}
