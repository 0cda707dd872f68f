// Files on a file system that may stop answering (a network share whose server went away, a hung disk),
// opened and read without holding up anything else. A blocked open or read cannot be cancelled: on the
// main thread it stops everything, and in libuv's pool (4 threads, shared by every file operation, DNS
// lookup and zlib call of the process) a few of them stop everything that needs the pool. So each mount
// gets a lane: a worker thread of its own doing that mount's operations one at a time. Every operation
// has a deadline: past it the caller gets a StalledError while the operation stays stuck in its lane, and
// until it returns the lane refuses new ones at once. A stalled share holds one thread however often it
// is asked, and only its own files fail; the other mounts' lanes go on. A few operations are handed to
// the thread ahead (IN_FLIGHT), so it goes from one to the next without waiting for this thread.
import { isMainThread, Worker } from 'node:worker_threads';
import { type FileInfo, type Listed, type Listing, unpacked } from './file-lanes-listing.ts';
import { mountHolding } from './mount-table.ts';

export type { FileInfo, Listed } from './file-lanes-listing.ts';

export type LaneOp =
  /** `head`: bytes read from its start in the same call (0: none); `probe`: advised before (read-advice.ts). */
  | {
      readonly op: 'open';
      readonly path: string | Uint8Array;
      readonly head: number;
      readonly probe: boolean;
    }
  | { readonly op: 'read'; readonly fd: number; readonly position: number; readonly length: number }
  /** Nothing but the closes it is sent with (LaneMessage): sent when no other operation came to carry them. */
  | { readonly op: 'close' }
  /** `follow`: stat (through a link), else lstat. */
  | { readonly op: 'stat'; readonly path: string | Uint8Array; readonly follow: boolean }
  | { readonly op: 'realpath'; readonly path: string | Uint8Array }
  | ({ readonly op: 'list'; readonly folders: readonly FolderToList[] } & ListPick);

/** What a folder's listing looks at besides the names (each a call on the folder's own file system). */
export interface ListPick {
  /** Names neither looked at nor followed. */
  readonly ignore: readonly string[];
  /** Subfolders and links whose name starts with a dot are looked at too. */
  readonly hidden: boolean;
  /** The files looked at too, by name (a walk's); none: only subfolders (a watcher's). */
  readonly files?: RegExp;
}

/** A folder to list. */
export interface FolderToList {
  readonly path: string | Uint8Array;
  /** Its subfolders that are mount points (another file system, maybe one that stopped answering): not
   *  looked at with it. */
  readonly mountPoints: readonly string[];
}

/** What a lane's thread is sent: an operation, and descriptors to close before it. A file's close waits
 *  for the next operation asked after it (the next file's open), so that a file costs one wake of the
 *  thread fewer, and still runs after every operation asked before it; one that none follows in the same
 *  turn of the event loop goes alone, behind them. */
export interface LaneMessage {
  readonly op: LaneOp;
  readonly closes: readonly number[];
}

type Opened = {
  readonly fd: number;
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly head: Uint8Array;
};
type Read = { readonly bytes: Uint8Array };
/** `info` undefined: nothing there (ENOENT, ENOTDIR). */
type Stated = { readonly info: FileInfo | undefined };
type Resolved = { readonly real: string };
/** Each folder's listing, or why it has none. */
type Listings = {
  readonly listings: ReadonlyArray<Listing | { readonly error: string; readonly code?: string }>;
};
export type LaneReply = Opened | Read | Stated | Resolved | Listings | Record<string, never>;
type Answer = LaneReply | { readonly error: string; readonly code?: string } | { readonly ready: true };

/** An operation past its deadline: its lane (`mount`) refuses new operations until it returns. */
export class StalledError extends Error {
  override name = 'StalledError';
  readonly mount: string;
  readonly waitedMs: number;
  constructor(mount: string, waitedMs: number) {
    super(`${mount} has not answered for ${Math.max(1, Math.round(waitedMs / 1000))} s`);
    this.mount = mount;
    this.waitedMs = waitedMs;
  }
}

