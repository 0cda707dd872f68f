// Greek's final sigma: String.toLowerCase writes Σ at a word's end as ς, so a fragment typed in capitals
// ("ΟΔΥΣ") folded to "οδυς" and missed the word it begins, while the full-text index (which folds ς to σ)
// found its trigrams. fold() now writes σ for both, and migration 52 folds the stored columns again.
import { afterEach, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { fold } from '../../app/core/db/fold.ts';
import { countMatching, matchingIds } from '../../app/core/library/list.ts';
import { suggestValues } from '../../app/core/library/suggest-values.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

it('folds ς and σ alike', () => {
  expect(fold('ΟΔΥΣ')).toBe('οδυσ');
  expect(fold('Οδυσσέας')).toBe('οδυσσέασ');
});

it('finds a Greek word from a fragment ending in sigma, typed in either case, free or in a field', () => {
  const { db, ids } = taggedLibrary([
    { path: '/music/1.flac', tags: { title: ['Οδυσσέας'], artist: ['ΧΟΡΩΔΙΑ ΤΗΣ ΑΘΗΝΑΣ'] } },
    { path: '/music/2.flac', tags: { title: ['Ελένη'] } },
  ]);
  open.push(db);
  for (const query of ['ΟΔΥΣ', 'οδυς', 'οδυσ', 'title:ΟΔΥΣ', 'ΟΔΥΣΣΈΑΣ', 'artist:αθηνασ', 'ΑΘΗΝΑΣ']) {
    expect(matchingIds(db, query), query).toEqual([ids[0]]);
    expect(matchingIds(db, query, 'library', null, { offset: 0, limit: 5 }), query).toEqual([ids[0]]);
    expect(countMatching(db, query), query).toBe(1);
  }
  expect(matchingIds(db, 'οδυσσεασ')).toEqual([]); // accents are not folded
});

it('folds a library of schema 51 again: tags, search text, suggestions counted once, similarity rows', () => {
  const { file, old } = olderLibrary(51);
  old.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  const tag = old.prepare('INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, ?, 0, ?, ?)');
  const values = ['ΘΕΟΔΩΡΑΚΗΣ', 'Θεοδωρακησ', 'Χατζιδάκις'];
  values.forEach((artist, i) => {
    const id = i + 1;
    old
      .prepare(
        `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
         VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`,
      )
      .run(id, `/music/${id}.flac`, id);
    tag.run(id, 'artist', artist, artist.toLowerCase()); // as schema 51's fold wrote it
    old
      .prepare('INSERT INTO search_folded (file_id, text) VALUES (?, ?)')
      .run(id, `${id}.flac\n${artist.toLowerCase()}`);
    old.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)').run(id, `${id}.flac`, artist);
    old
      .prepare(
        'INSERT INTO similarity_rows (file_id, change_seq, group_id, computed_at) VALUES (?, 7, NULL, 1)',
      )
      .run(id);
  });
  const count = old.prepare('INSERT INTO tag_values (key, fold, value, uses) VALUES (?, ?, ?, ?)');
  count.run('artist', 'θεοδωρακης', 'ΘΕΟΔΩΡΑΚΗΣ', 1);
  count.run('artist', 'θεοδωρακησ', 'Θεοδωρακησ', 1);
  count.run('artist', 'χατζιδάκις', 'Χατζιδάκις', 1);
  old.close();

  const db = openDatabase(file);
  open.push(db);
  expect(db.prepare('SELECT fold FROM tags ORDER BY file_id').pluck().all()).toEqual([
    'θεοδωρακησ',
    'θεοδωρακησ',
    'χατζιδάκισ',
  ]);
  expect(db.prepare('SELECT text FROM search_folded ORDER BY file_id').pluck().all()).toEqual([
    '1.flac\nθεοδωρακησ',
    '2.flac\nθεοδωρακησ',
    '3.flac\nχατζιδάκισ',
  ]);
  expect(db.prepare('SELECT fold, value, uses FROM tag_values ORDER BY fold').all()).toEqual([
    { fold: 'θεοδωρακησ', value: 'Θεοδωρακησ', uses: 2 },
    { fold: 'χατζιδάκισ', value: 'Χατζιδάκις', uses: 1 },
  ]);
  expect(suggestValues(db, 'artist', 'ΘΕΟ').map((s) => s.value)).toEqual(['Θεοδωρακησ']);
  // The files whose filter values held ς are written to the similarity table again; the other is not.
  expect(db.prepare('SELECT file_id, change_seq FROM similarity_rows ORDER BY file_id').all()).toEqual([
    { file_id: 1, change_seq: -1 },
    { file_id: 2, change_seq: 7 },
    { file_id: 3, change_seq: -1 },
  ]);
  expect(matchingIds(db, 'ΘΕΟΔΩΡΑΚΗΣ')).toEqual([1, 2]);
});
