import { describe, expect, it } from 'vitest';
import {
  EMPTY,
  isSelected,
  rangeBounds,
  selectAll,
  selectedCount,
  selectionAcross,
  selectOnly,
  selectRange,
  toggle,
  toTarget,
} from '../../../renderer/src/selection.ts';

describe('selection', () => {
  it('click, ctrl-click and shift-click as in a file manager', () => {
    let s = selectOnly(2, 12);
    expect(selectedCount(s, 100)).toBe(1);
    s = toggle(s, 5, 15);
    expect([isSelected(s, 12), isSelected(s, 15)]).toEqual([true, true]);
    expect(rangeBounds(s, 8)).toEqual([5, 8]); // the last ctrl-clicked row anchors
    s = selectRange(s, 8, [15, 16, 17, 18], false);
    expect([...s.ids]).toEqual([15, 16, 17, 18]);
    s = selectRange(s, 1, [11, 12], true);
    expect(selectedCount(s, 100)).toBe(6);
    expect(toggle(s, 1, 11).ids.has(11)).toBe(false);
  });

  it('select all is a query minus exceptions, however large the library', () => {
    let s = selectAll(EMPTY);
    expect(selectedCount(s, 100_000)).toBe(100_000);
    s = toggle(s, 3, 7);
    expect(isSelected(s, 7)).toBe(false);
    expect(isSelected(s, 8)).toBe(true);
    expect(toTarget(s, 'genre:rock', 100_000)).toEqual({ kind: 'query', query: 'genre:rock', except: [7] });
    expect(selectedCount(selectRange(s, 5, [6, 7], true), 100_000)).toBe(100_000);
    expect(selectRange(s, 5, [6, 7], false)).toMatchObject({ all: false, ids: new Set([6, 7]) });
  });

  it('sends listed ids for a small selection and nothing for an empty one', () => {
    expect(toTarget(selectOnly(0, 4), '', 10)).toEqual({ kind: 'ids', ids: [4] });
    expect(toTarget(EMPTY, '', 10)).toBeUndefined();
    expect(toTarget(selectAll(EMPTY), '', 0)).toBeUndefined();
  });

  it('keeps across lists what they still list: a new order, every copy after one per recording', () => {
    const picked = toggle(selectOnly(2, 12), 5, 15);
    const kept = { ...picked, anchor: null, lead: null };
    const one = { query: 'genre:jazz', onePerRecording: true };
    const every = { query: 'genre:jazz', onePerRecording: false };
    expect(selectionAcross(picked, one, one)).toEqual(kept); // another order: the same tracks
    expect(selectionAcross(picked, one, every)).toEqual(kept); // every copy: the picked ones among them
    // One per recording after every copy: a picked copy may no longer be listed, an edit would reach it.
    expect(selectionAcross(picked, every, one)).toBe(EMPTY);
    expect(selectionAcross(picked, one, { ...one, query: 'genre:rock' })).toBe(EMPTY);
    // "All but these" of every copy holds the copies one per recording left out: not kept.
    expect(selectionAcross(selectAll(picked), one, every)).toBe(EMPTY);
    expect(selectionAcross(selectAll(picked), one, one)).toEqual({
      ...selectAll(picked),
      anchor: null,
      lead: null,
    });
  });
});
