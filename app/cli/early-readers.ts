// The scan's first reader thread, started by the launcher (sleeve.js) before it loads the command: the
// thread loads its code (about 120 ms here) while this one loads the CLI's, opens the library and walks,
// so that it is reading when the first files are known. Measured on 1,000 warm album files: the
// command's thread had waited about 0.2 s for it when `scan` started it. The scan's file lanes likewise:
// the thread of the lane each folder named is on starts loading too (about 140 ms on a busy machine).
import { resolve } from 'node:path';
import { FileLanes } from '../../kit/file-lanes.ts';
import { Readers } from '../core/scan/scan-read.ts';

let started: Readers | undefined;
let lanes: FileLanes | undefined;

/** `args`: the command's own arguments (the folders among them). */
export function startReaders(args: readonly string[]): void {
  // The lane first: its thread is small and the scan's first call waits for it.
  lanes = new FileLanes();
  for (const a of args) if (!a.startsWith('-')) lanes.stat(resolve(a)).catch(() => {});
  started = new Readers().start();
}

/** The file lanes started ahead, for the scan that uses (and closes) them; undefined once taken. */
export function takeLanes(): FileLanes | undefined {
  const taken = lanes;
  lanes = undefined;
  return taken;
}

/** The readers started ahead, for the scan that uses (and closes) them; undefined once taken. */
export function takeReaders(): Readers | undefined {
  const readers = started;
  started = undefined;
  return readers;
}

/** Closes the readers if no scan took them (the command stopped before it scanned). */
export async function closeUntaken(): Promise<void> {
  takeLanes()?.close();
  await takeReaders()?.close();
}
