// The tag editor's record of what each field was typed over: this window's own save is not taken for a
// change made elsewhere, and a change made elsewhere that arrives in the same summary as it still is.
import { describe, expect, it } from 'vitest';
import type { FieldSummary } from '../../../app/shared/rpc-contract.ts';
import {
  baseOf,
  byLowerKey,
  changedSince,
  fieldOf,
  type Loaded,
  OwnChanges,
  pastOwnChanges,
  type Shown,
} from '../../../renderer/src/typed-over.ts';

const field = (key: string, value: string): FieldSummary => ({
  key,
  values: [value],
  fileValues: [value],
  editedTracks: 1,
  tracks: 1,
  stamp: `${key}=${value}`,
});

const summary = (shownAt: number, fields: Record<string, string>): Shown =>
  ({
    preview: `p${shownAt}`,
    tracks: 1,
    fields: Object.entries(fields).map(([k, v]) => field(k, v)),
    shownAt,
  }) as unknown as Shown;

/** The user types `key` over `shown` with `own` changes asked for so far; then `next` arrives. */
function typedThenShown(own: OwnChanges, shown: Shown, key: string, next: Shown): boolean {
  const typed: Record<string, Loaded> = {
    [key]: baseOf(shown, fieldOf(shown, byLowerKey(shown), key), own.count),
  };
  const after = pastOwnChanges(typed, next, own);
  return changedSince(after[key], fieldOf(next, byLowerKey(next), key));
}

describe('what a field was typed over', () => {
  const before = summary(0, { title: 'Old', comment: 'x' });

  it('is moved past this window’s own save of that field: no conflict with oneself', () => {
    const own = new OwnChanges();
    own.note(['title']); // saved while the summary shown was still the one before
    expect(typedThenShown(own, before, 'title', summary(1, { title: 'Mine', comment: 'x' }))).toBe(false);
  });

  it('is kept for a field the save did not change: a change made elsewhere meanwhile is caught', () => {
    const own = new OwnChanges();
    own.note(['title']);
    // The summary after the save shows a `sleeve set comment=theirs` made meanwhile.
    expect(typedThenShown(own, before, 'comment', summary(1, { title: 'Mine', comment: 'theirs' }))).toBe(
      true,
    );
    // Unchanged, it is no conflict.
    expect(typedThenShown(own, before, 'comment', summary(1, { title: 'Mine', comment: 'x' }))).toBe(false);
  });

  it('is moved past an undo, whose fields are not known', () => {
    const own = new OwnChanges();
    own.note();
    expect(typedThenShown(own, before, 'comment', summary(1, { title: 'Old', comment: 'y' }))).toBe(false);
  });

  it('remembers the fields of the last thousand changes only, then takes a change as of any field', () => {
    const own = new OwnChanges();
    own.note(['title']);
    expect(own.touched('comment', 0, 1)).toBe(false);
    for (let i = 0; i < 1000; i++) own.note(['genre']);
    expect(own.touched('comment', 0, 1)).toBe(true);
    expect(own.touched('comment', 1, 1001)).toBe(false);
  });
});
