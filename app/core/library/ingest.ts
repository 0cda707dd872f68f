// Writes what the scanner read into the library. File tags are replaced; user edits are never touched.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { searchedPath } from '../db/searched-path.ts';
import type { TrackRecord } from '../media/read-track.ts';
import { READER_VERSION } from '../media/reader-version.ts';
import { SERVED_VERSION } from '../served/served-plan.ts';
import { INSERT_ART } from './art.ts';
import { ChangeFeed, NEXT_CHANGE } from './change-feed.ts';
import { EffectiveTags } from './effective.ts';
import { type Served, servedOfRead } from './served-facts.ts';
import type { ServedRecorder } from './served-recorder.ts';
import { trackColumns } from './track-columns.ts';

export interface FileStat {
  /** The path as text: a name that is not valid UTF-8 has each such byte shown as \xNN (see `bytes`). */
  readonly path: string;
  /** The path's bytes on disk, only when they are not valid UTF-8 (then `path` cannot open the file). */
  readonly bytes?: Buffer;
  readonly size: number;
  readonly mtimeMs: number;
  readonly inode: number;
}

/** `served`: the file's served facts were it new (servedOfRead), worked out beside its reading.
 *  `notAudio`: the content is no audio at all (for files without an audio extension, not worth recording).
 *  `bytesRead`: what reading it took from the file. */
export type ReadOutcome = (
  | { readonly track: TrackRecord; readonly served?: Served }
  | { readonly error: string; readonly notAudio?: boolean }
) & { readonly bytesRead?: number };

/** What the library knew about a path before this scan. */
export interface KnownFile {
  readonly id: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly inode: number;
  readonly status: 'ok' | 'missing' | 'error' | 'removed';
  /** The library folder it counts under. */
  readonly rootId: number;
  /** Read by an older version of the readers (they now record more): read again though unchanged. */
  readonly outdated: number;
}

/** Files listed or missing with one of the inodes (a JSON array): looked up by the index on inode
 *  (`+status`: not by the index on status, which SQLite would otherwise choose and walk a million files). */
export const BY_INODES_SQL = `SELECT id, path, path_bytes AS pathBytes, size, mtime_ms AS mtimeMs, inode, status,
    root_id AS rootId, 0 AS outdated FROM files
  WHERE inode IN (SELECT value FROM json_each(?)) AND +status IN ('ok', 'missing')`;

export class IngestWriter {
  readonly #db: Db;
  readonly #effective: EffectiveTags;
  readonly #changes: ChangeFeed;
  readonly #upsertOk: Database.Statement;
  readonly #upsertError: Database.Statement;
  readonly #insertNew: Database.Statement;
  readonly #clearTags: Database.Statement;
  readonly #addTag: Database.Statement;
  readonly #addArt: Database.Statement;
  readonly #clearFileArt: Database.Statement;
  readonly #addFileArt: Database.Statement;
  readonly #setStatus: Database.Statement;
  readonly #move: Database.Statement;
  readonly #content: Database.Statement;
  readonly #fileTags: Database.Statement;
  readonly #rootOf: Database.Statement;
  readonly #rootByPath: Database.Statement;
  /** Library folders' paths by id, looked up once (a folder's path never changes). */
  readonly #folders = new Map<number, string | null>();

