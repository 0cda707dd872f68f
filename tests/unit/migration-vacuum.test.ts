// A library made before library.db gave its space back has auto_vacuum NONE, which only a VACUUM changes
// (vacuum.ts): the upkeep that first finds its free pages due converts it, and it keeps everything it held.
// A small one is converted by any upkeep (here a mount daemon's, which waits 25 ms for the lock); a large
// one only by a `sleeve` command's, which nobody waits on and which says so first.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import type { Db } from '../../app/core/db/database.ts';
import { QUICK_CONVERSION_BYTES, space } from '../../app/core/db/vacuum.ts';
import { walBytes } from '../../app/core/db/wal.ts';
import { ART_GRACE_MS } from '../../app/core/library/art-collect.ts';
import { IngestWriter } from '../../app/core/library/ingest.ts';
import { keepBounded } from '../../app/core/library/upkeep.ts';
import { removeCovers, saveCover } from '../fixtures/cover-saves.ts';
import { flacRecord, taggedLibrary } from '../fixtures/tagged-library.ts';

const MIB = 1024 * 1024;
const RETENTION = { batches: 1, days: 90 };
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** A library of `n` tracks as a Sleeve before this change left it: the same tables, auto_vacuum NONE. */
function olderLibrary(n: number): { db: Db; ids: number[] } {
  const made = taggedLibrary(
    Array.from({ length: n }, (_, i) => ({ path: `/music/${i + 1}.flac`, tags: { title: [`t${i + 1}`] } })),
  );
  open.push(made.db);
  made.db.pragma('auto_vacuum = NONE');
  made.db.exec('VACUUM');
  expect(made.db.pragma('auto_vacuum', { simple: true })).toBe(0);
  return made;
}

/** `count` covers of 1 MiB saved on file `id` and let go: pruned from the history, and a day passed. */
async function coversLetGo(db: Db, id: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) saveCover(db, id, MIB);
  removeCovers(db, id);
  await keepBounded(db, RETENTION, { waitMs: 25 });
  db.prepare('UPDATE art_released SET at = at - ?').run(ART_GRACE_MS + 1000);
}

/** Everything the library holds of its files, each table's rows in one order. */
const contents = (db: Db) =>
  ['roots', 'files', 'file_tags', 'file_art', 'tags', 'search_folded'].map((table) =>
    db
      .prepare(`SELECT * FROM ${table}`)
      .raw()
      .all()
      .map((row) => JSON.stringify(row))
      .sort(),
  );
const fileBytes = (db: Db) => statSync(db.name).size + walBytes(db);

it('converts a small library by the first upkeep that finds its pages due, keeping its data', async () => {
  const { db, ids } = olderLibrary(50);
  await coversLetGo(db, ids[0]!, 12);
  const before = contents(db);
  const grown = fileBytes(db);
  expect(grown).toBeGreaterThan(10 * MIB);

  const { gaveBack } = await keepBounded(db, RETENTION, { waitMs: 25 }); // a mount daemon's minute check
  expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
  expect(gaveBack).toBeGreaterThan(10 * MIB);
  expect(fileBytes(db)).toBeLessThan(grown - 10 * MIB);
  expect(contents(db)).toEqual(before);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

  // From then on, in steps.
  const converted = fileBytes(db);
  await coversLetGo(db, ids[1]!, 12);
  const again = contents(db);
  await keepBounded(db, RETENTION, { waitMs: 25 });
  expect(fileBytes(db)).toBeLessThan(converted + 2 * MIB);
  expect(contents(db)).toEqual(again);
});

it('converts a large library only at the close of a command, which says so', async () => {
  const { db, ids } = olderLibrary(1);
  // Data over what any upkeep converts: files holding pictures of their own.
  const writer = new IngestWriter(db);
  const now = Date.now();
  db.transaction(() => {
    const root = writer.ensureRoot('/music', now);
    for (let i = 0; i * MIB <= QUICK_CONVERSION_BYTES; i++) {
      const data = randomBytes(MIB);
      const hash = `cover${i}`;
      const picture = {
        hash,
        mime: 'image/png',
        width: 1,
        height: 1,
        depth: 24,
        bytes: MIB,
        type: 3,
        description: '',
        data,
      };
      writer.write(
        root,
        { path: `/music/held/${i}.flac`, size: 1_000_000, mtimeMs: now, inode: 1000 + i },
        { track: flacRecord({ size: 1_000_000, duration: 180, tags: {}, pictures: [picture] }) },
        now,
        true,
      );
    }
  })();
  await coversLetGo(db, ids[0]!, 12);
  expect(space(db).used).toBeGreaterThan(QUICK_CONVERSION_BYTES);
  const before = contents(db);
  const grown = fileBytes(db);

  expect((await keepBounded(db, RETENTION, { waitMs: 25 })).gaveBack).toBe(0);
  expect(db.pragma('auto_vacuum', { simple: true })).toBe(0);
  const told: string[] = [];
  await keepBounded(db, RETENTION, { holding: (what) => told.push(what) });
  expect(told).toEqual([
    expect.stringMatching(
      /^giving back the \d+\.\d MiB library\.db no longer uses: the first time, its \d+\.\d MiB of data are copied…$/,
    ),
  ]);
  expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
  expect(fileBytes(db)).toBeLessThan(grown - 10 * MIB);
  expect(contents(db)).toEqual(before);
});
