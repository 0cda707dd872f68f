// Every library connection loads native/stable_plans.c, which turns on SQLite's query planner stability
// guarantee: without it, the SQLite better-sqlite3 embeds (3.54.1) prepares many statements again on
// every call (native/stable_plans.c says why), which made a scan's writes and the app's lookups 5-20
// times slower.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/** The extension, as native/build.ts builds it at `npm install`. */
export const STABLE_PLANS_FILE = fileURLToPath(new URL('native/build/stable_plans.so', import.meta.url));

let warned = false;

/** Loads the extension into `db`. Without it the library works, slower: said once per process, with why. */
export function loadStablePlans(db: Database.Database): void {
  try {
    if (!existsSync(STABLE_PLANS_FILE)) throw new Error('it is not built');
    db.loadExtension(STABLE_PLANS_FILE);
  } catch (err) {
    if (!warned)
      console.warn(
        `sleeve: SQLite will plan its queries again on every call (slower): the stable-plans extension did not load (${(err as Error).message}); build it with \`node app/core/db/native/build.ts\``,
      );
    warned = true;
  }
}
