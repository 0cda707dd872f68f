// The art table bounded: a picture nothing names any more (no file holds it, no edit batch names it) is
// deleted a day after it was let go, by the collection each scan ends with; what a file or any batch still
// names stays. Real FLACs with embedded covers, retagged outside Sleeve with metaflac; a real library file.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { ArtStore, PICTURE_TYPES } from '../../app/core/library/art.ts';
import { ART_GRACE_MS, collectArt } from '../../app/core/library/art-collect.ts';
import { coverImage, planCover, storeCover } from '../../app/core/library/cover-edit.ts';
import { deleteBatch } from '../../app/core/library/derivation.ts';
import { applyEdit, redoBatch, undoBatch } from '../../app/core/library/edits.ts';
import { offLimits } from '../../app/core/scan/off-limits.ts';
import { scan } from '../../app/core/scan/scanner.ts';
import { makeImage, makeWav } from '../fixtures/library.ts';
import { tempDir, tool } from '../helpers.ts';

/** A day and a moment after now: when what was let go now is due. */
const dayLater = () => Date.now() + ART_GRACE_MS + 1000;

const images = tempDir();
/** A PNG of one colour, and its hash as the library keys it. */
function image(color: string): { path: string; hash: string } {
  const path = join(images, `${color}.png`);
  makeImage(path, '64x64', color);
  return { path, hash: createHash('sha256').update(readFileSync(path)).digest('hex') };
}
const [red, green, blue] = [image('red'), image('green'), image('blue')];

