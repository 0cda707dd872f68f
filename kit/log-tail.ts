// A log a process appends to across its runs (a mount daemon's), kept bounded: past its bound, only its
// last lines are kept, from a line's start, before the next run appends.
import { closeSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';

/** Past `maxBytes`, the file keeps its last `keptBytes` or less, whole lines only. A missing file is
 *  left missing; one that cannot be read or written is left as it is (the run then appends to it all
 *  the same: a log too long is no reason not to start). */
export function keepLogTail(path: string, maxBytes: number, keptBytes: number): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  if (size <= maxBytes) return;
  const tail = Buffer.alloc(Math.min(keptBytes, size));
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
    writeFileSync(path, tail.subarray(tail.indexOf(0x0a) + 1));
  } catch {
    // Left as it was.
  } finally {
    closeSync(fd);
  }
}
