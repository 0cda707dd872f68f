// What fold() (fold.ts) makes of searchable text, and the migrations that folded stored libraries again.
// Greek's final sigma: String.toLowerCase writes Σ at a word's end as ς, so a fragment typed in capitals
// ("ΟΔΥΣ") folded to "οδυς" and missed the word it begins (migration 52). Accents of Latin and Greek
// letters: "bjork" did not find Björk, from the app, the CLI or Subsonic (migration 54).
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

/**
 * A library of schema `version` holding a file under /music for each path, tagged with its artist as that
 * version's fold wrote it (lower case), its search text and full-text entry, its artist counted among the
 * suggestions and its similarity row written at change 7; then opened, and so brought up to date.
 */
function migratedFrom(version: number, files: ReadonlyArray<[path: string, artist: string]>): Db {
  const { file, old } = olderLibrary(version);
  old.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)`);
  const put = (sql: string, ...values: unknown[]) => old.prepare(sql).run(...values);
  files.forEach(([path, artist], i) => {
    const id = i + 1;
    put(
      `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
       VALUES (?, 1, ?, 1, 0, ?, 'ok', 0, 0)`,
      id,
      `/music/${path}`,
      id,
    );
    put(
      "INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, 'artist', 0, ?, ?)",
      id,
      artist,
      artist.toLowerCase(),
    );
    put('INSERT INTO search_folded (file_id, text) VALUES (?, ?)', id, `${path}\n${artist}`.toLowerCase());
    put('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)', id, path, artist);
    put(
      'INSERT INTO similarity_rows (file_id, change_seq, group_id, computed_at) VALUES (?, 7, NULL, 1)',
      id,
    );
    put(
      "INSERT INTO tag_values (key, fold, value, uses) VALUES ('artist', ?, ?, 1)",
      artist.toLowerCase(),
      artist,
    );
  });
  old.close();
  const db = openDatabase(file);
  open.push(db);
  return db;
}

it('folds ς and σ alike', () => {
  expect(fold('ΟΔΥΣ')).toBe('οδυσ');
  expect(fold('Οδυσσέας')).toBe('οδυσσεασ');
});

it("folds away the accents of Latin and Greek letters, writes Latin letters as typed, not other scripts' marks", () => {
  expect(fold('Björk Guðmundsdóttir')).toBe('bjork gudmundsdottir');
  expect(fold('Dvořák, Łódź, Mø, Hồ Chí Minh, İstanbul')).toBe('dvorak, lodz, mo, ho chi minh, istanbul');
  expect(fold('Ἀθῆναι ΐ')).toBe('αθηναι ι');
  expect(fold('Cafe\u0301')).toBe('cafe'); // an accent written as its own character
  expect(fold('Ɛ̀ Ɔ́ ə́')).toBe('ɛ ɔ ə'); // the IPA letters of West African alphabets
  // A kana's voicing mark, a Cyrillic breve and Hangul make other letters: kept, in their composed form.
  for (const kept of ['がぎ', 'чайковский', '한국어']) expect(fold(kept)).toBe(kept);
  expect(fold('Ágætis byrjun, Œuvre, Straße, ẞ, Þór')).toBe('agaetis byrjun, oeuvre, strasse, ss, thor');
  expect(fold('Don’t ‘Stop’')).toBe("don't 'stop'");
  expect(fold('И\u0306')).toBe('й');
  for (const text of ['Björk', 'Οδυσσέας', 'ΐ', 'が', 'Łódź']) expect(fold(fold(text))).toBe(fold(text));
});

it('finds a word typed without its accents, or with them where the tag has none, free or in a field', () => {
  const { db, ids } = taggedLibrary([
    { path: '/music/Björk/Jóga.flac', tags: { title: ['Jóga'], artist: ['Björk'] } },
    { path: '/music/Sigur Ros/1.flac', tags: { title: ['Svefn-g-englar'], artist: ['Sigur Ros'] } },
    { path: '/music/other/2.flac', tags: { title: ['Bjorn Again'], artist: ['ABBA'] } },
  ]);
  open.push(db);
  const [joga, sigur, bjorn] = ids as [number, number, number];
  const cases: Array<[string, number[]]> = [
    ['bjork', [joga]],
    ['BJÖRK', [joga]],
    ['jo', [joga, bjorn]], // under three characters: the folded text, not the index
    ['jóg', [joga]],
    ['artist:bjork', [joga]],
    ['title:joga', [joga]],
    ['sigur rós', [sigur]],
    ['ro\u0301s', [sigur]], // the accent its own character: four characters, three once folded
  ];
  for (const [query, want] of cases) {
    expect(matchingIds(db, query), query).toEqual(want);
    expect(matchingIds(db, query, 'library', null, { offset: 0, limit: 5 }), query).toEqual(want);
    expect(countMatching(db, query), query).toBe(want.length);
  }
  expect(matchingIds(db, 'artist:=Bjork')).toEqual([]); // an exact value is the value
});

it('takes an exact value in either canonical form: composed as typed, decomposed as macOS writes it', () => {
  const { db, ids } = taggedLibrary([
    { path: '/music/1.flac', tags: { artist: ['Bj\u00f6rk'] } },
    { path: '/music/2.flac', tags: { artist: ['Bjo\u0308rk'] } },
  ]);
  open.push(db);
  for (const typed of ['artist:=Bj\u00f6rk', 'artist:=Bjo\u0308rk'])
    expect(matchingIds(db, typed)).toEqual(ids);
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
  expect(matchingIds(db, 'οδυσσεας')).toEqual([ids[0]]);
});

it('folds a library of schema 51 again: tags, search text, suggestions counted once, similarity rows', () => {
  const db = migratedFrom(51, [
    ['1.flac', 'ΘΕΟΔΩΡΑΚΗΣ'],
    ['2.flac', 'Θεοδωρακησ'],
    ['3.flac', 'Χατζιδάκις'],
  ]);
  expect(db.prepare('SELECT fold FROM tags ORDER BY file_id').pluck().all()).toEqual([
    'θεοδωρακησ',
    'θεοδωρακησ',
    'χατζιδακισ',
  ]);
  expect(db.prepare('SELECT text FROM search_folded ORDER BY file_id').pluck().all()).toEqual([
    '1.flac\nθεοδωρακησ',
    '2.flac\nθεοδωρακησ',
    '3.flac\nχατζιδακισ',
  ]);
  expect(db.prepare('SELECT fold, value, uses FROM tag_values ORDER BY fold').all()).toEqual([
    { fold: 'θεοδωρακησ', value: 'Θεοδωρακησ', uses: 2 },
    { fold: 'χατζιδακισ', value: 'Χατζιδάκις', uses: 1 },
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

it('folds the accents of a library of schema 53: tags, search text, the full-text index, suggestions, similarity rows', () => {
  const db = migratedFrom(53, [
    ['Björk/Jóga.flac', 'Björk'],
    ['Bjork/2.flac', 'BJORK'],
    ['Abba/3.flac', 'ABBA'],
  ]);
  expect(db.prepare('SELECT fold FROM tags ORDER BY file_id').pluck().all()).toEqual([
    'bjork',
    'bjork',
    'abba',
  ]);
  expect(db.prepare('SELECT text FROM search_folded ORDER BY file_id').pluck().all()).toEqual([
    'bjork/joga.flac\nbjork',
    'bjork/2.flac\nbjork',
    'abba/3.flac\nabba',
  ]);
  expect(db.prepare('SELECT fold, value, uses FROM tag_values ORDER BY fold').all()).toEqual([
    { fold: 'abba', value: 'ABBA', uses: 1 },
    { fold: 'bjork', value: 'BJORK', uses: 2 },
  ]);
  expect(suggestValues(db, 'artist', 'bjö').map((s) => s.value)).toEqual(['BJORK']);
  expect(db.prepare('SELECT file_id, change_seq FROM similarity_rows ORDER BY file_id').all()).toEqual([
    { file_id: 1, change_seq: -1 },
    { file_id: 2, change_seq: 7 },
    { file_id: 3, change_seq: 7 },
  ]);
  // Through the full-text index (three characters and more) and the folded text (fewer); in path order.
  for (const query of ['bjork', 'björk']) expect(matchingIds(db, query), query).toEqual([2, 1]);
  for (const query of ['joga', 'jóga']) expect(matchingIds(db, query), query).toEqual([1]);
  expect(matchingIds(db, 'gá')).toEqual([1]);
});