  constructor(db: Db) {
    this.#db = db;
    this.#effective = new EffectiveTags(db);
    this.#changes = new ChangeFeed(db);
    const props = `root_id, path, path_bytes, size, mtime_ms, inode, format, codec, lossless, sample_rate, channels, bit_depth,
      duration, bitrate, audio_start, audio_end, flac_kept_bytes, flac_vendor, status, error, warning, scanned_at, added_at,
      reader_version, header_kept`;
    const update = `ON CONFLICT(path) DO UPDATE SET root_id = excluded.root_id, size = excluded.size,
      path_bytes = excluded.path_bytes, mtime_ms = excluded.mtime_ms, inode = excluded.inode, status = excluded.status, error = excluded.error,
      warning = excluded.warning, scanned_at = excluded.scanned_at, reader_version = excluded.reader_version`;
    const readValues = `:rootId, :path, :bytes, :size, :mtimeMs, :inode, :format, :codec, :lossless, :sampleRate,
      :channels, :bitDepth, :duration, :bitrate, :audioStart, :audioEnd, :keptBytes, :vendor, 'ok', NULL, :warning, :now,
      :now, ${READER_VERSION}, :headerKept`;
    this.#upsertOk = db.prepare(`
      INSERT INTO files (${props}) VALUES (${readValues})
      ${update}, format = excluded.format, codec = excluded.codec, lossless = excluded.lossless,
        sample_rate = excluded.sample_rate, channels = excluded.channels, bit_depth = excluded.bit_depth,
        duration = excluded.duration, bitrate = excluded.bitrate, audio_start = excluded.audio_start,
        flac_kept_bytes = excluded.flac_kept_bytes, flac_vendor = excluded.flac_vendor, header_kept = excluded.header_kept,
        audio_end = excluded.audio_end
      RETURNING id`);
    // A new file's row comes whole: its place in the change feed and its served facts with it.
    this.#insertNew = db.prepare(`
      INSERT INTO files (${props}, change_seq, shown_seq, served_size, served_path, served_seq, served_version)
      VALUES (${readValues}, ${NEXT_CHANGE}, ${NEXT_CHANGE}, :servedSize, :servedPath, ${NEXT_CHANGE}, ${SERVED_VERSION})
      RETURNING id`);
    // A file that turned bad keeps its last known properties and tags: nothing the user saw is lost.
    this.#upsertError = db.prepare(`
      INSERT INTO files (${props}) VALUES (:rootId, :path, :bytes, :size, :mtimeMs, :inode, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'error', :error, NULL, :now, :now, ${READER_VERSION}, NULL)
      ${update}
      RETURNING id`);
    this.#clearTags = db.prepare('DELETE FROM file_tags WHERE file_id = ?');
    this.#addTag = db.prepare('INSERT INTO file_tags (file_id, key, idx, value) VALUES (?, ?, ?, ?)');
    this.#addArt = db.prepare(INSERT_ART);
    this.#clearFileArt = db.prepare('DELETE FROM file_art WHERE file_id = ?');
    this.#addFileArt = db.prepare(
      'INSERT INTO file_art (file_id, idx, hash, picture_type, description) VALUES (?, ?, ?, ?, ?)',
    );
    this.#setStatus = db.prepare(
      "UPDATE files SET status = ?, root_id = ?, error = NULL, scanned_at = ? WHERE id = ? AND status <> 'error'",
    );
    this.#move = db.prepare(
      `UPDATE files SET path = :path, path_bytes = :bytes, root_id = :rootId, size = :size, mtime_ms = :mtimeMs,
         inode = :inode, status = 'ok', error = NULL, scanned_at = :now WHERE id = :id`,
    );
    this.#content = db.prepare(
      `SELECT size, format, audio_start AS audioStart, audio_end AS audioEnd, duration FROM files WHERE id = ?`,
    );
    this.#fileTags = db.prepare('SELECT key, idx, value FROM file_tags WHERE file_id = ?').raw();
    this.#rootOf = db.prepare('SELECT root_id FROM files WHERE id = ?').pluck();
    this.#rootByPath = db.prepare('SELECT root_id FROM files WHERE path = ?').pluck();
  }

  /** `path` as the full-text entries of a file under library folder `rootId` hold it. */
  #searched(rootId: number, path: string): string {
    let folder = this.#folders.get(rootId);
    if (folder === undefined) {
      folder =
        (this.#db.prepare('SELECT path FROM roots WHERE id = ?').pluck().get(rootId) as string) ?? null;
      this.#folders.set(rootId, folder);
    }
    return searchedPath(path, folder);
  }

  /** The served facts' recorder the writes record through (a scan records stale ones with it too). */
  get served(): ServedRecorder {
    return this.#effective.served;
  }

  ensureRoot(path: string, now: number): number {
    this.#db.prepare('INSERT OR IGNORE INTO roots (path, added_at) VALUES (?, ?)').run(path, now);
    return (this.#db.prepare('SELECT id FROM roots WHERE path = ?').get(path) as { id: number }).id;
  }

  /** Whether the folder is a library folder (added, and not removed since). */
  isLibraryFolder(path: string): boolean {
    return (
      this.#db.prepare('SELECT 1 FROM roots WHERE path = ? AND removed_at IS NULL').get(path) !== undefined
    );
  }

  /** Whether the user removed this library folder (a scan that walks it whole adds it back). */
  isRemoved(rootId: number): boolean {
    return (
      this.#db.prepare('SELECT removed_at IS NOT NULL FROM roots WHERE id = ?').pluck().get(rootId) === 1
    );
  }

  /** A removed folder is a library folder again (its unchanged files came back with markPresent). */
  restoreRoot(rootId: number): void {
    this.#db.prepare('UPDATE roots SET removed_at = NULL WHERE id = ?').run(rootId);
  }

  /** Existing files at or below `folder`, keyed by path. */
  knownFiles(folder: string): Map<string, KnownFile> {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    const rows = this.#db
      .prepare(
        `SELECT id, path, size, mtime_ms AS mtimeMs, inode, status, root_id AS rootId,
           (reader_version < ${READER_VERSION}) AS outdated FROM files
         WHERE path = ? OR (path >= ? AND path < ?)`,
      )
      .all(folder, prefix, `${prefix.slice(0, -1)}0`) as Array<KnownFile & { path: string }>;
    return new Map(rows.map((r) => [r.path, r]));
  }

  /** Records one read file (`isNew`: the library had no row for its path). Call inside a transaction. */
  write(rootId: number, stat: FileStat, outcome: ReadOutcome, now: number, isNew: boolean): void {
    const base = statParams(rootId, stat, now);
    if ('error' in outcome) {
      const before = this.#rootByPath.get(stat.path) as number | undefined;
      const row = this.#upsertError.get({ ...base, error: outcome.error }) as { id: number };
      this.#changes.bump(row.id);
      // Unreadable now, under another library folder: the search text it keeps holds its path there.
      if (before !== undefined && before !== rootId) this.#effective.researchPath(row.id);
      return;
    }
    const t = outcome.track;
    const params = { ...base, ...trackColumns(t) };
    if (isNew) {
      // Worked out by the reader thread, or else here.
      const served = outcome.served ?? servedOfRead(stat.path, stat.size, t);
      const { id } = this.#insertNew.get({ ...params, servedSize: served.size, servedPath: served.path }) as {
        id: number;
      };
      this.#addTagsAndArt(id, t);
      // Its change-feed place and served facts came with the row.
      this.#effective.fillFromRead(id, this.#searched(rootId, stat.path), t.tags);
      return;
    }
    const { id } = this.#upsertOk.get(params) as { id: number };
    this.#clearTags.run(id);
    this.#clearFileArt.run(id);
    this.#addTagsAndArt(id, t);
    this.#effective.refreshScanned(id, this.#searched(rootId, stat.path), t.tags);
  }

  #addTagsAndArt(fileId: number, t: TrackRecord): void {
    for (const [key, values] of t.tags) {
      values.forEach((v, i) => {
        this.#addTag.run(fileId, key, i, v);
      });
    }
    t.pictures.forEach((p, i) => {
      if (p.data) this.#addArt.run({ ...p, data: p.data });
      this.#addFileArt.run(fileId, i, p.hash, p.type, p.description);
    });
  }

  /** Runs `fn`, a batch of writes, with their full-text index writes made at its end (full-text-writes.ts).
   *  Call inside a write transaction. */
  batch<T>(fn: () => T): T {
    return this.#effective.batch(fn);
  }

  /** A missing or removed file is back, unchanged, under the library folder being scanned. */
  markPresent(id: number, rootId: number, now: number): void {
    const movedFolder = this.#rootOf.get(id) !== rootId;
    this.#setStatus.run('ok', rootId, now, id);
    this.#changes.bump(id);
    this.#effective.presenceChanged([id]);
    // Under another library folder (a folder around its own, scanned since): its search text holds its
    // path within that folder.
    if (movedFolder) this.#effective.researchPath(id);
  }

  /**
   * The file `id` now lives at `stat.path` (moved or renamed, or a folder of it was): the same track with
   * its edits, groups, playlists and preferred-copy choice. Call inside a transaction.
   */
  move(id: number, rootId: number, stat: FileStat, now: number): void {
    this.#move.run({ id, ...statParams(rootId, stat, now) });
    this.#effective.refresh(id); // its search text and served path carry the path
  }

  /** Files listed or missing whose inode is one of these: where a moved file may have come from. */
  byInodes(inodes: readonly number[]): Array<KnownFile & { path: string; pathBytes: Buffer | null }> {
    if (inodes.length === 0) return [];
    return this.#db.prepare(BY_INODES_SQL).all(JSON.stringify([...new Set(inodes)])) as Array<
      KnownFile & { path: string; pathBytes: Buffer | null }
    >;
  }

  /** Missing files by size: what a file copied back from elsewhere (a new inode) may be. */
  missingBySize(): Map<number, number[]> {
    const rows = this.#db.prepare("SELECT id, size FROM files WHERE status = 'missing'").raw().all() as Array<
      [number, number]
    >;
    const bySize = new Map<number, number[]>();
    for (const [id, size] of rows) bySize.set(size, [...(bySize.get(size) ?? []), id]);
    return bySize;
  }

  /**
   * Whether file `id` recorded exactly what was just read: the same size, format, audio bounds, duration
   * and tags. Short of hashing whole files (a scan never reads the audio), this is the content's identity.
   */
  sameContent(id: number, size: number, track: TrackRecord): boolean {
    const row = this.#content.get(id) as
      | {
          size: number;
          format: string | null;
          audioStart: number | null;
          audioEnd: number | null;
          duration: number | null;
        }
      | undefined;
    if (
      !row ||
      row.size !== size ||
      row.format !== track.format ||
      row.audioStart !== track.audioStart ||
      row.audioEnd !== track.audioEnd ||
      row.duration !== track.duration
    )
      return false;
    const stored = this.#fileTags.all(id) as Array<[string, number, string]>;
    const read = track.tags.flatMap(([key, values]) => values.map((v, i) => [key, i, v] as const));
    const order = (a: readonly [string, number, string], b: readonly [string, number, string]) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
    return JSON.stringify([...stored].sort(order)) === JSON.stringify([...read].sort(order));
  }

  markMissing(ids: readonly number[], now: number): void {
    const stmt = this.#db.prepare(
      "UPDATE files SET status = 'missing', error = NULL, scanned_at = ? WHERE id = ?",
    );
    for (const id of ids) {
      stmt.run(now, id);
      this.#changes.bump(id);
    }
    this.#effective.presenceChanged(ids);
  }
}

/** A file's place and stat as the statements' named parameters. */
function statParams(rootId: number, stat: FileStat, now: number) {
  return {
    rootId,
    path: stat.path,
    bytes: stat.bytes ?? null,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    inode: stat.inode,
    now,
  };
}
