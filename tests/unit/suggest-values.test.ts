// The editor's suggestions: a field's library values beginning with what was typed (case aside, as
// queries compare), the most used first, with their sort names; counted as the tags change (a scan, an
// edit, its undo) to exactly what a count of the tracks' tags gives. Fields the field table does not mark are never
// suggested, and the migration that keeps the counts lists exactly the fields the table marks.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { MIGRATIONS } from '../../app/core/db/migrations.ts';
import { applyEdit, planEdit, undoBatch } from '../../app/core/library/edits.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { suggestValues } from '../../app/core/library/suggest-values.ts';
import { SUGGESTED_FIELDS } from '../../app/shared/fields.ts';
import { flacRecord, taggedLibrary } from '../fixtures/tagged-library.ts';

/** The counts kept, and the counts made again from the tags: always the same. */
function counts(db: Db) {
  const keys = JSON.stringify([...SUGGESTED_FIELDS.keys()]);
  const kept = db.prepare('SELECT key, fold, uses FROM tag_values ORDER BY key, fold').all();
  const made = db
    .prepare(
      `SELECT lower(key) AS key, fold, count(*) AS uses FROM tags
       WHERE lower(key) IN (SELECT value FROM json_each(?)) GROUP BY lower(key), fold ORDER BY 1, 2`,
    )
    .all(keys);
  return { kept, made };
}

const track = (path: string, tags: Record<string, string[]>) => ({ path: `/music/${path}`, tags });

function library() {
  return taggedLibrary([
    track('a/1.flac', { artist: ['The Beatles'], artistsort: ['Beatles, The'], title: ['Help'] }),
    track('a/2.flac', { artist: ['The Beatles'], artistsort: ['Beatles, The'], title: ['Yesterday'] }),
    track('a/3.flac', { artist: ['the beatles'], title: ['Girl'] }),
    track('b/1.flac', { artist: ['Beach Boys'], title: ['Help Me Rhonda'], genre: ['Pop', 'Surf'] }),
    track('c/1.flac', { artist: ['Björk'], title: ['Hyperballad'], genre: ['Pop'] }),
  ]);
}

const shown = (s: ReturnType<typeof suggestValues>) =>
  s.map((x) => `${x.value} ${x.uses}${x.sort ? ` (${x.sort})` : ''}`);

describe("the editor's suggestions", () => {
  it('offers the values beginning with what was typed, case aside, the most used first', () => {
    const { db } = library();
    expect(shown(suggestValues(db, 'artist', 'the'))).toEqual(['The Beatles 3 (Beatles, The)']);
    expect(shown(suggestValues(db, 'Artist', 'B'))).toEqual(['Beach Boys 1', 'Björk 1']);
    expect(shown(suggestValues(db, 'artist', 'BJÖ'))).toEqual(['Björk 1']);
    expect(shown(suggestValues(db, 'genre', ''))).toEqual(['Pop 2', 'Surf 1']);
    expect(suggestValues(db, 'artist', 'zz')).toEqual([]);
    expect(suggestValues(db, 'artist', '', 1)).toHaveLength(1);
  });

  it('never suggests a field the table does not mark (titles, ids)', () => {
    const { db } = library();
    expect(suggestValues(db, 'title', 'help')).toEqual([]);
    expect(suggestValues(db, 'musicbrainz_artistid', '')).toEqual([]);
  });

  it('follows the tags as they change: an edit, and its undo', () => {
    const { db, ids } = library();
    const batch = applyEdit(
      db,
      planEdit(db, [ids[3]!, ids[4]!], [{ key: 'artist', values: ['The Beatles'] }]),
      {
        description: 'test',
        origin: 'cli',
      },
    );
    expect(shown(suggestValues(db, 'artist', 'b'))).toEqual([]);
    expect(shown(suggestValues(db, 'artist', 'the'))).toEqual(['The Beatles 5 (Beatles, The)']);
    const afterEdit = counts(db);
    expect(afterEdit.kept).toEqual(afterEdit.made);
    undoBatch(db, batch);
    const afterUndo = counts(db);
    expect(afterUndo.kept).toEqual(afterUndo.made);
    expect(shown(suggestValues(db, 'artist', 'b'))).toEqual(['Beach Boys 1', 'Björk 1']);
    expect(db.prepare("SELECT count(*) FROM tag_values WHERE key = 'title'").pluck().get()).toBe(0);
  });

  it('follows a file rescanned with other tags', () => {
    const { db } = library();
    const writer = new IngestWriter(db);
    const now = Date.now();
    db.transaction(() => {
      const root = writer.ensureRoot('/music', now);
      writer.write(
        root,
        { path: '/music/b/1.flac', size: 1_000_001, mtimeMs: now + 1, inode: 4 },
        {
          track: flacRecord({ size: 1_000_001, duration: 180, tags: { artist: ['Björk'], genre: ['Pop'] } }),
        },
        now,
        false, // known: read again
      );
    })();
    expect(shown(suggestValues(db, 'artist', 'b'))).toEqual(['Björk 2']);
    const { kept, made } = counts(db);
    expect(kept).toEqual(made);
  });

  it('keeps counts for exactly the fields the table marks (a field marked since needs a migration)', () => {
    const migration = MIGRATIONS.find((m) => m.includes('CREATE TABLE IF NOT EXISTS tag_values'))!;
    const list = /key IN \(([^)]*)\)/.exec(migration)![1]!;
    expect([...list.matchAll(/'([^']+)'/g)].map((k) => k[1]).sort()).toEqual(
      [...SUGGESTED_FIELDS.keys()].sort(),
    );
  });
});
