// Every library connection loads native/stable_plans.c, which turns on SQLite's query planner stability
// guarantee: without it, the SQLite better-sqlite3 embeds (3.54.1) prepares many statements again on
// every call (native/stable_plans.c says why), which made a scan's writes and the app's lookups 5-20
// times slower.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/** The extension, as native/build.ts builds it at `npm install`. In a packaged app the path is the
 *  unpacked copy's (electron-builder unpacks app/): SQLite opens the file itself, and cannot read an asar. */
export const STABLE_PLANS_FILE = fileURLToPath(
  new URL('native/build/stable_plans.so', import.meta.url),
).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');

let problem: string | undefined;

/** Loads the extension into `db`. Without it the library works, slower: the first failure is kept for
 *  stablePlansProblem. */
export function loadStablePlans(db: Database.Database, file = STABLE_PLANS_FILE): void {
  try {
    if (!existsSync(file)) throw new Error('it is not built');
    db.loadExtension(file);
  } catch (err) {
    problem ??=
      `sleeve: SQLite's stable-plans extension did not load (${(err as Error).message}): many queries are ` +
      'planned again on every call, slower; build it with `node app/core/db/native/build.ts`';
  }
}

/** Why a connection of this thread runs without the extension, for the process to say once where it
 *  speaks (the CLI's stderr, the mount's log); undefined while every one has it. */
export function stablePlansProblem(): string | undefined {
  return problem;
}
