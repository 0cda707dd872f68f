// The daemon's problems as its log says them: one that repeats (a full disk refusing every write, a
// player retrying a file that cannot be read) is written once, then counted, and its count written at the
// end of the minute — not a line each time, four a second for as long as it lasts.

/** How long repeats are counted before their count is written. */
const WINDOW_MS = 60_000;
/** Distinct problems counted at once (a bound: past it, the counts are written and begun again). */
const MAX_COUNTED = 64;

export class ProblemLog {
  readonly #write: (line: string) => void;
  /** Each problem written, with its repeats since its line or its last count was written. */
  readonly #repeats = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  say(line: string): void {
    const repeats = this.#repeats.get(line);
    if (repeats !== undefined) this.#repeats.set(line, repeats + 1);
    else {
      if (this.#repeats.size >= MAX_COUNTED) {
        this.flush();
        this.#repeats.clear();
      }
      this.#repeats.set(line, 0);
      this.#write(line);
    }
    this.#timer ??= setTimeout(() => this.flush(), WINDOW_MS).unref();
  }

  /**
   * Writes how often each problem repeated since it was last written; a problem that did not is
   * forgotten (said again in full if it comes back). At the end of each minute, and before the daemon
   * exits.
   */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const [line, repeats] of this.#repeats) {
      if (repeats === 0) this.#repeats.delete(line);
      else {
        this.#write(`repeated ${repeats} more time${repeats === 1 ? '' : 's'}: ${line}`);
        this.#repeats.set(line, 0);
      }
    }
    if (this.#repeats.size > 0) this.#timer = setTimeout(() => this.flush(), WINDOW_MS).unref();
  }
}
