// The track table's rows under the pointer, one handler each for all rows (event delegation), so rows
// take no callbacks and re-render only when they change: a press selects (with Shift a range, with Ctrl
// or Cmd one more), a press on a row of a larger selection may begin a drag of them all, a double click
// plays, a right click (or the menu key) opens the row's menu.
import type { MouseEvent } from 'react';
import type { TrackRow } from '../../app/shared/rpc-contract.ts';
import { isSelected, type Selection, type SelectMode, selectedCount } from './selection.ts';
import type { WindowStore } from './window-store.ts';

interface RowPointer {
  readonly store: WindowStore<TrackRow>;
  readonly selection: Selection;
  readonly total: number;
  readonly scroller: HTMLDivElement | null;
  onSelect(index: number, mode: SelectMode): void;
  onActivate(index: number): void;
  onRowMenu(index: number, x: number, y: number): void;
}

export function useRowPointer(p: RowPointer) {
  const { store, selection, total, scroller, onSelect, onActivate, onRowMenu } = p;
  const rowIndex = (e: MouseEvent) => {
    const index = (e.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset.index;
    return index === undefined ? undefined : Number(index);
  };
  const onMouseDown = (e: MouseEvent) => {
    const i = rowIndex(e);
    if (e.button !== 0 || i === undefined) return;
    if (e.shiftKey) e.preventDefault(); // no text selection on shift-click
    const ctrl = e.ctrlKey || e.metaKey;
    // A press on a row of a larger selection may begin a drag of all of them: it selects that row alone
    // only as a click (onClick, which a drag does not end in).
    const row = store.get(i);
    if (!e.shiftKey && !ctrl && row && isSelected(selection, row.id) && selectedCount(selection, total) > 1)
      return;
    onSelect(i, e.shiftKey ? (ctrl ? 'range-add' : 'range') : ctrl ? 'toggle' : 'only');
  };
  const onClick = (e: MouseEvent) => {
    const i = rowIndex(e);
    if (i === undefined || e.shiftKey || e.ctrlKey || e.metaKey) return;
    if (selectedCount(selection, total) > 1) onSelect(i, 'only');
  };
  const onDoubleClick = (e: MouseEvent) => {
    const i = rowIndex(e);
    if (i !== undefined) onActivate(i);
  };
  const onContextMenu = (e: MouseEvent) => {
    const i = rowIndex(e);
    const row = i === undefined ? undefined : store.get(i);
    if (i !== undefined && row) {
      e.preventDefault();
      if (!isSelected(selection, row.id)) onSelect(i, 'only');
      onRowMenu(i, e.clientX, e.clientY);
      return;
    }
    // The keyboard's menu key or Shift+F10 on the table: the menu of the row the keyboard is on.
    const lead = selection.lead;
    const box =
      lead === null ? undefined : scroller?.querySelector(`[data-index="${lead}"]`)?.getBoundingClientRect();
    if (lead === null || !box || !store.get(lead)) return;
    e.preventDefault();
    onRowMenu(lead, box.left + 24, box.bottom);
  };

  return { onMouseDown, onClick, onDoubleClick, onContextMenu };
}
