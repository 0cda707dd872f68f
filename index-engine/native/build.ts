// Builds the C units in this folder into the N-API addon the index searches with (posting_scan.c says why
// it is C). `npm install` and `npm test` run it (app/cli/native-build.ts); it compiles only when the addon
// is missing or older than a source. Needs a C compiler; Node's API headers come with node-api-headers.
//   node index-engine/native/build.ts [--sanitize]
//   --sanitize:    the AddressSanitizer + UndefinedBehaviorSanitizer variant (npm run test:sanitize)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  buildFromCommandLine,
  compileShared,
  isFresh,
  OPTIMIZED_FLAGS,
  SANITIZED_FLAGS,
  sourcesIn,
} from '../../kit/native-build.ts';
import { SANITIZED_SEARCH_ADDON_FILE, SEARCH_ADDON_FILE } from '../native-search.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Compiles the addon unless it is fresh (whether it did); throws NativeBuildError on failure. */
export function buildSearch(sanitized = false): boolean {
  const file = sanitized ? SANITIZED_SEARCH_ADDON_FILE : SEARCH_ADDON_FILE;
  if (isFresh(file, sourcesIn(HERE, '.c', '.h'))) return false;
  const headers = (createRequire(import.meta.url)('node-api-headers') as { include_dir: string }).include_dir;
  compileShared(file, sourcesIn(HERE, '.c'), [
    ...(sanitized ? SANITIZED_FLAGS : OPTIMIZED_FLAGS),
    `-I${headers}`,
  ]);
  return true;
}

if (import.meta.main) {
  const sanitized = process.argv.includes('--sanitize');
  buildFromCommandLine(sanitized ? SANITIZED_SEARCH_ADDON_FILE : SEARCH_ADDON_FILE, () =>
    buildSearch(sanitized),
  );
}
