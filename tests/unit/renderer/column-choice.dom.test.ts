// The column chooser's changes to the shown columns (renderer/src/column-choice.ts).
import { describe, expect, it } from 'vitest';
import { MAX_TAG_COLUMNS } from '../../../app/shared/rpc-contract.ts';
import {
  added,
  addProblem,
  listedColumns,
  moved,
  scrollToShown,
  toggled,
} from '../../../renderer/src/column-choice.ts';
import { BUILT_IN_COLUMNS } from '../../../renderer/src/table-columns.ts';

describe('the column chooser', () => {
  it('lists the shown columns in order, then the built-in ones not shown', () => {
    expect(listedColumns(['label', 'title'])).toEqual([
      'label',
      'title',
      ...BUILT_IN_COLUMNS.map((c) => c.key).filter((k) => k !== 'title'),
    ]);
  });
  it('shows a column at the end, hides one, and keeps the last one shown', () => {
    expect(toggled(['title'], 'artist', true)).toEqual(['title', 'artist']);
    expect(toggled(['title', 'artist'], 'artist', true)).toEqual(['title', 'artist']);
    expect(toggled(['title', 'artist'], 'title', false)).toEqual(['artist']);
    expect(toggled(['title'], 'title', false)).toEqual(['title']);
  });
  it('moves a column one place, and not past either end', () => {
    const keys = ['a', 'b', 'c'];
    expect(moved(keys, 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moved(keys, 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moved(keys, 'a', -1)).toBe(keys);
    expect(moved(keys, 'c', 1)).toBe(keys);
    expect(moved(keys, 'x', 1)).toBe(keys);
  });
  it('adds any tag, and says why not for a bad name, one shown, a property or one too many', () => {
    expect(addProblem(['title'], 'label')).toBeNull();
    expect(added(['title'], 'label')).toEqual(['title', 'label']);
    expect(addProblem(['title'], 'my tag')).toMatch(/letters, digits and underscores/);
    expect(addProblem(['title'], 'title')).toBe('Title is already shown.');
    expect(addProblem(['title'], 'warning')).toBe('warning is a file property, not a tag.');
    expect(addProblem(['title'], 'bitrate')).toBeNull(); // a property with a built-in column
    const many = Array.from({ length: MAX_TAG_COLUMNS }, (_, i) => `tag${i}`);
    expect(addProblem(many, 'one_more')).toBe(
      `At most ${MAX_TAG_COLUMNS} tag columns beyond the built-in ones.`,
    );
  });
  it('scrolls a column just shown into view, its left edge first when it is wider than the view', () => {
    const widths = [100, 300, 200, 150];
    const view = { left: 0, width: 500 };
    expect(scrollToShown(['a', 'b', 'c'], ['a', 'b', 'c', 'd'], widths, view)).toBe(250);
    expect(scrollToShown(['a', 'b', 'd'], ['a', 'b', 'c', 'd'], widths, view)).toBe(100);
    expect(scrollToShown(['a', 'c', 'd'], ['a', 'b', 'c', 'd'], widths, view)).toBeUndefined();
    expect(scrollToShown(['b', 'c', 'd'], ['a', 'b', 'c', 'd'], widths, { left: 300, width: 500 })).toBe(0);
    expect(scrollToShown(['a', 'b', 'c'], ['a', 'b', 'c', 'd'], [100, 300, 200, 900], view)).toBe(600);
    expect(scrollToShown(['a', 'b', 'c', 'd'], ['a', 'b', 'c'], widths, view)).toBeUndefined();
  });
});