/** A regular file opened in its lane. */
export interface OpenFile {
  /** A descriptor of this process (for a child process to inherit); closed by close(). */
  readonly fd: number;
  /** Its file system's device number (st_dev). */
  readonly dev: number;
  /** Its inode number there (st_ino). */
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** Its first bytes, as many as open() was asked for (fewer in a shorter file). */
  readonly head: Buffer;
  /** Up to `length` bytes at `position` (fewer at the end). */
  read(position: number, length: number): Promise<Buffer>;
  /** Closes it in its lane (a close on a stalled share blocks too); nothing waits for it. */
  close(): void;
  /** Its descriptor, now the caller's to close (a native binding serving it): the lane lets it go. Only
   *  where threads do not track descriptors (a process's main thread starting the lanes, as the mount
   *  daemon does): elsewhere the lane's thread, as it ends, closes it again. */
  handOver(): number;
}

/** How long an operation may take (waiting in its lane included) before its caller is answered. */
export const FILE_DEADLINE_MS = 10_000;
/** Whether a lane's thread, as it ends, closes the descriptors it opened: when this thread tracks its own
 *  (a worker's, Node's default, which the threads it starts follow whatever they are told; #start). The
 *  closes of a thread that ended are then not sent to the next: by then their numbers may be another's
 *  (the next thread's own epoll set: libuv aborted on it). */
const ENDS_CLOSE = !isMainThread;
/** Operations one lane holds at most: past it a flood is refused, not queued. */
const MAX_WAITING = 256;
/** A lane stops its thread after this long without work and with no file open. */
const IDLE_MS = 30_000;
/** Operations handed to a lane's thread at once: it runs them in turn, the first of them running. */
const IN_FLIGHT = 32;
/** Folders listed in one operation at most: fewer messages between the threads, while the first ones
 *  listed are sorted as the next are listed. */
const LIST_BATCH = 8;

interface Pending {
  readonly op: LaneOp;
  /** Descriptors closed before it was asked: closed in the thread before it runs. */
  readonly closes: readonly number[];
  readonly settle: (answer: LaneReply | Error) => void;
  timer?: NodeJS.Timeout;
  /** Its caller was answered (past the deadline): what the lane says later is dropped. */
  answered?: boolean;
}

class Lane {
  readonly mount: string;
  readonly #deadlineMs: number;
  #worker: Worker | undefined;
  #ready = false;
  #waiting: Pending[] = [];
  /** Handed to the thread, in the order it runs them: the first is running. */
  #inFlight: Pending[] = [];
  /** When the first in flight began (when the one before it was answered). */
  #runningSince = 0;
  /** The running operation is past its deadline. */
  #stalled = false;
  #idle: NodeJS.Timeout | undefined;
  /** Descriptors closed by their callers since the last operation was asked: they go with the next. */
  #closes: number[] = [];
  /** Queues the closes alone at the end of this turn of the event loop, if no operation took them. */
  #closeSoon: NodeJS.Immediate | undefined;
  /** Files opened in it and not closed: their reads and closes come back to this lane's thread. */
  #openFiles = 0;
  /** Its thread keeps the process alive: while someone waits for an answer (#hold). */
  #holding = false;
  /** Messages sent to its threads. */
  sent = 0;
  /** Called when its thread stopped for want of work. */
  readonly #onIdle: (lane: Lane) => void;

  constructor(mount: string, deadlineMs: number, onIdle: (lane: Lane) => void) {
    this.mount = mount;
    this.#deadlineMs = deadlineMs;
    this.#onIdle = onIdle;
  }

  run(op: LaneOp): Promise<LaneReply> {
    return new Promise((resolve, reject) => {
      if (this.#stalled) return reject(new StalledError(this.mount, performance.now() - this.#runningSince));
      if (this.#waiting.length >= MAX_WAITING)
        return reject(new Error(`${MAX_WAITING} file operations are already waiting on ${this.mount}`));
      const closes = this.#closes.splice(0);
      const pending: Pending = { op, closes, settle: (a) => (a instanceof Error ? reject(a) : resolve(a)) };
      this.#waiting.push(pending);
      if (this.#ready) this.#arm(pending);
      this.#pump();
    });
  }

  /** Closes a file it opened (nobody waits for it: its error reaches no one who could act on it). */
  close(fd: number): void {
    this.#closeLater(fd);
    this.letGo();
  }

  #closeLater(fd: number): void {
    this.#closes.push(fd);
    this.#closeSoon ??= setImmediate(() => {
      this.#closeSoon = undefined;
      this.#queueCloses();
      this.#pump();
    });
  }

