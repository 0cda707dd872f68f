// The backend's access token and address, kept per Sleeve home so they outlive a restart: a bookmark and a
// tab left open keep working after `sleeve serve` is stopped and started again. The token is created once
// (32 random bytes), in a file only its owner may read (0600), and replaced only when asked
// (`sleeve token --rotate`); the port last served on is tried first at the next start.
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Home } from '../core/home.ts';
import { newToken } from './access.ts';

const TOKEN_FILE = 'access-token';
const PORT_FILE = 'serve-port';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

/** Writes `text` to `path` readable by its owner only, replacing it in one step. */
function writePrivate(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, path);
}

/** The home's token, created on first use; a damaged file is replaced (open tabs then need the new URL). */
export function accessToken(home: Home, rotate = false): string {
  const path = join(home.dir, TOKEN_FILE);
  if (!rotate) {
    try {
      const token = readFileSync(path, 'utf8').trim();
      // Someone widened its permissions: narrowed again, as the token is the only key to the library.
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      if (TOKEN_SHAPE.test(token)) return token;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const token = newToken();
  writePrivate(path, `${token}\n`);
  return token;
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
