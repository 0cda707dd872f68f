// Which fields the track table marks as edited in Sleeve: those an edit in force set to other than the
// file says. An edit that set what the file says (a tagger's save of a field it did not change, or a
// value cleared that the file never had) marks nothing; identify still counts it as the user's.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { editedFields } from '../../app/core/library/edits.ts';
import { trackRows } from '../../app/server/track-row.ts';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

describe('the edited marks', () => {
  it('mark a field an edit set to other than the file says, not one set to what it says', () => {
    const dir = tempDir();
    const music = join(dir, 'music');
    const home = join(dir, 'home');
    makeWav(join(music, 'one.wav'), 440);
    const args = ['--no-fingerprint', '--no-embeddings', '--no-loudness'];
    expect(sleeveHere(home, ['scan', ...args, music]).status).toBe(0);
    const set = (...tags: string[]) =>
      expect(sleeveHere(home, ['set', 'path:one', ...tags, '-y']).status).toBe(0);
    set('title=Renamed', 'genre=Jazz');
    set('--clear', 'genre'); // what the file says: no genre
    const db = openDatabase(join(home, 'library.db'));
    try {
      const id = db.prepare('SELECT id FROM files').pluck().get() as number;
      expect(trackRows(db, [id])[0]!.edited).toEqual(['title']);
      expect(editedFields(db, [id]).get(id)?.sort()).toEqual(['genre', 'title']);
    } finally {
      db.close();
    }
  });
});