  /** The closes no operation took, queued alone (behind everything asked before them). */
  #queueCloses(): void {
    if (this.#closes.length > 0) this.#waiting.push(closing(this.#closes.splice(0)));
  }

  /** Answers every waiting operation with `error`; the closes they carried stay queued, alone, if `keep`. */
  #dropWaiting(error: Error, keep: boolean): void {
    const closes = keep ? this.#waiting.flatMap((p) => p.closes) : [];
    for (const p of this.#waiting) this.#answer(p, error);
    this.#waiting = closes.length > 0 ? [closing(closes)] : [];
  }

  /** A file it opened is closed, or someone else's to close: its thread may stop when idle. */
  letGo(): void {
    this.#openFiles--;
    this.#pump();
  }

  /** Resolves when the thread has ended (one stuck in a call ends when the call returns). */
  stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    clearImmediate(this.#closeSoon);
    this.#closeSoon = undefined;
    this.#queueCloses(); // for the next thread, unless this one's end closes them (#fail)
    worker?.removeAllListeners(); // before terminate(), whose promise waits on an 'exit' listener
    worker?.unref(); // one stuck on a stalled share keeps no process alive
    this.#holding = false;
    const ended = worker ? worker.terminate().then(() => {}) : Promise.resolve();
    this.#fail(new Error('the file lanes are closed'));
    return ended;
  }

  #arm(pending: Pending): void {
    // The thread keeps the process alive while the answer is awaited (#hold), and the deadline fires then.
    pending.timer = setTimeout(() => this.#late(pending), this.#deadlineMs).unref();
  }

  #late(pending: Pending): void {
    const running = this.#inFlight[0];
    const waited = pending === running ? performance.now() - this.#runningSince : this.#deadlineMs;
    if (pending === running) {
      this.#stalled = true;
      // What waits behind it would wait for it: answered now. (The closes wait for the thread.)
      for (const p of this.#inFlight) this.#answer(p, new StalledError(this.mount, waited));
      this.#dropWaiting(new StalledError(this.mount, waited), true);
    } else {
      // One in flight is answered later; one waiting leaves the queue, but for the closes it carried.
      const at = this.#waiting.indexOf(pending);
      if (at >= 0)
        this.#waiting.splice(at, 1, ...(pending.closes.length > 0 ? [closing(pending.closes)] : []));
    }
    this.#answer(pending, new StalledError(this.mount, waited));
    this.#hold();
  }

