// Album loudness follows the change feed in rounds, each its own short transaction: files never measured
// are only passed over (a scan's thousands of new files take one round), measured ones are taken a few
// hundred a round, since their albums are the work.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockHistogram } from '../../app/core/audio/loudness/gating.ts';
import { openDatabase } from '../../app/core/db/database.ts';
import { AlbumLoudness } from '../../app/core/library/album-loudness.ts';
import { syntheticLibrary } from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

describe('album loudness rounds', () => {
  it('pass over 800 unmeasured files at once, and take 800 measured ones 300 a round', () => {
    const home = tempDir();
    syntheticLibrary(home, 800); // 80 albums of 10
    const db = openDatabase(join(home, 'library.db'));
    const albums = new AlbumLoudness(db);
    const rounds = () => {
      const passed = [db.transaction(() => albums.round())()];
      while (passed.at(-1) !== 0) passed.push(db.transaction(() => albums.round())());
      return passed;
    };
    expect(rounds()).toEqual([800, 0]);
    expect(db.prepare('SELECT count(*) FROM album_loudness').pluck().get()).toBe(0);

    const counts = new Uint32Array(new BlockHistogram().counts.length);
    counts[400] = 50;
    db.prepare(
      `INSERT INTO loudness (file_id, size, mtime_ms, version, status, integrated, range, true_peak,
         sample_peak, seconds, histogram, computed_at)
       SELECT id, size, mtime_ms, 1, 'ok', -20, 5, 0.5, 0.5, 20, ?, 0 FROM files`,
    ).run(new BlockHistogram(counts).encode());
    db.prepare('UPDATE album_loudness_state SET seq = 0').run(); // every file changed since
    // Each file whose figures a round set changes (bumpMeasured), so it passes once more, unchanged then.
    const measured = rounds();
    expect(Math.max(...measured)).toBe(300);
    expect(measured.reduce((a, b) => a + b)).toBe(1600);
    expect(db.prepare('SELECT count(*), min(tracks), max(tracks) FROM album_loudness').raw().get()).toEqual([
      800, 10, 10,
    ]);
    db.close();
  });
});
