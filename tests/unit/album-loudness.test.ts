// Album loudness follows the change feed in rounds, each its own short transaction: files never measured
// are only passed over (a scan's thousands of new files take one round), measured ones are taken a few
// hundred a round, since their albums are the work. A few files' edit, undo or redo brings their albums
// up to date in its own transaction: one version of each file to serve, sized with its album's figures.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { AlbumLoudness } from '../../app/core/library/album-loudness.ts';
import { applyEdit, redoBatch, undoBatch } from '../../app/core/library/edits.ts';
import { loudnessFacts } from '../../app/core/library/loudness-report.ts';
import { measureEveryFile } from '../fixtures/measured.ts';
import { syntheticLibrary } from '../fixtures/synthetic-library.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';
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

    measureEveryFile(db);
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

describe("album loudness of an edit's files", () => {
  it('is brought up to date by an undo and a redo of a few files, as by the edit, with no round', () => {
    const tags = (album: string, n: number) => ({
      album: [album],
      albumartist: ['Ada'],
      title: [`Song ${n}`],
    });
    const { db, ids } = taggedLibrary([
      { path: '/music/blue/1.flac', tags: tags('Blue', 1) },
      { path: '/music/blue/2.flac', tags: tags('Blue', 2) },
      { path: '/music/red/3.flac', tags: tags('Red', 3) },
    ]);
    measureEveryFile(db);
    const albums = new AlbumLoudness(db);
    while (db.transaction(() => albums.round())() > 0);
    const [blue, , red] = ids;
    const album = (id: number) => {
      const a = loudnessFacts(db, [id])[0]!.album;
      return `${a?.name} (${a?.tracks})`;
    };
    expect([album(blue!), album(red!)]).toEqual(['Blue (2)', 'Red (1)']);
    const batch = applyEdit(db, [{ fileId: red!, key: 'album', before: ['Red'], after: ['Blue'] }], {
      description: 'move a track to Blue',
      origin: 'cli',
    })!;
    expect([album(blue!), album(red!)]).toEqual(['Blue (3)', 'Blue (3)']);
    undoBatch(db, batch);
    expect([album(blue!), album(red!)]).toEqual(['Blue (2)', 'Red (1)']);
    redoBatch(db, batch);
    expect([album(blue!), album(red!)]).toEqual(['Blue (3)', 'Blue (3)']);
    db.close();
  });
});
