// The library's track table: virtualized (only visible rows exist in the DOM), sortable by clicking a
// header, columns resizable by dragging their edge (widths remembered), selection by mouse and keyboard.
import {
  type KeyboardEvent,
  type MouseEvent,
  memo,
  type PointerEvent,
  useEffect,
  useMemo,
  useState,
} from 'react';
import type { Sort, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { formatDuration, trackNumber, trackTitle } from '../format.ts';
import { isSelected, type Selection } from '../selection.ts';
import { scrollIntoView, useViewport } from '../use-viewport.ts';
import type { WindowStore } from '../window-store.ts';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;
const PREFETCH = 100;

interface Column {
  readonly key: string;
  readonly label: string;
  readonly sortField: string;
  readonly width: number;
  readonly numeric?: boolean;
  value(row: TrackRow): string;
}

const COLUMNS: readonly Column[] = [
  {
    key: 'tracknumber',
    label: '#',
    sortField: 'tracknumber',
    width: 44,
    numeric: true,
    value: (r) => trackNumber(r.tags.tracknumber),
  },
  {
    key: 'title',
    label: 'Title',
    sortField: 'title',
    width: 260,
    value: trackTitle,
  },
  { key: 'artist', label: 'Artist', sortField: 'artist', width: 190, value: (r) => r.tags.artist ?? '' },
  { key: 'album', label: 'Album', sortField: 'album', width: 210, value: (r) => r.tags.album ?? '' },
  {
    key: 'albumartist',
    label: 'Album artist',
    sortField: 'albumartist',
    width: 160,
    value: (r) => r.tags.albumartist ?? '',
  },
  { key: 'date', label: 'Date', sortField: 'date', width: 96, value: (r) => r.tags.date ?? '' },
  { key: 'genre', label: 'Genre', sortField: 'genre', width: 120, value: (r) => r.tags.genre ?? '' },
  {
    key: 'duration',
    label: 'Time',
    sortField: 'duration',
    width: 64,
    numeric: true,
    value: (r) => formatDuration(r.duration),
  },
  { key: 'format', label: 'Format', sortField: 'format', width: 80, value: (r) => r.format ?? '' },
  {
    key: 'bitrate',
    label: 'kbps',
    sortField: 'bitrate',
    width: 60,
    numeric: true,
    value: (r) => (r.bitrate ? String(Math.round(r.bitrate / 1000)) : ''),
  },
  { key: 'path', label: 'Path', sortField: 'path', width: 360, value: (r) => r.path },
];

const WIDTHS_KEY = 'sleeve.columnWidths';

function savedWidths(): Record<string, number> {
  try {
    return JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? '{}') as Record<string, number>;
  } catch {
    return {};
  }
}

export type SelectMode = 'only' | 'toggle' | 'range' | 'range-add';

interface Props {
  readonly store: WindowStore<TrackRow>;
  readonly selection: Selection;
  readonly sort: Sort | null;
  readonly playingId: number | null;
  onSort(sort: Sort | null): void;
  onSelect(index: number, mode: SelectMode): void;
  onSelectAll(): void;
  onClearSelection(): void;
  onActivate(index: number): void;
}

