// The mount's playlists: one M3U8 file per playlist in a top-level "Playlists" folder (listed when there
// is a playlist), each entry a path relative to that folder ("../Artist/Album/01 Title.flac"), so any
// player that opens the file finds the tracks in the mount. An entry whose file the mount does not serve
// (a copy left out for the one its recording keeps) points at the copy served instead; one with no served
// copy at all is left out, so a list whose tracks are all missing is an empty playlist, still listed.
//
// They are rendered on a worker thread (playlist-worker.ts, playlist-render.ts), never on this one, which
// answers the mount's opens and saves: each change of the library is handed to it, it renders only the
// playlists the change reaches, and their new bytes are swapped in and published when it answers. Changes
// that come meanwhile wait for the next render, together. No playlist, no worker.

import type { Statement } from 'better-sqlite3';
import { WorkerPool } from '../../../kit/worker-pool.ts';
import { clockMinute, MINUTE_MS } from '../../shared/query-clock.ts';
import type { Db } from '../db/database.ts';
import { PLAYLISTS_VERSION } from '../library/playlists.ts';
import type { LibraryView } from './library-view.ts';
import type { RenderDone, RenderReply, RenderRequest } from './playlist-render.ts';
import type { VirtualTree } from './virtual-tree.ts';

/** The folder's name, unless the library has a top-level folder of that name (then the next one). */
const FOLDER_NAMES = ['Playlists', 'Playlists (Sleeve)', 'Sleeve Playlists'];
/** Odd inode numbers (directories and JS-served files are odd) below the directories' (DirInodes: above
 *  2^32) and the scratch files' (counting down from 2^32 - 1). */
export const PLAYLISTS_INO = 0xc000_0001;
const fileIno = (playlistId: number) => PLAYLISTS_INO + 2 * playlistId;
/** Names of the playlists rendered, in a log line. */
const NAMES_LOGGED = 10;

export interface PlaylistFile {
  readonly ino: number;
  readonly name: string;
  readonly bytes: Buffer;
  readonly mtimeMs: number;
  /** Raised whenever its bytes change (the kernel drops what it cached of the old ones). */
  readonly version: number;
}

export class PlaylistFiles {
  readonly #database: string;
  readonly #report: { log(line: string): void; problem(line: string): void };
  #files = new Map<number, PlaylistFile>();
  #folder = FOLDER_NAMES[0]!;
  #folderMtimeMs = Date.now();
  /** Raised whenever a file comes, goes or is renamed, or the folder is (the tree must be packed again). */
  #shape = 0;
  /** Raised whenever only what files hold changed (their nodes' sizes and versions are patched). */
  #content = 0;

  /** The playlists' version, asked at every check of the daemon for others' commits: prepared once. */
  readonly #version: Statement;
  readonly #any: Statement;
  #seenVersion = -1;
  /** The renderer, while there are playlists. */
  #pool: WorkerPool<RenderRequest, RenderReply> | undefined;
  #view: LibraryView | undefined;
  /** Publishes the tree again (set once the first render is in it). */
  #publish: (() => Promise<void>) | undefined;
  /** Files changed or moved since the worker last heard of changes; null: it renders everything. */
  #pending: Set<number> | null = null;
  /** A render is wanted; and one is running. */
  #due = false;
  #running = false;
  /** When a smart playlist's query reads the clock (else null), the time from which it is rendered again,
   *  though nothing changed: the next minute, or 30 times the last render's length after it (a render of
   *  a million tracks' list takes seconds: at most about 3 % of a core). */
  #clockDue: number | null = null;

  readonly #now: () => number;

