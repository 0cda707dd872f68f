// `sleeve dup QUERY` and the Duplicates view's query bar: the recording groups with a present copy that
// matches the query, in the language of `sleeve ls`.
import { describe, expect, it } from 'vitest';
import { duplicateGroupIdsMatching } from '../../app/core/library/duplicate-query.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

describe('duplicate groups a query reaches', () => {
  it('keeps the groups with a present copy that matches, and refuses a mistyped field', async () => {
    const { db, ids } = taggedLibrary([
      { path: '/music/ada/blue.flac', tags: { artist: ['Ada'], title: ['Blue'] } },
      { path: '/music/copies/blue.mp3', tags: { artist: ['Ada'], title: ['Blue'] } },
      { path: '/music/mira/red.flac', tags: { artist: ['Mira'], title: ['Red'] } },
      { path: '/music/copies/red.mp3', tags: { artist: ['Mira'], title: ['Red (copy)'] } },
      { path: '/music/mira/red.ogg', tags: { artist: ['Mira'], title: ['Red'] } },
      { path: '/music/mira/green.flac', tags: { artist: ['Mira'], title: ['Green'] } },
    ]);
    const byPath = new Map(
      (db.prepare('SELECT path, id FROM files').all() as Array<{ path: string; id: number }>).map((r) => [
        r.path,
        r.id,
      ]),
    );
    expect(ids).toHaveLength(6);
    const member = db.prepare(
      'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, ?, NULL, 0)',
    );
    const print = db.prepare(
      "INSERT INTO fingerprints (file_id, size, mtime_ms, status, computed_at, data) VALUES (?, 1, 0, 'ok', 0, x'00')",
    );
    const groups: Array<[number, string[]]> = [
      [1, ['/music/ada/blue.flac', '/music/copies/blue.mp3']],
      [2, ['/music/mira/red.flac', '/music/copies/red.mp3', '/music/mira/red.ogg']],
      [3, ['/music/mira/green.flac']], // alone: no duplicate
    ];
    for (const [g, paths] of groups)
      for (const p of paths) {
        member.run(byPath.get(p), g);
        print.run(byPath.get(p));
      }
    const reached = (query: string) => duplicateGroupIdsMatching(db, 'all', query);
    expect(await reached('')).toEqual([1, 2]);
    expect(await reached('artist:ada')).toEqual([1]);
    expect(await reached('mira')).toEqual([2]);
    expect(await reached('title:copy')).toEqual([2]); // one copy matching is enough
    expect(await reached('path:copies')).toEqual([1, 2]);
    expect(await reached('green')).toEqual([]);
    expect(await reached('artist:ada , title::^Red')).toEqual([1, 2]);
    // A copy missing on disk is no present copy: it reaches nothing (its group still has two).
    db.prepare("UPDATE files SET status = 'missing' WHERE path = '/music/copies/red.mp3'").run();
    expect(await reached('')).toEqual([1, 2]);
    expect(await reached('title:copy')).toEqual([]);
    await expect(reached('artsit:ada')).rejects.toThrow(/unknown field "artsit": did you mean artist\?/);
    db.close();
  });
});
