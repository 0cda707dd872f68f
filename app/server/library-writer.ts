// The backend's large writes, off its event loop (library-writer-worker.ts): the app's edits and tag tools
// of more than a few tracks, and deriving what edits changed (app/core/library/derivation.ts) a slice at a
// time, so that an edit of every track leaves the app answering. While files are still to derive,
// `updating` says how many (the app shows "updating…"); previews wait until none are, so what they show is
// what the library holds. The worker starts with the first large write or anything queued to derive.
import { WorkerPool } from '../../kit/worker-pool.ts';
import type { Db } from '../core/db/database.ts';
import { derivationLag, INLINE_FILES, queuedDerivation } from '../core/library/derivation.ts';
import { libraryWrites, type WriteRequest, type WriteResult } from './library-writer-worker.ts';

/** One derive task's length: the lag is reported between them. */
const SLICE_MS = 1000;

type Saved = { batch: number | undefined; changedTracks: number; description: string };

export class LibraryWriter {
  readonly #db: Db;
  readonly #database: string;
  readonly #local: (request: WriteRequest) => WriteResult;
  readonly #updating: (tracks: number) => void;
  readonly #log: (line: string) => void;
  #pool: WorkerPool<WriteRequest, WriteResult> | undefined;
  /** Files still to derive, as last reported. */
  #lag = 0;
  #deriving: Promise<void> | undefined;
  #again = false;
  #closed = false;

  /** `db`: the backend's connection, for small edits and to see whether anything is queued. */
  constructor(db: Db, database: string, updating: (tracks: number) => void, log: (line: string) => void) {
    this.#db = db;
    this.#database = database;
    this.#local = libraryWrites(db);
    this.#updating = updating;
    this.#log = log;
  }

  get #worker(): WorkerPool<WriteRequest, WriteResult> {
    this.#pool ??= new WorkerPool(new URL('./library-writer-worker.ts', import.meta.url), 1, {
      inFlight: 1,
      workerData: { database: this.#database },
    });
    return this.#pool;
  }

  edit(request: Extract<WriteRequest, { op: 'edit' }>): Promise<Saved> {
    return this.#save(request, request.previewed.ids.length);
  }

  tool(request: Extract<WriteRequest, { op: 'tool' }>): Promise<Saved> {
    return this.#save(request, request.previewed.ids.length);
  }

  import(request: Extract<WriteRequest, { op: 'import' }>): Promise<Saved> {
    return this.#save(request, request.previewed.ids.length);
  }

  async #save(request: WriteRequest, tracks: number): Promise<Saved> {
    // A few tracks are saved and derived at once, here: no thread to wake, the change shown as it returns.
    if (tracks <= INLINE_FILES) return this.#local(request) as Saved;
    const saved = (await this.#worker.run(request)) as Saved;
    this.derive();
    return saved;
  }

  /** Derives what is queued (again, if a run is under way: it may have missed the newest batch). The
   *  backend calls it once at start, for what a process killed mid-way left, once `updating` can be told. */
  derive(): void {
    if (this.#deriving) {
      this.#again = true;
      return;
    }
    if (this.#closed || !queuedDerivation(this.#db)) return;
    this.#deriving = this.#derive().finally(() => {
      this.#deriving = undefined;
    });
  }

  async #derive(): Promise<void> {
    try {
      // Said at once, not after the first slice: the app shows "updating…" as soon as the edit is saved,
      // however fast the machine derives.
      let lag = derivationLag(this.#db);
      if (lag > 0) this.#updating(lag);
      this.#lag = lag;
      let behind: boolean;
      do {
        this.#again = false;
        ({ lag, behind } = (await this.#worker.run({ op: 'derive', ms: SLICE_MS })) as {
          lag: number;
          behind: boolean;
        });
        if (lag > 0 || this.#lag > 0) this.#updating(lag);
        this.#lag = lag;
        // A new gain default and album loudness are not "updating" tracks the user edited: followed on,
        // but not counted.
      } while (lag > 0 || behind || this.#again);
    } catch (err) {
      // Left queued: the next start (or `sleeve` command) derives it; nothing a user did is lost.
      if (!this.#closed)
        this.#log(`deriving what edits changed failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Resolves once no track an edit changed is left to derive: what a preview reads is what the library
   *  holds. Album figures and years that follow are no track's tags: a run deriving only those (after any
   *  edit; the first starts the worker, about half a second) is not waited for. */
  async idle(): Promise<void> {
    while (this.#deriving && derivationLag(this.#db) > 0) await this.#deriving;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool?.close();
  }
}
