// One process at a time for a store on disk. The lock is SQLite's exclusive lock on a small lock file: the
// operating system releases it when its holder exits, however it exits, so there is never a stale lock to
// guess about. Beside it a note says who holds it, for the message a process that waits shows. Keep the
// ExclusiveLock object referenced while the lock is needed: a collected one closes its file, freeing it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from './user-error.ts';

export interface LockHolder {
  readonly pid: number;
  /** The holder's command line, shortened. */
  readonly command: string;
  /** When it took the lock (ms since the epoch). */
  readonly since: number;
}

/** This process's command, as a waiting process names it: `sleeve scan ~/Music` rather than node's path. */
export function processCommand(): string {
  const [, script = '', ...args] = process.argv;
  const name = basename(script) === 'sleeve.js' ? 'sleeve' : basename(script);
  const text = [name, ...args].join(' ');
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another process';
  return `${holder.command} (pid ${holder.pid}, since ${new Date(holder.since).toLocaleTimeString()})`;
}

/** What a process that waits for a store says, once. */
export function waitingMessage(store: string, holder: LockHolder | undefined): string {
  return `waiting for ${store}: in use by ${describeHolder(holder)}`;
}

/** Polls (200 ms apart) for the holder's note before a waiting process says "another process". */
const UNKNOWN_HOLDER_POLLS = 5;

export class ExclusiveLock {
  readonly path: string;
  readonly #db: Database.Database;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
  }

  /** Takes the lock at `path` if it is free; otherwise says who holds it (undefined if not known). */
  static tryAcquire(path: string): ExclusiveLock | { readonly heldBy: LockHolder | undefined } {
    const db = new Database(path, { timeout: 0 });
    try {
      db.pragma('journal_mode = DELETE'); // a rollback journal: EXCLUSIVE keeps every other connection out
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      return { heldBy: readHolder(path) };
    }
    const holder: LockHolder = { pid: process.pid, command: processCommand(), since: Date.now() };
    writeFileSync(`${path}.holder`, JSON.stringify(holder));
    return new ExclusiveLock(path, db);
  }

  /** Takes the lock, polling while another process holds it; `onWait` hears once who that is. */
  static async acquire(
    path: string,
    onWait: (holder: LockHolder | undefined) => void,
    signal?: AbortSignal,
  ): Promise<ExclusiveLock> {
    let told = false;
    let unknown = 0;
    for (;;) {
      const got = ExclusiveLock.tryAcquire(path);
      if (got instanceof ExclusiveLock) return got;
      // The holder writes its note just after taking the lock: a note not there yet is waited for a
      // moment, so the message names the holder rather than "another process".
      if (!told && (got.heldBy !== undefined || ++unknown > UNKNOWN_HOLDER_POLLS)) {
        onWait(got.heldBy);
        told = true;
      }
      if (signal?.aborted)
        throw new UserError('conflict', `stopped while waiting for ${describeHolder(got.heldBy)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  release(): void {
    if (!this.#db.open) return;
    rmSync(`${this.path}.holder`, { force: true });
    this.#db.close(); // ends the transaction: the lock is free
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(`${path}.holder`, 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid === 'number' && typeof h.command === 'string' && typeof h.since === 'number')
      return { pid: h.pid, command: h.command, since: h.since };
  } catch {
    // no note yet (the holder is between taking the lock and writing it), or a damaged one
  }
  return undefined;
}
