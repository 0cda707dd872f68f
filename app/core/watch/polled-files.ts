// When a new or changed file in a polled folder (a network share) is complete enough to read. Its events
// cannot be had, and the server's clock may differ from ours, so its modification time says nothing of
// its age: it is complete once its size and time are the same at two looks a settle time apart. Two looks
// can come close together (a whole look right after one at the changed places), so the same size and time
// count only once the settle time has passed since they were first seen.
import type { FileStat } from '../library/ingest.ts';

export class PolledFiles {
  readonly #settleMs: number;
  /** Files seen incomplete: their size:mtime when first seen so, and when. */
  readonly #seen = new Map<string, { readonly as: string; readonly at: number }>();

  constructor(settleMs: number) {
    this.#settleMs = settleMs;
  }

  /** Whether `file`, looked at `now` (ms, a monotonic clock), is complete. */
  settled(file: FileStat, now: number): boolean {
    const as = `${file.size}:${file.mtimeMs}`;
    const seen = this.#seen.get(file.path);
    if (seen?.as === as && now - seen.at >= this.#settleMs) {
      this.#seen.delete(file.path);
      return true;
    }
    if (seen?.as !== as) this.#seen.set(file.path, { as, at: now });
    return false;
  }

  clear(): void {
    this.#seen.clear();
  }
}
