// Keeps the library current by itself: every library folder is watched, and what its events name is
// looked at again (the scan pipeline on just those places: tags, fingerprints, groups, similarity) once
// it has settled. Where events cannot be had, the folder is scanned every pollSeconds instead, and it
// says why. A folder that goes away (a disk unplugged) is paused, not emptied, and resumes when it is back.
// No file system call on a library file or folder is made on this thread: each goes through the watcher's
// file lanes (kit/file-lanes.ts), and a folder on a share that stops answering is named in the folder's
// notice, its files kept, and watched again once it answers.

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import type { FileInfo, FileLanes } from '../../../kit/file-lanes.ts';
import { changedCount, type WatchCounts } from '../../shared/watch-words.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Home } from '../home.ts';
import type { FileStat } from '../library/ingest.ts';
import { libraryRoots } from '../library/library-folders.ts';
import { KeptScanWorkers } from '../scan/kept-scan-workers.ts';
import { FollowedLinks } from '../scan/links.ts';
import { fileKey, type OffLimits, offLimits } from '../scan/off-limits.ts';
import { configuredScan, scanLibrary } from '../scan/pipeline.ts';
import { normalizedTargets, type ScanTarget } from '../scan/scanner.ts';
import { isNoAnswer } from '../scan/walk.ts';
import { PendingChanges } from './pending-changes.ts';
import { PolledFiles } from './polled-files.ts';
import {
  eventlessFileSystem,
  identityOrReason,
  isEmptyFolder,
  type Presence,
  presence,
  type RootIdentity,
} from './root-presence.ts';
import { TreeEvents } from './tree-events.ts';

export type WatchState = 'watching' | 'polling' | 'paused';

export interface WatchedFolder {
  readonly path: string;
  readonly state: WatchState;
  /** Why the folder is polled or paused, and what to do about it. */
  readonly notice: string | null;
}

/** What one look at a folder changed in the library. */
export interface WatchReport extends WatchCounts {
  readonly seconds: number;
  /** A remote fingerprint index could not be reached: the files wait to be grouped (tried again later). */
  readonly groupingWaits: string | null;
  /** Links the look did not follow, said once while they stay as they are. */
  readonly skipped: readonly Skipped[];
}

interface Skipped {
  readonly path: string;
  readonly reason: string;
}

export interface WatcherEvents {
  /** A folder's state or notice changed (all folders, as folders() has them). */
  folders(folders: readonly WatchedFolder[]): void;
  changed(report: WatchReport): void;
  /** A look waits for another process's scan or store: said once per wait. */
  waiting(message: string): void;
  /** A look failed (it is tried again at the next change). */
  failed(folder: string, message: string): void;
  /** A look at a folder ended, whether it changed anything or not (`places`: what it looked at). */
  looked?(folder: string, places: readonly string[]): void;
  /** A round of checks (every folder's presence, the list of library folders) ended: what a test waits
   *  on to see that something did not happen, which no other event announces. */
  checked?(): void;
}

/** The watcher's clocks, in milliseconds. Tests shorten them (config.json's limits are for people). */
export interface WatchTiming {
  /** How often the folders' presence and the list of library folders are checked. */
  readonly checkMs: number;
  /** How often a watched folder is looked at whole all the same: the system drops events when its queue
   *  overflows (a burst of many thousands) without a word, and no watch sees every change on every file
   *  system. Syncthing rescans hourly beside its watcher for the same reason; a look at an unchanged
   *  100,000-file library costs a few seconds of CPU (`npm run bench -- watch`: 1.5–2.8 s to start). */
  readonly wholeLookMs: number;
  /** How soon a failed look, or grouping that waits for a remote fingerprint index, is tried again. */
  readonly retryMs: number;
  /** How long a question to a folder (is it there, is it empty; a look's or the watch's listing) may go
   *  unanswered before the folder counts as away or not answering: a network share whose server is gone
   *  can leave a stat hanging for minutes. */
  readonly noAnswerMs: number;
  /** How often a polled folder is looked at; undefined: watch.pollSeconds. */
  readonly pollMs?: number;
}

export const WATCH_TIMING: WatchTiming = {
  checkMs: 2000,
  wholeLookMs: 3_600_000,
  retryMs: 60_000,
  noAnswerMs: 5000,
};

