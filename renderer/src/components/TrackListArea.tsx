// The Tracks view's table area: the list's table, or why there is none (loading, unreachable, failed,
// empty), with the row menu and the column chooser over it.
import { useCallback, useEffect, useState } from 'react';
import type { Sort, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { EMPTY, selectAll } from '../selection.ts';
import { useCloserQuery } from '../use-closer-query.ts';
import type { TrackSelection } from '../use-selection.ts';
import type { SelectionActions } from '../use-selection-actions.ts';
import type { TrackList } from '../use-track-list.ts';
import type { TracksPanels } from '../use-tracks-panels.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import { TrackRowMenu } from './TrackRowMenu.tsx';
import { TrackTable } from './TrackTable.tsx';

export interface TrackListAreaProps {
  readonly query: string;
  readonly sort: Sort | null;
  /** The query bar holds what it ran: else its rows are dimmed, not what it says. */
  readonly queryCurrent: boolean;
  readonly list: TrackList;
  readonly selected: TrackSelection;
  readonly actions: SelectionActions;
  readonly panels: TracksPanels;
  readonly playingId: number | null;
  onSort(sort: Sort | null): void;
  /** Runs another query (a mistyped value put right). */
  onQuery(query: string): void;
  editTags(): void;
  onAddFolder(): void;
  onUndo(batchId: number): void;
}

export function TrackListArea(props: TrackListAreaProps) {
  const { query, sort, list, selected, actions, panels } = props;
  const { tracks, shown, total, table, unreachable, listProblem } = list;
  const { selection, setSelection } = selected;
  // The row menu holds the row it opened on: a list refreshed meanwhile does not move it to another track.
  const [rowMenu, setRowMenu] = useState<{ row: TrackRow; x: number; y: number } | null>(null);
  const closeRowMenu = useCallback(() => setRowMenu(null), []);
  // Another list: the menu belongs to the one it opened on (another view closes this one).
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on this change
  useEffect(() => setRowMenu(null), [list.listKey]);
  return (
    <div
      className={`table-area${props.queryCurrent && !list.queryProblem ? '' : ' stale'}`}
      aria-busy={tracks.total === null}
      data-query={query}
    >
      {unreachable && (
        <div className="empty unreachable" role="status">
          Sleeve’s backend is not answering: reconnecting… This list loads once it is back.
        </div>
      )}
      {shown.total === null && !tracks.error && !unreachable && (
        <div className="loading">Loading tracks…</div>
      )}
      {listProblem && <div className="problem">Could not load tracks: {listProblem}</div>}
      {tracks.total === 0 && query === '' && (
        <div className="empty">
          <p>Your library is empty.</p>
          <button type="button" className="primary" onClick={props.onAddFolder}>
            Add a music folder
          </button>
        </div>
      )}
      {tracks.total === 0 && query !== '' && <NoMatch query={query} onQuery={props.onQuery} />}
      {total > 0 && tracks.total !== 0 && !unreachable && !listProblem && (
        <TrackTable
          store={shown}
          selection={selection}
          sort={sort}
          order={list.order}
          table={table}
          onChooseColumns={() => panels.setChoosingColumns(true)}
          playingId={props.playingId}
          onSort={props.onSort}
          onSelect={selected.onSelect}
          onSelectAll={() => setSelection(selectAll)}
          onClearSelection={() => setSelection(EMPTY)}
          onActivate={actions.play}
          onDragRows={panels.setDraggingRows}
          onRowMenu={(index, x, y) => {
            const row = shown.get(index);
            if (row) setRowMenu({ row, x, y });
          }}
        />
      )}
      {rowMenu && (
        <TrackRowMenu
          at={rowMenu}
          selection={selection}
          count={selected.count}
          actions={actions}
          editTags={props.editTags}
          onIdentify={() => panels.setIdentifying(true)}
          onTools={() => panels.setTooling(true)}
          onUndo={props.onUndo}
          onClose={closeRowMenu}
        />
      )}
      {panels.choosingColumns && <ColumnChooser table={table} onClose={panels.closeChooser} />}
    </div>
  );
}

/** A query that lists nothing, and the same with a mistyped value put right, when the library has one. */
function NoMatch({ query, onQuery }: { query: string; onQuery(query: string): void }) {
  const closer = useCloserQuery(query);
  return (
    <div className="empty">
      <p>No tracks match “{query}”.</p>
      {closer && (
        <p>
          Did you mean{' '}
          <button type="button" className="link inline" onClick={() => onQuery(closer)}>
            {closer}
          </button>
          ?
        </p>
      )}
    </div>
  );
}
