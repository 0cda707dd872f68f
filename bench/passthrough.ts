// libfuse's own passthrough_ll example, the mount benchmarks' peer: the same kernel, the same requests, a
// daemon that only forwards them to the folder it mounts. Built once from Debian's libfuse3-dev examples,
// or the binary $SLEEVE_PASSTHROUGH_LL names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './album-library.ts';

const EXAMPLES = '/usr/share/doc/libfuse3-dev/examples';

/** passthrough_ll's binary; null when it is neither named nor buildable here. */
export function passthroughLl(): string | null {
  const named = process.env.SLEEVE_PASSTHROUGH_LL;
  if (named) return named;
  const built = join(ROOT, 'passthrough_ll');
  if (existsSync(built)) return built;
  if (!existsSync(join(EXAMPLES, 'passthrough_ll.c'))) return null;
  const flags = execFileSync('pkg-config', ['fuse3', '--cflags', '--libs']).toString().trim().split(/\s+/);
  mkdirSync(ROOT, { recursive: true });
  execFileSync('gcc', ['-O2', `-I${EXAMPLES}`, join(EXAMPLES, 'passthrough_ll.c'), ...flags, '-o', built]);
  return built;
}

/** Mounts `folder` through passthrough_ll at `mnt` (made beforehand); returns its unmount. */
export function mountPassthrough(binary: string, folder: string, mnt: string): () => void {
  execFileSync(binary, ['-o', `source=${folder}`, mnt], { stdio: 'ignore' });
  return () => execFileSync('fusermount3', ['-u', mnt]);
}
