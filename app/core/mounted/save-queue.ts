// The daemon's saves on their way into the library. A save is applied at once when the library is free;
// when another writer holds it (a long edit, a scan's batch) the save is journalled (durably, in the home)
// and the tagger is answered at once, then applied in order as soon as the lock allows, retried for as
// long as it takes. The daemon's thread never waits on the lock for more than a moment: it also serves
// every tagger's reads and writes. An entry that cannot be applied (damaged, another library's, a file
// gone) is set aside with its reason (app/core/library/set-aside-saves.ts) and the next one goes on.
import type { Db } from '../db/database.ts';
import { journalLine, type ReadLine, type Unreadable } from '../library/journal-line.ts';
import {
  type AcceptedSave,
  type AdoptedJournal,
  type AppliedSave,
  applySave,
  forgetApplied,
  type SaveJournal,
} from '../library/save-journal.ts';
import { libraryId, setAside } from '../library/set-aside-saves.ts';

/** How long one attempt waits for the library's write lock: short, the thread has readers to serve. */
const ATTEMPT_WAIT_MS = 25;
const RETRY_FIRST_MS = 50;
/** While the library is busy (a long job between its chunks, which leave it free every ~100 ms), tries
 *  come this often: backing off as for other failures, the saves of a 100k retag landed seconds late. At
 *  most a fifth of the thread's time goes to waiting. */
const RETRY_BUSY_MS = 100;
const RETRY_MAX_MS = 1000;
/** Unreadable journal entries set aside in one write transaction at most. */
const UNREADABLE_RUN = 2000;

/** Where a waiting save came from: this daemon's journal, or one adopted from a daemon that stopped. */
type Source = 'own' | AdoptedJournal;

/** A save to apply, or a journal entry to set aside; and where it came from. */
type Waiting = ReadLine & { readonly source: Source };

export interface SaveEvents {
  /** A save is in the library (its batch undefined: it changed nothing there; `conflicts`: fields an edit
   *  changed since the tagger read the file, left as the library has them). */
  applied(save: AcceptedSave, applied: AppliedSave, waitedMs: number): Promise<void>;
  /** How many saves wait; called whenever that changes. */
  pending(count: number): void;
  problem(line: string): void;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The library could not take it now (held, full, an I/O error): tried again. Anything else the library
 *  refuses for good, and the save is set aside. */
function isPassing(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    isBusy(err) ||
    (typeof code === 'string' && /^SQLITE_(FULL|IOERR|NOMEM|CANTOPEN|READONLY|PROTOCOL|INTERRUPT)/.test(code))
  );
}

export class SaveQueue {
  readonly #db: Db;
  readonly #journal: SaveJournal;
  readonly #events: SaveEvents;
  #waiting: Waiting[] = [];
  /** Applied saves of each source whose journal still holds them: forgotten once it no longer does. */
  readonly #appliedOf = new Map<Source, string[]>();
  /** How many entries of each source still wait (a look through every waiting entry per applied one
   *  made 20,000 adopted entries take minutes). */
  readonly #waitingOf = new Map<Source, number>();
  #timer: NodeJS.Timeout | undefined;
  #delay = RETRY_FIRST_MS;
  #draining = false;
  #lastProblem = '';
  #closed = false;

  constructor(db: Db, journal: SaveJournal, events: SaveEvents) {
    this.#db = db;
    this.#journal = journal;
    this.#events = events;
  }

  get pending(): number {
    return this.#waiting.length;
  }

  /** Saves a stopped daemon left: applied first, in the order they were accepted. */
  adopt(journals: readonly AdoptedJournal[]): void {
    const adopted = journals.flatMap((j) => j.entries.map((e): Waiting => ({ ...e, source: j })));
    for (const j of journals) if (j.entries.length === 0) j.remove();
    if (adopted.length === 0) return;
    // Not unshift(...adopted): 100k saves as arguments overflow the stack.
    this.#waiting = [...adopted, ...this.#waiting];
    for (const w of adopted) this.#waitingOf.set(w.source, (this.#waitingOf.get(w.source) ?? 0) + 1);
    this.#events.pending(this.#waiting.length);
    this.#schedule(0);
  }

