// The track table's keys and header clicks: where each movement key takes the keyboard, kept within the
// rows, and the sort a header's clicks cycle through.
import { describe, expect, it } from 'vitest';
import { gridMovedTo, movedTo, nextSort } from '../../../renderer/src/table-keys.ts';

describe("the track table's keys", () => {
  it('moves within the rows, a page at a time, to either end', () => {
    expect(movedTo('ArrowDown', null, 10, 50)).toBe(0); // nothing selected yet: the first row
    expect(movedTo('ArrowDown', 49, 10, 50)).toBe(49);
    expect(movedTo('ArrowUp', 0, 10, 50)).toBe(0);
    expect(movedTo('PageDown', 45, 10, 50)).toBe(49);
    expect(movedTo('PageUp', 25, 10, 50)).toBe(15);
    expect(movedTo('Home', 25, 10, 50)).toBe(0);
    expect(movedTo('End', 2, 10, 50)).toBe(49);
  });

  it('leaves other keys, and an empty table, alone', () => {
    expect(movedTo('Enter', 3, 10, 50)).toBeUndefined();
    expect(movedTo('ArrowDown', null, 10, 0)).toBeUndefined();
  });

  it('sorts by a header ascending, then descending, then not', () => {
    const up = nextSort(null, 'title');
    expect(up).toEqual({ field: 'title', descending: false });
    const down = nextSort(up, 'title');
    expect(down).toEqual({ field: 'title', descending: true });
    expect(nextSort(down, 'title')).toBeNull();
    expect(nextSort(down, 'album')).toEqual({ field: 'album', descending: false });
  });
});

describe("the album grid's keys", () => {
  it('moves a tile at a time and a row at a time, to either end, and no further', () => {
    // 10 tiles, 4 a row: 0-3, 4-7, 8-9.
    expect(gridMovedTo('ArrowRight', 5, 4, 10)).toBe(6);
    expect(gridMovedTo('ArrowLeft', 5, 4, 10)).toBe(4);
    expect(gridMovedTo('ArrowDown', 5, 4, 10)).toBe(9);
    expect(gridMovedTo('ArrowDown', 7, 4, 10)).toBe(9); // the last row is short: its last tile
    expect(gridMovedTo('ArrowUp', 1, 4, 10)).toBe(0);
    expect(gridMovedTo('Home', 5, 4, 10)).toBe(0);
    expect(gridMovedTo('End', 5, 4, 10)).toBe(9);
    expect(gridMovedTo('Enter', 5, 4, 10)).toBeUndefined();
    expect(gridMovedTo('ArrowRight', 0, 4, 0)).toBeUndefined();
  });
});
