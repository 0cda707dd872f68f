// The effective view: file tags overlaid with the newest active edit of each field, materialized in
// `tags` (for queries and sorting), `search` (trigram full-text over tags and path) and search_folded
// (the same text folded, for terms too short for trigrams).

import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { fold } from '../db/fold.ts';
import { TAG_RANK } from '../fingerprint/copy-rank.ts';
import type { TagList } from '../tags/normalize.ts';
import { ChangeFeed } from './change-feed.ts';
import { ServedRecorder } from './served-recorder.ts';

export class EffectiveTags {
  readonly #clear: Database.Statement;
  readonly #fill: Database.Statement;
  readonly #hasEdits: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #unindex: Database.Statement;
  readonly #index: Database.Statement;
  readonly #indexText: Database.Statement;
  readonly #searchText: Database.Statement;
  readonly #setSearchText: Database.Statement;
  readonly #tagRank: Database.Statement;
  readonly #copiesMoved: Database.Statement;
  readonly #changes: ChangeFeed;
  readonly #served: ServedRecorder;

  constructor(db: Db) {
    this.#changes = new ChangeFeed(db);
    this.#served = new ServedRecorder(db);
    this.#clear = db.prepare('DELETE FROM tags WHERE file_id = ?');
    this.#fill = db.prepare(`
      WITH active AS (
        SELECT e.key, e.vals, e.batch_id FROM edits e JOIN edit_batches b ON b.id = e.batch_id
        WHERE e.file_id = :id AND b.undone_at IS NULL
      ),
      latest AS (
        SELECT a.key, a.vals FROM active a
        WHERE a.batch_id = (SELECT max(x.batch_id) FROM active x WHERE x.key = a.key)
      )
      INSERT INTO tags (file_id, key, idx, value, fold)
      SELECT :id, key, idx, value, fold(value) FROM file_tags
        WHERE file_id = :id AND key NOT IN (SELECT key FROM latest)
      UNION ALL
      SELECT :id, l.key, j.key, j.value, fold(j.value) FROM latest l, json_each(l.vals) j`);
    this.#hasEdits = db.prepare('SELECT 1 FROM edits WHERE file_id = ? LIMIT 1').pluck();
    this.#insert = db.prepare('INSERT INTO tags (file_id, key, idx, value, fold) VALUES (?, ?, ?, ?, ?)');
    this.#unindex = db.prepare('DELETE FROM search WHERE rowid = ?');
    this.#index = db.prepare(`
      INSERT INTO search (rowid, path, text)
      SELECT id, path, (SELECT group_concat(value, char(10)) FROM tags WHERE file_id = :id)
      FROM files WHERE id = :id`);
    this.#indexText = db.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)');
    this.#searchText = db.prepare(`
      INSERT OR REPLACE INTO search_folded (file_id, text)
      SELECT id, fold(path) || coalesce(char(10) || (SELECT group_concat(fold, char(10)) FROM tags WHERE file_id = :id), '')
      FROM files WHERE id = :id`);
    this.#setSearchText = db.prepare('INSERT OR REPLACE INTO search_folded (file_id, text) VALUES (?, ?)');
    // Tags rank a recording's copies (TAG_RANK): a change in their rank can move its kept copy.
    this.#tagRank = db.prepare(`SELECT ${TAG_RANK} FROM files f WHERE f.id = ?`).pluck();
    this.#copiesMoved = db.prepare(
      'UPDATE copies_state SET seq = seq + 1 WHERE EXISTS (SELECT 1 FROM recording_members WHERE file_id = ?)',
    );
  }

  /** The recorder every change through this view records served facts with. */
  get served(): ServedRecorder {
    return this.#served;
  }

  /** Recomputes one file's effective tags and search entry; call inside the caller's transaction. */
  refresh(fileId: number): void {
    this.#changes.bump(fileId);
    const tagRank = this.#tagRank.get(fileId);
    this.#clear.run(fileId);
    this.#fill.run({ id: fileId });
    if (this.#tagRank.get(fileId) !== tagRank) this.#copiesMoved.run(fileId);
    this.#unindex.run(fileId);
    this.#index.run({ id: fileId });
    this.#searchText.run({ id: fileId });
    this.#served.record(fileId);
  }

  /**
   * After the scanner replaced a file's tags: the common case (no edits) writes the rows straight from
   * the tags just read, without the overlay query. `isNew` files have no old rows to delete.
   */
  refreshScanned(fileId: number, path: string, tags: TagList, isNew: boolean): void {
    if (!isNew && this.#hasEdits.get(fileId)) {
      this.refresh(fileId);
      return;
    }
    this.#changes.bump(fileId);
    // A new file is in no recording yet: only a file read again can move its recording's kept copy.
    const tagRank = isNew ? undefined : this.#tagRank.get(fileId);
    if (!isNew) {
      this.#clear.run(fileId);
      this.#unindex.run(fileId);
    }
    const text: string[] = [];
    for (const [key, values] of tags) {
      values.forEach((v, i) => {
        this.#insert.run(fileId, key, i, v, fold(v));
        text.push(v);
      });
    }
    if (!isNew && this.#tagRank.get(fileId) !== tagRank) this.#copiesMoved.run(fileId);
    this.#indexText.run(fileId, path, text.join('\n'));
    this.#setSearchText.run(fileId, [path, ...text].map(fold).join('\n'));
    this.#served.record(fileId);
  }
}
