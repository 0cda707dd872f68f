// Makes a folder and the folders above it that are missing, one by one, outermost first. Not mkdirSync's
// recursive mode: where a folder cannot be made inside one that is there (/proc/x: mkdir answers ENOENT),
// it tries the parent again forever, and the thread that asked never returns.
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The outermost folder this call made, or undefined when `path` was there (or another process made it
 *  meanwhile). On failure, what it made is removed. */
export function makeFolders(path: string, mode?: number): string | undefined {
  const missing: string[] = [];
  for (let dir = path; !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
  const made: string[] = [];
  try {
    for (const dir of missing) {
      try {
        mkdirSync(dir, mode === undefined ? undefined : { mode });
        made.push(dir);
      } catch (err) {
        // Another process made it since it was looked for (four commands opening a new library at once):
        // there, as wanted, and not this call's to remove.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw err;
      }
    }
  } catch (err) {
    for (const dir of made.reverse()) rmdirSync(dir);
    throw err;
  }
  return made[0];
}
