// The library's totals for the footer (library.stats), reloaded whenever the library changes.
import { useEffect, useRef, useState } from 'react';
import type { Result } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';

/** The fewest milliseconds between two requests for the footer's totals while the library keeps changing. */
const STATS_EVERY_MS = 3000;

export type LibraryStats = Result<'library.stats'>;

export function useLibraryStats(onePerRecording: boolean): LibraryStats | null {
  const { backend, fail, libraryVersion } = useApp();
  const { client } = backend;
  const [stats, setStats] = useState<LibraryStats | null>(null);
  const statsAsked = useRef({ at: 0, onePerRecording });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reloaded whenever the library changes
  useEffect(() => {
    let live = true;
    // Counting recordings takes ~0.3 s of the reader thread at 100k files, and a scan changes the library
    // every second: the totals follow at most every STATS_EVERY_MS then (a switch of scope at once), so
    // the table's windows are not kept waiting behind the footer.
    const asked = statsAsked.current;
    const wait =
      asked.onePerRecording === onePerRecording ? Math.max(0, asked.at + STATS_EVERY_MS - Date.now()) : 0;
    const timer = setTimeout(() => {
      statsAsked.current = { at: Date.now(), onePerRecording };
      client.call('library.stats', { onePerRecording }).then((r) => live && setStats(r), fail);
    }, wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, fail, libraryVersion, onePerRecording]);
  return stats;
}
