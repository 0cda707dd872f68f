// npm run bench -- art-collect [--tracks N] [--cover-kib K]
// Collecting cover art nothing names (app/core/library/art-collect.ts) at library scale. A library of N
// tracks written by the scan's writer at schema 24 (before migration 25), in albums of 10, each album a
// cover of K KiB of its own, with a cover set on every track in one edit, undone (the history the upgrade
// finds); a copy is opened by this Sleeve (migration 25 timed). On it, with migration 25's triggers and
// without them (dropped and made again, alternately, on the same file): a rescan's writes of a tenth of
// the tracks (at most 10,000; each file's pictures deleted and written again: the triggers fire), and a
// cover set on every track in one edit (the counting trigger fires per track), undone, and the batch
// deleted as an abandoned one is. Then a scan's collection with
// nothing due (what every watcher look pays); the first one a day after the upgrade (every stored picture
// looked at once); a tenth of the albums retagged outside Sleeve and rescanned, then collected a day later
// (their old covers deleted). Each collection: its time, its write transactions and the longest one (how
// long it holds other writers up). Then what counting saves: whether any batch names a picture, read from
// art_edits' JSON instead.
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Db, openDatabase } from '../app/core/db/database.ts';
import { fold } from '../app/core/db/fold.ts';
import { MIGRATIONS } from '../app/core/db/migrations.ts';
import { ART_GRACE_MS, collectArt } from '../app/core/library/art-collect.ts';
import { coverImage, planCover, storeCover } from '../app/core/library/cover-edit.ts';
import { deleteBatch } from '../app/core/library/derivation.ts';
import { applyEdit, undoBatch } from '../app/core/library/edits.ts';
import { IngestWriter } from '../app/core/library/ingest.ts';
import type { PictureRecord } from '../app/core/media/read-track.ts';
import { flacRecord } from '../tests/fixtures/tagged-library.ts';
import { loadMeter, loadText, machine, percentile } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

/** Files written per transaction, as a scan writes them. */
const SCAN_BATCH = 64;

/** A "PNG" of `kib` KiB: its signature, then bytes that differ per `seed` (only the hash matters here). */
function cover(seed: string, kib: number): PictureRecord {
  const data = Buffer.alloc(kib * 1024);
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  data.write(seed, 16);
  const hash = coverImage(data, seed).hash;
  return {
    hash,
    mime: 'image/png',
    width: 600,
    height: 600,
    depth: 24,
    bytes: data.length,
    type: 3,
    description: '',
    data,
  };
}

/** Writes tracks [from, to) as a scan would, album `a` covered by `covers(a)`; the seconds it took. */
function writeTracks(
  db: Db,
  from: number,
  to: number,
  covers: (album: number) => PictureRecord,
  isNew: boolean,
) {
  const writer = new IngestWriter(db);
  const now = Date.now();
  const root = db.transaction(() => writer.ensureRoot('/music', now))();
  let last: { album: number; picture: PictureRecord } | undefined; // an album's tracks are written in a row
  const t = performance.now();
  for (let start = from; start < to; start += SCAN_BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(to, start + SCAN_BATCH); i++) {
        const album = Math.floor(i / 10);
        if (last?.album !== album) last = { album, picture: covers(album) };
        // The reader sends a picture's bytes once; later files of the album name it by hash.
        const picture = i % 10 === 0 ? last.picture : { ...last.picture, data: undefined };
        const tags = {
          artist: [`Artist ${Math.floor(i / 60)}`],
          album: [`Album ${album}`],
          title: [`Track ${i}`],
        };
        writer.write(
          root,
          { path: `/music/${album}/${i}.flac`, size: 30_000_000, mtimeMs: now, inode: i + 1 },
          { track: flacRecord({ size: 30_000_000, duration: 200, tags, pictures: [picture] }) },
          now,
          isNew,
        );
      }
    })();
  }
  return (performance.now() - t) / 1000;
}

/** One cover set on every track in one batch, as `sleeve art --set` does; undone; deleted (as an abandoned
 *  batch is) unless `keep`. The seconds of each. */
