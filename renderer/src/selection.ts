// Which tracks are selected, as a value: listed ids, or "everything the query matches except these" (so
// select-all over 100k tracks costs nothing). Row indices anchor shift-ranges. Pure and immutable.
import type { Target } from '../../app/shared/rpc-contract.ts';

export interface Selection {
  readonly all: boolean;
  /** all=false: the selected ids; all=true: the ids left out. */
  readonly ids: ReadonlySet<number>;
  /** Row where a shift-range starts, and the row the keyboard is on. */
  readonly anchor: number | null;
  readonly lead: number | null;
}

export const EMPTY: Selection = { all: false, ids: new Set(), anchor: null, lead: null };

export function isSelected(s: Selection, id: number): boolean {
  return s.all !== s.ids.has(id);
}

export function selectedCount(s: Selection, total: number): number {
  return s.all ? Math.max(0, total - s.ids.size) : s.ids.size;
}

/** A plain click: only this row. */
export function selectOnly(index: number, id: number): Selection {
  return { all: false, ids: new Set([id]), anchor: index, lead: index };
}

/** Ctrl/Cmd-click: this row in or out; it becomes the anchor. */
export function toggle(s: Selection, index: number, id: number): Selection {
  const ids = new Set(s.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { all: s.all, ids, anchor: index, lead: index };
}

/** Shift-click or shift-arrow: the ids of rows anchor..index; `add` (ctrl+shift) keeps what was selected. */
export function selectRange(
  s: Selection,
  index: number,
  rangeIds: readonly number[],
  add: boolean,
): Selection {
  if (add && s.all) {
    const ids = new Set(s.ids);
    for (const id of rangeIds) ids.delete(id);
    return { all: true, ids, anchor: s.anchor, lead: index };
  }
  const ids = new Set(add ? s.ids : []);
  for (const id of rangeIds) ids.add(id);
  return { all: false, ids, anchor: s.anchor ?? index, lead: index };
}

export function selectAll(s: Selection): Selection {
  return { all: true, ids: new Set(), anchor: s.anchor, lead: s.lead };
}

/** What the backend is asked to edit or summarize. Undefined when nothing is selected. */
export function toTarget(
  s: Selection,
  query: string,
  total: number,
  onePerRecording = false,
): Target | undefined {
  if (selectedCount(s, total) === 0) return undefined;
  if (!s.all) return { kind: 'ids', ids: [...s.ids] };
  return { kind: 'query', query, except: [...s.ids], ...(onePerRecording ? { onePerRecording } : {}) };
}

/** The rows a shift-range covers, in order. */
export function rangeBounds(s: Selection, index: number): [number, number] {
  const anchor = s.anchor ?? index;
  return [Math.min(anchor, index), Math.max(anchor, index)];
}

/** How a press changes the selection: that row alone, it added or taken out, or a range (added to what is
 *  selected). */
export type SelectMode = 'only' | 'toggle' | 'range' | 'range-add';

/** What a track list lists (its order aside): its query, and whether one copy per recording. */
export interface ListedBy {
  readonly query: string;
  readonly onePerRecording: boolean;
}

/**
 * The selection kept when the list changes from `from` to `to`, as far as it still names the same tracks:
 * a new order lists the same ones (only where a row is changes: the keyboard's row and the range's start
 * go), and every copy listed lists the tracks picked among one per recording too. Another query, or one
 * copy per recording after all of them (a picked copy may no longer be listed, and an edit would reach it
 * unseen), starts with nothing selected.
 */
export function selectionAcross(s: Selection, from: ListedBy, to: ListedBy): Selection {
  const sameTracks = from.query === to.query && from.onePerRecording === to.onePerRecording;
  const moreCopies = from.query === to.query && from.onePerRecording && !to.onePerRecording && !s.all;
  return sameTracks || moreCopies ? { ...s, anchor: null, lead: null } : EMPTY;
}
