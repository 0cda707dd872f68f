// A file named by the user (a script, an import) checked before it is read: there, and no larger than the
// bound its reader keeps to; each failure said plainly (its error code, or its size against the bound).
import { readFileSync, statSync } from 'node:fs';
import { getSystemErrorMessage } from 'node:util';
import { UserError } from './user-error.ts';

/** A file system error in words and its code: "no such file or directory (ENOENT)". */
export function systemReason(err: unknown): string {
  const { code, errno } = err as NodeJS.ErrnoException;
  if (code === undefined || errno === undefined) return (err as Error).message;
  return `${getSystemErrorMessage(errno)} (${code})`;
}

/** The file's size, once checked: `what` names it in the message ("the script", "an import"). */
export function cappedSize(path: string, maxBytes: number, what: string): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new UserError('bad_request', `cannot read ${what} ${path}: ${systemReason(err)}`);
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
