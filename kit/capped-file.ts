// A file named by the user (a script, an import) checked before it is read: there, and no larger than the
// bound its reader keeps to; each failure said plainly (its error code, or its size against the bound).
import { readFileSync, statSync } from 'node:fs';
import { UserError } from './user-error.ts';

/** The file's size, once checked: `what` names it in the message ("the script", "an import"). */
export function cappedSize(path: string, maxBytes: number, what: string): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UserError('bad_request', `cannot read ${what} ${path}: ${why}`);
  }
  if (size > maxBytes)
    throw new UserError('bad_request', `${path} is ${size} bytes: ${what} is at most ${maxBytes} bytes`);
  return size;
}

/** The file's text, once checked as cappedSize checks it. */
export function readCapped(path: string, maxBytes: number, what: string): string {
  cappedSize(path, maxBytes, what);
  return readFileSync(path, 'utf8');
}
