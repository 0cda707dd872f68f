// The tag names a library's files carry, each once in any case, found key by key in the tags index (the
// lookups are as many as the keys, however many tags the files hold), as `sleeve fields` lists them.
import { describe, expect, it } from 'vitest';
import { fieldSections } from '../../app/cli/commands/fields.ts';
import { libraryTagKeys, TAG_KEYS_SQL } from '../../app/core/library/tag-keys.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe("the library's tag keys", () => {
  it('lists each key once, in any case, in the index order', () => {
    const { db } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['A'], Mood_X: ['calm'] } },
      { path: '/music/b.flac', tags: { title: ['B'], mood_x: ['loud'], artist: ['Ada'] } },
    ]);
    expect(libraryTagKeys(db).map((k) => k.toLowerCase())).toEqual(['artist', 'mood_x', 'title']);
    db.close();
  });

  it('steps from key to key in the index, never reading every tag', () => {
    const { db } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['A'] } }]);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${TAG_KEYS_SQL}`).all() as Array<{ detail: string }>)
      .map((p) => p.detail)
      .filter((d) => / tags\b/.test(d));
    // Each lookup a search of the index by key: no scan of the tags.
    expect(plan).toEqual([
      'SEARCH tags USING COVERING INDEX tags_by_key',
      'SEARCH tags USING COVERING INDEX tags_by_key (key>?)',
    ]);
    db.close();
  });
});

describe('sleeve fields', () => {
  it("lists the library's other tags, saying which a query reads as another field", () => {
    const { db } = taggedLibrary([
      { path: '/music/a.flac', tags: { title: ['A'], COUNTRY: ['GB'], mood_x: ['calm'] } },
    ]);
    expect(fieldSections(db).library).toEqual([
      {
        name: 'COUNTRY',
        label: 'named as beets names releasecountry: queries and templates read releasecountry',
      },
      { name: 'mood_x', label: undefined },
    ]);
    expect(fieldSections(db).tags.find((f) => f.name === 'tracknumber')).toEqual({
      name: 'tracknumber',
      label: 'Track',
      beets: 'track',
    });
    db.close();
  });
});
