// Builds the C units in this folder into the N-API addon the mount daemon loads. `npm install` and
// `npm test` run it; it compiles only when the addon is missing or older than a source. Needs a C
// compiler, pkg-config, libfuse 3's and SQLite's headers (Debian: gcc pkg-config libfuse3-dev
// libsqlite3-dev).
//   node fuse/native/build.ts [--if-possible] [--sanitize]
//   --if-possible: a failure is a warning, not an error
//   --sanitize:    the AddressSanitizer + UndefinedBehaviorSanitizer variant (npm run test:sanitize)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BINDING_FILE, SANITIZED_BINDING_FILE } from '../../app/core/mounts/fuse-files.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));

// -g: a crash report's stack offsets resolve to lines (addr2line); the code is the same.
const OPTIMIZED = ['-O2', '-g'];
// -O1 keeps stack traces readable; UB aborts instead of being reported and forgotten.
const SANITIZED = [
  '-O1',
  '-g',
  '-fno-omit-frame-pointer',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
];

export class BindingBuildError extends Error {
  override name = 'BindingBuildError';
}

function run(command: string, args: readonly string[]): string {
  const res = spawnSync(command, args, { encoding: 'utf8' });
  if (res.error) throw new BindingBuildError(`${command} is missing: ${res.error.message}`);
  if (res.status !== 0) throw new BindingBuildError(`${command} ${args.join(' ')} failed:\n${res.stderr}`);
  return res.stdout.trim();
}

const sources = (ext: string) =>
  readdirSync(HERE)
    .filter((name) => name.endsWith(ext))
    .map((name) => join(HERE, name));

export function bindingIsFresh(file = BINDING_FILE): boolean {
  if (!existsSync(file)) return false;
  const built = statSync(file).mtimeMs;
  return [...sources('.c'), ...sources('.h')].every((source) => statSync(source).mtimeMs <= built);
}

/** Compiles the addon unless it is fresh; throws BindingBuildError saying what is missing. */
export function buildBinding(sanitized = false): void {
  const file = sanitized ? SANITIZED_BINDING_FILE : BINDING_FILE;
  if (bindingIsFresh(file)) return;
  let libraries: string[];
  try {
    libraries = run('pkg-config', ['--cflags', '--libs', 'fuse3', 'sqlite3']).split(/\s+/);
  } catch (err) {
    throw new BindingBuildError(
      `libfuse 3's or SQLite's headers are missing (Debian: apt-get install pkg-config libfuse3-dev libsqlite3-dev): ${(err as Error).message}`,
    );
  }
  const headers = (createRequire(import.meta.url)('node-api-headers') as { include_dir: string }).include_dir;
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`;
  const cc = process.env.CC ?? 'cc';
  run(cc, [
    ...(sanitized ? SANITIZED : OPTIMIZED),
    '-Wall',
    '-Wextra',
    '-Werror',
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    `-I${headers}`,
    '-o',
    partial,
    ...sources('.c'),
    ...libraries,
  ]);
  renameSync(partial, file); // never a half-written addon under the real name
}

if (import.meta.main) {
  const sanitized = process.argv.includes('--sanitize');
  try {
    const file = sanitized ? SANITIZED_BINDING_FILE : BINDING_FILE;
    const fresh = bindingIsFresh(file);
    buildBinding(sanitized);
    if (!fresh) console.log(`built ${file}`);
  } catch (err) {
    if (!process.argv.includes('--if-possible')) throw err;
    console.warn(
      `sleeve: the FUSE binding was not built, so mounts will not work: ${(err as Error).message}`,
    );
  }
}
