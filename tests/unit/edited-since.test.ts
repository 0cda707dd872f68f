// What an undo or a redo leaves as it was: the fields a newer batch not undone set on the same files.
import { expect, it } from 'vitest';
import { editedSince } from '../../app/core/library/edited-since.ts';
import { applyEdit, planEdit, undoBatch } from '../../app/core/library/edits.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

it('names the fields a newer active batch set on some of the batch files, with the newest batch', () => {
  const { db, ids } = taggedLibrary([
    { path: '/m/1.flac', tags: { title: ['One'], genre: ['Rock'] } },
    { path: '/m/2.flac', tags: { title: ['Two'], genre: ['Rock'] } },
  ]);
  const edit = (files: number[], key: string, value: string) =>
    applyEdit(db, planEdit(db, files, [{ key, values: [value] }]), { description: key, origin: 'cli' })!;
  const first = edit(ids, 'genre', 'Jazz');
  edit(ids, 'title', 'Same');
  const newer = edit([ids[0]!], 'GENRE', 'Soul');
  expect(editedSince(db, first)).toEqual([{ key: 'genre', files: 1, newest: newer }]);
  undoBatch(db, newer);
  expect(editedSince(db, first)).toEqual([]);
  db.close();
});
