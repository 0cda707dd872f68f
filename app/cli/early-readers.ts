// The scan's first reader thread, started by the launcher (sleeve.js) before it loads the command: the
// thread loads its code (about 120 ms here) while this one loads the CLI's, opens the library and walks,
// so that it is reading when the first files are known. Measured on 1,000 warm album files: the
// command's thread had waited about 0.2 s for it when `scan` started it.
import { Readers } from '../core/scan/scan-read.ts';

let started: Readers | undefined;

export function startReaders(): void {
  started = new Readers().start();
}

/** The readers started ahead, for the scan that uses (and closes) them; undefined once taken. */
export function takeReaders(): Readers | undefined {
  const readers = started;
  started = undefined;
  return readers;
}

/** Closes the readers if no scan took them (the command stopped before it scanned). */
export async function closeUntaken(): Promise<void> {
  await takeReaders()?.close();
}
