// library.db gives back the space it no longer uses. SQLite keeps the pages a deletion frees for later
// writes and never shrinks the file by itself: 40 covers of 2 MiB saved, pruned from the history and
// collected left library.db at 82 MiB around 360 KiB of data. A library made with auto_vacuum =
// INCREMENTAL (openDatabase sets it before the first table, the only time it can be set) keeps a map of
// its pages, and `PRAGMA incremental_vacuum(N)` moves the last pages in use into free ones and cuts the
// file after them. The upkeep does it when the free pages are over a quarter of the file and over 8 MiB,
// in write transactions of about 40 ms with other writers let in between (moving a page in use costs up
// to ~60 µs, dropping a free one at the end next to nothing, so each transaction goes by the clock in
// small steps); the file shrinks at the checkpoint that copies the last step back, which the upkeep does.
//
// A library made before has auto_vacuum NONE, which only a VACUUM changes: it copies the pages in use
// (1.1–5.7 s for 130 MiB here, depending on the load) holding the write lock all along. So it is
// converted once, by the VACUUM that first gives its space back when that is due, and only where the hold
// is short or nobody waits on the process doing it: by any upkeep when its data is under 16 MiB (up to
// ~0.8 s on a loaded machine, once, holding a mount daemon's or the app's requests too when their minute
// check does it), else only at the close of a `sleeve` command, whose user waits for it anyway and is told
// (other processes' writers wait meanwhile: a mount's saves are journalled and retried, an app edit waits
// 5 s and is then refused as busy). Not a numbered migration: that would run at the first open by any
// process, on the app's or a mount daemon's thread, whatever the size and whether or not anything is free.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { giveWayAsync, HOLD_MS, whenFree, writeTransaction } from './write-lock.ts';

type Db = Database.Database;

/** auto_vacuum's value for INCREMENTAL. */
export const INCREMENTAL = 2;

/** Free pages are given back once they are over this and over a quarter of the file. */
const MIN_FREE_BYTES = 8 * 1024 * 1024;
/** Data that a VACUUM converting the library copies quickly enough for any upkeep. */
export const QUICK_CONVERSION_BYTES = 16 * 1024 * 1024;
/** Pages one step gives back, between checks of the time: a few ms at worst. */
const STEP_PAGES = 64;

/** The database's size in bytes: the file's, its free pages' and so the data's. */
export interface Space {
  readonly file: number;
  readonly free: number;
  readonly used: number;
}

export function space(db: Db): Space {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const file = (db.pragma('page_count', { simple: true }) as number) * pageSize;
  const free = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
  return { file, free, used: file - free };
}

/** Whether the free pages are enough to give back: a few pragmas. */
export function spaceDue(db: Db): boolean {
  const { file, free } = space(db);
  return free > MIN_FREE_BYTES && free * 4 > file;
}

/** How giveBackSpace may convert a library made before auto_vacuum (see the top). */
export interface Conversion {
  /** How long it waits for the write lock (writeTransaction's; the connection's busy timeout if absent). */
  readonly waitMs?: number;
  /** Given, this process serves nobody and may convert a library of any size; told first when it is not
   *  quick. */
  readonly holding?: (what: string) => void;
}

/**
 * Gives the free pages back to the file system when spaceDue: in steps for an incremental library,
 * converting one made before (see the top) when it may. Returns the bytes the file lost.
 */
export async function giveBackSpace(db: Db, { waitMs, holding }: Conversion = {}): Promise<number> {
  if (!spaceDue(db)) return 0;
  const before = space(db);
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) await inSteps(db, waitMs);
  else {
    const quick = before.used <= QUICK_CONVERSION_BYTES;
    if ((!quick && !holding) || !roomToConvert(db, before.used)) return 0;
    if (!quick)
      holding?.(
        `giving back the ${mib(before.free)} library.db no longer uses: the first time, its ${mib(before.used)} of data are copied…`,
      );
    convert(db, waitMs);
  }
  return before.file - space(db).file;
}

/** incremental_vacuum in transactions of about HOLD_MS until no page is free. */
async function inSteps(db: Db, waitMs: number | undefined): Promise<void> {
  const step = db.prepare(`PRAGMA incremental_vacuum(${STEP_PAGES})`);
  const freePages = db.prepare('PRAGMA freelist_count').pluck();
  const chunk = () => {
    const deadline = performance.now() + HOLD_MS;
    let left: number;
    do {
      step.run();
      left = freePages.get() as number;
    } while (left > 0 && performance.now() < deadline);
    return left;
  };
  while (writeTransaction(db, chunk, waitMs) > 0) await giveWayAsync();
}

/** Sets auto_vacuum and VACUUMs (outside any transaction: VACUUM makes its own). */
function convert(db: Db, waitMs: number | undefined): void {
  const was = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0'); // whenFree tries again each 10 ms, up to waitMs
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    whenFree(() => db.exec('VACUUM'), waitMs ?? was);
  } finally {
    db.pragma(`busy_timeout = ${was}`);
  }
}

/** Whether the library's file system holds what a VACUUM writes beside it: the data again in the WAL, and
 *  its temporary copy (in the temporary folder, often the same file system). */
function roomToConvert(db: Db, used: number): boolean {
  const { bavail, bsize } = statfsSync(dirname(db.name));
  return bavail * bsize > 2 * used + MIN_FREE_BYTES;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