  /**
   * Takes a save the mount accepted: applied now if the library is free and nothing waits before it,
   * else journalled. Returns once the save is durable either way; throws (the save refused) only if it
   * can be neither applied nor journalled.
   */
  accept(accepted: AcceptedSave): AppliedSave | { readonly waiting: number } {
    if (this.#waiting.length === 0) {
      try {
        return this.#briefly(() => applySave(this.#db, accepted, false));
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
    }
    this.#journal.append(accepted, this.#waiting.length);
    this.#waiting.push({ save: accepted, source: 'own' });
    this.#waitingOf.set('own', (this.#waitingOf.get('own') ?? 0) + 1);
    this.#events.pending(this.#waiting.length);
    this.#schedule(RETRY_FIRST_MS);
    return { waiting: this.#waiting.length };
  }

  /** Stops: this daemon's journal closed, and the adopted ones not yet applied left for the next daemon. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#journal.close();
    const adopted = new Set([...this.#waiting.map((w) => w.source), ...this.#appliedOf.keys()]);
    for (const source of adopted) if (source !== 'own') source.release();
  }

  /** Runs a write that waits a moment at most for the library's write lock (writeTransaction tries
   *  each millisecond within the connection's busy timeout). */
  #briefly<T>(write: () => T): T {
    const was = this.#db.pragma('busy_timeout', { simple: true }) as number;
    this.#db.pragma(`busy_timeout = ${ATTEMPT_WAIT_MS}`);
    try {
      return write();
    } finally {
      this.#db.pragma(`busy_timeout = ${was}`);
    }
  }

  #schedule(ms: number): void {
    if (this.#closed || this.#timer || this.#draining) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain().catch((err: Error) => this.#events.problem(`applying saves failed: ${err.stack}`));
    }, ms);
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#waiting.length > 0 && !this.#closed) {
        const first = this.#waiting[0]!;
        // Entries that cannot be read (a damaged journal: thousands of lines) are set aside together.
        const run = 'save' in first ? [first] : this.#unreadableRun();
        let applied: AppliedSave | undefined;
        try {
          if ('save' in first) applied = this.#applyOrSetAside(first);
          else this.#setAside(run.map((w) => (w as { unreadable: Unreadable }).unreadable));
        } catch (err) {
          this.#sayOnce(err, 'save' in first ? first.save.path : 'a damaged entry');
          this.#delay = isBusy(err) ? RETRY_BUSY_MS : Math.min(RETRY_MAX_MS, this.#delay * 2);
          return;
        }
        this.#waiting.splice(0, run.length);
        this.#delay = RETRY_FIRST_MS;
        this.#lastProblem = '';
        for (const w of run) this.#done(w);
        this.#events.pending(this.#waiting.length);
        this.#finishSources();
        if ('save' in first && applied)
          await this.#events.applied(first.save, applied, Date.now() - first.save.at);
      }
    } finally {
      this.#draining = false;
      if (this.#waiting.length > 0) this.#schedule(this.#delay);
    }
  }

  /** The entries that cannot be read at the head of the queue, up to UNREADABLE_RUN of them. */
  #unreadableRun(): Waiting[] {
    let n = 0;
    while (n < UNREADABLE_RUN && n < this.#waiting.length && !('save' in this.#waiting[n]!)) n++;
    return this.#waiting.slice(0, n);
  }

  /** An entry is in the library or set aside: its journal may let it go once its source's are all done. */
  #done(w: Waiting): void {
    const id = 'save' in w ? w.save.id : w.unreadable.id;
    const ids = this.#appliedOf.get(w.source);
    if (ids) ids.push(id);
    else this.#appliedOf.set(w.source, [id]);
    this.#waitingOf.set(w.source, (this.#waitingOf.get(w.source) ?? 1) - 1);
  }

  /** Applies a waiting save, or sets it aside (undefined) when the library refuses it for good; throws
   *  (to retry) when the library cannot take it now. */
  #applyOrSetAside(waiting: { readonly save: AcceptedSave }): AppliedSave | undefined {
    try {
      return this.#briefly(() => applySave(this.#db, waiting.save, true));
    } catch (err) {
      if (isPassing(err)) throw err;
      const entry = journalLine(waiting.save, libraryId(this.#db));
      const reason = `the library refused it: ${(err as Error).message}`;
      this.#setAside([{ id: waiting.save.id, reason, entry: entry.subarray(0, -1), save: waiting.save }]);
      return undefined;
    }
  }

  /** Sets entries aside in one write, and says so once. */
  #setAside(entries: readonly Unreadable[]): void {
    this.#briefly(() => setAside(this.#db, this.#journal.setAsideDir, entries));
    const first = entries[0]!;
    const where = first.save ? `a save of ${first.save.path}` : 'a save journal entry';
    const more = entries.length > 1 ? ` (and ${entries.length - 1} more entries after it)` : '';
    this.#events.problem(`${where}${more} is set aside (sleeve saves): ${first.reason}`);
  }

  /** A source none of whose saves still wait: its journal is emptied (or removed), then forgotten. */
  #finishSources(): void {
    for (const [source, ids] of this.#appliedOf) {
      if ((this.#waitingOf.get(source) ?? 0) > 0) continue;
      this.#waitingOf.delete(source);
      if (source === 'own') this.#journal.clear();
      else source.remove();
      this.#appliedOf.delete(source);
      try {
        this.#briefly(() => forgetApplied(this.#db, ids));
      } catch {
        // Kept: a few rows, harmless; no journal holds these saves any more.
      }
    }
  }

  /** Busy is the normal case while waiting; anything else is said, once per reason. */
  #sayOnce(err: unknown, path: string): void {
    if (isBusy(err)) return;
    const line = `a save of ${path} cannot be applied yet (retrying): ${(err as Error).message}`;
    if (line === this.#lastProblem) return;
    this.#lastProblem = line;
    this.#events.problem(line);
  }
}
