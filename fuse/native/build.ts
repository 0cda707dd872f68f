// Builds sleeve_fuse.c into the N-API addon the mount daemon loads. `npm install` and `npm test` run
// it; it compiles only when the addon is missing or older than its source. Needs a C compiler,
// pkg-config and libfuse 3's headers (Debian: gcc pkg-config libfuse3-dev).
//   node fuse/native/build.ts [--if-possible]   (--if-possible: a failure is a warning, not an error)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BINDING_FILE = fileURLToPath(new URL('./build/sleeve_fuse.node', import.meta.url));
const SOURCE = fileURLToPath(new URL('./sleeve_fuse.c', import.meta.url));

export class BindingBuildError extends Error {
  override name = 'BindingBuildError';
}

function run(command: string, args: readonly string[]): string {
  const res = spawnSync(command, args, { encoding: 'utf8' });
  if (res.error) throw new BindingBuildError(`${command} is missing: ${res.error.message}`);
  if (res.status !== 0) throw new BindingBuildError(`${command} ${args.join(' ')} failed:\n${res.stderr}`);
  return res.stdout.trim();
}

export function bindingIsFresh(): boolean {
  return existsSync(BINDING_FILE) && statSync(BINDING_FILE).mtimeMs >= statSync(SOURCE).mtimeMs;
}

/** Compiles the addon unless it is fresh; throws BindingBuildError saying what is missing. */
export function buildBinding(): void {
  if (bindingIsFresh()) return;
  let fuse: string[];
  try {
    fuse = run('pkg-config', ['--cflags', '--libs', 'fuse3']).split(/\s+/);
  } catch (err) {
    throw new BindingBuildError(
      `libfuse 3's headers are missing (Debian: apt-get install pkg-config libfuse3-dev): ${(err as Error).message}`,
    );
  }
  const headers = (createRequire(import.meta.url)('node-api-headers') as { include_dir: string }).include_dir;
  mkdirSync(dirname(BINDING_FILE), { recursive: true });
  const partial = `${BINDING_FILE}.${process.pid}`;
  const cc = process.env.CC ?? 'cc';
  run(cc, [
    '-O2',
    '-Wall',
    '-Wextra',
    '-Werror',
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    `-I${headers}`,
    '-o',
    partial,
    SOURCE,
    ...fuse,
  ]);
  renameSync(partial, BINDING_FILE); // never a half-written addon under the real name
}

if (import.meta.main) {
  try {
    const fresh = bindingIsFresh();
    buildBinding();
    if (!fresh) console.log(`built ${BINDING_FILE}`);
  } catch (err) {
    if (!process.argv.includes('--if-possible')) throw err;
    console.warn(
      `sleeve: the FUSE binding was not built, so mounts will not work: ${(err as Error).message}`,
    );
  }
}
