// The album grid's cover: its first track that shows a picture. The listing names a track that may (its
// own pictures, or any edit that gave it some); a page checks it, so an edit that took the named track's
// pictures away shows the next track's, and its undo the first again.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { albumCover } from '../../app/core/library/album-covers.ts';
import { AlbumLists } from '../../app/core/library/album-lists.ts';
import { ArtStore, PICTURE_TYPES } from '../../app/core/library/art.ts';
import { applyEdit, undoBatch } from '../../app/core/library/edits.ts';
import { offLimits } from '../../app/core/scan/off-limits.ts';
import { scan } from '../../app/core/scan/scanner.ts';
import { makeImage, makeWav } from '../fixtures/library.ts';
import { hashTree, tempDir, tool } from '../helpers.ts';

const images = tempDir();
function image(color: string): { path: string; hash: string } {
  const path = join(images, `${color}.png`);
  makeImage(path, '32x32', color);
  return { path, hash: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

describe("the album grid's cover", () => {
  const music = tempDir();
  const [red, blue] = [image('red'), image('blue')];
  let db: Db;
  let before: Map<string, string>;
  const idOf = (name: string) =>
    db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(join(music, name)) as number;
  /** Each album's cover as a page of the grid shows it. */
  const covers = () => {
    const lists = new AlbumLists(db);
    const art = new ArtStore(db);
    return Object.fromEntries(
      lists.albums.groups('', 'library').map((g) => [g.entry.album, albumCover(art, g)]),
    );
  };
  const takePictures = (name: string) =>
    applyEdit(db, [], { description: 'art: removed', origin: 'cli' }, [
      { fileId: idOf(name), pictures: [] },
    ])!;

  beforeAll(async () => {
    const flac = (name: string, album: string, freq: number, cover?: { path: string }) => {
      const wav = join(images, `${freq}.wav`);
      makeWav(wav, freq);
      const picture = cover ? [`--picture=3||||${cover.path}`] : [];
      tool('flac', [
        '--silent',
        '-f',
        ...picture,
        '-T',
        `ALBUM=${album}`,
        '-T',
        'ARTIST=Ada',
        '-o',
        join(music, name),
        wav,
      ]);
    };
    flac('1.flac', 'Both', 440, red);
    flac('2.flac', 'Both', 550, blue);
    flac('3.flac', 'Alone', 660, red);
    flac('4.flac', 'Alone', 770);
    before = hashTree(music);
    db = openDatabase(join(tempDir(), 'library.db'));
    await scan(db, { folders: [music], workers: 1, includeHidden: false, ignore: [] }, await offLimits(db));
    return () => db.close();
  });

  it("is the next track's when an edit took the first one's pictures away, and the first's after its undo", () => {
    expect(covers()).toEqual({ Both: red.hash, Alone: red.hash });
    const batch = takePictures('1.flac');
    expect(covers()).toEqual({ Both: blue.hash, Alone: red.hash });
    undoBatch(db, batch);
    expect(covers()).toEqual({ Both: red.hash, Alone: red.hash });
  });

  it('is none when no track shows a picture any more, and a picture an edit gave a track shows', () => {
    const batch = takePictures('3.flac');
    expect(covers().Alone).toBeNull();
    applyEdit(db, [], { description: 'art: set', origin: 'cli' }, [
      { fileId: idOf('4.flac'), pictures: [{ hash: blue.hash, type: PICTURE_TYPES.front, description: '' }] },
    ]);
    expect(covers().Alone).toBe(blue.hash);
    undoBatch(db, batch);
    expect(covers().Alone).toBe(red.hash);
  });

  it('never changed an original', () => {
    expect(hashTree(music)).toEqual(before);
  });
});
