// The mount daemon: its own process, serving one mounted library until SIGTERM/SIGINT or unmount.
// Run as `node fuse/daemon.ts --home DIR [--template T] MOUNTPOINT`; `sleeve mount` starts it. When fd 3
// is a pipe (as `sleeve mount` passes one), "ready N" (N files served) or the error that stopped the mount
// is written there.
import { mkdirSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../app/core/config.ts';
import { CommitWatch } from '../app/core/db/commit-watch.ts';
import { openDatabase } from '../app/core/db/database.ts';
import { stablePlansProblem } from '../app/core/db/stable-plans.ts';
import { resolveHome } from '../app/core/home.ts';
import { adoptOrphans, forgetUnheld, heldSaveIds, SaveJournal } from '../app/core/library/save-journal.ts';
import { Layouts } from '../app/core/library/served-layout.ts';
import { Upkeep } from '../app/core/library/upkeep.ts';
import { FolderLayouts } from '../app/core/mounted/folder-layouts.ts';
import type { FsReport } from '../app/core/mounted/fs-report.ts';
import { LibraryView } from '../app/core/mounted/library-view.ts';
import { PlaylistFiles } from '../app/core/mounted/playlist-files.ts';
import { ProblemLog } from '../app/core/mounted/problem-log.ts';
import {
  noteServed,
  registerMount,
  servedBefore,
  unregisterMount,
} from '../app/core/mounts/mount-registry.ts';
import { fsnameOption } from '../app/core/mounts/mount-source.ts';
import { PlayerNotifier } from '../app/core/mounts/player-notifier.ts';
import { readPlayers } from '../app/core/mounts/players.ts';
import { PathTemplate } from '../app/core/served/path-template.ts';
import { FileLanes } from '../kit/file-lanes.ts';
import { keepWasmCode } from '../kit/keep-wasm-code.ts';
import { LibraryFs } from './library-fs.ts';
import { MountReporter } from './mount-reporter.ts';
import { loadBinding } from './native-binding.ts';

/**
 * How long the kernel keeps names and attributes the tree gave (a day). Changes do not wait for it: every
 * new tree tells the kernel what it no longer says (names, sizes, modes, cached pages), an answer given
 * from a tree replaced meanwhile is taken back after it, and what JS answers (a file being written, a
 * scratch file, a playlist) is given no lifetime. A shorter one would cost a player's rescan, minutes or
 * hours after the last, a waited lookup of every file. (A notice lost to a failed allocation would last
 * as long.)
 */
const ATTR_TIMEOUT_S = 86_400;
// fusermount3's -o list. The kernel mount goes when the daemon dies, however it dies: the binding's
// watcher unmounts it (native/kernel_mount.c). default_permissions: the kernel answers access() from the
// modes the tree gives (a file that cannot be saved through the mount is 0444), where it would otherwise
// ask the daemon each time (mpd asks of every file it scans: one round trip a file).
const MOUNT_OPTIONS = 'rw,nosuid,nodev,default_permissions,subtype=sleeve';

interface DaemonOptions {
  readonly home: string;
  readonly mountpoint: string;
  readonly template: string;
  /** Every copy of a recording, not only the one it keeps. */
  readonly allCopies?: boolean;
  /** Where the log goes (null: stderr only). */
  readonly log: string | null;
  /** Called once: with the number of files served, or with the error that stopped the mount. */
  readonly onReady?: (ready: { files: number } | Error) => void;
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

/** The daemon's parts, each built once and wired here: what the edit → header → player path runs through. */
interface Daemon {
  readonly home: ReturnType<typeof resolveHome>;
  readonly config: ReturnType<typeof loadConfig>;
  readonly fuse: ReturnType<typeof loadBinding>;
  readonly db: ReturnType<typeof openDatabase>;
  readonly problems: ProblemLog;
  readonly reporter: MountReporter;
  readonly report: FsReport;
  readonly playlists: PlaylistFiles;
  readonly view: LibraryView;
  readonly ahead: FolderLayouts;
  readonly fs: LibraryFs;
  /** Since when daemons serve this mount point (this one's start, or the first earlier one's). */
  readonly servingSince: number;
}

/** Builds the parts: the library opened, the view read, the requests' router wired to the tree's
 *  publisher, the save journal, the file lanes and the media servers to tell. */
function buildDaemon(options: DaemonOptions): Daemon {
  const home = resolveHome(options.home);
  const config = loadConfig(home.config);
  const fuse = loadBinding();
  const db = openDatabase(home.database, { onMigrate: log });
  const slower = stablePlansProblem();
  if (slower) log(slower);
  // A problem that repeats is logged once, then counted (app/core/mounted/problem-log.ts).
  const problems = new ProblemLog(log);
  const reporter = new MountReporter(
    home.dir,
    options.mountpoint,
    () => fuse.requestCounts(),
    (err) => problems.say(`cannot write the mount's report: ${err.message}`),
  );
  const report: FsReport = {
    log,
    problem: (line: string) => {
      problems.say(line);
      reporter.problem(line);
    },
    pendingSaves: (count: number) => reporter.pendingSaves(count),
    builtAhead: (count: number) => reporter.builtAhead(count),
  };
  // Its worker loads while the view reads the library.
  const playlists = new PlaylistFiles(db, home.database, report);
  const view = new LibraryView(db, new PathTemplate(options.template), { allCopies: options.allCopies });
  // The daemon writes only the tagger's saves: each commit reaches the disk before the tagger hears "saved".
  db.pragma('synchronous = FULL');
  const journal = SaveJournal.create(home, db);
  // Originals are opened and read in their mounts' file lanes, never on this thread (original-file.ts).
  const deadlineMs = config.mount.originalTimeoutSeconds * 1000;
  const files = new FileLanes(deadlineMs);
  const ahead = new FolderLayouts({ database: home.database, deadlineMs }, config.mount.buildAheadMinFiles);
  const players = new PlayerNotifier(options.mountpoint, report.problem, () => readPlayers(home.dir));
  // A daemon that served this mount point before, until it stopped (or died: until now).
  const before = servedBefore(home.dir, options.mountpoint);
  const earlier = before && { since: before.since, until: before.until ?? Date.now() };
  const fs = new LibraryFs({
    db,
    view,
    playlists,
    layouts: new Layouts(db, files, log),
    files,
    report,
    fuse,
    journal,
    maxArtBytes: config.art.maxBytes,
    ahead,
    told: (paths) => players.changed(paths),
    earlier,
  });
  const servingSince = before?.since ?? Date.now();
  return { home, config, fuse, db, problems, reporter, report, playlists, view, ahead, fs, servingSince };
}

/** The library's commits followed: each change's files published, and the playlists they reach. */
function followLibrary(d: Daemon): CommitWatch {
  let refreshing = false;
  const check = () => {
    if (refreshing) return; // looked at again once that publish is done
    try {
      const started = performance.now();
      const changed = d.view.refresh();
      if (changed.length > 0) {
        refreshing = true;
        d.fs
          .publish(changed)
          .then(() => {
            log(
              `library changed: ${changed.length} file(s) served ${(performance.now() - started).toFixed(1)} ms after noticing`,
            );
            d.reporter.serving(d.view.tree.fileCount);
          })
          .catch((err: Error) => d.report.problem(`publishing the tree failed: ${err.stack}`))
          .finally(() => {
            refreshing = false;
            commits.nudge();
          });
      }
      // The playlists the change reaches (or a change of the playlists) are rendered on their worker and
      // published after the library's change, in a publish of their own that patches only their nodes when
      // their names stay; this thread goes on serving meanwhile.
      d.playlists.follow(changed);
    } catch (err) {
      d.report.problem(`refresh failed: ${(err as Error).message}`);
    }
  };
  const commits = new CommitWatch(d.home.database, check, (err) =>
    log(`cannot watch the library's folder (${err.message}): looking for changes once a second instead`),
  );
  commits.nudge(); // what was committed while the mount started
  return commits;
}

/** The start's garbage collected and the caches it filled let go: the daemon idles at what it holds. */
function settle(d: Daemon): void {
  // The start leaves its rows and tags as garbage (over half the heap at 100k files): collected now, and
  // the C heap's freed pages handed back. (gc: --expose-gc.)
  (globalThis as { gc?: () => void }).gc?.();
  // SQLite's page cache served the start's full read; later reads are a few changed rows at a time.
  d.db.pragma('cache_size = -4000');
  d.db.pragma('shrink_memory');
  d.fuse.trimMemory();
  readyWhenQuiet(d);
}

/**
 * The memory the first publishes would take fresh (a page fault a page: at a million files the first two
 * retitles after the start took 0.8 and 0.4 s, the rest 30–50 ms), made once the kernel has asked nothing
 * for a second, or 3 s after the start at the latest (a media server may scan for minutes): the packed
 * tree's spare here, a step at a time, the binding's on a thread of its own. Made at once, beside a
 * player's first scan of the new mount, it had slowed the scan by 10–35 % at a million files.
 */
function readyWhenQuiet(d: Daemon): void {
  const asked = () => {
    const c = d.fuse.requestCounts();
    return c.lookup + c.getattr + c.open + c.read + c.readdir;
  };
  let seen = asked();
  let seconds = 0;
  const check = setInterval(() => {
    const now = asked();
    if (now !== seen && ++seconds < 3) {
      seen = now;
      return;
    }
    clearInterval(check);
    d.fs.readySpare();
    d.fuse.readySpares();
  }, 1000);
  check.unref();
}

/** Before the mount: the playlists' worker, saves a stopped mount left adopted, the first tree published
 *  and the layout worker started when the library is large enough. Returns whether layouts are built
 *  ahead. */
async function prepare(d: Daemon): Promise<boolean> {
  const { home, db, report, view, fs } = d;
  await d.playlists.start(view, () => fs.publish([]));
  fs.adoptSaves(adoptOrphans(home, db, report.problem));
  try {
    forgetUnheld(db, () => heldSaveIds(home, db));
  } catch (err) {
    log(`left applied saves' records for the next start: ${(err as Error).message}`); // the library is busy
  }
  await fs.publish();
  // Decided once for the start; a library that grows past the threshold starts the worker at a listing.
  const buildingAhead = d.ahead.buildsAhead(view.tree.fileCount);
  if (buildingAhead) {
    const [sample] = view.records(); // the iterator's first only
    d.ahead.start(sample);
  }
  await fs.warmUp();
  return buildingAhead;
}

/** The kernel mount, its source naming the library (mount-source.ts: a scan that meets it says whose it
 *  is). Throws what stopped it. */
function mountKernel(d: Daemon, options: DaemonOptions): void {
  mkdirSync(options.mountpoint, { recursive: true });
  d.fuse.mount(
    options.mountpoint,
    `${MOUNT_OPTIONS},${fsnameOption(d.home.dir)}`,
    d.fs.onRequest,
    ATTR_TIMEOUT_S,
    d.home.database,
    d.config.mount.originalTimeoutSeconds,
    d.config.mount.keptPagesFiles,
  );
  d.fs.serving();
}

/** Stops serving, once, whatever asks (a signal, the mount ending): the counts of repeats logged first
 *  (the log's last line says why the daemon ended), then the library let go and the process ended. */
function stopper(d: Daemon, options: DaemonOptions, open: { close(): void }[]) {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    d.problems.flush();
    log(`unmounting ${options.mountpoint} (${reason})`);
    for (const part of open) part.close();
    unregisterMount(d.home.dir, options.mountpoint);
    noteServing(d, options.mountpoint, Date.now());
    d.fuse.unmount(); // lazily: a handle still open gets ENOTCONN, nothing waits for it
    d.fs.closeSaves();
    d.reporter.flush();
    d.db.close();
    process.exit(0);
  };
  return { stop, stopping: () => stopping };
}

/** Records since when daemons serve the mount point, and `until` when this one stopped: the next one's
 *  taggers' saves count from then (app/core/mounted/reader-base.ts). */
function noteServing(d: Daemon, mountpoint: string, until?: number): void {
  try {
    noteServed(d.home.dir, mountpoint, { since: d.servingSince, ...(until ? { until } : {}) });
  } catch (err) {
    d.report.problem(`cannot note when this mount is served: ${(err as Error).message}`);
  }
}

/** What the start says once serving: in the log, the registry (where `sleeve mount` finds it), the report
 *  and to the caller. */
function announce(d: Daemon, options: DaemonOptions, buildingAhead: boolean): void {
  const { view, reporter, config } = d;
  registerMount(d.home.dir, {
    mountpoint: options.mountpoint,
    pid: process.pid,
    template: options.template,
    allCopies: options.allCopies ?? false,
    log: options.log,
    startedAt: Date.now(),
  });
  noteServing(d, options.mountpoint);
  log(`serving ${view.tree.fileCount} files at ${options.mountpoint}`);
  if (!buildingAhead)
    log(
      `each file's layout is built at its first open: none ahead below mount.buildAheadMinFiles (${config.mount.buildAheadMinFiles} files)`,
    );
  if (view.unrecorded > 0)
    log(
      `${view.unrecorded} files had no current recorded path (an older Sleeve recorded them): \`sleeve scan\` records them, for a faster start`,
    );
  reporter.serving(view.tree.fileCount);
  reporter.flush();
  options.onReady?.({ files: view.tree.fileCount });
}

/** The daemon's life: built, prepared, mounted, announced; stopped by a signal or the mount's end. */
async function runDaemon(options: DaemonOptions): Promise<void> {
  const d = buildDaemon(options);
  const buildingAhead = await prepare(d);
  // Saves through the mount are edit batches: the history they grow is pruned here, the pictures they
  // replace collected, the WAL this long-lived connection keeps open truncated.
  const upkeep = new Upkeep(d.db, d.config.history, d.report.problem);
  try {
    mountKernel(d, options);
  } catch (err) {
    log(`cannot mount ${options.mountpoint}: ${(err as Error).message}`);
    upkeep.close();
    d.fs.closeSaves();
    d.db.close();
    options.onReady?.(err as Error);
    process.exitCode = 1;
    return;
  }
  const { stop, stopping } = stopper(d, options, [followLibrary(d), upkeep]);
  d.fs.onExit = () => stop('the mount ended');
  // Before the daemon can be found (the registry, the ready message): a signal sent as soon as `sleeve
  // mount` returns once found it still without them, and its default action ended the daemon unannounced.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGUSR2', () => d.reporter.flush()); // the report now, with the request counts (a test asks)
  announce(d, options, buildingAhead);
  // Once ready is said: the full collection takes 0.7 s at a million files, which the mount's caller
  // waited for before; it is up and serving meanwhile (the kernel's requests wait that once).
  setImmediate(() => settle(d));
  process.on('uncaughtException', (err) => d.report.problem(`internal error (still serving): ${err.stack}`));
  // Any other way out is said in the log (a daemon that vanishes unannounced left no trace before).
  process.on('exit', (code) => {
    if (!stopping()) log(`exiting with code ${code}, not unmounted by a request`);
  });
}

if (import.meta.main) {
  keepWasmCode(); // before the layout and playlist threads start
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      home: { type: 'string' },
      template: { type: 'string' },
      log: { type: 'string' },
      'all-copies': { type: 'boolean', default: false },
    },
  });
  const tell = (text: string) => {
    try {
      writeSync(3, `${text}\n`);
    } catch {}
  };
  runDaemon({
    home: values.home ?? resolveHome(undefined).dir,
    mountpoint: resolve(positionals[0] ?? '.'),
    template: values.template ?? new PathTemplate().source,
    log: values.log ?? null,
    allCopies: values['all-copies'],
    onReady: (ready) => tell(ready instanceof Error ? `error ${ready.message}` : `ready ${ready.files}`),
  }).catch((err: Error) => {
    log(`cannot start: ${err.stack}`);
    tell(`error ${err.message}`);
    process.exit(1);
  });
}