function coverEverything(db: Db, kib: number, keep = false): { edit: number; undo: number; drop: number } {
  const ids = db.prepare('SELECT id FROM files ORDER BY id').pluck().all() as number[];
  const image = cover('everything', kib);
  const t0 = performance.now();
  const batch = db.transaction(() => {
    storeCover(db, { hash: image.hash, mime: image.mime, data: image.data! });
    return applyEdit(
      db,
      [],
      { description: 'art: set', origin: 'cli' },
      planCover(db, ids, { kind: 'set', hash: image.hash, type: 3 }),
    );
  })()!;
  const t1 = performance.now();
  undoBatch(db, batch);
  const t2 = performance.now();
  if (!keep) deleteBatch(db, batch);
  const seconds = (from: number, to: number) => (to - from) / 1000;
  return { edit: seconds(t0, t1), undo: seconds(t1, t2), drop: seconds(t2, performance.now()) };
}

/** `db` with each transaction's `.immediate()` timed into `times` (collectArt's write transactions). */
function timingTransactions(db: Db, times: number[]): Db {
  return new Proxy(db, {
    get(target, key) {
      if (key === 'transaction')
        return (fn: () => unknown) => {
          const tx = target.transaction(fn);
          return {
            immediate: () => {
              const t = performance.now();
              try {
                return tx.immediate();
              } finally {
                times.push(performance.now() - t);
              }
            },
          };
        };
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function collected(db: Db, what: string, now: number): Promise<void> {
  const candidates = db
    .prepare('SELECT count(*) FROM art_released WHERE at <= ?')
    .pluck()
    .get(now - ART_GRACE_MS);
  const times: number[] = [];
  const load = loadMeter();
  const t = performance.now();
  const deleted = await collectArt(timingTransactions(db, times), now);
  const ms = performance.now() - t;
  const longest = Math.max(0, ...times);
  console.log(
    `  ${what}: ${candidates} candidates, ${deleted} deleted in ${ms.toFixed(1)} ms; ${times.length} write transactions, the longest ${longest.toFixed(1)} ms (${loadText(load())})`,
  );
}

function tableMiB(db: Db, names: readonly string[]): string {
  const bytes = db
    .prepare(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (SELECT value FROM json_each(?))`)
    .pluck()
    .get(JSON.stringify(names)) as number;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export async function main(args: string[]): Promise<void> {
  const arg = (flag: string, fallback: number) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
  };
  const tracks = arg('--tracks', 100_000);
  const kib = arg('--cover-kib', 20);
  const albums = Math.ceil(tracks / 10);
  console.log(
    `art-collect: ${tracks} tracks, ${albums} album covers of ${kib} KiB — ${machine()}, ${new Date().toISOString()}`,
  );
  const dir = benchTempDir('sleeve-bench-art-collect-');
  const before = join(dir, 'before.db');
  const after = join(dir, 'after.db');

  // The library as schema 24 left it, written by today's writer (it touches no table migration 25 adds).
  const old = new Database(before);
  old.pragma('journal_mode = WAL');
  old.pragma('foreign_keys = ON');
  old.function('fold', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? fold(v) : v));
  for (const m of MIGRATIONS.slice(0, 24)) old.exec(m);
  old.pragma('user_version = 24');
  const albumCover = (album: number) => cover(`album ${album}`, kib);
  console.log(`  written at schema 24: ${writeTracks(old, 0, tracks, albumCover, true).toFixed(1)} s`);
  coverEverything(old, kib, true);
  old.pragma('wal_checkpoint(TRUNCATE)');
  old.close();
  copyFileSync(before, after);

  let t = performance.now();
  const db = openDatabase(after);
  console.log(
    `  migration 25 (${albums + 1} pictures entered, ${tracks} places in art edits counted): ${(performance.now() - t).toFixed(0)} ms`,
  );
  // Alternately with and without the triggers, on the same file (two files differ by more than they do),
  // after a pass of each to warm up; the best of 3.
  const triggers = db
    .prepare(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?))`,
    )
    .all(
      JSON.stringify([
        'art_edit_named',
        'art_edit_unnamed',
        'art_stored',
        'file_art_released',
        'art_edit_released',
      ]),
    ) as Array<{ name: string; sql: string }>;
  const rescanned = Math.min(tracks, 10_000);
  console.log(`\nwhat the triggers cost the writers (best of 3, alternately with and without them)`);
  const best = new Map<string, { rescan: number; edit: number; undo: number; drop: number }>();
  for (let round = 0; round < 4; round++) {
    for (const name of ['without', 'with']) {
      if (name === 'without') for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
      const times = { rescan: writeTracks(db, 0, rescanned, albumCover, false), ...coverEverything(db, kib) };
      if (name === 'without') for (const trigger of triggers) db.exec(trigger.sql);
      if (round === 0) continue;
      const b = best.get(name);
      best.set(
        name,
        b
          ? {
              rescan: Math.min(b.rescan, times.rescan),
              edit: Math.min(b.edit, times.edit),
              undo: Math.min(b.undo, times.undo),
              drop: Math.min(b.drop, times.drop),
            }
          : times,
      );
    }
  }
  for (const [name, b] of best)
    console.log(
      `  ${name.padEnd(7)}: ${rescanned} tracks rescanned ${b.rescan.toFixed(2)} s; a cover set on all ${tracks} in one edit ${b.edit.toFixed(2)} s, undone ${b.undo.toFixed(2)} s, the batch deleted ${b.drop.toFixed(2)} s`,
    );

  console.log('\ncollections');
  const nothing: number[] = [];
  for (let i = 0; i < 1000; i++) {
    t = performance.now();
    await collectArt(db);
    nothing.push(performance.now() - t);
  }
  nothing.sort((a, b) => a - b);
  console.log(
    `  nothing due (after every scan): p50 ${(percentile(nothing, 50) * 1000).toFixed(0)} µs, p99 ${(percentile(nothing, 99) * 1000).toFixed(0)} µs`,
  );
  const day = () => Date.now() + ART_GRACE_MS + 1000;
  await collected(db, 'a day after the upgrade (every picture named: looked at, forgotten)', day());
  const retagged = Math.floor(albums / 10);
  const newCover = (album: number) => cover(`retagged ${album}`, kib);
  t = performance.now();
  writeTracks(db, 0, retagged * 10, newCover, false);
  console.log(
    `  ${retagged * 10} tracks rescanned with new covers: ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  await collected(db, `a day later (${retagged} old covers named by nothing)`, day());

  console.log('\nwhether any batch names a picture');
  const hash = albumCover(retagged + 1).hash;
  const timed = (sql: string, ...params: unknown[]) => {
    const stmt = db.prepare(sql);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      stmt.all(...params);
      times.push(performance.now() - t0);
    }
    return percentile(
      times.sort((a, b) => a - b),
      50,
    );
  };
  const edits = db.prepare('SELECT count(*) FROM art_edits').pluck().get() as number;
  console.log(
    `  art_edit_refs, one picture: ${(timed('SELECT 1 FROM art_edit_refs WHERE hash = ?', hash) * 1000).toFixed(0)} µs`,
  );
  console.log(
    `  art_edits' JSON (${edits} rows), one picture: ${timed(
      `SELECT 1 FROM art_edits a, json_each(a.pictures) j WHERE json_extract(j.value, '$.hash') = ? LIMIT 1`,
      hash,
    ).toFixed(1)} ms; every picture named, at once: ${timed(
      `SELECT DISTINCT json_extract(j.value, '$.hash') FROM art_edits a, json_each(a.pictures) j`,
    ).toFixed(1)} ms`,
  );
  console.log(
    `\nsizes: art_edit_refs ${tableMiB(db, ['art_edit_refs'])}, art_released ${tableMiB(db, ['art_released', 'art_released_by_age'])}; library.db ${(statSync(after).size / 2 ** 20).toFixed(0)} MiB`,
  );
  db.close();
}
