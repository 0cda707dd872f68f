// library.db gives back the space it no longer uses (app/core/db/vacuum.ts), on a real library file beside
// a connection that keeps it open as a mount daemon does: covers saved one after another grow the file by
// their size, and once the history is pruned, the pictures collected and the upkeep has run, the file is
// back near its size before them, and the WAL is truncated (issue 66: 40 saves of 2 MiB covers took it
// from 360 KiB to 82 MiB, and it kept that size after the covers were gone).
import { statSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { type Db, openReader } from '../../app/core/db/database.ts';
import { walBytes } from '../../app/core/db/wal.ts';
import { ART_GRACE_MS } from '../../app/core/library/art-collect.ts';
import { tagsFor } from '../../app/core/library/list.ts';
import { keepBounded } from '../../app/core/library/upkeep.ts';
import { removeCovers, saveCover } from '../fixtures/cover-saves.ts';
import { taggedLibrary } from '../fixtures/tagged-library.ts';

const MIB = 1024 * 1024;
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0).reverse()) db.close();
});

it('shrinks back near its size before covers saved and let go, its WAL truncated', async () => {
  const { db, ids } = taggedLibrary([{ path: '/music/a.flac', tags: { title: ['a'] } }]);
  open.push(db);
  const [id] = ids as [number];
  expect(db.pragma('auto_vacuum', { simple: true })).toBe(2); // made so, before its first table
  open.push(openReader(db.name)); // a mount daemon's connection, open throughout
  const retention = { batches: 1, days: 90 };
  const bytes = () => statSync(db.name).size + walBytes(db);
  await keepBounded(db, retention); // the WAL folded in: the file alone holds the library
  const baseline = bytes();

  for (let i = 0; i < 12; i++) saveCover(db, id, MIB);
  removeCovers(db, id);
  await keepBounded(db, retention); // the history pruned: its pictures let go
  db.prepare('UPDATE art_released SET at = at - ?').run(ART_GRACE_MS + 1000); // a day passes
  expect(db.prepare('SELECT count(*) FROM art').pluck().get()).toBe(12);
  expect(bytes()).toBeGreaterThan(12 * MIB);

  // The pictures collected, and their pages given back. The newest cover stays: undoing the removal, the
  // one batch the history keeps, shows it.
  await keepBounded(db, retention);
  expect(db.prepare('SELECT count(*) FROM art').pluck().get()).toBe(1);
  expect(walBytes(db)).toBe(0);
  expect(bytes()).toBeLessThan(baseline + 2 * MIB);
  expect(tagsFor(db, [id]).get(id)!.title).toEqual(['a']);
});
