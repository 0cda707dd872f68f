// The library's WAL bounded (wal.ts), on a real library file beside a connection that keeps it open as a
// mount daemon does (the WAL is then never deleted): edits under a long reader grow the WAL past its limit
// (no checkpoint can pass the reader's snapshot, and the upkeep does not wait for it); once the reader is
// gone the upkeep truncates it, and edits alone cut it back to the limit (issue 66: it kept its 188 MB
// peak).
import { afterEach, expect, it } from 'vitest';
import { HISTORY_DEFAULTS } from '../../app/core/config.ts';
import { type Db, openReader } from '../../app/core/db/database.ts';
import { truncateWal, WAL_LIMIT_BYTES, walBytes } from '../../app/core/db/wal.ts';
import { applyEdit, planEdit } from '../../app/core/library/edits.ts';
import { keepBounded } from '../../app/core/library/upkeep.ts';
import { saveCover } from '../fixtures/cover-saves.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0).reverse()) db.close();
});

it('is truncated once a long reader is gone, and cut back to its limit by the edits after it', async () => {
  const { db, ids } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'] } }]);
  open.push(db);
  const [id] = ids as [number];
  open.push(openReader(db.name)); // a mount daemon's connection, open throughout
  /** Edits that write about `mib` MiB: a new cover of 1 MiB each. */
  const edits = (mib: number) => {
    for (let i = 0; i < mib; i++) saveCover(db, id, 1024 * 1024);
  };
  /** A reader holding one snapshot while `during` runs. */
  const underReader = (during: () => void) => {
    const reader = openReader(db.name);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM files').get();
    during();
    reader.exec('COMMIT');
    reader.close();
  };

  underReader(() => {
    edits(24);
    expect(walBytes(db)).toBeGreaterThan(WAL_LIMIT_BYTES);
    expect(truncateWal(db)).toBe(false); // the reader still needs it: nothing waits
  });
  await keepBounded(db, HISTORY_DEFAULTS); // the library idle since
  expect(walBytes(db)).toBe(0);

  underReader(() => edits(24));
  expect(walBytes(db)).toBeGreaterThan(WAL_LIMIT_BYTES);
  for (const value of ['b', 'c', 'd'])
    applyEdit(db, planEdit(db, [id], [{ key: 'title', values: [value] }]), {
      description: `title ${value}`,
      origin: 'cli',
    });
  expect(walBytes(db)).toBeLessThanOrEqual(WAL_LIMIT_BYTES);
});
