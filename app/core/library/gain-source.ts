// Whose ReplayGain a file that carries its own is served: its own (the default, as every player expects
// of a tagged file) or what Sleeve measured, which replaces the file's own in the mount, listings and
// queries. Chosen per file (gain_choices) over the library's default (gain_default). Only files that carry
// gains of their own and have a current measurement serve anything different under the other source, so
// only they move (change_seq, without shown_seq: a preview of their tags still holds) and are sized anew,
// in the transaction that changed their source. A new default reaches the library in id order, a short
// transaction per chunk (like a large edit's derivation): files past the cursor follow the previous one.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { giveWay, HOLD_MS, writeTransaction } from '../db/write-lock.ts';
import { AlbumYears } from './album-years.ts';
import { ChangeFeed } from './change-feed.ts';
import { ServedRecorder } from './served-recorder.ts';
import {
  carriesGainSql,
  defaultSourceSql,
  type GainSource,
  measuredNowSql,
  sourceSql,
} from './served-tags.ts';

/** A file's choice; 'default' drops it, so the file follows the library's default. */
export type GainChoice = GainSource | 'default';

/** A file whose served ReplayGain depends on its source: it carries its own and has a current measurement. */
const EITHER_SQL = `f.status = 'ok' AND ${measuredNowSql('f')} AND ${carriesGainSql('f.id')}`;

/** Ids looked at per step of a default's chunk. */
const WINDOW = 64;
/** Files chosen per transaction. */
const CHOICE_CHUNK = 100;

export class GainSources {
  readonly #db: Db;
  readonly #flipping: Database.Statement;
  readonly #put: Database.Statement;
  readonly #drop: Database.Statement;
  readonly #default: Database.Statement;
  readonly #window: Database.Statement;
  readonly #advance: Database.Statement;
  readonly #finish: Database.Statement;
  readonly #feed: ChangeFeed;
  readonly #served: ServedRecorder;
  #years: AlbumYears | undefined;

