// A smart playlist saved before the query language read -word, =word, field:=~x and \: as beets does keeps
// its meaning (query-earlier-reading.ts, migration 73): each query is rewritten, and its rewrite read by
// today's language gives the terms the language before gave the query as saved (written out below).
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { parseQuery } from '../../app/shared/query.ts';
import { queryAsBefore } from '../../app/shared/query-earlier-reading.ts';
import { olderLibrary } from '../fixtures/older-library.ts';

const text = (value: string, negate = false, field: string | null = null) => ({
  field,
  negate,
  op: { kind: 'contains', value },
});

/** Query as saved, its rewrite, and the terms the language before read in it. */
const CASES: ReadonlyArray<readonly [string, string, unknown[]]> = [
  ['-live', '"-"live', [text('-live')]],
  ['artist:ada -genre:pop', 'artist:ada "-"genre:pop', [text('ada', false, 'artist'), text('-genre:pop')]],
  ['-"two words"', '"-""two words"', [text('-two words')]],
  ['=rock', '"="rock', [text('=rock')]],
  ['^=rock', '^"="rock', [text('=rock', true)]],
  ['title:=~Foo', 'title:="~"Foo', [{ field: 'title', negate: false, op: { kind: 'exact', value: '~Foo' } }]],
  ['title:a\\:b', 'title:a\\:b""', [text('a\\:b', false, 'title')]],
  ['a\\:b year+', 'a\\:b"" year+', [text('a\\:b')]],
];

/** Queries that read the same in both languages. */
const SAME = [
  '"-live"',
  '^live',
  '-',
  'title:-x',
  'added:2026..',
  'title:=Foo',
  'artist:ada , artist:mira',
  'title:/a\\:b/',
  'year- title+',
  '"unclosed',
];

describe('a query saved before beets’ dash, =, =~ and \\: were read', () => {
  it.each(CASES)('%s is rewritten to %s, which reads as it did', (saved, rewritten, terms) => {
    expect(queryAsBefore(saved)).toBe(rewritten);
    expect(parseQuery(rewritten).groups[0]).toEqual(terms);
  });

  it.each(SAME)('%s is left as it is', (saved) => {
    expect(queryAsBefore(saved)).toBe(saved);
  });

  it('keeps the spaces between terms and the sorts', () => {
    expect(queryAsBefore('  -live   year-  ')).toBe('  "-"live   year-  ');
    expect(parseQuery('"-"live year-').sorts).toEqual([{ field: 'year', descending: true }]);
  });

  it('is how a library before schema 73 has its smart playlists read; one at 73 is left alone', () => {
    for (const version of [72, 73]) {
      const { file, old } = olderLibrary(version);
      const add = old.prepare(
        'INSERT INTO playlists (name, query, created_at, changed_at) VALUES (?, ?, 0, 0)',
      );
      add.run('not live', 'artist:ada -live');
      add.run('plain', 'artist:ada');
      add.run('a list', null);
      old.close();
      const db = openDatabase(file);
      expect(db.prepare('SELECT query FROM playlists ORDER BY name').pluck().all()).toEqual([
        null,
        version === 72 ? 'artist:ada "-"live' : 'artist:ada -live',
        'artist:ada',
      ]);
      db.close();
    }
  });
});
