// The server itself: ping, its license (free), the OpenSubsonic extensions it implements, and Sleeve's
// scan as getScanStatus / startScan (the library's folders scanned again, as `sleeve scan` does).
import type { Db } from '../../core/db/database.ts';
import { libraryRoots } from '../../core/library/library-folders.ts';
import type { ScanState } from '../../shared/rpc-contract.ts';
import { ERROR, SubsonicError } from './errors.ts';
import type { Fields } from './response.ts';

export const EXTENSIONS = [
  { name: 'apiKeyAuthentication', versions: [1] },
  { name: 'formPost', versions: [1] },
  { name: 'indexBasedQueue', versions: [1] },
  { name: 'songLyrics', versions: [1] },
  { name: 'sonicSimilarity', versions: [1] },
  { name: 'transcodeOffset', versions: [1] },
];

export function getOpenSubsonicExtensions(): Fields {
  return { openSubsonicExtensions: EXTENSIONS };
}

export function getLicense(): Fields {
  return { license: { valid: true } };
}

/** What runs Sleeve's scans (the backend's ScanRunner). */
export interface Scans {
  state(): ScanState;
  start(folders: readonly string[]): Promise<ScanState>;
}

function status(db: Db, state: ScanState): Fields {
  const files = db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get() as number;
  return { scanStatus: { scanning: state.running, count: state.progress?.done ?? files } };
}

export function getScanStatus(db: Db, scans: Scans): Fields {
  return status(db, scans.state());
}

export async function startScan(db: Db, scans: Scans): Promise<Fields> {
  if (scans.state().running) return status(db, scans.state());
  const roots = libraryRoots(db);
  if (roots.length === 0)
    throw new SubsonicError(ERROR.generic, 'the library has no folders yet: add one with sleeve scan FOLDER');
  return status(db, await scans.start(roots));
}
