// The library's track table: virtualized (only visible rows exist in the DOM), sortable by clicking a
// header (the order in force always marked), columns chosen, ordered and resized by the user (remembered:
// table-columns.ts), fields edited in Sleeve marked, selection by mouse and keyboard.
import { type KeyboardEvent, memo, type PointerEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { Sort, TrackRow } from '../../../app/shared/rpc-contract.ts';
import { scrollToShown } from '../column-choice.ts';
import { dragHorizontally } from '../drag.ts';
import { isSelected, type Selection, type SelectMode } from '../selection.ts';
import type { Column, TableColumns } from '../table-columns.ts';
import { movedTo, nextSort } from '../table-keys.ts';
import { useRowPointer } from '../use-row-pointer.ts';
import { scrollIntoView, useViewport } from '../use-viewport.ts';
import type { WindowStore } from '../window-store.ts';

export const ROW_HEIGHT = 28;
const HEADER_HEIGHT = 30;
const PREFETCH = 100;
/** The header's last cell: the column chooser's button. */
const CHOOSER_WIDTH = 32;

/** The order the list is in: the header's sort, else the query's (`date+`), else by path. */
export interface ListOrder {
  readonly sort: Sort;
  readonly by: 'header' | 'query' | 'default';
}

interface Props {
  readonly store: WindowStore<TrackRow>;
  readonly selection: Selection;
  readonly sort: Sort | null;
  readonly order: ListOrder;
  readonly table: TableColumns;
  onChooseColumns(): void;
  readonly playingId: number | null;
  onSort(sort: Sort | null): void;
  onSelect(index: number, mode: SelectMode): void;
  onSelectAll(): void;
  onClearSelection(): void;
  onActivate(index: number): void;
  /** Right-click on a row (selected first if it was not): the row menu at the pointer. */
  onRowMenu(index: number, x: number, y: number): void;
  /** A drag of the selected rows began (true) or ended (false): where they can be dropped shows. */
  onDragRows(dragging: boolean): void;
}

/** What a drag of the table's rows carries: nothing but its kind (the drop takes the selection). */
export const TRACKS_DRAG = 'application/x-sleeve-tracks';

/** The table scrolled to the keyboard's row as it moves, and to the top for a new query or sort. */
function useScrollFollow(scroller: HTMLDivElement | null, lead: number | null, store: unknown) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the keyboard's row only
  useEffect(() => {
    if (lead !== null) scrollIntoView(scroller, lead, ROW_HEIGHT, HEADER_HEIGHT);
  }, [lead]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the store (query, sort) changes
  useEffect(() => {
    if (scroller) scroller.scrollTop = 0;
  }, [store]);
}

/** A column just shown (it goes at the end) scrolled into view: with the editor open it would sit past the
 *  table's right edge, and the user would not see what their tick or Add column did. */
function useShownColumnInView(scroller: HTMLDivElement | null, keys: readonly string[], widths: number[]) {
  const before = useRef(keys);
  useEffect(() => {
    const left = scroller
      ? scrollToShown(before.current, keys, widths, {
          left: scroller.scrollLeft,
          width: scroller.clientWidth,
        })
      : undefined;
    if (scroller && left !== undefined) scroller.scrollLeft = left;
    before.current = keys;
  }, [scroller, keys, widths]);
}

/** The table's keys: arrows, Page Up/Down, Home and End move (with Shift, extend) the selection; Ctrl+A
 *  selects every row, Escape none; Enter plays the keyboard's row. `page`: rows a page moves. */
function tableKeys(
  page: number,
  on: Pick<Props, 'onSelect' | 'onSelectAll' | 'onClearSelection' | 'onActivate'> & {
    readonly lead: number | null;
    readonly total: number;
  },
) {
  return (e: KeyboardEvent) => {
    const index = movedTo(e.key, on.lead, page, on.total);
    if (index !== undefined) {
      e.preventDefault();
      on.onSelect(index, e.shiftKey ? 'range' : 'only');
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      on.onSelectAll();
    } else if (e.key === 'Escape') on.onClearSelection();
    else if (e.key === 'Enter' && on.lead !== null) {
      e.preventDefault();
      on.onActivate(on.lead);
    }
  };
}

export function TrackTable({
  store,
  selection,
  sort,
  order,
  table,
  onChooseColumns,
  playingId,
  onSort,
  onSelect,
  onSelectAll,
  onClearSelection,
  onActivate,
  onRowMenu,
  onDragRows,
}: Props) {
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  const total = store.total ?? 0;
  // A block beyond each edge is fetched ahead, so fast scrolling meets rows already loaded.
  const view = useViewport(scroller, ROW_HEIGHT, store, { prefetch: PREFETCH });
  useScrollFollow(scroller, selection.lead, store);

  const { columns, widths } = table;
  const columnWidths = useMemo(() => columns.map((c) => widths[c.key] ?? c.width), [columns, widths]);
  const totalWidth = columnWidths.reduce((sum, w) => sum + w, 0) + CHOOSER_WIDTH;
  useShownColumnInView(scroller, table.keys, columnWidths);

  const onKeyDown = tableKeys(Math.max(1, Math.floor(view.height / ROW_HEIGHT) - 1), {
    lead: selection.lead,
    total,
    onSelect,
    onSelectAll,
    onClearSelection,
    onActivate,
  });

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
        columns={columns}
        widths={columnWidths}
        totalWidth={totalWidth}
      />,
    );
  }

  const { onMouseDown, onClick, onDoubleClick, onContextMenu } = useRowPointer({
    store,
    selection,
    total,
    scroller,
    onSelect,
    onActivate,
    onRowMenu,
  });

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
      onClick={onClick}
      onDoubleClick={onDoubleClick}
      onDragStart={(e) => {
        e.dataTransfer.setData(TRACKS_DRAG, '');
        e.dataTransfer.effectAllowed = 'copy';
        onDragRows(true);
      }}
      onDragEnd={() => onDragRows(false)}
      onContextMenu={onContextMenu}
    >
      <TableHeader
        table={table}
        sort={sort}
        order={order}
        totalWidth={totalWidth}
        onSort={onSort}
        onChooseColumns={onChooseColumns}
      />
      <div style={{ height: total * ROW_HEIGHT, width: totalWidth }} />
      {rows}
    </div>
  );
}

