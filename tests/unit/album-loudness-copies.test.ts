// An album's loudness counts each recording once, and follows the grouping of its files into recordings:
// copies grouped after the album was figured are counted once by the next round, without a rescan; and
// figures an older Sleeve left counting copies are made again when the library is opened (migration 32).
// The copy counted is the one the album lists, its kept copy: a change of the copy rules moves it.
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { fold } from '../../app/core/db/fold.ts';
import { AlbumLoudness, albumLoudnessBehind } from '../../app/core/library/album-loudness.ts';
import { setCopyRules } from '../../app/core/library/copy-rules.ts';
import { loudnessFacts } from '../../app/core/library/loudness-report.ts';
import { blocksAt, histogramOf50, measureEveryFile } from '../fixtures/measured.ts';
import { olderLibrary } from '../fixtures/older-library.ts';
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
  measureEveryFile(library.db);
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

  it('counts the copy kept, and follows a change of the copy rules that keeps the other', () => {
    const { db, ids } = album();
    const [a1, , , copy] = ids.sort((x, y) => x - y);
    // Every track at -20 LUFS, but the copy: 10 dB quieter (a copy turned down).
    db.prepare('UPDATE loudness SET histogram = ?').run(blocksAt(-20, 50));
    db.prepare('UPDATE loudness SET histogram = ?, integrated = -30 WHERE file_id = ?').run(
      blocksAt(-30, 50),
      copy,
    );
    group(db, [a1!, copy!]);
    catchUp(db);
    const gain = () => loudnessFacts(db, [a1!])[0]!.album!.gain;
    // Alike in every way that counts, the first in the library is kept: the album is at -20 LUFS.
    expect(gain()).toBeCloseTo(2, 1);
    setCopyRules(db, [{ kind: 'folder', value: '/music/b' }], { apply: true, origin: 'cli' });
    expect(albumLoudnessBehind(db)).toBe(true);
    catchUp(db);
    // The copy kept now counts: 50 blocks at -30 LUFS and 100 at -20, gated together, -21.55 LUFS.
    expect(gain()).toBeCloseTo(3.55, 1);
    expect(tracks(db, a1!)).toBe(3);
    setCopyRules(db, [], { apply: true, origin: 'cli' });
    catchUp(db);
    expect(gain()).toBeCloseTo(2, 1);
    db.close();
  });

  it('makes again, on opening, figures an older Sleeve left counting copies', () => {
    // A library as Sleeve left it at schema 31: the album figured before its copies (files 1 and 4) were
    // grouped, four tracks where there are three recordings, and nothing following the grouping.
    const { file, old } = olderLibrary(31);
    old.exec("INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0)");
    const histogram = Buffer.from(histogramOf50());
    for (let id = 1; id <= 4; id++) {
      old
        .prepare(
          `INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at, change_seq)
           VALUES (?, 1, ?, 1000, 0, ?, 'ok', 0, 0, ?)`,
        )
        .run(id, `/music/${id}.flac`, id, id);
      const tag = old.prepare('INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, ?, 0, ?, ?)');
      for (const [key, value] of [
        ['album', 'Blue'],
        ['albumartist', 'Ada'],
        ['title', `Song ${id === 4 ? 1 : id}`],
      ] as const)
        tag.run(id, key, value, fold(value));
      old
        .prepare(
          `INSERT INTO loudness (file_id, size, mtime_ms, version, status, integrated, range, true_peak,
             sample_peak, seconds, histogram, computed_at) VALUES (?, 1000, 0, 1, 'ok', -20, 5, 0.5, 0.5, 20, ?, 0)`,
        )
        .run(id, histogram);
      old
        .prepare(
          "INSERT INTO album_loudness (file_id, artist, album, integrated, peak, tracks) VALUES (?, 'Ada', 'Blue', -20, 0.5, 4)",
        )
        .run(id);
    }
    const member = old.prepare(
      'INSERT INTO recording_members (file_id, group_id, partial_offset, fingerprint_at) VALUES (?, 1, NULL, 0)',
    );
    member.run(1);
    member.run(4);
    old.exec('UPDATE album_loudness_state SET seq = 4');
    old.close();

    const db = openDatabase(file);
    catchUp(db);
    expect([1, 2, 3, 4].map((id) => tracks(db, id))).toEqual([3, 3, 3, 3]);
    const seqs = db.prepare('SELECT change_seq FROM files').pluck().all() as number[];
    expect(new Set(seqs).size).toBe(seqs.length); // each moved file a change of its own
    db.close();
  });
});