const EMPTIED = 'the folder is empty (its disk not mounted?); scan it to confirm its tracks are gone';
const NO_ANSWER = 'it does not answer (a network share whose server is away?)';

type Look = readonly ScanTarget[] | 'whole';

class WatchedRoot {
  readonly path: string;
  identity: RootIdentity | undefined;
  state: WatchState = 'watching';
  notice: string | null = null;
  events: TreeEvents | undefined;
  readonly pending: PendingChanges;
  /** When the folder is next looked at whole: every pollSeconds when polled, else every hour. */
  nextWholeLook = 0;
  /** The next look at the pending places. */
  timer: NodeJS.Timeout | undefined;
  /** A failed look, or grouping that waits for a remote index, tried again. */
  retry: NodeJS.Timeout | undefined;
  /** What the retry looks at: every failed look's places since the last retry ran. */
  retryLook: Look | undefined;
  /** A question to the folder still under way (settled or not): the next one waits for it. */
  asking: Promise<void> | undefined;
  /** Polled: new or changed files until they are complete. */
  readonly polled: PolledFiles;
  /** Where the folder's links led in earlier looks: a look at one place follows the same ones. */
  readonly followed = new FollowedLinks();
  /** The links not followed that looks have said (path → why), not said again while they stay. */
  readonly skipped = new Map<string, string>();
  /** Folders below that did not answer (path → why): their files are kept, and the folder's notice names
   *  them until a listing or a look gets an answer. */
  readonly unanswered = new Map<string, string>();

  constructor(path: string, settleMs: number) {
    this.path = path;
    this.pending = new PendingChanges(settleMs);
    this.polled = new PolledFiles(settleMs);
  }

  /**
   * Whether a new or changed file is complete. Watched, its events have been quiet for the settle time,
   * and its modification time is that old too. Polled, see PolledFiles.
   */
  settled(file: FileStat, settleMs: number): boolean {
    if (this.state === 'polling') return this.polled.settled(file, performance.now());
    const age = Date.now() - file.mtimeMs;
    return age < 0 || age >= settleMs;
  }

  stopEvents(): void {
    this.events?.close();
    this.events = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.retryLook = undefined;
    this.polled.clear();
  }
}

/** Read afresh after an await (a look may have paused the folder meanwhile); TypeScript's narrowing
 *  from before the await would say it cannot be. */
const pausedNow = (root: WatchedRoot): boolean => root.state === 'paused';

/** Two looks at one folder as one: whole if either is, else their places without repeats. */
function mergedLook(a: Look | undefined, b: Look): Look {
  return a === 'whole' || b === 'whole' ? 'whole' : normalizedTargets([...(a ?? []), ...b]);
}

export class LibraryWatcher {
  readonly #db: Db;
  readonly #home: Home;
  readonly #config: Config;
  readonly #events: WatcherEvents;
  readonly #roots = new Map<string, WatchedRoot>();
  readonly #queue = new Map<WatchedRoot, Look>();
  readonly #abort = new AbortController();
  #check: NodeJS.Timeout | undefined;
  /** A round of checks under way: rounds never overlap (one can wait up to noAnswerMs). */
  #checking = false;
  #groupingWaitSaid = false;
  readonly #offLimits: Promise<OffLimits>;
  /** The looks' lanes, readers and analysis processes, kept between looks (a file copied in is a look
   *  of its own); every stat and listing of the library's folders goes through its lanes. */
  readonly #workers: KeptScanWorkers;
  #draining: Promise<void> | undefined;
  #closed = false;
  readonly #timing: WatchTiming;

  constructor(db: Db, home: Home, config: Config, events: WatcherEvents, timing = WATCH_TIMING) {
    this.#db = db;
    this.#home = home;
    this.#config = config;
    this.#events = events;
    this.#timing = timing;
    this.#workers = new KeptScanWorkers(config.scan.workers ?? availableParallelism(), timing.noAnswerMs);
    this.#offLimits = offLimits(db, this.#workers.files);
    this.#offLimits.catch(() => {}); // its failure is said where it is awaited (a failed start or look)
  }

  /** Watches every library folder and looks at each once whole (what changed while nobody watched). */
  start(): void {
    void this.#checkAll();
    this.#check = setInterval(() => void this.#checkAll(), this.#timing.checkMs);
  }