export function TrackTable({
  store,
  selection,
  sort,
  playingId,
  onSort,
  onSelect,
  onSelectAll,
  onClearSelection,
  onActivate,
}: Props) {
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const total = store.total ?? 0;
  // A block beyond each edge is fetched ahead, so fast scrolling meets rows already loaded.
  const view = useViewport(scroller, ROW_HEIGHT, store, { prefetch: PREFETCH });
  const [widths, setWidths] = useState<Record<string, number>>(savedWidths);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the keyboard's row only
  useEffect(() => {
    if (selection.lead !== null) scrollIntoView(scroller, selection.lead, ROW_HEIGHT, HEADER_HEIGHT);
  }, [selection.lead]);
  // A new query starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the store (query, sort) changes
  useEffect(() => {
    if (scroller) scroller.scrollTop = 0;
  }, [store]);

  const width = (c: Column) => widths[c.key] ?? c.width;
  const columnWidths = useMemo(() => COLUMNS.map((c) => widths[c.key] ?? c.width), [widths]);
  const totalWidth = columnWidths.reduce((sum, w) => sum + w, 0);

  const startResize = (e: PointerEvent, column: Column) => {
    e.preventDefault();
    e.stopPropagation();
    const startX = e.clientX;
    const startWidth = width(column);
    const target = e.currentTarget as HTMLElement;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) =>
      setWidths((w) => ({ ...w, [column.key]: Math.max(32, Math.round(startWidth + ev.clientX - startX)) }));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      setWidths((w) => {
        localStorage.setItem(WIDTHS_KEY, JSON.stringify(w));
        return w;
      });
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  };

  const clickHeader = (c: Column) => {
    if (sort?.field !== c.sortField) onSort({ field: c.sortField, descending: false });
    else if (!sort.descending) onSort({ field: c.sortField, descending: true });
    else onSort(null);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(view.height / ROW_HEIGHT) - 1);
    const lead = selection.lead ?? -1;
    const moves: Record<string, number> = {
      ArrowDown: lead + 1,
      ArrowUp: lead - 1,
      PageDown: lead + page,
      PageUp: lead - page,
      Home: 0,
      End: total - 1,
    };
    if (e.key in moves && total > 0) {
      e.preventDefault();
      const index = Math.min(total - 1, Math.max(0, moves[e.key]!));
      onSelect(index, e.shiftKey ? 'range' : 'only');
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      onSelectAll();
    } else if (e.key === 'Escape') onClearSelection();
    else if (e.key === 'Enter' && selection.lead !== null) {
      e.preventDefault();
      onActivate(selection.lead);
    }
  };

  const rows = [];
  for (let i = view.first; i <= view.last; i++) {
    const row = store.get(i);
    rows.push(
      <TrackRowView
        key={i}
        index={i}
        row={row}
        selected={row !== undefined && isSelected(selection, row.id)}
        lead={i === selection.lead}
        playing={row !== undefined && row.id === playingId}
        widths={columnWidths}
        totalWidth={totalWidth}
      />,
    );
  }

  // One handler for all rows (event delegation), so rows take no callbacks and re-render only when they change.
  const rowIndex = (e: MouseEvent) => {
    const index = (e.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index;
    return index === undefined ? undefined : Number(index);
  };
  const onMouseDown = (e: MouseEvent) => {
    const i = rowIndex(e);
    if (e.button !== 0 || i === undefined) return;
    if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
    const ctrl = e.ctrlKey || e.metaKey;
    onSelect(i, e.shiftKey ? (ctrl ? 'range-add' : 'range') : ctrl ? 'toggle' : 'only');
  };
  const onDoubleClick = (e: MouseEvent) => {
    const i = rowIndex(e);
    if (i !== undefined) onActivate(i);
  };

  return (
    <div
      ref={setScroller}
      className="track-table"
      role="grid"
      aria-label="Tracks"
      aria-rowcount={total + 1}
      aria-multiselectable
      tabIndex={0}
      onKeyDown={onKeyDown}
      onMouseDown={onMouseDown}
      onDoubleClick={onDoubleClick}
    >
      <div className="header" role="row" style={{ width: totalWidth, height: HEADER_HEIGHT }}>
        {COLUMNS.map((c) => (
          <div
            key={c.key}
            role="columnheader"
            aria-sort={sort?.field === c.sortField ? (sort.descending ? 'descending' : 'ascending') : 'none'}
            className={`cell${c.numeric ? ' numeric' : ''}`}
            style={{ width: width(c) }}
          >
            <button
              type="button"
              className="sort"
              title={`Sort by ${c.label}`}
              onClick={() => clickHeader(c)}
            >
              {c.label}
              {sort?.field === c.sortField ? (sort.descending ? ' ▼' : ' ▲') : ''}
            </button>
            <hr
              className="resize"
              aria-orientation="vertical"
              aria-label={`Resize ${c.label}`}
              onPointerDown={(e) => startResize(e, c)}
            />
          </div>
        ))}
      </div>
      <div style={{ height: total * ROW_HEIGHT, width: totalWidth }} />
      {rows}
    </div>
  );
}

interface RowProps {
  readonly index: number;
  readonly row: TrackRow | undefined;
  readonly selected: boolean;
  readonly lead: boolean;
  readonly playing: boolean;
  readonly widths: readonly number[];
  readonly totalWidth: number;
}

/** One row; memoized, so scrolling renders only the rows that came into view. */
const TrackRowView = memo(function TrackRowView({
  index,
  row,
  selected,
  lead,
  playing,
  widths,
  totalWidth,
}: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`row${selected ? ' selected' : ''}${lead ? ' lead' : ''}${row?.status === 'missing' ? ' missing' : ''}${playing ? ' playing' : ''}`}
      style={{ top: HEADER_HEIGHT + index * ROW_HEIGHT, width: totalWidth }}
      data-index={index}
      data-id={row?.id}
    >
      {row ? (
        COLUMNS.map((c, k) => (
          <div
            key={c.key}
            role="gridcell"
            className={`cell${c.numeric ? ' numeric' : ''}`}
            style={{ width: widths[k] }}
            title={c.value(row)}
          >
            {c.value(row)}
          </div>
        ))
      ) : (
        <div className="cell placeholder" style={{ width: totalWidth }} />
      )}
    </div>
  );
});
