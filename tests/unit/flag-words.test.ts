// A flag (a compilation) queried as beets queries it: `comp:true` is a file that has it set, `comp:false`
// one that does not (set to 0, or not at all); any other word is refused, never read as text.
import { describe, expect, it } from 'vitest';
import { matchingIds } from '../../app/core/library/list.ts';
import { parseQuery } from '../../app/shared/query.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe("a flag's words in a query", () => {
  it('reads true and false words as the flag set or not', () => {
    const terms = parseQuery('comp:true compilation:No ^comp:yes').groups[0]!;
    const set = { kind: 'exact', value: '1' };
    expect(terms).toEqual([
      { field: 'compilation', negate: false, op: set },
      { field: 'compilation', negate: true, op: set },
      { field: 'compilation', negate: true, op: set },
    ]);
    // Present, exact text and ranges are as for any field.
    expect(parseQuery('comp:').groups[0]![0]!.op).toEqual({ kind: 'present' });
    expect(parseQuery('comp:=0').groups[0]![0]!.op).toEqual({ kind: 'exact', value: '0' });
  });

  it('refuses a word that is neither, saying where', () => {
    expect(() => parseQuery('title:x comp:maybe')).toThrow(
      'compilation is a flag: write compilation:true (or 1, yes) or compilation:false (0, no) (at column 14)',
    );
  });

  it('matches as beets does: false is any file without the flag set', () => {
    const { db, ids } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['A'], compilation: ['1'] } },
      { path: '/music/b.flac', tags: { title: ['B'], compilation: ['0'] } },
      { path: '/music/c.flac', tags: { title: ['C'] } },
    ]);
    const [a, b, c] = ids;
    expect(matchingIds(db, 'comp:true')).toEqual([a]);
    expect(matchingIds(db, 'comp:1')).toEqual([a]);
    expect(matchingIds(db, 'comp:false')).toEqual([b, c]);
    expect(matchingIds(db, '^comp:false')).toEqual([a]);
    db.close();
  });
});