  folders(): WatchedFolder[] {
    return [...this.#roots.values()].map((r) => ({
      path: r.path,
      state: r.state,
      notice: r.notice ?? unansweredNotice(r.unanswered),
    }));
  }

  /** Stops watching, and waits for a look under way to stop (what it read is kept). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#check);
    this.#abort.abort();
    for (const r of this.#roots.values()) r.stopEvents();
    await this.#draining;
    await this.#workers.close();
  }

  get #settleMs(): number {
    return this.#config.watch.settleSeconds * 1000;
  }

  get #pollMs(): number {
    return this.#timing.pollMs ?? this.#config.watch.pollSeconds * 1000;
  }

  #announce(): void {
    this.#events.folders(this.folders());
  }

  /** Library folders added since (by a scan here or in another process) are watched; removed ones not. */
  async #syncRoots(): Promise<void> {
    const now = new Set(libraryRoots(this.#db));
    let changed = false;
    for (const [path, root] of this.#roots)
      if (!now.has(path)) {
        root.stopEvents();
        this.#roots.delete(path);
        this.#queue.delete(root);
        changed = true;
      }
    for (const path of now)
      if (!this.#roots.has(path)) {
        const root = new WatchedRoot(path, this.#settleMs);
        this.#roots.set(path, root);
        await this.#begin(root);
        changed = true;
      }
    if (changed) this.#announce();
  }

  /** Starts following a folder (or resumes it): events or polling, then one whole look. */
  async #begin(root: WatchedRoot): Promise<void> {
    const identity = await this.#ask(root, () => identityOrReason(root.path));
    if (!this.#live(root)) return;
    if (typeof identity === 'string') {
      root.identity = undefined; // when it is there again, watched as whatever folder it then is
      this.#pause(root, identity);
      return;
    }
    const network = await this.#ask(root, () => eventlessFileSystem(root.path));
    if (!this.#live(root)) return;
    if (network === NO_ANSWER) return this.#pause(root, NO_ANSWER);
    root.identity = identity;
    const every = `looking for changes every ${this.#config.watch.pollSeconds} s (watch.pollSeconds in config.json)`;
    if (this.#config.watch.poll) this.#poll(root, `watch.poll is set in config.json: ${every}`);
    else if (network)
      this.#poll(root, `${root.path} is on ${network}, which does not report changes: ${every}`);
    else {
      const limits = await this.#offLimits;
      if (!this.#live(root)) return;
      root.state = 'watching';
      root.notice = null;
      root.nextWholeLook = performance.now() + this.#timing.wholeLookMs;
      root.events = new TreeEvents(root.path, {
        includeHidden: this.#config.scan.includeHidden,
        ignore: new Set(this.#config.scan.ignore),
        offLimits: limits,
        files: this.#workers.files,
        onChange: (path) =>
          void this.#changed(root, path).catch((err: unknown) =>
            this.#events.failed(root.path, err instanceof Error ? err.message : String(err)),
          ),
        onFailure: (err) => {
          this.#poll(root, `${eventsFailure(err)}: ${every}`);
          this.#announce();
        },
        onUnanswered: (path, why) => this.#unanswered(root, path, why),
      });
    }
    this.#enqueue(root, 'whole');
  }

  #poll(root: WatchedRoot, notice: string): void {
    root.stopEvents();
    root.state = 'polling';
    root.notice = notice;
    root.nextWholeLook = performance.now() + this.#pollMs;
  }

  #pause(root: WatchedRoot, reason: string): void {
    root.stopEvents();
    root.pending.clear();
    this.#queue.delete(root);
    if (root.state === 'paused' && root.notice?.includes(reason)) return;
    root.state = 'paused';
    root.notice = `paused, nothing marked missing: ${reason}. Watching resumes when it is back.`;
    this.#announce();
  }

  async #changed(root: WatchedRoot, path: string): Promise<void> {
    let s: FileInfo | undefined;
    try {
      s = await this.#workers.files.stat(path);
    } catch {
      // Unreadable (EACCES, a link loop, no answer): its folder's look reports it.
      root.pending.add(dirname(path), false, performance.now());
      this.#schedule(root);
      return;
    }
    const now = performance.now();
    if (s?.kind === 'folder' && path !== root.path) {
      if ((await this.#offLimits).folders.has(fileKey(s))) return; // the Sleeve home's own writes
      if (await this.#isLink(path)) {
        // Whether a link is followed, its look decides by the scan's rule; one followed is watched then.
        root.events?.forget(path);
        root.pending.add(path, true, now);
        this.#schedule(root);
        return;
      }
      // A folder already watched as itself only had its attributes changed: its own watch reports its
      // files. One that appeared (or another moved in under its name) is watched and walked whole.
      if (root.events?.watches(path, s)) return;
      void root.events?.watchBelow(path);
      root.pending.add(path, true, now);
    } else {
      if (!s) root.events?.forget(path);
      root.pending.add(path === root.path ? path : dirname(path), false, now);
    }
    this.#schedule(root);
  }

  #schedule(root: WatchedRoot): void {
    const due = root.pending.dueIn(performance.now());
    if (due === undefined || !this.#live(root)) return;
    clearTimeout(root.timer);
    root.timer = setTimeout(() => {
      root.timer = undefined;
      const targets = root.pending.take(performance.now());
      if (targets.length > 0) this.#enqueue(root, targets);
      this.#schedule(root);
    }, due);
  }

  async #checkAll(): Promise<void> {
    if (this.#checking || this.#closed) return;
    this.#checking = true;
    try {
      try {
        await this.#syncRoots();
      } catch (err) {
        this.#events.failed('(library folders)', err instanceof Error ? err.message : String(err));
      }
      // Each folder's questions at once: one that does not answer holds up no other.
      await Promise.all(
        [...this.#roots.values()].map((root) =>
          this.#checkOne(root).catch((err: unknown) =>
            this.#events.failed(root.path, err instanceof Error ? err.message : String(err)),
          ),
        ),
      );
    } finally {
      this.#checking = false;
    }
    this.#events.checked?.();
  }

  /** Pauses a folder that went away, resumes one that is back, looks whole at one that is due. */
  async #checkOne(root: WatchedRoot): Promise<void> {
    if (root.state === 'paused') {
      const identity = root.identity;
      const there = identity
        ? (await this.#presence(root, identity)).kind !== 'away'
        : typeof (await this.#ask(root, () => identityOrReason(root.path))) !== 'string';
      if (there && !(await this.#emptied(root)) && this.#live(root) && root.state === 'paused') {
        await this.#begin(root);
        this.#announce();
      }
      return;
    }
    const p = root.identity ? await this.#presence(root, root.identity) : undefined;
    // Paused meanwhile (a look found it away), or no longer a library folder: nothing to do.
    if (!this.#live(root) || pausedNow(root)) return;
    await this.#askUnansweredAgain(root);
    const now = performance.now();
    if (p?.kind === 'away') this.#pause(root, p.reason);
    else if (p?.kind === 'replaced') {
      root.stopEvents();
      await this.#begin(root);
    } else if (now >= root.nextWholeLook) {
      const every = root.state === 'polling' ? this.#pollMs : this.#timing.wholeLookMs;
      root.nextWholeLook = now + every;
      this.#enqueue(root, 'whole');
    }
  }

  /** Still watched: not closed, and not a folder the library no longer has (its timers must not revive it). */
  #live(root: WatchedRoot): boolean {
    return !this.#closed && this.#roots.get(root.path) === root;
  }

  #enqueue(root: WatchedRoot, look: Look): void {
    if (!this.#live(root)) return;
    this.#queue.set(root, mergedLook(this.#queue.get(root), look));
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  async #drain(): Promise<void> {
    for (const [root, look] of this.#queue) {
      this.#queue.delete(root);
      if (this.#closed) return;
      try {
        await this.#look(root, look);
        this.#events.looked?.(root.path, look === 'whole' ? [root.path] : look.map((t) => t.path));
      } catch (err) {
        if (this.#closed) return;
        this.#events.failed(
          root.path,
          `${err instanceof Error ? err.message : String(err)}; trying again in a minute`,
        );
        // Its places were taken from the pending ones: looked at again, not dropped.
        this.#retryLater(root, look);
      }
    }
  }

  async #look(root: WatchedRoot, look: Look): Promise<void> {
    const identity = root.identity;
    if (root.state === 'paused' || !identity) return;
    const p = await this.#presence(root, identity);
    if (p.kind === 'away') return this.#pause(root, p.reason);
    if (look === 'whole' && (await this.#emptied(root))) {
      root.identity = undefined; // resumed once it is not empty, whichever disk is then mounted there
      return this.#pause(root, EMPTIED);
    }
    const config = this.#config;
    const result = await scanLibrary(this.#db, this.#home, {
      ...configuredScan(config),
      folders: [root.path],
      only: look === 'whole' ? undefined : look,
      changesOnly: true,
      libraryFoldersOnly: true,
      followed: root.followed,
      // Checked again inside the scan: it may have waited for the scan lock while the disk went away.
      folderStillThere: async () =>
        identity === root.identity &&
        (await this.#presence(root, identity)).kind === 'there' &&
        !(await this.#emptied(root)),
      signal: this.#abort.signal,
      ...this.#workers.forScan,
      onWait: (message) => this.#events.waiting(message),
      settled: (file) => root.settled(file, this.#settleMs),
      // Still being written: looked at again once it has been quiet for the settle time.
      onUnsettled: (path) => {
        root.pending.add(dirname(path), false, performance.now());
        this.#schedule(root);
      },
    });
    const s = result.scan;
    this.#lookAnswered(root, look, s.folderErrors);
    for (const folder of await root.followed.folders(this.#workers.files))
      void root.events?.watchLinked(folder);
    const skipped = await newlySkipped(root.skipped, look === 'whole', s.skipped, this.#workers.files);
    // A remote index that is down: said once per outage, grouping tried again every minute.
    const waits = result.groupingWaits && !this.#groupingWaitSaid ? result.groupingWaits : null;
    this.#groupingWaitSaid = result.groupingWaits !== undefined;
    if (result.groupingWaits) this.#retryLater(root, []);
    if (changedCount(s) === 0 && !waits && skipped.length === 0) return;
    this.#events.changed({
      folder: root.path,
      places: look === 'whole' ? [root.path] : look.map((t) => t.path),
      added: s.added,
      updated: s.updated,
      moved: s.moved,
      missing: s.missing,
      errors: s.errors,
      seconds: result.totalSeconds,
      groupingWaits: waits,
      skipped,
    });
  }

  /** A folder below did not answer: named in the folder's notice (with the first reason) until it does. */
  #unanswered(root: WatchedRoot, path: string, why: string): void {
    if (!this.#live(root) || root.unanswered.has(path)) return;
    root.unanswered.set(path, why);
    this.#announce();
  }

  /** A look's folders that did not answer are named; those it looked at and got an answer from are not. */
  #lookAnswered(
    root: WatchedRoot,
    look: Look,
    errors: ReadonlyArray<{ path: string; reason: string }>,
  ): void {
    const places = look === 'whole' ? [root.path] : look.map((t) => t.path);
    let changed = false;
    for (const path of root.unanswered.keys())
      if (
        places.some((p) => path === p || path.startsWith(`${p}/`)) &&
        !errors.some((e) => e.path === path)
      ) {
        root.unanswered.delete(path);
        changed = true;
      }
    for (const e of errors) if (isNoAnswer(e.reason)) this.#unanswered(root, e.path, e.reason);
    if (changed) this.#announce();
  }

  /** Folders the watch could not list are listed again (the lanes refuse at once while the share still
   *  holds a call); one that answers is watched, and looked at whole. */
  async #askUnansweredAgain(root: WatchedRoot): Promise<void> {
    const events = root.events;
    for (const path of [...root.unanswered.keys()]) {
      if (!events || !(await events.watchBelow(path)) || root.events !== events) continue;
      root.unanswered.delete(path);
      this.#announce();
      this.#enqueue(root, [{ path, deep: true }]);
    }
  }

  /** Whether `path` is a link (one that cannot be looked at is not). */
  async #isLink(path: string): Promise<boolean> {
    const s = await this.#workers.files.stat(path, { lstat: true }).catch(() => undefined);
    return s?.kind === 'link';
  }

  /** Looks at `look` a minute later (a failed look's places; [] for grouping that waits for a remote
   *  index), with whatever an earlier retry still waits to look at: one retry timer, nothing dropped. */
  #retryLater(root: WatchedRoot, look: Look): void {
    if (!this.#live(root)) return;
    root.retryLook = mergedLook(root.retryLook, look);
    clearTimeout(root.retry);
    root.retry = setTimeout(() => {
      const again = root.retryLook;
      root.retry = undefined;
      root.retryLook = undefined;
      if (again) this.#enqueue(root, again);
    }, this.#timing.retryMs);
  }

  /** Empty where the library has tracks: more likely a disk not mounted than every file deleted. */
  async #emptied(root: WatchedRoot): Promise<boolean> {
    return (
      (await this.#ask(root, () => isEmptyFolder(root.path))) === true &&
      this.#db
        .prepare(
          "SELECT 1 FROM files f JOIN roots r ON r.id = f.root_id WHERE r.path = ? AND f.status = 'ok' LIMIT 1",
        )
        .get(root.path) !== undefined
    );
  }

  /** The folder's presence; one that does not answer is away. */
  async #presence(root: WatchedRoot, was: RootIdentity): Promise<Presence> {
    const p = await this.#ask(root, () => presence(root.path, was));
    return p === NO_ANSWER ? { kind: 'away', reason: NO_ANSWER } : p;
  }

  /**
   * Asks the folder one question at a time. A question a share leaves hanging holds one of libuv's
   * threads; the next waits for it instead of taking another (four hung ones would stall every file
   * read in the process), and after noAnswerMs the answer is NO_ANSWER.
   */
  async #ask<T>(root: WatchedRoot, question: () => Promise<T>): Promise<T | typeof NO_ANSWER> {
    const deadline = performance.now() + this.#timing.noAnswerMs;
    while (root.asking) if ((await within(root.asking, deadline)) === NO_ANSWER) return NO_ANSWER;
    const asked = question();
    const settled = asked.then(
      () => {},
      () => {},
    );
    root.asking = settled;
    void settled.then(() => {
      if (root.asking === settled) root.asking = undefined;
    });
    return within(asked, deadline);
  }
}

/** `work`'s outcome, or NO_ANSWER if it has none by `deadline` (performance.now() time). */
function within<T>(work: Promise<T>, deadline: number): Promise<T | typeof NO_ANSWER> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof NO_ANSWER>((resolve) => {
    timer = setTimeout(() => resolve(NO_ANSWER), Math.max(0, deadline - performance.now()));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Of the links a look skipped, those not said yet. `said` keeps what stays skipped: a link gone, or one a
 * whole look no longer skips, is forgotten (said again if it comes back).
 */
async function newlySkipped(
  said: Map<string, string>,
  whole: boolean,
  found: readonly Skipped[],
  files: FileLanes,
): Promise<Skipped[]> {
  const now = new Set(found.map((f) => f.path));
  const gone = async (path: string) => (await files.stat(path).catch(() => null)) === undefined;
  for (const path of [...said.keys()]) if (whole ? !now.has(path) : await gone(path)) said.delete(path);
  const fresh = found.filter((f) => said.get(f.path) !== f.reason);
  for (const f of fresh) said.set(f.path, f.reason);
  return fresh;
}

/** The folders below that do not answer, for the folder's notice. */
function unansweredNotice(unanswered: ReadonlyMap<string, string>): string | null {
  if (unanswered.size === 0) return null;
  const named = [...unanswered].map(([path, why]) => `${path} (${why})`).join('; ');
  return `not answering, its files kept as they were: ${named}. Watched again when it answers.`;
}

/** Why events cannot be had, and what to do about it. */
function eventsFailure(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOSPC') {
    let limit = '';
    try {
      limit = ` (fs.inotify.max_user_watches = ${readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim()})`;
    } catch {}
    return `the system's limit on watched folders is reached${limit}; raise it with \`sudo sysctl fs.inotify.max_user_watches=524288\` (and in /etc/sysctl.d/ to keep it), then restart Sleeve. Until then`;
  }
  if (err.code === 'EMFILE')
    return `the system's limit on watchers or open files is reached (EMFILE); raise \`fs.inotify.max_user_instances\` (\`sudo sysctl fs.inotify.max_user_instances=1024\`) or the open-file limit (\`ulimit -n\`), then restart Sleeve. Until then`;
  return `the folder cannot be watched (${err.code ?? err.message})`;
}
