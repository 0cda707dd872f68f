// The effective view: file tags overlaid with the newest active edit of each field, materialized in
// `tags` (for queries and sorting), `search` (trigram full-text over tags and the path within its library
// folder), search_folded (the same text folded, for terms too short for trigrams) and the suggested
// fields' value counts (tag-value-counts.ts).

import type Database from 'better-sqlite3';
import { composedIfOther, composedIfOtherSql } from '../db/canonical-name.ts';
import { copiesTouchedSql } from '../db/copies-touched.ts';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';
import { searchedPathSql } from '../db/searched-path.ts';
import { TAG_RANK } from '../fingerprint/copy-rank.ts';
import type { TagList } from '../tags/normalize.ts';
import { AlbumYears } from './album-years.ts';
import { ChangeFeed } from './change-feed.ts';
import { editAge, editCounts } from './edit-counts.ts';
import { FullTextWrites } from './full-text-writes.ts';
import { ServedRecorder } from './served-recorder.ts';
import { TagValueCounts } from './tag-value-counts.ts';

export class EffectiveTags {
  readonly #clear: Database.Statement;
  readonly #fill: Database.Statement;
  readonly #hasEdits: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #searchText: Database.Statement;
  readonly #setSearchText: Database.Statement;
  readonly #hasSearchText: Database.Statement;
  readonly #tagRank: Database.Statement;
  readonly #touchCopies: readonly Database.Statement[];
  readonly #editedSince: Database.Statement;
  readonly #markEdited: Database.Statement;
  readonly #unmarkEdited: Database.Statement;
  readonly #changes: ChangeFeed;
  readonly #served: ServedRecorder;
  readonly #fullText: FullTextWrites;
  readonly #counts: TagValueCounts;
  readonly #db: Db;
  #albumYears: AlbumYears | undefined;
  /** The files the batch under way changed, whose albums' years follow at its end; undefined outside one. */
  #changed: Set<number> | undefined;

