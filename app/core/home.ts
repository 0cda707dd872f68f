// The Sleeve home: --home DIR, else $SLEEVE_HOME, else $XDG_DATA_HOME/sleeve (~/.local/share/sleeve).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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
  mkdirSync(home.dir, { recursive: true });
}
