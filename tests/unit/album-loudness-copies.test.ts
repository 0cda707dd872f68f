// An album's loudness counts each recording once, and follows the grouping of its files into recordings:
// copies grouped after the album was figured are counted once by the next round, without a rescan; and
// figures an older Sleeve left counting copies are made again when the library is opened (migration 32).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BlockHistogram } from '../../app/core/audio/loudness/gating.ts';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { MIGRATIONS } from '../../app/core/db/migrations.ts';
import { AlbumLoudness } from '../../app/core/library/album-loudness.ts';
import { loudnessFacts } from '../../app/core/library/loudness-report.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

/** Three tracks of one album, the first held twice (a FLAC and a copy of it): four files. */
function album(): { db: Db; ids: number[] } {
  const tags = (n: number) => ({ album: ['Blue'], albumartist: ['Ada'], title: [`Song ${n}`] });
  const library = taggedLibrary([
    { path: '/music/a/1.flac', tags: tags(1) },
    { path: '/music/a/2.flac', tags: tags(2) },
    { path: '/music/a/3.flac', tags: tags(3) },
    { path: '/music/b/1 copy.flac', tags: tags(1) },
  ]);
  const counts = new Uint32Array(new BlockHistogram().counts.length);
  counts[400] = 50;
  library.db
    .prepare(
      `INSERT INTO loudness (file_id, size, mtime_ms, version, status, integrated, range, true_peak,
         sample_peak, seconds, histogram, computed_at)
       SELECT id, size, mtime_ms, 1, 'ok', -20, 5, 0.5, 0.5, 20, ?, 0 FROM files`,
    )
    .run(new BlockHistogram(counts).encode());
  return library;
}

/** Rounds until the album figures are caught up, as the backend's writer and every command's open do. */
function catchUp(db: Db): void {
  const albums = new AlbumLoudness(db);
  while (db.transaction(() => albums.round())() > 0);
}

const tracks = (db: Db, id: number) => loudnessFacts(db, [id])[0]!.album?.tracks;

/** The first file and its copy grouped as one recording, as grouping records them. */
function group(db: Db, ids: readonly number[]): void {
  const member = db.prepare(
    'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, 1, NULL, 0)',
  );
  for (const id of ids) member.run(id);
}

describe('album loudness over copies', () => {
  it('counts a copy grouped after the album was figured once, by the next round', () => {
    const { db, ids } = album();
    const [a1, , , copy] = ids.sort((x, y) => x - y);
    catchUp(db);
    expect(tracks(db, a1!)).toBe(4); // not grouped yet: four recordings as far as anyone knows
    group(db, [a1!, copy!]);
    catchUp(db);
    expect(tracks(db, a1!)).toBe(3);
    expect(tracks(db, copy!)).toBe(3);
    // Split again: two recordings once more.
    db.prepare('DELETE FROM recording_members WHERE file_id = ?').run(copy);
    catchUp(db);
    expect(tracks(db, a1!)).toBe(4);
    db.close();
  });

  it('makes again, on opening, figures an older Sleeve left counting copies', () => {
    const { db, ids } = album();
    const [a1, , , copy] = ids.sort((x, y) => x - y);
    catchUp(db);
    // As the older Sleeve left it: the copies grouped after the album was figured, nothing following.
    for (const t of ['album_member_grouped', 'album_member_regrouped', 'album_member_ungrouped'])
      db.exec(`DROP TRIGGER ${t}`);
    group(db, [a1!, copy!]);
    catchUp(db);
    expect(tracks(db, a1!)).toBe(4);
    db.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    const file = db.name;
    db.close();

    const reopened = openDatabase(file);
    catchUp(reopened);
    expect(tracks(reopened, a1!)).toBe(3);
    expect(tracks(reopened, copy!)).toBe(3);
    const seqs = reopened.prepare('SELECT change_seq FROM files').pluck().all() as number[];
    expect(new Set(seqs).size).toBe(seqs.length); // each moved file a change of its own
    reopened.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    check.close();
  });
});
