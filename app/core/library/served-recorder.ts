// Keeps files.served_size and files.served_path: the size the mount serves a file's current version at
// and its path under the default template, computed where the version changes (a scan, an edit, an
// undo) instead of by the daemon for every file as it starts.
import type Database from 'better-sqlite3';
import type { Db } from '../db/database.ts';
import { DEFAULT_TEMPLATE, PathTemplate } from '../served/path-template.ts';
import { SERVED_VERSION } from '../served/served-plan.ts';
import { derivedAlbumColumns } from './album-tile.ts';
import { ArtStore } from './art.ts';
import { type FactsRow, servedOf, UNKNOWN } from './served-facts.ts';
import { ServedTags } from './served-tags.ts';
import { FACT_COLUMNS } from './track-columns.ts';

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
         f.flac_vendor AS vendor, f.header_kept AS headerKept, ${derivedAlbumColumns(this.#template.albumFields())}
       FROM files f WHERE f.id = ? AND f.status = 'ok'`,
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
    let served = UNKNOWN;
    if (row) {
      const effective = this.#tags.effective(fileId);
      const pictures = () => this.#art.pictures(fileId);
      served = servedOf(this.#template, row, effective, this.#tags.withMeasured(fileId, effective), pictures);
    }
    this.#set.run(served.size, served.path, SERVED_VERSION, fileId);
  }

  /** Files of the root whose recorded size and path are missing or stale (an older Sleeve's, or from
   *  before these columns): a scan records them again, so the mount's start need not. */
  staleIds(rootId: number): number[] {
    return this.#stale.all(rootId, SERVED_VERSION) as number[];
  }
}
