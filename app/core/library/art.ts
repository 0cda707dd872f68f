// Cover art as the library shows it: what the file holds (file_art), unless the newest active edit batch
// replaced the file's pictures (art_edits).
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';

/** One picture of a file, by content hash (the bytes live once in `art`). */
export interface PictureRef {
  readonly hash: string;
  /** ID3/FLAC picture type, 0–20 (3 = front cover). */
  readonly type: number;
  readonly description: string;
}

export interface PictureInfo extends PictureRef {
  readonly mime: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly bytes: number;
}

/** Reads cover art; statements are prepared once (the mount daemon asks per file). */
export class ArtStore {
  readonly #edited: Database.Statement;
  readonly #fromFile: Database.Statement;
  readonly #info: Database.Statement;
  readonly #data: Database.Statement;

  constructor(db: Db) {
    this.#edited = db
      .prepare(
        `SELECT ae.pictures FROM art_edits ae JOIN edit_batches b ON b.id = ae.batch_id
         WHERE ae.file_id = ? AND b.undone_at IS NULL ORDER BY ae.batch_id DESC LIMIT 1`,
      )
      .pluck();
    this.#fromFile = db.prepare(
      `SELECT fa.hash, fa.picture_type AS type, fa.description, a.mime, a.width, a.height, a.bytes
       FROM file_art fa JOIN art a ON a.hash = fa.hash WHERE fa.file_id = ? ORDER BY fa.idx`,
    );
    this.#info = db.prepare('SELECT mime, width, height, bytes FROM art WHERE hash = ?');
    this.#data = db.prepare('SELECT data FROM art WHERE hash = ?').pluck();
  }

  /** A file's effective pictures, in order, with their image properties. */
  pictures(fileId: number): PictureInfo[] {
    const edited = this.#edited.get(fileId) as string | undefined;
    if (edited === undefined) return this.#fromFile.all(fileId) as PictureInfo[];
    const refs = JSON.parse(edited) as PictureRef[];
    return refs.map((r) => ({ ...r, ...(this.#info.get(r.hash) as Omit<PictureInfo, keyof PictureRef>) }));
  }

  /** The image bytes of a stored picture. */
  data(hash: string): Buffer {
    const data = this.#data.get(hash) as Buffer | undefined;
    if (!data) throw new Error(`cover art ${hash} is missing from the library`);
    return data;
  }
}