describe('collecting cover art nothing names', () => {
  let music: string;
  let db: Db;
  const rescan = async () =>
    scan(db, { folders: [music], workers: 1, includeHidden: false, ignore: [] }, await offLimits(db));
  const stored = () => new Set(db.prepare('SELECT hash FROM art').pluck().all() as string[]);
  /** A collection a day after the pictures were stored: those still named are looked at and forgotten, so
   *  only letting one go later makes it a candidate again. */
  const dayPasses = async () => {
    expect(await collectArt(db, dayLater())).toBe(0);
    expect(db.prepare('SELECT count(*) FROM art_released').pluck().get()).toBe(0);
  };
  const idOf = (name: string) =>
    db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(join(music, name)) as number;
  /** A FLAC with `cover` as its front picture. */
  const flac = (name: string, freq: number, cover: { path: string }) => {
    const wav = join(images, `${freq}.wav`);
    makeWav(wav, freq);
    tool('flac', ['--silent', '-f', `--picture=3||||${cover.path}`, '-o', join(music, name), wav]);
  };
  /** The file's pictures replaced outside Sleeve, as a tagger would (none: removed). */
  const retag = (name: string, cover?: { path: string }) => {
    const path = join(music, name);
    tool('metaflac', ['--remove', '--block-type=PICTURE', path]);
    if (cover) tool('metaflac', [`--import-picture-from=3||||${cover.path}`, path]);
  };

  beforeEach(async () => {
    music = tempDir();
    db = openDatabase(join(tempDir(), 'library.db'));
    return () => db.close();
  });

  it('deletes the cover a file held before it was retagged outside Sleeve and rescanned, a day later', async () => {
    flac('a.flac', 440, red);
    await rescan();
    await dayPasses();
    expect(stored()).toEqual(new Set([red.hash]));
    retag('a.flac', green);
    await rescan();
    // Let go just now: kept for a day (a mount may still serve the file's older version).
    expect(stored()).toEqual(new Set([red.hash, green.hash]));
    expect(await collectArt(db, dayLater())).toBe(1);
    expect(stored()).toEqual(new Set([green.hash]));
    expect(new ArtStore(db).pictures(idOf('a.flac')).map((p) => p.hash)).toEqual([green.hash]);
  });

  it('deletes the cover taken out of a file outside Sleeve, and the one a scan ends with once due', async () => {
    flac('a.flac', 440, red);
    await rescan();
    await dayPasses();
    retag('a.flac');
    await rescan();
    expect(stored()).toEqual(new Set([red.hash]));
    // The scan's own collection, run as if a day had passed: the scan is where collecting is due.
    db.prepare('UPDATE art_released SET at = at - ?').run(ART_GRACE_MS + 1000);
    await rescan();
    expect(stored()).toEqual(new Set());
    expect(db.prepare('SELECT count(*) FROM art_released').pluck().get()).toBe(0);
  });

  it('keeps a cover two files share while one still holds it', async () => {
    flac('a.flac', 440, red);
    flac('b.flac', 550, red);
    await rescan();
    await dayPasses();
    retag('a.flac', green);
    await rescan();
    await collectArt(db, dayLater());
    expect(stored()).toEqual(new Set([red.hash, green.hash]));
    retag('b.flac', green);
    await rescan();
    await collectArt(db, dayLater());
    expect(stored()).toEqual(new Set([green.hash]));
  });

  it('keeps the cover of a file gone from disk, which comes back without being read again', async () => {
    flac('a.flac', 440, red);
    await rescan();
    const away = join(images, 'a.flac');
    renameSync(join(music, 'a.flac'), away);
    await rescan();
    expect(db.prepare('SELECT status FROM files').pluck().get()).toBe('missing');
    await collectArt(db, dayLater());
    expect(stored()).toEqual(new Set([red.hash]));
    renameSync(away, join(music, 'a.flac'));
    const back = await rescan();
    expect(back).toMatchObject({ added: 0, updated: 0 });
    const [picture] = new ArtStore(db).pictures(idOf('a.flac'));
    expect(new ArtStore(db).data(picture!.hash)).toEqual(readFileSync(red.path));
  });

  /** Sets `cover` as the front picture of the files, as `sleeve art --set` does: one batch. */
  const setCover = (ids: number[], cover: { path: string }) =>
    db.transaction(() => {
      const image = coverImage(readFileSync(cover.path), cover.path);
      storeCover(db, image);
      return applyEdit(
        db,
        [],
        { description: 'art: set', origin: 'cli' },
        planCover(db, ids, { kind: 'set', hash: image.hash, type: 3 }),
      );
    })()!;

  it('keeps a cover only an undone edit batch names, and redo shows it', async () => {
    flac('a.flac', 440, red);
    await rescan();
    const id = idOf('a.flac');
    const batch = setCover([id], blue);
    undoBatch(db, batch);
    await collectArt(db, dayLater());
    expect(stored()).toEqual(new Set([red.hash, blue.hash]));
    redoBatch(db, batch);
    const [front] = new ArtStore(db).pictures(id);
    expect(front!.hash).toBe(blue.hash);
    expect(new ArtStore(db).data(blue.hash)).toEqual(readFileSync(blue.path));
  });

  it('deletes a cover only a deleted batch named (one abandoned by its writer), a day later', async () => {
    flac('a.flac', 440, red);
    await rescan();
    const batch = setCover([idOf('a.flac')], blue);
    await dayPasses();
    deleteBatch(db, batch);
    expect(await collectArt(db, Date.now())).toBe(0);
    expect(await collectArt(db, dayLater())).toBe(1);
    expect(stored()).toEqual(new Set([red.hash]));
  });

  it('keeps a cover while any batch names it, however many places each does', async () => {
    flac('a.flac', 440, red);
    flac('b.flac', 550, red);
    await rescan();
    const ids = [idOf('a.flac'), idOf('b.flac')];
    const first = setCover(ids, blue);
    // Blue as both pictures of a file: two places in one row of the second batch.
    const second = applyEdit(db, [], { description: 'art: set', origin: 'cli' }, [
      {
        fileId: ids[0]!,
        pictures: [
          { hash: blue.hash, type: PICTURE_TYPES.front, description: '' },
          { hash: blue.hash, type: PICTURE_TYPES.back, description: '' },
        ],
      },
    ])!;
    await dayPasses();
    deleteBatch(db, first);
    await collectArt(db, dayLater());
    expect(stored().has(blue.hash)).toBe(true);
    deleteBatch(db, second);
    await collectArt(db, dayLater());
    expect(stored()).toEqual(new Set([red.hash]));
  });

  it('keeps a cover stored again just before the edit naming it commits, though let go days ago', async () => {
    flac('a.flac', 440, red);
    await rescan();
    const id = idOf('a.flac');
    retag('a.flac', green);
    await rescan();
    // Red was let go two days ago; nothing collected it yet (no scan since).
    db.prepare('UPDATE art_released SET at = at - ? WHERE hash = ?').run(2 * ART_GRACE_MS, red.hash);
    // A writer stores it (the row is there: the store is ignored) in one transaction and names it in a
    // later one; a collection (another process's scan) runs in between.
    storeCover(db, coverImage(readFileSync(red.path), red.path));
    await collectArt(db, Date.now());
    expect(stored().has(red.hash)).toBe(true);
    applyEdit(db, [], { description: 'art: set', origin: 'cli' }, [
      { fileId: id, pictures: [{ hash: red.hash, type: PICTURE_TYPES.front, description: '' }] },
    ]);
    await collectArt(db, dayLater());
    expect(new ArtStore(db).data(red.hash)).toEqual(readFileSync(red.path));
  });

  it('deletes a cover stored but never named, a day later', async () => {
    storeCover(db, coverImage(readFileSync(red.path), red.path));
    expect(await collectArt(db, Date.now())).toBe(0);
    expect(await collectArt(db, dayLater())).toBe(1);
    expect(stored()).toEqual(new Set());
  });
});
