// The mount daemon: its own process, serving one mounted library until SIGTERM/SIGINT or unmount.
// Run as `node fuse/daemon.ts --home DIR [--template T] MOUNTPOINT`; `sleeve mount` starts it. When fd 3
// is a pipe (as `sleeve mount` passes one), "ready" or the error that stopped the mount is written there.
import { writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Fuse from 'fuse-native';
import { openDatabase } from '../app/db/database.ts';
import { resolveHome } from '../app/home.ts';
import { LibraryFs } from './library-fs.ts';
import { LibraryView } from './library-view.ts';
import { registerMount, unregisterMount } from './mount-registry.ts';
import { PathTemplate } from './path-template.ts';
import { Layouts } from './served-layout.ts';

/** How often the daemon asks SQLite whether another process committed (a cheap pragma). */
const POLL_MS = 20;

export interface DaemonOptions {
  readonly home: string;
  readonly mountpoint: string;
  readonly template: string;
  /** Where the log goes (null: stderr only). */
  readonly log: string | null;
  /** Called once: undefined when serving, else the error that stopped the mount. */
  readonly onReady?: (err?: Error) => void;
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

export function runDaemon(options: DaemonOptions): void {
  const home = resolveHome(options.home);
  const db = openDatabase(home.database);
  const view = new LibraryView(db, new PathTemplate(options.template));
  const fs = new LibraryFs(db, view, new Layouts(db), log);
  const fuse = new Fuse(options.mountpoint, fs.ops, {
    autoUnmount: true,
    mkdir: true,
    // fuse-native has no options for these: its fsname is passed into the -o list as is.
    // use_ino: our stable inode numbers; big_writes: taggers' writes in 128 KiB, not 4 KiB, pieces.
    fsname: 'sleeve,use_ino,big_writes',
    subtype: 'sleeve',
    // Kernel attributes live 50 ms, so a library edit shows within the 100 ms goal.
    attrTimeout: '0.05',
    entryTimeout: '0.05',
    // Cached pages survive an open only while the file's size and mtime are unchanged.
    autoCache: true,
  });
  const poll = setInterval(() => {
    try {
      const changed = view.refresh();
      if (changed.length > 0) log(`library changed: ${changed.length} file(s) refreshed`);
    } catch (err) {
      log(`refresh failed: ${(err as Error).message}`);
    }
  }, POLL_MS);
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`unmounting ${options.mountpoint} (${reason})`);
    clearInterval(poll);
    fuse.unmount((err) => {
      if (err) log(`unmount failed: ${err.message}`);
      unregisterMount(home.dir, options.mountpoint);
      db.close();
      process.exit(err ? 1 : 0);
    });
  };
  fuse.mount((err) => {
    if (err) {
      clearInterval(poll);
      db.close();
      options.onReady?.(err);
      process.exitCode = 1;
      return;
    }
    registerMount(home.dir, {
      mountpoint: options.mountpoint,
      pid: process.pid,
      template: options.template,
      log: options.log,
      startedAt: Date.now(),
    });
    log(`serving ${view.tree.fileCount} files at ${options.mountpoint}`);
    options.onReady?.();
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('uncaughtException', (err) => log(`internal error (still serving): ${err.stack}`));
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { home: { type: 'string' }, template: { type: 'string' }, log: { type: 'string' } },
  });
  const tell = (text: string) => {
    try {
      writeSync(3, `${text}\n`);
    } catch {}
  };
  try {
    runDaemon({
      home: values.home ?? resolveHome(undefined).dir,
      mountpoint: resolve(positionals[0] ?? '.'),
      template: values.template ?? new PathTemplate().source,
      log: values.log ?? null,
      onReady: (err) => tell(err ? `error ${err.message}` : 'ready'),
    });
  } catch (err) {
    log(`cannot start: ${(err as Error).stack}`);
    tell(`error ${(err as Error).message}`);
    process.exit(1);
  }
}
