// The places a watched folder's events named, waiting to be looked at. A burst (an album copied in, a
// folder of 10,000 files moved) becomes one look at a few folders once the events have stopped for the
// settle time; a place still changing (a file being copied) waits until it has been quiet that long.
import { normalizedTargets, type ScanTarget } from '../scan/scanner.ts';

interface Pending {
  deep: boolean;
  last: number;
}

export class PendingChanges {
  readonly #settleMs: number;
  /** During a long trickle of events, places already quiet are looked at this often. */
  readonly #maxWaitMs: number;
  readonly #places = new Map<string, Pending>();
  #first = 0;
  #last = 0;

  constructor(settleMs: number) {
    this.#settleMs = settleMs;
    this.#maxWaitMs = Math.max(5000, settleMs * 5);
  }

  /** `deep`: a folder to walk whole (it appeared); else a folder whose own entries changed. */
  add(path: string, deep: boolean, now: number): void {
    if (this.#places.size === 0) this.#first = now;
    this.#last = now;
    const p = this.#places.get(path);
    this.#places.set(path, { deep: deep || (p?.deep ?? false), last: now });
  }

  /** Milliseconds until take() has something, or undefined when nothing is pending. */
  dueIn(now: number): number | undefined {
    if (this.#places.size === 0) return undefined;
    const quietAt = this.#last + this.#settleMs;
    const trickleAt = this.#first + this.#maxWaitMs;
    return Math.max(0, Math.min(quietAt, Math.max(trickleAt, this.#oldest() + this.#settleMs)) - now);
  }

  /** The places quiet for the settle time (all of them once every event has stopped), as scan targets. */
  take(now: number): ScanTarget[] {
    const quiet = now - this.#last >= this.#settleMs;
    if (!quiet && now - this.#first < this.#maxWaitMs) return [];
    const taken: ScanTarget[] = [];
    for (const [path, p] of this.#places)
      if (quiet || now - p.last >= this.#settleMs) {
        taken.push({ path, deep: p.deep });
        this.#places.delete(path);
      }
    if (this.#places.size > 0) this.#first = now;
    return normalizedTargets(taken);
  }

  clear(): void {
    this.#places.clear();
  }

  #oldest(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const p of this.#places.values()) oldest = Math.min(oldest, p.last);
    return oldest;
  }
}
