// The backend's watcher of the library folders, and what it took in lately, for the clients.
import type { Config } from '../core/config.ts';
import type { Db } from '../core/db/database.ts';
import type { Home } from '../core/home.ts';
import { LibraryWatcher, WATCH_TIMING, type WatchedFolder } from '../core/watch/library-watcher.ts';
import type { WatchReport } from '../shared/rpc-contract.ts';

const RECENT = 20;

export interface WatchEvents {
  folders(folders: readonly WatchedFolder[]): void;
  changed(report: WatchReport): void;
}

export class WatchService {
  readonly #watcher: LibraryWatcher | undefined;
  readonly #recent: WatchReport[] = [];

  /** `noAnswerMs`: how long a folder may take to answer (default WATCH_TIMING's). */
  constructor(
    db: Db,
    home: Home,
    config: Config,
    events: WatchEvents,
    log: (line: string) => void,
    noAnswerMs = WATCH_TIMING.noAnswerMs,
  ) {
    if (!config.watch.enabled) return;
    const timing = { ...WATCH_TIMING, noAnswerMs };
    this.#watcher = new LibraryWatcher(
      db,
      home,
      config,
      {
        folders: (folders) => {
          for (const f of folders) if (f.notice) log(`watch: ${f.path}: ${f.notice}`);
          events.folders(folders);
        },
        changed: (r) => {
          const report = { ...r, places: [...r.places], skipped: [...r.skipped], at: Date.now() };
          this.#recent.unshift(report);
          this.#recent.length = Math.min(this.#recent.length, RECENT);
          events.changed(report);
        },
        waiting: (message) => log(`watch: ${message}`),
        failed: (folder, message) => log(`watch: could not look at ${folder}: ${message}`),
      },
      timing,
    );
  }

  start(): void {
    this.#watcher?.start();
  }

  status(): { enabled: boolean; folders: WatchedFolder[]; recent: WatchReport[] } {
    return {
      enabled: this.#watcher !== undefined,
      folders: this.#watcher?.folders() ?? [],
      recent: this.#recent,
    };
  }

  async close(): Promise<void> {
    await this.#watcher?.close();
  }
}
