// The footer's status: the list's and the selection's counts, the library's totals, views still updating,
// and the connection when it is not open.
import { useApp } from '../app-context.tsx';
import { formatCount, formatNumber, formatPlayingTime } from '../format.ts';
import type { ConnectionState } from '../rpc-client.ts';
import { useLibraryStats } from '../use-library-stats.ts';
import { useUpdating } from '../use-updating.ts';

interface Props {
  /** Tracks in the Tracks view's list; null before it has loaded. */
  readonly listed: number | null;
  /** Whether that list is the last query's, the one in the bar not running (dimmed, as its rows are). */
  readonly listedStale: boolean;
  readonly selected: number;
  readonly onePerRecording: boolean;
  readonly connection: ConnectionState;
}

export function StatusBar({ listed, listedStale, selected, onePerRecording, connection }: Props) {
  const { backend } = useApp();
  const updating = useUpdating(backend);
  const stats = useLibraryStats(onePerRecording);
  return (
    <div className="status" role="status">
      {listed !== null && (
        <span
          className={listedStale ? 'stale' : undefined}
          title={listedStale ? 'The last query that ran: the one above does not run' : undefined}
        >
          {formatCount(listed, 'track')}
        </span>
      )}
      {selected > 0 && <span>{formatNumber(selected)} selected</span>}
      {stats && stats.tracks > 0 && (
        <span>
          library: {formatCount(stats.albums, 'album')}, {formatCount(stats.artists, 'artist')},{' '}
          {formatPlayingTime(stats.seconds)}
          {stats.missing > 0 ? `, ${stats.missing} missing` : ''}
          {stats.errors > 0 ? `, ${stats.errors} unreadable` : ''}
        </span>
      )}
      {updating > 0 && <span>updating {formatCount(updating, 'track')}…</span>}
      {connection !== 'open' && (
        <span className="problem">
          {connection === 'connecting' ? 'connecting…' : 'backend unreachable: retrying'}
        </span>
      )}
    </div>
  );
}