/** The header row: a cell per column (a click sorts by it, its edge resizes it) and the column chooser;
 *  a right-click anywhere on it chooses columns too. */
function TableHeader({
  table,
  sort,
  order,
  totalWidth,
  onSort,
  onChooseColumns,
}: Pick<Props, 'table' | 'sort' | 'order' | 'onSort' | 'onChooseColumns'> & { readonly totalWidth: number }) {
  const width = (c: Column) => table.widths[c.key] ?? c.width;
  const startResize = (e: PointerEvent, column: Column) => {
    const startWidth = width(column);
    dragHorizontally(
      e,
      (dx) => table.setWidth(column.key, startWidth + dx, false),
      (dx) => table.setWidth(column.key, startWidth + dx, true),
    );
  };
  return (
    <div
      className="header"
      role="row"
      style={{ width: totalWidth, height: HEADER_HEIGHT }}
      onContextMenu={(e) => {
        e.preventDefault();
        // Not the table's too: it would open the menu of the keyboard's row as well.
        e.stopPropagation();
        onChooseColumns();
      }}
    >
      {table.columns.map((c) => (
        <HeaderCell
          key={c.key}
          column={c}
          width={width(c)}
          order={order}
          onSort={() => onSort(nextSort(sort, c.sortField))}
          onResize={(e) => startResize(e, c)}
        />
      ))}
      <div className="cell chooser" style={{ width: CHOOSER_WIDTH }}>
        <button
          type="button"
          className="sort"
          title="Choose columns"
          aria-label="Choose columns"
          onClick={onChooseColumns}
        >
          ⋯
        </button>
      </div>
    </div>
  );
}

interface RowProps {
  readonly index: number;
  readonly row: TrackRow | undefined;
  readonly selected: boolean;
  readonly lead: boolean;
  readonly playing: boolean;
  readonly columns: readonly Column[];
  readonly widths: readonly number[];
  readonly totalWidth: number;
}

/** A row's look: selected, missing, another copy of a recording than the one kept, playing. */
function rowClass(row: TrackRow | undefined, selected: boolean, lead: boolean, playing: boolean): string {
  const marks = [
    selected && 'selected',
    lead && 'lead',
    row?.status === 'missing' && 'missing',
    row?.copy === 'other' && 'other-copy',
    playing && 'playing',
  ];
  return ['row', ...marks.filter(Boolean)].join(' ');
}

/** One row; memoized, so scrolling renders only the rows that came into view. */
const TrackRowView = memo(function TrackRowView({
  index,
  row,
  selected,
  lead,
  playing,
  columns,
  widths,
  totalWidth,
}: RowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={rowClass(row, selected, lead, playing)}
      style={{ top: HEADER_HEIGHT + index * ROW_HEIGHT, width: totalWidth }}
      data-index={index}
      data-id={row?.id}
      draggable={selected}
    >
      {row ? (
        columns.map((c, k) => {
          const value = c.value(row);
          const edited = row.edited.includes(c.key);
          const title = edited
            ? `${value} (edited in Sleeve; the file is untouched)`
            : (c.describe?.(row) ?? value);
          return (
            <div
              key={c.key}
              role="gridcell"
              data-column={c.key}
              className={`cell${c.numeric ? ' numeric' : ''}${c.clipStart ? ' clip-start' : ''}${edited ? ' edited' : ''}`}
              style={{ width: widths[k] }}
              title={title}
            >
              {c.clipStart ? <bdi>{value}</bdi> : value}
            </div>
          );
        })
      ) : (
        <div className="cell placeholder" style={{ width: totalWidth }} />
      )}
    </div>
  );
});

/** A column's header: its label sorts by it (the order shown by its arrow; implicit when the query or the
 *  default order lists by it), and its edge resizes it. */
function HeaderCell(props: {
  column: Column;
  width: number;
  order: ListOrder;
  onSort(): void;
  onResize(e: PointerEvent): void;
}) {
  const { column, width, order, onSort, onResize } = props;
  const sorted = order.sort.field === column.sortField;
  return (
    <div
      role="columnheader"
      aria-sort={sorted ? (order.sort.descending ? 'descending' : 'ascending') : 'none'}
      className={`cell${column.numeric ? ' numeric' : ''}`}
      style={{ width }}
    >
      <button
        type="button"
        className="sort"
        title={
          sorted && order.by !== 'header'
            ? `Listed by ${column.sortedAs ?? column.label} (${order.by === 'query' ? "the query's sort" : 'the default order'}); click to sort by it`
            : `Sort by ${column.sortedAs ?? column.label}`
        }
        onClick={onSort}
      >
        {column.label}
        {sorted && (
          <span className={`arrow${order.by === 'header' ? '' : ' implicit'}`}>
            {order.sort.descending ? ' ▼' : ' ▲'}
          </span>
        )}
      </button>
      <hr
        className="resize"
        aria-orientation="vertical"
        aria-label={`Resize ${column.label}`}
        onPointerDown={onResize}
      />
    </div>
  );
}
