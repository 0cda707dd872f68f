// Which index of a shared fingerprint index server (acoustid-index, `sleeve index serve`) is this
// library's. Several libraries may use one server: each uses its own index — by default `sleeve-` and a
// random id the library keeps in its database — so their document ids (file id × windows) never meet,
// and a library deletes (to recreate empty) only an index it created itself, as recorded here.
import type { Db } from '../db/database.ts';
import type { IndexOwnership } from './recording-groups.ts';

/** The index this library uses on a server: the configured name, else its own. */
export function remoteIndexName(db: Db, configured: string | undefined): string {
  if (configured) return configured;
  const id = db.prepare('SELECT library_id FROM library_identity').pluck().get() as string;
  return `sleeve-${id}`;
}

/** The indexes this library created on the server at `where` (its address). */
export class RemoteIndexes implements IndexOwnership {
  readonly #db: Db;
  readonly where: string;

  constructor(db: Db, url: string) {
    this.#db = db;
    this.where = url;
  }

  /** Whether this library created the index `name` there. */
  created(name: string): boolean {
    return Boolean(
      this.#db.prepare('SELECT 1 FROM remote_indexes WHERE url = ? AND name = ?').get(this.where, name),
    );
  }

  /** Records that this library created the index `name` there. */
  recordCreated(name: string): void {
    this.#db
      .prepare('INSERT OR IGNORE INTO remote_indexes (url, name, created_at) VALUES (?, ?, ?)')
      .run(this.where, name, Date.now());
  }
}