  /** `database`: the library's file, which the worker opens read-only; `now`, the clock a smart playlist's
   *  dates from now count from. */
  constructor(
    db: Db,
    database: string,
    report: { log(line: string): void; problem(line: string): void },
    now: () => number = Date.now,
  ) {
    this.#database = database;
    this.#report = report;
    this.#now = now;
    this.#version = db.prepare(PLAYLISTS_VERSION).pluck();
    this.#any = db.prepare('SELECT 1 FROM playlists WHERE removed_at IS NULL LIMIT 1');
    // Started now when there are playlists, so that it loads while the daemon reads the library.
    if (this.#any.get()) this.#worker();
  }

  get shape(): number {
    return this.#shape;
  }

  get content(): number {
    return this.#content;
  }

  get folder(): { readonly ino: number; readonly name: string; readonly mtimeMs: number } {
    return { ino: PLAYLISTS_INO, name: this.#folder, mtimeMs: this.#folderMtimeMs };
  }

  get count(): number {
    return this.#files.size;
  }

  get files(): Iterable<PlaylistFile> {
    return this.#files.values();
  }

  byIno(ino: number): PlaylistFile | undefined {
    return this.#files.get(ino);
  }

  /**
   * Renders every playlist for the mount's first tree (which the caller publishes); from then on each
   * render publishes the tree itself, through `publish`.
   */
  async start(view: LibraryView, publish: () => Promise<void>): Promise<void> {
    this.#view = view;
    this.#takeFolder(view.tree);
    // The version first: a playlist made after it moves it again, and the next poll renders it.
    this.#seenVersion = this.#version.get() as number;
    if (this.#pool || this.#any.get()) {
      this.#due = true;
      await this.#run();
    }
    this.#publish = publish;
  }

  /**
   * Takes in what the view's last refresh did (`changed`: the files it reported; the files it moved
   * besides are read from the view now, so call this right after the refresh) and whether the playlists
   * changed, or a minute passed that a smart playlist's dates from now count in; hands it to the worker,
   * without waiting for it. True when a render was asked.
   */
  follow(changed: readonly number[]): boolean {
    const view = this.#view;
    if (!view) return false; // the first render, still to come, takes in everything
    try {
      if (this.#takeFolder(view.tree)) void this.#published();
      const version = this.#version.get() as number;
      const moved = view.moved;
      // A render under way is of this minute already (or the next check after it asks again).
      const ticked = !this.#running && this.#ticked();
      if (version === this.#seenVersion && (changed.length + moved.length === 0 || !this.#pool) && !ticked)
        return false;
      this.#seenVersion = version;
      if (this.#pending) for (const id of [...changed, ...moved]) this.#pending.add(id);
      this.#due = true;
      void this.#run();
      return true;
    } catch (err) {
      this.#report.problem(`following the playlists failed: ${(err as Error).message}`);
      return false;
    }
  }

  #ticked(): boolean {
    return this.#clockDue !== null && this.#now() >= this.#clockDue;
  }

  /** The folder's name, given the library's top-level names (in any case); true when it changed. */
  #takeFolder(tree: VirtualTree): boolean {
    const folder = FOLDER_NAMES.find((n) => !tree.hasTop(n)) ?? FOLDER_NAMES[0]!;
    if (folder === this.#folder) return false;
    this.#folder = folder;
    this.#folderMtimeMs = Date.now();
    this.#shape++;
    return true;
  }

  #worker(): WorkerPool<RenderRequest, RenderReply> {
    // One worker: with two cores the other is the mount's.
    this.#pool ??= new WorkerPool(new URL('./playlist-worker.ts', import.meta.url), 1, {
      inFlight: 1,
      workerData: { database: this.#database },
    });
    return this.#pool;
  }

  /** Renders until no change waits; one render at a time. */
  async #run(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (this.#due) {
        this.#due = false;
        const changed = this.#pending;
        this.#pending = new Set();
        await this.#render(changed);
      }
    } finally {
      this.#running = false;
    }
  }

  async #render(changed: ReadonlySet<number> | null): Promise<void> {
    const started = performance.now();
    const minute = clockMinute(this.#now());
    const ticked = this.#ticked();
    const pool = this.#worker();
    try {
      let reply = await pool.run({ op: 'plan', changed: changed && [...changed], minute });
      // The paths it asks for are the tree's now: a file moved since is in the next render's changes.
      while ('need' in reply) {
        const tree = this.#view!.tree;
        reply = await pool.run({ op: 'paths', paths: reply.need.map((id) => tree.pathOf(id) ?? null) });
      }
      const took = performance.now() - started;
      this.#clockDue = reply.clock ? Math.max((minute + 1) * MINUTE_MS, this.#now() + 30 * took) : null;
      for (const line of reply.problems) this.#report.problem(line);
      if (this.#take(reply) && this.#publish) await this.#published();
      if (reply.lists.length === 0) {
        // The last playlist went: so does the worker.
        this.#pool = undefined;
        void pool.close();
        return;
      }
      this.#report.log(
        `playlists: ${reply.rendered.length} of ${reply.lists.length} rendered${named(reply.rendered)} in ${(performance.now() - started).toFixed(1)} ms${after(changed, ticked)}`,
      );
    } catch (err) {
      // What the worker holds is not known: everything is rendered at the next change.
      this.#pending = null;
      this.#report.problem(
        `rendering the playlists failed (tried again at the next change): ${(err as Error).message}`,
      );
    }
  }

  /** Swaps in the worker's answer; true when a file came, went, was renamed or holds other bytes. */
  #take(done: RenderDone): boolean {
    const texts = new Map(done.files.map((f) => [f.id, f.bytes]));
    const next = new Map<number, PlaylistFile>();
    let reshaped = this.#takeFolder(this.#view!.tree);
    let rewritten = false;
    for (const { id, name } of done.lists) {
      const ino = fileIno(id);
      const old = this.#files.get(ino);
      const text = texts.get(id);
      if (old?.name !== name) reshaped = true;
      if (old && old.name === name && text === undefined) next.set(ino, old);
      else {
        const bytes = text ? Buffer.from(text.buffer, text.byteOffset, text.byteLength) : old?.bytes;
        if (!bytes) {
          this.#pending = null; // the worker thought it sent these bytes: it renders everything again
          continue;
        }
        rewritten = true;
        next.set(ino, { ino, name, bytes, mtimeMs: Date.now(), version: (old?.version ?? 0) + 1 });
      }
    }
    if (next.size !== this.#files.size) reshaped = true;
    if (!rewritten && !reshaped) return false;
    this.#files = next;
    this.#folderMtimeMs = Date.now();
    if (reshaped) this.#shape++;
    else this.#content++;
    return true;
  }

  async #published(): Promise<void> {
    try {
      await this.#publish?.();
    } catch (err) {
      this.#report.problem(`publishing the tree failed: ${(err as Error).stack}`);
    }
  }
}

/** ' (“A”, “B”)': the names of the playlists rendered, the first few. */
function named(names: readonly string[]): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, NAMES_LOGGED).map((n) => `“${n}”`);
  if (names.length > NAMES_LOGGED) shown.push(`${names.length - NAMES_LOGGED} more`);
  return ` (${shown.join(', ')})`;
}

/** What a render followed: the start, files that changed, or a change to the playlists. */
function after(changed: ReadonlySet<number> | null, ticked: boolean): string {
  if (changed === null) return '';
  if (changed.size > 0) return `, after ${changed.size} changed file(s)`;
  return ticked ? ', a minute on (dates from now)' : ', after a change to the playlists';
}
