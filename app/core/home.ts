// The Sleeve home: --home DIR, else $SLEEVE_HOME, else $XDG_DATA_HOME/sleeve (~/.local/share/sleeve).
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { makeFolders } from '../../kit/make-folders.ts';

export interface Home {
  readonly dir: string;
  readonly database: string;
  readonly config: string;
  readonly indexes: string;
  /** LanceDB's directory: the track vectors for "more like this". */
  readonly similarity: string;
}

export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Home {
  const dir = resolve(
    flag ?? (env.SLEEVE_HOME || join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'sleeve')),
  );
  return {
    dir,
    database: join(dir, 'library.db'),
    config: join(dir, 'config.json'),
    indexes: join(dir, 'indexes'),
    similarity: join(dir, 'similarity'),
  };
}

/** Held by a scan (and by whatever must not run during one), across processes. */
export function scanLockPath(home: Home): string {
  return join(home.dir, 'scan.lock');
}

export function ensureHome(home: Home): void {
  makeFolders(home.dir); // a home the user names may be anywhere (make-folders.ts says why not mkdirSync's)
}

/**
 * Why the home's folder cannot be written ("on a read-only file system", "not writable by you"; one not
 * there yet: why it cannot be made), or undefined when it can: a library on read-only media is still read.
 */
export function homeReadOnly(home: Home): string | undefined {
  for (let dir = home.dir; ; dir = dirname(dir)) {
    try {
      accessSync(dir, constants.W_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return 'on a read-only file system';
      if (code === 'EACCES' || code === 'EPERM') return 'not writable by you';
      if (code !== 'ENOENT' || dir === dirname(dir)) return undefined;
    }
  }
}

/** Whether `err` is a write the file system or SQLite refused: what a read-only home makes of a write
 *  (SQLITE_CANTOPEN: a database, or a lock, it could not create). */
export function isWriteRefused(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    (['EROFS', 'EACCES', 'EPERM', 'SQLITE_CANTOPEN'].includes(code) || code.startsWith('SQLITE_READONLY'))
  );
}
