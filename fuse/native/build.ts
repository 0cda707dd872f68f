// Builds the C units in this folder into the N-API addon the mount daemon loads. `npm install` and
// `npm test` run it (app/cli/native-build.ts); it compiles only when the addon is missing or older than
// a source. Needs a C compiler, pkg-config, libfuse 3's and SQLite's headers (the Debian packages:
// app/cli/native-addons.ts).
//   node fuse/native/build.ts [--sanitize]
//   --sanitize:    the AddressSanitizer + UndefinedBehaviorSanitizer variant (npm run test:sanitize)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { BINDING_FILE, SANITIZED_BINDING_FILE } from '../../app/core/mounts/fuse-files.ts';
import {
  buildFromCommandLine,
  compileShared,
  isFresh,
  NativeBuildError,
  OPTIMIZED_FLAGS,
  runTool,
  SANITIZED_FLAGS,
  sourcesIn,
} from '../../kit/native-build.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export function bindingIsFresh(file = BINDING_FILE): boolean {
  return isFresh(file, sourcesIn(HERE, '.c', '.h'));
}

/** Compiles the addon unless it is fresh (whether it did); throws NativeBuildError saying what is missing. */
export function buildBinding(sanitized = false): boolean {
  const file = sanitized ? SANITIZED_BINDING_FILE : BINDING_FILE;
  if (bindingIsFresh(file)) return false;
  let libraries: string[];
  try {
    libraries = runTool('pkg-config', ['--cflags', '--libs', 'fuse3', 'sqlite3']).split(/\s+/);
  } catch (err) {
    throw new NativeBuildError(`pkg-config finds no libfuse 3 or SQLite headers: ${(err as Error).message}`);
  }
  const headers = (createRequire(import.meta.url)('node-api-headers') as { include_dir: string }).include_dir;
  compileShared(
    file,
    sourcesIn(HERE, '.c'),
    [...(sanitized ? SANITIZED_FLAGS : OPTIMIZED_FLAGS), `-I${headers}`],
    libraries,
  );
  return true;
}

if (import.meta.main) {
  const sanitized = process.argv.includes('--sanitize');
  buildFromCommandLine(sanitized ? SANITIZED_BINDING_FILE : BINDING_FILE, () => buildBinding(sanitized));
}
