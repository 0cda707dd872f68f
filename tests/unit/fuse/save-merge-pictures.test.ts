// Cover art in a save through the mount merges as one field: a tagger's new pictures are taken unless the
// file's pictures were changed elsewhere after the tagger read it; then the library's stay, the tagger's are
// offered as a conflict (kept in the library meanwhile, so taking them later works).
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { openDatabase } from '../../../app/core/db/database.ts';
import { resolveHome } from '../../../app/core/home.ts';
import { ArtStore } from '../../../app/core/library/art.ts';
import { applyEdit } from '../../../app/core/library/edits.ts';
import { openConflicts, takeConflict } from '../../../app/core/library/save-conflicts.ts';
import { acceptedSave, applySave } from '../../../app/core/library/save-journal.ts';
import { tempDir } from '../../helpers.ts';

const cover = (hash: string) => ({ hash, type: 3, description: '' });
const image = (hash: string) => ({ hash, mime: 'image/png', width: 1, height: 1, bytes: 4, data: 'AAAA' });

function library() {
  const db = openDatabase(resolveHome(tempDir()).database);
  db.exec(`INSERT INTO roots (id, path, added_at) VALUES (1, '/music', 0);
    INSERT INTO files (id, root_id, path, size, mtime_ms, inode, status, scanned_at, added_at)
      VALUES (1, 1, '/music/a.flac', 1, 0, 1, 'ok', 0, 0);
    INSERT INTO art (hash, mime, width, height, bytes, data) VALUES ('app', 'image/png', 1, 1, 4, x'00000000');`);
  return db;
}

/** A tagger's save of new pictures, read at `readAt`. */
const taggerSave = (readAt: number, extra: { key: string; after: string[] }[] = []) =>
  acceptedSave({
    path: 'a.flac',
    description: 'tagger',
    changes: extra.map((c) => ({ fileId: 1, key: c.key, before: [], after: c.after })),
    art: [{ fileId: 1, pictures: [cover('tagger')], read: [] }],
    images: [image('tagger')],
    readAt,
    own: [],
  });

describe('pictures in a save through the mount', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  test('taken when nothing changed them since the tagger read the file, whatever else changed', () => {
    const db = library();
    vi.setSystemTime(1000); // the tagger reads
    vi.setSystemTime(2000);
    applyEdit(db, [{ fileId: 1, key: 'genre', before: [], after: ['Jazz'] }], {
      description: 'app',
      origin: 'app',
    });
    vi.setSystemTime(3000);
    applySave(db, taggerSave(1000), false);
    expect(new ArtStore(db).pictures(1).map((p) => p.hash)).toEqual(['tagger']);
    expect(openConflicts(db).count).toBe(0);
  });

  test("a conflict when the app set the cover since: the library's stays, the tagger's one step away", () => {
    const db = library();
    vi.setSystemTime(2000);
    applyEdit(db, [], { description: 'app cover', origin: 'app' }, [{ fileId: 1, pictures: [cover('app')] }]);
    vi.setSystemTime(3000);
    const { batch } = applySave(db, taggerSave(1000, [{ key: 'mood', after: ['calm'] }]), false);
    expect(batch).toBeDefined(); // the rest of the save is taken
    expect(new ArtStore(db).pictures(1).map((p) => p.hash)).toEqual(['app']);
    const [conflict] = openConflicts(db).listed;
    expect(conflict).toMatchObject({ key: '(pictures)', library: [cover('app')], tagger: [cover('tagger')] });
    takeConflict(db, conflict!.id, 'cli');
    expect(new ArtStore(db).pictures(1).map((p) => p.hash)).toEqual(['tagger']);
    expect(openConflicts(db).count).toBe(0);
  });

  test('read while a cover edit derived: the pictures written back as served take nothing back', () => {
    const db = library();
    vi.setSystemTime(2000);
    const batch = applyEdit(db, [], { description: 'app cover', origin: 'app' }, [
      { fileId: 1, pictures: [cover('app')] },
    ])!;
    // As a large edit is: derived file by file after its commit, this file not reached when the tagger
    // reads it at 3000 (served without the cover), though the history says the cover was there then.
    db.prepare('INSERT INTO derive_batches (batch_id, remaining) VALUES (?, 1)').run(batch);
    vi.setSystemTime(4000);
    const save = acceptedSave({
      path: 'a.flac',
      description: 'tagger',
      changes: [{ fileId: 1, key: 'mood', before: [], after: ['calm'] }],
      art: [{ fileId: 1, pictures: [], read: [cover('app')] }],
      images: [],
      readAt: 3000,
      own: [],
    });
    expect(applySave(db, save, false).conflicts).toEqual([]);
    expect(new ArtStore(db).pictures(1).map((p) => p.hash)).toEqual(['app']);
    expect(db.prepare("SELECT value FROM tags WHERE file_id = 1 AND key = 'mood'").pluck().all()).toEqual([
      'calm',
    ]);
  });
});