  constructor(db: Db) {
    this.#db = db;
    // Of the ids, those whose served ReplayGain changes with source @to (NULL: the library's default).
    this.#flipping = db
      .prepare(
        `SELECT f.id FROM json_each(@ids) j JOIN files f ON f.id = j.value WHERE ${EITHER_SQL}
           AND ${sourceSql('f.id')} <> coalesce(@to, ${defaultSourceSql('f.id')}) ORDER BY f.id`,
      )
      .pluck();
    this.#put = db.prepare(
      `INSERT INTO gain_choices (file_id, source) SELECT value, @to FROM json_each(@ids) WHERE true
       ON CONFLICT (file_id) DO UPDATE SET source = excluded.source`,
    );
    this.#drop = db.prepare('DELETE FROM gain_choices WHERE file_id IN (SELECT value FROM json_each(@ids))');
    this.#default = db.prepare('SELECT source, previous, next_file AS nextFile FROM gain_default');
    // The files of the next window past the cursor: the last id, and which ones follow the default.
    this.#window = db.prepare(
      `SELECT f.id, (NOT EXISTS (SELECT 1 FROM gain_choices c WHERE c.file_id = f.id) AND ${EITHER_SQL}) AS moves
       FROM files f WHERE f.id > ? ORDER BY f.id LIMIT ${WINDOW}`,
    );
    this.#advance = db.prepare('UPDATE gain_default SET next_file = ?');
    this.#finish = db.prepare('UPDATE gain_default SET previous = NULL, next_file = NULL');
    this.#feed = new ChangeFeed(db);
    this.#served = new ServedRecorder(db);
  }

  /** The library's default, and whether a change to it is still reaching the library. */
  defaultSource(): { source: GainSource; pending: boolean } {
    const row = this.#default.get() as { source: GainSource; nextFile: number | null };
    return { source: row.source, pending: row.nextFile !== null };
  }

  /** Of `ids`, the files whose served ReplayGain `choice` changes (what choose would move). */
  flipping(ids: readonly number[], choice: GainChoice): number[] {
    return this.#flipping.all({
      ids: JSON.stringify(ids),
      to: choice === 'default' ? null : choice,
    }) as number[];
  }

  /** Files that follow the default and would serve otherwise under `source` (what setDefault would move). */
  defaultFlipping(source: GainSource): number {
    return this.#db
      .prepare(
        `SELECT count(*) FROM files f WHERE NOT EXISTS (SELECT 1 FROM gain_choices c WHERE c.file_id = f.id)
           AND ${EITHER_SQL} AND ${defaultSourceSql('f.id')} <> ?`,
      )
      .pluck()
      .get(source) as number;
  }

  /** Records `choice` for the files, a short transaction per chunk, moving those it changes; how many. */
  choose(ids: readonly number[], choice: GainChoice): number {
    let moved = 0;
    for (let i = 0; i < ids.length; i += CHOICE_CHUNK)
      moved += writeTransaction(this.#db, () => this.chooseWithin(ids.slice(i, i + CHOICE_CHUNK), choice));
    return moved;
  }

  /** choose, inside the caller's write transaction (a few files: a save through the mount). */
  chooseWithin(ids: readonly number[], choice: GainChoice): number {
    const json = JSON.stringify(ids);
    const flips = this.#flipping.all({ ids: json, to: choice === 'default' ? null : choice }) as number[];
    if (choice === 'default') this.#drop.run({ ids: json });
    else this.#put.run({ ids: json, to: choice });
    for (const id of flips) this.#moved(id);
    return flips.length;
  }

  /** Makes `source` the library's default; the files it moves follow in chunks (defaultChunk). A change
   *  still reaching the library (this process's, or another's started meanwhile) is finished first, so
   *  that one cursor says where each file stands. */
  setDefault(source: GainSource): void {
    for (;;) {
      while (this.defaultChunk() > 0) giveWay(this.#db);
      const set = writeTransaction(this.#db, () => {
        const now = this.#default.get() as { source: GainSource; nextFile: number | null };
        if (now.nextFile !== null) return false;
        if (now.source !== source)
          this.#db
            .prepare('UPDATE gain_default SET source = ?, previous = ?, next_file = 0')
            .run(source, now.source);
        return true;
      });
      if (set) return;
    }
  }

  /** One chunk of a new default in its own transaction: the files looked at, 0 when none is pending. */
  defaultChunk(budgetMs = HOLD_MS): number {
    // Most calls find none pending: no write transaction for them.
    if (!gainDefaultPending(this.#db)) return 0;
    // A new default changes only what is measured of the files it moves (perhaps every file): the album
    // years pass them without a look.
    this.#years ??= new AlbumYears(this.#db, this.#served);
    return writeTransaction(this.#db, () =>
      this.#feed.measuring(this.#years, () => this.#defaultChunk(budgetMs)),
    );
  }

  #defaultChunk(budgetMs: number): number {
    const start = performance.now();
    let looked = 0;
    let cursor = (this.#default.get() as { nextFile: number | null }).nextFile;
    // At least one window, however small the budget.
    while (cursor !== null && (looked === 0 || performance.now() - start < budgetMs)) {
      const window = this.#window.all(cursor) as Array<{ id: number; moves: number }>;
      if (window.length === 0) {
        this.#finish.run();
        return looked || 1;
      }
      // The cursor first: the files moved are sized with the source they now follow.
      cursor = window.at(-1)!.id;
      this.#advance.run(cursor);
      for (const f of window) if (f.moves) this.#moved(f.id);
      looked += window.length;
    }
    return looked;
  }

  #moved(id: number): void {
    this.#feed.bumpMeasured(id);
    this.#served.record(id);
  }
}

/** Whether a new default is still reaching the library. */
export function gainDefaultPending(db: Db): boolean {
  return Boolean(db.prepare('SELECT 1 FROM gain_default WHERE next_file IS NOT NULL').get());
}
