// Worker thread: the backend's watcher of the library folders (app/core/watch/library-watcher.ts) on a
// connection of its own. A look at a whole folder compares every file the library knows there with the
// disk — at a million tracks about 15 s of CPU at each start — and on the backend's thread that held
// every request behind it (the app's first rows came after 5.4 s). Here it holds nobody.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../core/config.ts';
import { openDatabase } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { LibraryWatcher, type WatchedFolder, type WatchTiming } from '../core/watch/library-watcher.ts';
import type { WatchReport } from '../shared/rpc-contract.ts';

/** What the watcher says, as it crosses to the backend's thread. */
export type WatchMessage =
  | { readonly kind: 'folders'; readonly folders: readonly WatchedFolder[] }
  | { readonly kind: 'changed'; readonly report: Omit<WatchReport, 'at'> }
  | { readonly kind: 'log'; readonly line: string }
  | { readonly kind: 'closed' };

export interface WatchWorkerData {
  readonly home: Home;
  readonly config: Config;
  readonly timing: WatchTiming;
}

if (parentPort) {
  const port = parentPort;
  const { home, config, timing } = workerData as WatchWorkerData;
  const db = openDatabase(home.database);
  const say = (message: WatchMessage) => port.postMessage(message);
  const watcher = new LibraryWatcher(
    db,
    home,
    config,
    {
      folders: (folders) => say({ kind: 'folders', folders: [...folders] }),
      changed: (r) =>
        say({ kind: 'changed', report: { ...r, places: [...r.places], skipped: [...r.skipped] } }),
      waiting: (message) => say({ kind: 'log', line: `watch: ${message}` }),
      failed: (folder, message) =>
        say({ kind: 'log', line: `watch: could not look at ${folder}: ${message}` }),
    },
    timing,
  );
  port.on('message', (m: 'start' | 'close') => {
    if (m === 'start') watcher.start();
    else
      void watcher.close().finally(() => {
        db.close();
        say({ kind: 'closed' });
      });
  });
}
