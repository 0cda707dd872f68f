// beets' regular expression form, `field::pattern` (and `:pattern` for any field or the path): the same
// regular expression term as `field:/pattern/`, case-sensitive as in beets unless the pattern says (?i).
import { describe, expect, it } from 'vitest';
import { matchingIds } from '../../app/core/library/list.ts';
import { parseQuery } from '../../app/shared/query.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe("beets' field::regex", () => {
  it('parses as a regular expression term', () => {
    expect(parseQuery('title::^the ^artist::a$ :Ho[pm]').groups[0]).toEqual([
      { field: 'title', negate: false, op: { kind: 'regex', source: '^the', flags: '' } },
      { field: 'artist', negate: true, op: { kind: 'regex', source: 'a$', flags: '' } },
      { field: null, negate: false, op: { kind: 'regex', source: 'Ho[pm]', flags: '' } },
    ]);
    // A quoted pattern may hold spaces; a quoted colon is text, as is a lone one.
    expect(parseQuery('title::"^the end"').groups[0]![0]!.op).toEqual({
      kind: 'regex',
      source: '^the end',
      flags: '',
    });
    expect(parseQuery('title:":x"').groups[0]![0]!.op).toEqual({ kind: 'contains', value: ':x' });
    expect(parseQuery(':').groups[0]![0]!.op).toEqual({ kind: 'contains', value: ':' });
  });

  it('refuses an empty or invalid pattern, saying where', () => {
    expect(() => parseQuery('title::')).toThrow(/title:: needs a pattern .*\(at column 7\)/);
    expect(() => parseQuery('x title::a(')).toThrow(/invalid regular expression.*\(at column 10\)/);
  });

  it('matches as beets does: case-sensitive, (?i) to ignore case', () => {
    const { db, ids } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['The End'] } },
      { path: '/music/b.flac', tags: { title: ['the beginning'] } },
      { path: '/music/c.flac', tags: { title: ['Hope'] } },
    ]);
    const [a, b, c] = ids;
    expect(matchingIds(db, 'title::^the')).toEqual([b]);
    expect(matchingIds(db, 'title::(?i)^the')).toEqual([a, b]);
    expect(matchingIds(db, 'title::"^The E"')).toEqual([a]);
    expect(matchingIds(db, ':Ho[pm]')).toEqual([c]);
    expect(matchingIds(db, '^title::^the')).toEqual([a, c]);
    db.close();
  });
});