  constructor(db: Db) {
    this.#db = db;
    this.#fullText = new FullTextWrites(db);
    this.#changes = new ChangeFeed(db);
    this.#served = new ServedRecorder(db);
    this.#counts = new TagValueCounts(db);
    this.#clear = db.prepare('DELETE FROM tags WHERE file_id = ?');
    // Each key's newest edit that counts (by editAge), in one pass over the file's edits: with max() alone, SQLite takes
    // the bare column (vals) from the row holding the maximum. (A correlated max for each edit read the
    // file's edits again per edit: 39 µs against 10 for a file with 11 edits, undone ones included.)
    this.#fill = db.prepare(`
      WITH latest AS (
        SELECT e.key, e.vals, max(${editAge('e')}) FROM edits e JOIN edit_batches b ON b.id = e.batch_id
        WHERE e.file_id = :id AND ${editCounts('e', 'b')}
        GROUP BY e.key
      )
      INSERT INTO tags (file_id, key, idx, value, fold, composed)
      SELECT :id, key, idx, value, fold(value), ${composedIfOtherSql('value')} FROM file_tags
        WHERE file_id = :id AND key NOT IN (SELECT key FROM latest)
      UNION ALL
      SELECT :id, l.key, j.key, j.value, fold(j.value), ${composedIfOtherSql('j.value')} FROM latest l, json_each(l.vals) j`);
    this.#hasEdits = db.prepare('SELECT 1 FROM edits WHERE file_id = ? LIMIT 1').pluck();
    this.#insert = db.prepare(
      'INSERT INTO tags (file_id, key, idx, value, fold, composed) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#searchText = db.prepare(`
      INSERT OR REPLACE INTO search_folded (file_id, text)
      SELECT id, fold(${searchedPathSql('f')}) || coalesce(char(10) || (SELECT group_concat(fold, char(10)) FROM tags WHERE file_id = :id), '')
      FROM files f WHERE id = :id`);
    this.#setSearchText = db.prepare('INSERT OR REPLACE INTO search_folded (file_id, text) VALUES (?, ?)');
    this.#hasSearchText = db.prepare('SELECT 1 FROM search_folded WHERE file_id = ?').pluck();
    // Tags rank a recording's copies (TAG_RANK): a change in their rank can move its kept copy.
    this.#tagRank = db.prepare(`SELECT ${TAG_RANK} FROM files f WHERE f.id = ?`).pluck();
    this.#touchCopies = copiesTouchedSql('SELECT group_id FROM recording_members WHERE file_id = :id').map(
      (sql) => db.prepare(sql),
    );
    // Since when the file is edited (its oldest batch not undone), kept in edited_files: a change there
    // may move its recording's kept copy (copy-rank.ts).
    this.#editedSince = db
      .prepare(
        `SELECT min(t) FROM (
           SELECT min(b.created_at) AS t FROM edits e JOIN edit_batches b ON b.id = e.batch_id AND ${editCounts('e', 'b')}
             WHERE e.file_id = :id
           UNION ALL
           SELECT min(b.created_at) FROM art_edits a JOIN edit_batches b ON b.id = a.batch_id AND ${editCounts('a', 'b')}
             WHERE a.file_id = :id)`,
      )
      .pluck();
    this.#markEdited = db.prepare(
      `INSERT INTO edited_files (file_id, since) VALUES (?, ?)
         ON CONFLICT (file_id) DO UPDATE SET since = excluded.since WHERE excluded.since < since`,
    );
    this.#unmarkEdited = db.prepare('DELETE FROM edited_files WHERE file_id = ?');
  }

  /** The recorder every change through this view records served facts with. */
  get served(): ServedRecorder {
    return this.#served;
  }

  /** Runs `fn`, a batch of this view's changes, with their full-text writes made at its end
   *  (full-text-writes.ts says why), and then the album years of the albums its files are on and were on
   *  (album-years.ts), so a mount never sees an album in two folders. Call inside a write transaction. */
  batch<T>(fn: () => T): T {
    if (this.#changed) return this.#fullText.batch(fn);
    const albums = this.#albums();
    const changed = new Set<number>();
    this.#changed = changed;
    try {
      return albums.passing(changed, () => {
        const result = this.#fullText.batch(fn);
        albums.refreshChanged(changed);
        return result;
      });
    } finally {
      this.#changed = undefined;
    }
  }

  #albums(): AlbumYears {
    this.#albumYears ??= new AlbumYears(this.#db, this.#served);
    return this.#albumYears;
  }

  /** The file's tags ranked its copies in another tier: its recording's kept copy may move. */
  #copiesTouched(fileId: number): void {
    // Two statements (the seq raised, the recording logged at it): apart, a reader could see one alone.
    if (!this.#db.inTransaction) throw new Error('copies touched outside a write transaction');
    for (const statement of this.#touchCopies) statement.run({ id: fileId });
  }

  /** A file's tags changed: its album's year follows at the batch's end, or now outside a batch. */
  #tagsChanged(fileId: number): void {
    if (this.#changed) this.#changed.add(fileId);
    else this.#albums().refreshChanged([fileId]);
  }

  /** Files went missing or came back: their albums' years follow as for a change of their tags. */
  presenceChanged(fileIds: readonly number[]): void {
    if (this.#changed) for (const id of fileIds) this.#changed.add(id);
    else this.#albums().refreshChanged(fileIds);
  }

  /** Recomputes one file's effective tags and search entry; call inside the caller's transaction. */
  refresh(fileId: number): void {
    this.#changes.bump(fileId);
    const tagRank = this.#tagRank.get(fileId);
    const held = this.#counts.held(fileId);
    this.#clear.run(fileId);
    this.#fill.run({ id: fileId });
    this.#counts.moved(held, this.#counts.held(fileId));
    const since = this.#editedSince.get({ id: fileId }) as number | null;
    const moved = (since === null ? this.#unmarkEdited.run(fileId) : this.#markEdited.run(fileId, since))
      .changes;
    if (moved > 0 || this.#tagRank.get(fileId) !== tagRank) this.#copiesTouched(fileId);
    this.#fullText.fromTags(fileId, true);
    this.#searchText.run({ id: fileId });
    this.#served.record(fileId);
    this.#tagsChanged(fileId);
  }

  /** The file is under another library folder: its search entries, if it has any, hold its path there
   *  (searched-path.ts); nothing else a file shows depends on its folder. */
  researchPath(fileId: number): void {
    if (!this.#hasSearchText.get(fileId)) return;
    this.#fullText.fromTags(fileId, true);
    this.#searchText.run({ id: fileId });
  }

  /** After the scanner replaced a file's tags: the common case (no edits) writes the rows straight from
   *  the tags just read, without the overlay query. `searched`: its path within its library folder
   *  (searched-path.ts). */
  refreshScanned(fileId: number, searched: string, tags: TagList): void {
    if (this.#hasEdits.get(fileId)) {
      this.refresh(fileId);
      return;
    }
    this.#changes.bump(fileId);
    const tagRank = this.#tagRank.get(fileId);
    const held = this.#counts.held(fileId);
    this.#clear.run(fileId);
    this.#fillFrom(fileId, searched, tags, true);
    this.#counts.moved(held, TagValueCounts.of(tags));
    if (this.#tagRank.get(fileId) !== tagRank) this.#copiesTouched(fileId);
    this.#served.record(fileId);
    this.#tagsChanged(fileId);
  }

  /** Writes a new file's effective tags and search entries straight from the tags just read (it has no
   *  edits, and no such rows yet); `searched` as for refreshScanned. */
  fillFromRead(fileId: number, searched: string, tags: TagList): void {
    this.#fillFrom(fileId, searched, tags, false);
    this.#counts.moved(new Map(), TagValueCounts.of(tags));
    this.#tagsChanged(fileId);
  }

  #fillFrom(fileId: number, searched: string, tags: TagList, replace: boolean): void {
    const folded: string[] = [];
    for (const [key, values] of tags) {
      values.forEach((v, i) => {
        const f = fold(v);
        this.#insert.run(fileId, key, i, v, f, composedIfOther(v));
        folded.push(f);
      });
    }
    const path = fold(searched);
    this.#fullText.text(fileId, path, folded.join('\n'), replace);
    this.#setSearchText.run(fileId, [path, ...folded].join('\n'));
  }
}
