// The library's track table: virtualized (only visible rows exist in the DOM), sortable by clicking a
// header, columns resizable by dragging their edge (widths remembered), selection by mouse and keyboard.
import { type KeyboardEvent, type PointerEvent, useEffect, useState } from 'react';
import type { Sort, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { formatDuration } from '../format.ts';
import { isSelected, type Selection } from '../selection.ts';
import { scrollIntoView, useViewport } from '../use-viewport.ts';
import type { WindowStore } from '../window-store.ts';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;

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
    value: (r) => r.tags.tracknumber ?? '',
  },
  {
    key: 'title',
    label: 'Title',
    sortField: 'title',
    width: 260,
    value: (r) => r.tags.title ?? r.path.slice(r.path.lastIndexOf('/') + 1),
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
  const view = useViewport(scroller, ROW_HEIGHT, total);
  const [widths, setWidths] = useState<Record<string, number>>(savedWidths);
  useEffect(() => store.ensure(view.first, view.last), [store, view.first, view.last]);
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
  const totalWidth = COLUMNS.reduce((sum, c) => sum + width(c), 0);

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
    const selected = row !== undefined && isSelected(selection, row.id);
    rows.push(
      <div
        key={i}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={selected}
        className={`row${selected ? ' selected' : ''}${i === selection.lead ? ' lead' : ''}${row?.status === 'missing' ? ' missing' : ''}${row && row.id === playingId ? ' playing' : ''}`}
        style={{ top: HEADER_HEIGHT + i * ROW_HEIGHT, width: totalWidth }}
        data-id={row?.id}
        onMouseDown={(e) => {
          if (e.button !== 0) return;
          if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
          onSelect(
            i,
            e.shiftKey
              ? e.ctrlKey || e.metaKey
                ? 'range-add'
                : 'range'
              : e.ctrlKey || e.metaKey
                ? 'toggle'
                : 'only',
          );
        }}
        onDoubleClick={() => onActivate(i)}
      >
        {row ? (
          COLUMNS.map((c) => (
            <div
              key={c.key}
              role="gridcell"
              className={`cell${c.numeric ? ' numeric' : ''}`}
              style={{ width: width(c) }}
              title={c.value(row)}
            >
              {c.value(row)}
            </div>
          ))
        ) : (
          <div className="cell placeholder" style={{ width: totalWidth }} />
        )}
      </div>,
    );
  }

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
