// The Tracks view's list: the table's paged store for a query, sort and scope, its columns, and what to say
// when it cannot load. The footer counts it in every view, so it lives with the app, not the view.
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { parseQuery, QuerySyntaxError } from '../../app/shared/query.ts';
import type { Sort, TrackRow } from '../../app/shared/rpc-contract.ts';
import { useApp, useWindowStore } from './app-context.tsx';
import type { ListOrder } from './components/TrackTable.tsx';
import { remoteProblem } from './input-problem.ts';
import { LatestCount } from './latest-count.ts';
import { type ConnectionState, isConnectionError } from './rpc-client.ts';
import { extraTags, useTableColumns } from './table-columns.ts';
import type { WindowStore } from './window-store.ts';

const IDS_PER_CALL = 10_000;

/** The order a list is in: the header's sort, else the query's first sort term, else by path. */
function listOrder(query: string, sort: Sort | null): ListOrder {
  if (sort) return { sort, by: 'header' };
  try {
    const first = parseQuery(query).sorts[0];
    if (first) return { sort: first, by: 'query' };
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
  }
  return { sort: { field: 'path', descending: false }, by: 'default' };
}

export function useTrackList(
  query: string,
  sort: Sort | null,
  onePerRecording: boolean,
  connection: ConnectionState,
) {
  const { backend } = useApp();
  const { client } = backend;
  const table = useTableColumns();
  const columns = extraTags(table.keys);
  const listKey = JSON.stringify([query, sort, onePerRecording]);
  // A query typed a key at a time counts only its newest list once the running count is done.
  const counts = useRef(new LatestCount()).current;
  // Parsed once per query, not on every render (scrolling renders the app as rows arrive).
  const order = useMemo(() => listOrder(query, sort), [query, sort]);
  const tracks = useWindowStore<TrackRow>(
    `tracks:${listKey}`,
    (offset, limit) =>
      client
        .call('library.page', { query, sort, offset, limit, onePerRecording, columns })
        .then((r) => ({ total: r.total, items: r.rows })),
    100,
    () => counts.ask(() => client.call('library.count', { query, onePerRecording }).then((r) => r.total)),
  );
  // A column added or removed reloads the rows in view, where they are (the same list, more tags).
  const columnsKey = columns.join(',');
  const shownColumns = useRef(columnsKey);
  useEffect(() => {
    if (shownColumns.current === columnsKey) return;
    shownColumns.current = columnsKey;
    tracks.refresh();
  }, [columnsKey, tracks]);
  // While a new query loads, the table keeps showing the last list that had loaded (no flicker, focus kept).
  const lastLoaded = useRef(tracks);
  if (tracks.total !== null) lastLoaded.current = tracks;
  const shown: WindowStore<TrackRow> = lastLoaded.current;
  // A query the backend refused with a position (an unknown field) is marked in the query bar itself.
  const queryProblem = remoteProblem(tracks.error);
  // The backend away while this list has not loaded: say so instead of the last list's rows under a
  // query they do not match. Any other failure is said instead of the table, never over it.
  const everOpen = useRef(false);
  if (connection === 'open') everOpen.current = true;
  const unreachable =
    tracks.total === null && (isConnectionError(tracks.error) || (connection !== 'open' && everOpen.current));
  const listProblem =
    tracks.error && !queryProblem && !isConnectionError(tracks.error) ? tracks.error.message : null;

  /** The ids of the rows from..to of this list, asked IDS_PER_CALL at a time. */
  const idsIn = useCallback(
    async (from: number, to: number) => {
      const ids: number[] = [];
      for (let offset = from; offset <= to; offset += IDS_PER_CALL) {
        const r = await client.call('library.ids', {
          query,
          sort,
          offset,
          limit: Math.min(IDS_PER_CALL, to - offset + 1),
          onePerRecording,
        });
        ids.push(...r.ids);
      }
      return ids;
    },
    [client, query, sort, onePerRecording],
  );

  return {
    table,
    listKey,
    order,
    /** The store of the list asked for; `shown` is the last one that loaded. */
    tracks,
    shown,
    total: shown.total ?? 0,
    queryProblem,
    unreachable,
    listProblem,
    idsIn,
  };
}

export type TrackList = ReturnType<typeof useTrackList>;
