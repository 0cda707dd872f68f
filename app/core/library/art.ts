// Cover art as the library shows it: what the file holds (file_art), unless the newest active edit batch
// replaced the file's pictures (art_edits).
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { editAge, editCounts } from './edit-counts.ts';

/** SQL: whether file row `f`'s newest art edit that counts leaves it pictures, else whether the file holds
 *  any: whether it shows a cover. */
export const hasArtSql = (f: string): string =>
  `coalesce((SELECT ae.pictures <> '[]' FROM art_edits ae JOIN edit_batches b ON b.id = ae.batch_id
    WHERE ae.file_id = ${f}.id AND ${editCounts('ae', 'b')} ORDER BY ${editAge('ae')} DESC LIMIT 1),
  EXISTS (SELECT 1 FROM file_art WHERE file_id = ${f}.id))`;

/** ID3/FLAC picture types by the names the CLI and the app use. */
export const PICTURE_TYPES = { other: 0, front: 3, back: 4, leaflet: 5, medium: 6, artist: 8 } as const;
export type PictureTypeName = keyof typeof PICTURE_TYPES;

/** One picture of a file, by content hash (the bytes live once in `art`). */
export interface PictureRef {
  readonly hash: string;
  /** ID3/FLAC picture type, 0–20 (3 = front cover). */
  readonly type: number;
  readonly description: string;
}

/** Just the references of pictures (what an edit stores and what compares): no image properties. */
export const pictureRefs = (pictures: readonly PictureRef[]): PictureRef[] =>
  pictures.map(({ hash, type, description }) => ({ hash, type, description }));

export interface PictureInfo extends PictureRef {
  readonly mime: string;
  readonly width: number | null;
  readonly height: number | null;
  /** Bits a pixel (image-size.ts); null for an image stored before it was kept, or not read. */
  readonly depth: number | null;
  readonly bytes: number;
}

/** Stores an image once, by its hash (named parameters as PictureInfo and the bytes as `data`). */
export const INSERT_ART = `INSERT OR IGNORE INTO art (hash, mime, width, height, depth, bytes, data)
  VALUES (@hash, @mime, @width, @height, @depth, @bytes, @data)`;

/** Reads cover art; statements are prepared once (the mount daemon asks per file). */
export class ArtStore {
  readonly #edited: Database.Statement;
  readonly #fromFile: Database.Statement;
  readonly #info: Database.Statement;
  readonly #data: Database.Statement;
  readonly #editedOf: Database.Statement;
  readonly #fromFiles: Database.Statement;

  constructor(db: Db) {
    this.#edited = db
      .prepare(
        `SELECT ae.pictures FROM art_edits ae JOIN edit_batches b ON b.id = ae.batch_id
         WHERE ae.file_id = ? AND ${editCounts('ae', 'b')} ORDER BY ${editAge('ae')} DESC LIMIT 1`,
      )
      .pluck();
    this.#fromFile = db.prepare(
      `SELECT fa.hash, fa.picture_type AS type, fa.description, a.mime, a.width, a.height, a.depth, a.bytes
       FROM file_art fa JOIN art a ON a.hash = fa.hash WHERE fa.file_id = ? ORDER BY fa.idx`,
    );
    this.#info = db.prepare('SELECT mime, width, height, depth, bytes FROM art WHERE hash = ?');
    this.#data = db.prepare('SELECT data FROM art WHERE hash = ?').pluck();
    // The same for many files at once (ids as a JSON array): newest batch first within each file.
    this.#editedOf = db
      .prepare(
        `SELECT ae.file_id, ae.pictures FROM json_each(?) j JOIN art_edits ae ON ae.file_id = j.value
         JOIN edit_batches b ON b.id = ae.batch_id WHERE ${editCounts('ae', 'b')} ORDER BY ae.file_id, ${editAge('ae')} DESC`,
      )
      .raw();
    this.#fromFiles = db
      .prepare(
        `SELECT fa.file_id, fa.hash, fa.picture_type, fa.description, a.mime, a.width, a.height, a.depth, a.bytes
         FROM json_each(?) j JOIN file_art fa ON fa.file_id = j.value JOIN art a ON a.hash = fa.hash
         ORDER BY fa.file_id, fa.idx`,
      )
      .raw();
  }

  /** A file's effective pictures, in order, with their image properties. */
  pictures(fileId: number): PictureInfo[] {
    const edited = this.#edited.get(fileId) as string | undefined;
    if (edited === undefined) return this.#fromFile.all(fileId) as PictureInfo[];
    return this.#withInfo(edited);
  }

  /** `pictures` of many files in two queries (files without any are left out). */
  picturesOf(fileIds: readonly number[]): Map<number, PictureInfo[]> {
    const out = new Map<number, PictureInfo[]>();
    const ids = JSON.stringify(fileIds);
    const edited = new Map<number, string>();
    for (const [fileId, refs] of this.#editedOf.iterate(ids) as Iterable<[number, string]>) {
      if (!edited.has(fileId)) edited.set(fileId, refs);
    }
    type Row = [number, string, number, string, string, number | null, number | null, number | null, number];
    for (const [
      fileId,
      hash,
      type,
      description,
      mime,
      width,
      height,
      depth,
      bytes,
    ] of this.#fromFiles.iterate(ids) as Iterable<Row>) {
      if (edited.has(fileId)) continue;
      const list = out.get(fileId);
      const picture = { hash, type, description, mime, width, height, depth, bytes };
      if (list) list.push(picture);
      else out.set(fileId, [picture]);
    }
    for (const [fileId, refs] of edited) {
      const pictures = this.#withInfo(refs);
      if (pictures.length > 0) out.set(fileId, pictures);
    }
    return out;
  }

  /** An edit's picture references (JSON) with their image properties. */
  #withInfo(refs: string): PictureInfo[] {
    return (JSON.parse(refs) as PictureRef[]).map((r) => ({
      ...r,
      ...(this.#info.get(r.hash) as Omit<PictureInfo, keyof PictureRef>),
    }));
  }

  /** The image bytes of a stored picture. */
  data(hash: string): Buffer {
    const data = this.#data.get(hash) as Buffer | undefined;
    if (!data) throw new Error(`cover art ${hash} is missing from the library`);
    return data;
  }
}
