// What a tagger's save is compared with: what *that process* read, not what is served when it writes.
// A tagger (Picard, kid3, Mp3tag) reads a file, keeps it loaded for minutes and saves it whole; meanwhile
// the app or a command may edit the file. The binding notes when each process first opened each file
// (fuse/native/readers.c); the fields an edit changed since then are taken back to their values at that
// time (app/core/library/fields-since.ts), so that a field the tagger wrote as it read it is no change of
// the tagger's. A process that saved the file before through this daemon read what it wrote then. A process
// that ran while an earlier daemon served the mount may have read the file through it (the mount restarted
// while a tagger kept files loaded), which left no record: it counts as having read it when it started.

import type Database from 'better-sqlite3';
import { processIdentity, processStartedAt } from '../../../kit/process-alive.ts';
import type { Db } from '../db/database.ts';
import { type PictureRef, pictureRefs as refs } from '../library/art.ts';
import { fieldsChangedSince, PICTURES_KEY, picturesAt, valuesAt } from '../library/fields-since.ts';
import type { TagList } from '../tags/normalize.ts';

/** A process that opened a file: the binding's word on when it first did (epoch ms). */
export interface Reader {
  readonly process: number;
  readonly readAt: number;
}

/** The tags and pictures a save is compared with, and what the save says of its writer. */
export interface ReadState {
  readonly tags: TagList;
  readonly pictures: readonly PictureRef[];
  readonly readAt: number;
  /** When the process's earlier saves of the file were accepted. */
  readonly own: readonly number[];
  /** Set when `readAt` is only the earliest it can have read the file: the latest (journal-line.ts). */
  readonly readUntil?: number;
}

/** Processes' last saves remembered (the oldest forgotten first); each keeps its last OWN_KEPT times. */
const REMEMBERED = 4096;
const OWN_KEPT = 64;

interface Written {
  readonly tags: TagList;
  readonly pictures: readonly PictureRef[];
  readonly own: readonly number[];
}

export class ReaderBase {
  readonly #db: Db;
  readonly #written = new Map<string, Written>();
  /** When this daemon started: what an unknown process (0: from another PID namespace, a container's
   *  tagger) read is taken as of then, the earliest a reader of this mount can have read it. */
  readonly #startedAt = Date.now();

  /** When earlier daemons served this mount point (mount-registry.ts: servedBefore), if any did. */
  readonly #earlier: { readonly since: number; readonly until: number } | undefined;

  /** The statement of #savedEarlier, prepared at its first use. */
  #savedBy: Database.Statement | undefined;

  constructor(db: Db, earlier?: { readonly since: number; readonly until: number }) {
    this.#db = db;
    this.#earlier = earlier;
  }

  /** What `reader` read of file `fileId`, given what is `served` now (tags and pictures as parsed back). */
  read(fileId: number, given: Reader, served: { tags: TagList; pictures: readonly PictureRef[] }): ReadState {
    const reader = given.process === 0 ? { process: 0, readAt: this.#startedAt } : this.#bounded(given);
    const known = this.#written.get(key(reader, fileId));
    if (known) return { tags: known.tags, pictures: known.pictures, readAt: reader.readAt, own: known.own };
    // Read through an earlier daemon: what it saved through them is its own.
    const bounded = reader.readAt < given.readAt;
    const own = bounded ? this.#savedEarlier(reader.process, fileId) : [];
    const window = { readAt: reader.readAt, own, ...(bounded ? { readUntil: given.readAt } : {}) };
    const changed = fieldsChangedSince(this.#db, fileId, reader.readAt, own);
    if (changed.size === 0) return { ...served, ...window };
    const keys = [...changed].filter((k) => k !== PICTURES_KEY);
    const then = valuesAt(this.#db, fileId, keys, reader.readAt);
    const tags: TagList = served.tags.filter(([k]) => !changed.has(k.toLowerCase()));
    for (const [k, values] of then) if (values.length > 0) tags.push([servedName(served.tags, k), values]);
    const pictures = changed.has(PICTURES_KEY)
      ? picturesAt(this.#db, fileId, reader.readAt)
      : served.pictures;
    return { tags, pictures, ...window };
  }

  /** When `process`'s saves of file `fileId` were made (their batches name it: writerOf), the newest
   *  OWN_KEPT, oldest first: those through earlier daemons, which this one has no record of. */
  #savedEarlier(process: number, fileId: number): number[] {
    const writer = writerOf(process);
    if (writer === undefined) return [];
    // From the file's own edits (its history), not from every batch the process ever saved.
    this.#savedBy ??= this.#db
      .prepare(
        `SELECT b.created_at FROM edit_batches b
         WHERE b.id IN (SELECT batch_id FROM edits WHERE file_id = @file
                        UNION SELECT batch_id FROM art_edits WHERE file_id = @file)
           AND b.writer = @writer
         ORDER BY b.id DESC LIMIT @kept`,
      )
      .pluck();
    const made = this.#savedBy.all({ writer, file: fileId, kept: OWN_KEPT }) as number[];
    return made.reverse();
  }

  /** `reader`, if it ran while an earlier daemon served the mount, taken to have read the file when it
   *  started (or that daemon's first did): the earliest it can have. Earlier is the safe side (readers.c):
   *  an edit made since then and its value written back are no change of the tagger's, a change of it a
   *  conflict, not applied. */
  #bounded(reader: Reader): Reader {
    const earlier = this.#earlier;
    const started = earlier && processStartedAt(reader.process);
    return started !== undefined && started < earlier!.until
      ? { ...reader, readAt: Math.min(reader.readAt, Math.max(started, earlier!.since)) }
      : reader;
  }

  /** `reader` saved file `fileId` as `after`, accepted `at`; the save was compared with what the reader had
   *  saved before (`own`: read() gave it, its earlier daemons' included): its next save is compared with
   *  this one. */
  saved(
    fileId: number,
    reader: Reader,
    after: { tags: TagList; pictures: readonly PictureRef[] },
    { at, own = [] }: { readonly at: number; readonly own?: readonly number[] },
  ) {
    if (reader.process === 0) return; // unknown processes are not one writer
    const k = key(reader, fileId);
    this.#written.delete(k);
    this.#written.set(k, {
      tags: after.tags,
      pictures: refs(after.pictures),
      own: [...own, at].slice(-OWN_KEPT),
    });
    if (this.#written.size > REMEMBERED) this.#written.delete(this.#written.keys().next().value!);
  }
}

const key = (reader: Reader, fileId: number) => `${reader.process}:${fileId}`;

/** A process as a batch saved through a mount names it (kit/process-alive.ts: processIdentity). Undefined
 *  when /proc does not say (the process gone) or for one of another namespace (0). */
export function writerOf(process: number): string | undefined {
  return process === 0 ? undefined : processIdentity(process);
}

/** The spelling the served tags give `lower` (the field table's names are lower case already). */
function servedName(tags: TagList, lower: string): string {
  return tags.find(([k]) => k.toLowerCase() === lower)?.[0] ?? lower;
}
