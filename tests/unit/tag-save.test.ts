// What the tag editor's Save sends and whether it may (renderer/src/tag-save.ts): only the fields typed
// in, each with what the editor showed when the user began typing, so that a field changed elsewhere
// since is never overwritten silently.
import { describe, expect, it } from 'vitest';
import type { FieldSummary } from '../../app/shared/rpc-contract.ts';
import { editorChecks, editRequest, whyNotSaved } from '../../renderer/src/tag-save.ts';
import type { Loaded } from '../../renderer/src/typed-over.ts';

const field = (key: string, values: string[] | null, stamp: string | null): FieldSummary => ({
  ...{ key, values, fileValues: values, editedTracks: 0, tracks: 3, stamp },
});
const loadedAt = (from: string, stamp: string | null, values: string[] | null): Loaded => ({
  ...{ from, stamp, values, typedAt: 1, shownAt: 1 },
});

describe("the tag editor's save", () => {
  it('sends only the fields typed in, each with the summary it was loaded from, and the copies picked', () => {
    const loaded = { title: loadedAt('p1', 's1', ['Old']) };
    const drafts = { title: 'New', artist: 'A; B' };
    expect(editRequest('p2', drafts, loaded, [])).toEqual({
      preview: 'p2',
      changes: [
        { key: 'title', values: ['New'], loadedFrom: 'p1' },
        // Never loaded apart: as shown now. A multi-valued field splits on ";".
        { key: 'artist', values: ['A', 'B'], loadedFrom: 'p2' },
      ],
    });
    expect(editRequest('p2', { title: '' }, loaded, [7, 9])).toEqual({
      preview: 'p2',
      changes: [{ key: 'title', values: [], loadedFrom: 'p1' }],
      copies: [7, 9],
    });
  });

  it('holds Save for a field changed elsewhere since it was typed in, and for a value that is not one', () => {
    const fields = [
      field('title', ['Theirs'], 's2'),
      field('date', ['2001'], 'd1'),
      field('genre', null, null),
    ];
    const loaded = { title: loadedAt('p1', 's1', ['Old']), date: loadedAt('p1', 'd1', ['2001']) };
    const checks = editorChecks(fields, { title: 'Mine', date: 'last year', genre: '' }, loaded);
    expect(checks.conflicts.map((f) => f.key)).toEqual(['title']);
    expect(checks.problems).toEqual([expect.stringMatching(/^date must be YYYY/)]);
    // A mixed field emptied clears it on every track that has it: said beside Save.
    expect(checks.clears.map((f) => f.key)).toEqual(['genre']);
    expect(editorChecks(fields, {}, loaded)).toEqual({ clears: [], problems: [], conflicts: [] });
    // What a save asked for says (Ctrl+Enter, whose button is greyed): the conflict first, then a value.
    expect(whyNotSaved(checks)).toBe(
      'Not saved: Title changed elsewhere since you began typing — keep yours or take theirs first.',
    );
    expect(whyNotSaved(editorChecks(fields, { date: 'last year' }, loaded))).toMatch(
      /^Not saved: date must be YYYY.*\.$/,
    );
    expect(whyNotSaved(editorChecks(fields, { genre: '' }, loaded))).toBeUndefined();
  });
});
