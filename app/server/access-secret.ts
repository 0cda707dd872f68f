// The backend's access token and address, kept per Sleeve home so they outlive a restart: a bookmark and a
// tab left open keep working after `sleeve serve` is stopped and started again. The token is created once
// (32 random bytes), in a file only its owner may read (0600), and replaced only when asked
// (`sleeve token --rotate`); the port last served on is tried first at the next start.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Home } from '../core/home.ts';
import { newToken } from './access.ts';

const TOKEN_FILE = 'access-token';
const PORT_FILE = 'serve-port';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

/** Writes `text` to `path` readable by its owner only, replacing it in one step: through a new file of
 *  an unguessable name (never an existing file or link someone placed), renamed over the old one. */
export function writePrivate(path: string, text: string): void {
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
  renameSync(temp, path);
}

/** The token in the file, if it is one and only its owner can read the file (a token others could read
 *  may have been read: it is replaced). */
function kept(path: string): string | undefined {
  try {
    const token = readFileSync(path, 'utf8').trim();
    return TOKEN_SHAPE.test(token) && (statSync(path).mode & 0o077) === 0 ? token : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The home's token, created on first use; a damaged or exposed one is replaced (open tabs then need the
 *  new address). What is returned is read back from the file after writing it, so two processes that
 *  create it at the same moment most likely agree (the later rename wins). */
export function accessToken(home: Home, rotate = false): string {
  const path = join(home.dir, TOKEN_FILE);
  const current = rotate ? undefined : kept(path);
  if (current) return current;
  writePrivate(path, `${newToken()}\n`);
  return kept(path)!;
}

/** The port the home's backend last served on, if any. */
export function lastPort(home: Home): number | undefined {
  try {
    const port = Number(readFileSync(join(home.dir, PORT_FILE), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
  } catch {
    return undefined;
  }
}

export function rememberPort(home: Home, port: number): void {
  writePrivate(join(home.dir, PORT_FILE), `${port}\n`);
}
