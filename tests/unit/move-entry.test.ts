import { describe, expect, it } from 'vitest';
import { moveEntry } from '../../app/shared/move-entry.ts';

describe('moveEntry', () => {
  const list = ['a', 'b', 'c', 'd'];
  it('moves an entry down, up, to either end, and clamps past them', () => {
    expect(moveEntry(list, 0, 1)).toEqual(['b', 'a', 'c', 'd']);
    expect(moveEntry(list, 3, 1)).toEqual(['a', 'd', 'b', 'c']);
    expect(moveEntry(list, 1, 3)).toEqual(['a', 'c', 'd', 'b']);
    expect(moveEntry(list, 2, 0)).toEqual(['c', 'a', 'b', 'd']);
    expect(moveEntry(list, 0, 99)).toEqual(['b', 'c', 'd', 'a']);
    expect(moveEntry(list, 3, -5)).toEqual(['d', 'a', 'b', 'c']);
  });
  it('keeps a track listed twice apart by its place, and leaves the list as it was for a place it lacks', () => {
    expect(moveEntry(['x', 'y', 'x'], 2, 0)).toEqual(['x', 'x', 'y']);
    expect(moveEntry(list, 7, 0)).toEqual(list);
    expect(list).toEqual(['a', 'b', 'c', 'd']);
  });
});
