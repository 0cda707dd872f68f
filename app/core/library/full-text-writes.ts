// Writes to the full-text index (`search`, FTS5) for a batch of files, made together at the batch's end.
// FTS5 holds the terms of its inserts in memory and writes them out as a new segment whenever a later
// statement of the transaction opens a savepoint, which most writes do (a file's next row, its search
// text): written file by file, each file became a segment of its own, and every 16 segments a merge
// (FTS5's crisis merge). Queued to the batch's end, a batch is one segment: the scan's writer over 1,000
// new files went from a median of 420 to 295 µs a file (issue 46; BENCHMARKS.md's history, scan). The
// entries are folded text (fold.ts), as the query's words are, so the index folds accents as they do.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { searchedPathSql } from '../db/searched-path.ts';

interface Entry {
  /** The file may have an entry already (deleted first). */
  readonly replace: boolean;
  /** The text to index; undefined: the file's effective tags as they are when written. */
  readonly text?: { readonly path: string; readonly values: string };
}

export class FullTextWrites {
  readonly #unindex: Database.Statement;
  readonly #fromTags: Database.Statement;
  readonly #text: Database.Statement;
  #pending: Map<number, Entry> | undefined;

  constructor(db: Db) {
    this.#unindex = db.prepare('DELETE FROM search WHERE rowid = ?');
    this.#fromTags = db.prepare(`
      INSERT INTO search (rowid, path, text)
      SELECT id, fold(${searchedPathSql('f')}), (SELECT group_concat(fold, char(10)) FROM tags WHERE file_id = :id)
      FROM files f WHERE id = :id`);
    this.#text = db.prepare('INSERT INTO search (rowid, path, text) VALUES (?, ?, ?)');
  }

  /** Runs `fn` with the writes asked of this object meanwhile queued, then makes them. Call inside a
   *  write transaction; inside another batch, the outer one makes them. */
  batch<T>(fn: () => T): T {
    if (this.#pending) return fn();
    const pending = new Map<number, Entry>();
    this.#pending = pending;
    try {
      const result = fn();
      for (const [fileId, entry] of pending) this.#write(fileId, entry);
      return result;
    } finally {
      this.#pending = undefined;
    }
  }

  /** Indexes a file's effective tags and path within its library folder (`replace`: it may be indexed
   *  already). */
  fromTags(fileId: number, replace: boolean): void {
    this.#put(fileId, { replace });
  }

  /** Indexes a file by its path within its library folder and the values of its tags, given one a line,
   *  both folded (fold.ts). */
  text(fileId: number, path: string, values: string, replace: boolean): void {
    this.#put(fileId, { replace, text: { path, values } });
  }

  #put(fileId: number, entry: Entry): void {
    if (!this.#pending) {
      this.#write(fileId, entry);
      return;
    }
    // Whether an entry must go is as the index stood before the batch; the latest text wins.
    const queued = this.#pending.get(fileId);
    this.#pending.set(fileId, queued ? { ...entry, replace: queued.replace } : entry);
  }

  #write(fileId: number, { replace, text }: Entry): void {
    if (replace) this.#unindex.run(fileId);
    if (text) this.#text.run(fileId, text.path, text.values);
    else this.#fromTags.run({ id: fileId });
  }
}
