// Builds read_advice.c into the N-API addon probed files' reads are advised with (read-advice.ts says why).
// `npm install` and `npm test` run it (app/cli/native-build.ts); it compiles only when the addon is missing
// or older than its source. Needs a C compiler; Node's API headers come with node-api-headers.
//   node kit/native/build.ts
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildFromCommandLine, compileShared, isFresh, OPTIMIZED_FLAGS } from '../native-build.ts';
import { READ_ADVICE_ADDON_FILE } from '../read-advice.ts';

const SOURCE = fileURLToPath(new URL('read_advice.c', import.meta.url));

/** Compiles the addon unless it is fresh (whether it did); throws NativeBuildError on failure. */
export function buildReadAdvice(): boolean {
  if (isFresh(READ_ADVICE_ADDON_FILE, [SOURCE])) return false;
  const headers = (createRequire(import.meta.url)('node-api-headers') as { include_dir: string }).include_dir;
  compileShared(READ_ADVICE_ADDON_FILE, [SOURCE], [...OPTIMIZED_FLAGS, `-I${headers}`]);
  return true;
}

if (import.meta.main) buildFromCommandLine(READ_ADVICE_ADDON_FILE, buildReadAdvice);
