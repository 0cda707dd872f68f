// A free word matched through the full-text index, which keeps which files hold each trigram but not
// where (migration 51: detail=none): a word of more than three characters is all of its trigrams, then
// the word itself in each such file's folded text. A file holding every trigram of a word, but apart, is
// not matched — in a window (its text checked after the ordering), in a whole list and negated.
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { countMatching, matchingIds } from '../../app/core/library/list.ts';
import { ftsTrigrams } from '../../app/core/library/query-sql.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

it('makes a word its folded trigrams, each once, quotes escaped', () => {
  expect(ftsTrigrams('abcab')).toBe('"abc" "bca" "cab"');
  expect(ftsTrigrams('a"bc')).toBe('"a""b" """bc"');
  expect(ftsTrigrams('éTé!')).toBe('"ete" "te!"');
});

it('matches a word, not its trigrams apart', () => {
  const { db, ids } = taggedLibrary([
    { path: '/music/1.flac', tags: { title: ['Wabcde'] } },
    { path: '/music/2.flac', tags: { title: ['abc'], album: ['xbcde'] } },
    { path: '/music/3.flac', tags: { title: ['Bcde Abc'] } },
  ]);
  open.push(db);
  const [one, two, three] = ids as [number, number, number];
  for (const window of [undefined, { offset: 0, limit: 10 }, { offset: 0, limit: 1 }]) {
    const found = (query: string) => matchingIds(db, query, 'library', null, window);
    const first = (list: number[]) => list.slice(0, window?.limit);
    expect(found('abcde'), JSON.stringify(window)).toEqual(first([one]));
    expect(found('ABCD bcde'), JSON.stringify(window)).toEqual(first([one]));
    expect(found('abc'), JSON.stringify(window)).toEqual(first([one, two, three]));
    expect(found('bcde'), JSON.stringify(window)).toEqual(first([one, two, three]));
    expect(found('^abcde'), JSON.stringify(window)).toEqual(first([two, three]));
    expect(found('bcde ^abcde'), JSON.stringify(window)).toEqual(first([two, three]));
  }
  expect(countMatching(db, 'abcde')).toBe(1);
  expect(countMatching(db, '^abcde')).toBe(2);
});
