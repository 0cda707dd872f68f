// Builds stable_plans.c into the SQLite extension every library connection loads (stable-plans.ts says
// why). `npm install` and `npm test` run it (app/cli/native-build.ts); it compiles only when the extension
// is missing or older than its source. Needs a C compiler; SQLite's extension header comes with
// better-sqlite3.
//   node app/core/db/native/build.ts
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFromCommandLine, compileShared, isFresh } from '../../../../kit/native-build.ts';
import { STABLE_PLANS_FILE } from '../stable-plans.ts';

const SOURCE = fileURLToPath(new URL('stable_plans.c', import.meta.url));

/** Compiles the extension unless it is fresh (whether it did); throws NativeBuildError on failure. */
export function buildStablePlans(): boolean {
  if (isFresh(STABLE_PLANS_FILE, [SOURCE])) return false;
  // The header of the SQLite better-sqlite3 embeds, which is the one the extension runs against.
  const sqlite = join(
    dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
    'deps/sqlite3',
  );
  compileShared(STABLE_PLANS_FILE, [SOURCE], ['-O2', `-I${sqlite}`]);
  return true;
}

if (import.meta.main) buildFromCommandLine(STABLE_PLANS_FILE, buildStablePlans);
