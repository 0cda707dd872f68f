// Tells a reader of the library when another process may have committed, without waking every few
// milliseconds to ask: every commit writes the database's WAL file (or, outside WAL mode, the database or
// its journal), which inotify reports on the folder holding them. A slow poll stays as the net for file
// systems whose changes inotify does not see (a library on a network share written from another machine),
// and for a watch that could not start. The check it calls decides whether anything changed (SQLite's
// data_version); this only says when to look.
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface CommitWatchTiming {
  /** Checks come at least this far apart: a scan commits every few milliseconds. */
  readonly minGapMs: number;
  /** A check at least this often, whatever the watch says. */
  readonly pollMs: number;
  /** One more check this long after the last write seen (see `written`). */
  readonly settleMs: number;
}

const TIMING: CommitWatchTiming = { minGapMs: 10, pollMs: 1000, settleMs: 50 };

export class CommitWatch {
  readonly #check: () => void;
  readonly #timing: CommitWatchTiming;
  readonly #poll: NodeJS.Timeout;
  readonly #watcher: FSWatcher | null;
  #due: NodeJS.Timeout | null = null;
  #settle: NodeJS.Timeout | null = null;
  #last = Number.NEGATIVE_INFINITY;
  #closed = false;

  /** `onWatchError`: the watch failed (it then relies on the poll alone). */
  constructor(
    database: string,
    check: () => void,
    onWatchError: (err: Error) => void,
    timing: CommitWatchTiming = TIMING,
  ) {
    this.#check = check;
    this.#timing = timing;
    const name = basename(database);
    const files = new Set([name, `${name}-wal`, `${name}-journal`]);
    this.#watcher = this.#watchFolder(dirname(database), files, onWatchError);
    this.#poll = setInterval(() => this.nudge(), timing.pollMs);
  }

  /** Asks for a check soon: at once, or a minimum gap after the last one. Never runs it synchronously. */
  nudge(): void {
    if (this.#due || this.#closed) return;
    const wait = Math.max(0, this.#last + this.#timing.minGapMs - performance.now());
    this.#due = setTimeout(() => {
      this.#due = null;
      this.#last = performance.now();
      this.#check();
    }, wait);
  }

  /**
   * A file of the database was written: a check now, and one more a moment after the last such write. A
   * writer makes its commit visible (the WAL's index, shared memory that inotify does not see) just after
   * its last write, so the first check can come too early; the last one would otherwise wait for the poll.
   */
  written(): void {
    if (this.#closed) return;
    this.nudge();
    if (this.#settle) clearTimeout(this.#settle);
    this.#settle = setTimeout(() => {
      this.#settle = null;
      this.nudge();
    }, this.#timing.settleMs);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#poll);
    if (this.#due) clearTimeout(this.#due);
    if (this.#settle) clearTimeout(this.#settle);
    this.#watcher?.close();
  }

  #watchFolder(folder: string, files: Set<string>, onError: (err: Error) => void): FSWatcher | null {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, file) => {
        if (file === null || files.has(file)) this.written();
      });
      watcher.on('error', onError);
      return watcher;
    } catch (err) {
      onError(err as Error);
      return null;
    }
  }
}
