// What a player receives of a library file, for the outlets beside the mount (the Subsonic server's stream
// and download, the app's player): the header regenerated from the library spliced over the original's
// untouched audio — the same bytes the mount serves, built by the same layouts (served-layout.ts). So a
// phone's offline copy, or a file a client saves, carries the edits and the served ReplayGain.
import type { FileLanes } from '../../../kit/file-lanes.ts';
import type { Db } from '../db/database.ts';
import { OriginalChangedError } from '../served/flac-original.ts';
import { OriginalFile } from '../served/original-file.ts';
import { type ServedRecord, type ServedRow, servedRecord } from '../served/served-record.ts';
import { checkOriginal, type Layout, Layouts, readServed } from './served-layout.ts';

/** A served file opened: its size and its bytes from any position; close it when done. */
export interface ServedFile {
  readonly size: number;
  /** Reads up to `length` bytes at `position` into a new buffer (shorter at the end). */
  read(position: number, length: number): Promise<Buffer>;
  close(): void;
}

/** Bytes read in one pass over the original (its pages are 64 KiB; a pass holds at most 64 MiB). */
const MAX_READ = 1024 * 1024;

export class ServedFiles {
  readonly #layouts: Layouts;
  readonly #files: FileLanes;
  readonly #row;

  constructor(db: Db, files: FileLanes) {
    this.#files = files;
    this.#layouts = new Layouts(db, files);
    this.#row = db.prepare(
      `SELECT f.id, f.path, f.path_bytes AS bytes, f.size, f.mtime_ms AS mtimeMs, f.format,
         f.audio_start AS audioStart, f.audio_end AS audioEnd, f.flac_kept_bytes AS keptBytes,
         f.flac_vendor AS vendor, f.header_kept AS headerKept, f.change_seq AS seq, f.inode
       FROM files f WHERE f.id = ?`,
    );
  }

  /** The file as the scan recorded it, to be served, with the inode it had; undefined for an id the
   *  library does not have. */
  record(fileId: number): (ServedRecord & { readonly inode: number }) | undefined {
    const row = this.#row.get(fileId) as (ServedRow & { inode: number }) | undefined;
    if (!row) return undefined;
    return { ...servedRecord(row, { mtimeMs: row.mtimeMs, servedSize: null }), inode: row.inode };
  }

  /**
   * Opens what a player receives of the file: its original opened in its lane and checked to be the file
   * scanned — its inode, size and time, so a link to a file outside the library put in its place is not
   * sent (else OriginalChangedError: rescan it) —, its header built from the library as it is now.
   */
  async open(record: ServedRecord & { readonly inode: number }): Promise<ServedFile> {
    const layout: Layout = await this.#layouts.get(record);
    const original = await OriginalFile.open(this.#files, record.disk, {
      readHead: layout.readsHead,
      streamed: true,
    });
    try {
      if (original.ino !== record.inode)
        throw new OriginalChangedError(
          `${record.path} is not the file scanned there (another file took its place); rescan it`,
        );
      checkOriginal(original, record);
      const header = await original.pass(() => layout.header(original));
      return {
        size: layout.size,
        read: async (position, length) => {
          const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, MAX_READ, layout.size - position)));
          const got = await original.pass(() =>
            readServed(layout, header, original, out, 0, out.length, position),
          );
          return out.subarray(0, got);
        },
        close: () => original.close(),
      };
    } catch (err) {
      original.close();
      throw err;
    }
  }
}
