// An undo's or redo's notice: what it did, to the copies the edit was carried to, and what it left.
import { describe, expect, it } from 'vitest';
import { undoNotice } from '../../../renderer/src/undo-notice.ts';

const batch = {
  id: 3,
  createdAt: 0,
  description: 'Set title to "Dawn" where path:dawn',
  undoneAt: null,
  files: 2,
  carriedTo: 0,
  fields: ['title'],
};

describe('undoNotice', () => {
  it('says the edit, the copies it was carried to, and each field a newer edit set', () => {
    expect(undoNotice({ batch, stays: [] }, true)).toBe('Undid edit 3: Set title to "Dawn" where path:dawn');
    expect(
      undoNotice(
        {
          batch: { ...batch, carriedTo: 1 },
          stays: [
            { key: 'title', files: 1, newest: 5 },
            { key: 'genre', files: 2, newest: 7 },
          ],
        },
        false,
      ),
    ).toBe(
      'Redid edit 3: Set title to "Dawn" where path:dawn; and brought it back to 1 other copy it was carried to; ' +
        'title stays as edit 5 set it on 1 file (a newer edit); genre stays as edit 7 set it on 2 files (a newer edit)',
    );
  });
});