  #answer(pending: Pending, answer: LaneReply | Error): void {
    clearTimeout(pending.timer);
    if (pending.answered) return;
    pending.answered = true;
    pending.settle(answer);
  }

  #heard(answer: Answer): void {
    if ('ready' in answer) {
      this.#ready = true;
      for (const p of this.#waiting) if (p.op.op !== 'close') this.#arm(p);
    } else {
      const pending = this.#inFlight.shift()!;
      this.#runningSince = performance.now();
      this.#stalled = false;
      // A file opened after its caller was answered is closed here: nobody else has its descriptor.
      if (pending.answered && 'fd' in answer) this.#closeLater(answer.fd);
      else if ('fd' in answer) this.#openFiles++; // counted before #pump() below may think it idle
      this.#answer(
        pending,
        'error' in answer ? Object.assign(new Error(answer.error), { code: answer.code }) : answer,
      );
    }
    this.#pump();
  }

  #pump(): void {
    clearTimeout(this.#idle);
    if (!this.#worker) {
      if (this.#waiting.length > 0) this.#start();
      return;
    }
    this.#hold();
    if (!this.#ready) return;
    if (this.#inFlight.length === 0 && this.#waiting.length === 0) {
      // A thread ending closes the descriptors it opened when its process's thread tracks them (Node's
      // default for a worker, inherited by the threads it starts): a file left open keeps its thread.
      if (this.#openFiles > 0) return;
      this.#idle = setTimeout(() => {
        void this.stop();
        this.#onIdle(this);
      }, IDLE_MS).unref();
      return;
    }
    while (this.#inFlight.length < IN_FLIGHT && this.#waiting.length > 0) {
      const next = this.#waiting.shift()!;
      if (this.#inFlight.length === 0) this.#runningSince = performance.now();
      this.#inFlight.push(next);
      // Closes alone are timed from when they are sent: nobody waits for them, but a stuck one stalls
      // the lane.
      if (!next.timer) this.#arm(next);
      const message: LaneMessage = { op: next.op, closes: next.closes };
      this.#worker.postMessage(message);
      this.sent++;
    }
    this.#hold();
  }

  /** The process is kept alive while an operation waits for its answer, and only then: a lane idle, or
   *  stuck on a stalled share with its callers answered, keeps no process from ending. (Closes need no
   *  answer: the process's end closes its files.) */
  #hold(): void {
    const waited = (p: Pending) => !p.answered && p.op.op !== 'close';
    const hold = this.#inFlight.some(waited) || this.#waiting.some(waited);
    if (hold === this.#holding || !this.#worker) return;
    this.#holding = hold;
    // ref() and unref() after the listeners: a 'message' listener added later refs its port again.
    if (hold) this.#worker.ref();
    else this.#worker.unref();
  }

  #start(): void {
    // Its descriptors are not its own: the mount's binding or a child process takes them over and closes
    // them, and another thread closes them when this one has stopped. Tracked, the thread would close
    // them again as it ends — by then numbers of other files (a database, an epoll set: the daemon died
    // of it in libuv at its unmount). Node tracks them anyway when the thread starting this one tracks
    // its own (a pool's worker): there, a file open keeps the thread (#pump), and a hand-over is unsafe.
    const worker = new Worker(new URL('./file-lanes-worker.ts', import.meta.url), {
      trackUnmanagedFds: false,
    });
    worker.on('message', (answer: Answer) => this.#heard(answer));
    const lost = (how: string) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#fail(new Error(`the file thread for ${this.mount} ${how}`));
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exited with code ${code}`));
    this.#worker = worker;
    this.#holding = true; // a thread starts for an operation someone waits for
    this.#ready = false;
  }

  /** Its thread ended: answers everything with `error`. The closes not yet sent go to the next thread
   *  where the one that ended left its descriptors open (ENDS_CLOSE); those sent to it are lost with it. */
  #fail(error: Error): void {
    this.#ready = false;
    this.#stalled = false;
    for (const p of this.#inFlight) this.#answer(p, error);
    this.#inFlight = [];
    this.#dropWaiting(error, !ENDS_CLOSE);
    this.#pump();
  }
}

/** Closes sent alone: nobody waits for their answer. */
const closing = (closes: readonly number[]): Pending => ({ op: { op: 'close' }, closes, settle: () => {} });

/** The lanes of one process's part (the backend's /media, a scan, a watcher): one per mount, made as files
 *  there are opened or looked at. */
export class FileLanes {
  readonly #lanes = new Map<string, Lane>();
  readonly #deadlineMs: number;
  #closed = false;

  constructor(deadlineMs = FILE_DEADLINE_MS) {
    this.#deadlineMs = deadlineMs;
  }

  get deadlineMs(): number {
    return this.#deadlineMs;
  }

  /** The lane of the mount holding `path`. */
  #lane(path: string | Buffer): Lane {
    if (this.#closed) throw new Error('the file lanes are closed');
    const mount = mountHolding(typeof path === 'string' ? path : path.toString());
    let lane = this.#lanes.get(mount);
    if (!lane) {
      lane = new Lane(mount, this.#deadlineMs, (idle) => this.#forget(idle));
      this.#lanes.set(mount, lane);
    }
    return lane;
  }

  /** A lane whose thread stopped idle (no work, no file open) is let go: a process that meets many mounts
   *  over its life (the app, a watcher) holds lanes for those in use, not for every one it saw. */
  #forget(lane: Lane): void {
    if (this.#lanes.get(lane.mount) === lane) this.#lanes.delete(lane.mount);
  }

  /** Messages sent to the threads of the lanes it holds now (tests count them). */
  get sent(): number {
    return [...this.#lanes.values()].reduce((n, lane) => n + lane.sent, 0);
  }

  /** The mounts it holds lanes for now (tests). */
  get mounts(): string[] {
    return [...this.#lanes.keys()];
  }

  /** The stat of `path` (through a link unless `lstat`), undefined when nothing is there; asked in the
   *  lane of `via` (where a link leads), else of `path`. StalledError past the deadline. */
  async stat(
    path: string | Buffer,
    options: { readonly lstat?: boolean; readonly via?: string } = {},
  ): Promise<FileInfo | undefined> {
    const lane = this.#lane(options.via ?? path);
    return ((await lane.run({ op: 'stat', path, follow: !options.lstat })) as Stated).info;
  }

  /** The real path of `path`, asked in the lane of `via` (where a link leads), else of `path`. */
  async realpath(path: string | Buffer, via?: string): Promise<string> {
    return ((await this.#lane(via ?? path).run({ op: 'realpath', path })) as Resolved).real;
  }

  /** A folder's entries, its files' and subfolders' stats and its links' targets, in one call to its lane. */
  list(
    path: string | Buffer,
    pick: ListPick & { readonly mountPoints: readonly string[] },
  ): Promise<readonly Listed[]> {
    return this.listMany([{ path, mountPoints: pick.mountPoints }], pick)[0]!;
  }

  /** Each folder's listing, as list() gives it: the folders of one lane asked a few at a time, in order. */
  listMany(
    folders: ReadonlyArray<FolderToList & { readonly path: string | Buffer }>,
    pick: ListPick,
  ): Promise<readonly Listed[]>[] {
    const out: Promise<readonly Listed[]>[] = [];
    const byLane = new Map<Lane, number[]>();
    folders.forEach((f, i) => {
      const lane = this.#lane(f.path);
      byLane.set(lane, [...(byLane.get(lane) ?? []), i]);
    });
    for (const [lane, indexes] of byLane)
      for (let at = 0; at < indexes.length; at += LIST_BATCH) {
        const batch = indexes.slice(at, at + LIST_BATCH);
        const answered = lane.run({
          op: 'list',
          folders: batch.map((i) => folders[i]!),
          ...pick,
        }) as Promise<Listings>;
        batch.forEach((i, n) => {
          out[i] = answered.then(({ listings }) => {
            const l = listings[n]!;
            if ('error' in l) throw Object.assign(new Error(l.error), { code: l.code });
            return unpacked(l);
          });
        });
      }
    return out;
  }

  /** Opens a regular file for reading (code ENOTREG when it is something else), reading its first `head`
   *  bytes in the same call; StalledError past the deadline. `probe`: its reads, that first one too, bring
   *  no readahead (read-advice.ts), for a file read in a few places rather than streamed. */
  async open(path: string | Buffer, { head = 0, probe = false } = {}): Promise<OpenFile> {
    const on = this.#lane(path);
    const opened = (await on.run({ op: 'open', path, head, probe })) as Opened;
    const { fd, dev, ino, size, mtimeMs } = opened;
    let closed = false;
    return {
      fd,
      dev,
      ino,
      size,
      mtimeMs,
      head: Buffer.from(opened.head.buffer, opened.head.byteOffset, opened.head.byteLength),
      async read(position, length) {
        // After the close the number may name another file.
        if (closed) throw new Error('the file is closed');
        const { bytes } = (await on.run({ op: 'read', fd, position, length })) as Read;
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
      close() {
        if (closed) return;
        closed = true;
        on.close(fd);
      },
      handOver() {
        if (closed) throw new Error('the file is closed');
        closed = true;
        on.letGo();
        return fd;
      },
    };
  }

  /** Resolves when every lane's thread has ended (one stuck on a stalled share: when its call returns). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#lanes.values()].map((lane) => lane.stop()));
  }
}

/** `work` done with the lanes `given`, or with lanes of its own, closed after it. */
export async function withFileLanes<T>(
  given: FileLanes | undefined,
  work: (files: FileLanes) => Promise<T>,
): Promise<T> {
  const files = given ?? new FileLanes();
  try {
    return await work(files);
  } finally {
    if (!given) void files.close(); // not awaited: a thread stuck on a stalled share ends only when its call returns
  }
}
