// The backend's writer (app/server/library-writer.ts) as a preview waits on it: a preview reads what the
// library holds, so it waits while tracks an edit changed are still to derive — and only then: album figures
// following an edit (the first run also starts the writer's thread, about half a second) are no track's
// tags, and an editor that waited for them offered a save of a summary older than the user's own undo.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../app/core/db/database.ts';
import { albumLoudnessBehind } from '../../app/core/library/album-loudness.ts';
import { catchUp, derivationLag, INLINE_FILES } from '../../app/core/library/derivation.ts';
import { applyEdit, planEdit } from '../../app/core/library/edits.ts';
import { LibraryWriter } from '../../app/server/library-writer.ts';
import { blocksAt, measureEveryFile } from '../fixtures/measured.ts';
import { syntheticLibrary } from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

const open: Array<{ db: Db; writer: LibraryWriter }> = [];
afterEach(async () => {
  for (const { db, writer } of open.splice(0)) {
    await writer.close();
    db.close();
  }
});

/** A library of `tracks`, caught up, and a writer over it. */
function library(tracks: number): { db: Db; writer: LibraryWriter } {
  const home = tempDir();
  syntheticLibrary(home, tracks);
  const database = join(home, 'library.db');
  const db = openDatabase(database);
  catchUp(db);
  const writer = new LibraryWriter(
    db,
    database,
    () => {},
    () => {},
  );
  open.push({ db, writer });
  return { db, writer };
}

describe("a preview's wait on the writer", () => {
  it('does not wait for album figures to follow', async () => {
    const { db, writer } = library(50);
    measureEveryFile(db, blocksAt(-20, 100));
    db.prepare('UPDATE album_loudness_state SET seq = 0').run(); // every album's figures to make
    writer.derive();
    await writer.idle();
    // Answered while the writer's thread still makes them.
    expect(albumLoudnessBehind(db)).toBe(true);
  });

  it("waits while an edit's tracks are still to derive", async () => {
    const { db, writer } = library(INLINE_FILES * 3);
    const ids = db.prepare('SELECT id FROM files').pluck().all() as number[];
    applyEdit(db, planEdit(db, ids, [{ key: 'genre', values: ['Waited For'] }]), {
      description: 'genre',
      origin: 'cli',
    });
    expect(derivationLag(db)).toBe(ids.length);
    writer.derive();
    await writer.idle();
    expect(derivationLag(db)).toBe(0);
  });
});
