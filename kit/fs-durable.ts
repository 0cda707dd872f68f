// Small durability helpers: fsync a directory (so a created or renamed entry survives a crash), replace a
// file atomically, cut a file durably.
import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Runs `fn` on an open descriptor and always closes it. */
function withFd<T>(path: string, flags: string, fn: (fd: number) => T, mode?: number): T {
  const fd = openSync(path, flags, mode);
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  withFd(dir, 'r', fsyncSync);
}

/**
 * Writes `path` via a temp file and a rename: readers see the old or the new content, never a mix. Durable
 * (fsync'd, both) unless `durable` is false: for what is worth nothing after a crash, where waiting on the
 * disk would cost more than the file is worth. `mode`: the new file's permissions (a secret's 0o600 from
 * its first byte), else the process's default.
 */
export function replaceFileAtomically(
  path: string,
  data: string | Uint8Array,
  durable = true,
  mode?: number,
): void {
  // A temp name of this writer's own: two processes replacing one file never write into one temp file.
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  withFd(
    tmp,
    'w',
    (fd) => {
      writeFileSync(fd, data);
      if (durable) fsyncSync(fd);
    },
    mode,
  );
  renameSync(tmp, path);
  if (durable) fsyncDir(dirname(path));
}

/** Cuts `path` to `length` bytes and makes that durable. */
export function truncateDurably(path: string, length: number): void {
  withFd(path, 'r+', (fd) => {
    ftruncateSync(fd, length);
    fdatasyncSync(fd);
  });
}
