// Keeps files.served_size and files.served_path: the size the mount serves a file's current version at
// and its path under the default template, computed where the version changes (a scan, an edit, an
// undo) instead of by the daemon for every file as it starts.
import type Database from 'better-sqlite3';
import type { FileFacts } from '../../shared/fields.ts';
import type { Db } from '../db/database.ts';
import type { FlacKept } from '../media/fast-readers.ts';
import type { TrackRecord } from '../media/read-track.ts';
import { DEFAULT_TEMPLATE, PathTemplate, pathSource } from '../served/path-template.ts';
import { planServed, SERVED_VERSION, serveKind } from '../served/served-plan.ts';
import type { TagList } from '../tags/normalize.ts';
import { ArtStore, type PictureInfo } from './art.ts';
import { FACT_COLUMNS } from './list.ts';
import { ServedTags } from './served-tags.ts';
import { trackColumns } from './track-columns.ts';

/** What `record` reads of a file's row. */
interface FactsRow extends FileFacts {
  audioStart: number | null;
  audioEnd: number | null;
  keptBytes: number | null;
  vendor: string | null;
  headerKept: string | null;
}

/** A version's served size and default path; null where it cannot be known (see `record`). */
export interface Served {
  readonly size: number | null;
  readonly path: string | null;
}

const UNKNOWN: Served = { size: null, path: null };

export class ServedRecorder {
  readonly #facts: Database.Statement;
  readonly #tags: ServedTags;
  readonly #set: Database.Statement;
  readonly #stale: Database.Statement;
  readonly #art: ArtStore;
  readonly #template = new PathTemplate(DEFAULT_TEMPLATE);

  constructor(db: Db) {
    this.#facts = db.prepare(
      `SELECT ${FACT_COLUMNS}, f.audio_start AS audioStart, f.audio_end AS audioEnd, f.flac_kept_bytes AS keptBytes,
         f.flac_vendor AS vendor, f.header_kept AS headerKept FROM files f WHERE f.id = ? AND f.status = 'ok'`,
    );
    this.#tags = new ServedTags(db);
    this.#set = db.prepare(
      'UPDATE files SET served_size = ?, served_path = ?, served_seq = change_seq, served_version = ? WHERE id = ?',
    );
    this.#art = new ArtStore(db);
    this.#stale = db
      .prepare(
        `SELECT id FROM files WHERE root_id = ? AND status = 'ok'
         AND (served_seq IS NOT change_seq OR served_version IS NOT ?)`,
      )
      .pluck();
  }

  /**
   * Records the served size and default path of the file's current version, from its effective tags and
   * art. Call inside the transaction that changed the file, after its change_seq moved and its tags were
   * written. A size that cannot be known here (a FLAC whose kept blocks the scan did not record, tags no
   * format can hold) is left NULL: the daemon finds out and says why.
   */
  record(fileId: number): void {
    const row = this.#facts.get(fileId) as FactsRow | undefined;
    const served = row
      ? servedOf(
          this.#template,
          row,
          this.#tags.effective(fileId),
          (effective) => this.#tags.withMeasured(fileId, effective),
          () => this.#art.pictures(fileId),
        )
      : UNKNOWN;
    this.#set.run(served.size, served.path, SERVED_VERSION, fileId);
  }

  /** Files of the root whose recorded size and path are missing or stale (an older Sleeve's, or from
   *  before these columns): a scan records them again, so the mount's start need not. */
  staleIds(rootId: number): number[] {
    return this.#stale.all(rootId, SERVED_VERSION) as number[];
  }
}

/** A version's served size and default path, from its row, its effective tags and its pictures. */
function servedOf(
  template: PathTemplate,
  row: FactsRow,
  effective: TagList,
  withMeasured: (effective: TagList) => TagList,
  pictures: () => readonly PictureInfo[],
): Served {
  const facts = {
    kind: serveKind(row),
    size: row.size,
    audioStart: row.audioStart ?? 0,
    audioEnd: row.audioEnd ?? row.size,
    flacKept:
      row.keptBytes === null ? null : ({ bytes: row.keptBytes, vendor: row.vendor ?? '' } as FlacKept),
    headerKept: row.headerKept,
  };
  // Components never hold a `/` (sanitized): joined with one, they split back as they were.
  const path = template.components(pathSource(row, effective)).join('/');
  try {
    const served = planServed(facts, withMeasured(effective), facts.kind === 'whole' ? [] : pictures());
    return { size: served?.size ?? null, path };
  } catch (err) {
    // Tags no tagger could write to the format: the daemon says so when it sizes the file.
    if (!(err instanceof RangeError)) throw err;
    return { size: null, path };
  }
}

const readTemplate = new PathTemplate(DEFAULT_TEMPLATE);

/**
 * `record`'s figures for a file new to the library (no edits, nothing measured yet, its own pictures),
 * from what reading it gave: the scan's reader threads work them out beside its tags, off the writer's
 * thread. The id is not known yet, and the template names no property.
 */
export function servedOfRead(path: string, size: number, track: TrackRecord): Served {
  const row = { ...trackColumns(track), id: 0, path, size, status: 'ok', error: null };
  // The order of the tags changes neither the path nor the size.
  return servedOf(
    readTemplate,
    row,
    track.tags,
    (effective) => effective,
    () => track.pictures,
  );
}
