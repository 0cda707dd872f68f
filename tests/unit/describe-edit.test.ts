// An edit in the history reads as a sentence, not as the command that made it.
import { describe, expect, it } from 'vitest';
import { describeEdit } from '../../app/core/library/edits.ts';

describe('describeEdit', () => {
  it('says what was set to what and what was cleared, and where', () => {
    expect(describeEdit([{ key: 'composer', values: ['Daniel Roux'] }], 'on 5 tracks')).toBe(
      'Set composer to "Daniel Roux" on 5 tracks',
    );
    expect(
      describeEdit(
        [
          { key: 'artist', values: ['Ada', 'Mira'] },
          { key: 'album', values: ['Harbour'] },
          { key: 'lyrics', values: [] },
          { key: 'comment', values: [] },
        ],
        'where path:inbox',
      ),
    ).toBe(
      'Set artist to "Ada" and "Mira" and album to "Harbour" and clear lyrics and comment where path:inbox',
    );
    expect(describeEdit([{ key: 'title', values: ['x'.repeat(60)] }], '')).toBe(
      `Set title to "${'x'.repeat(39)}…"`,
    );
  });

  it('names only the fields the edit changes: one typed back to the value the files have is no part of it', () => {
    const changes = [
      { key: 'date', values: ['2004-02-29'] },
      { key: 'tracknumber', values: ['A1'] },
    ];
    const plan = [{ fileId: 1, key: 'tracknumber', before: ['1'], after: ['A1'] }];
    expect(describeEdit(changes, 'on 1 track', plan)).toBe('Set tracknumber to "A1" on 1 track');
  });
});
