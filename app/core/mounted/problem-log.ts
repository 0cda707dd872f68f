// The daemon's problems as its log says them: one that repeats (a full disk refusing every write, a
// player retrying a file that cannot be read) is written once, then counted, and its count written at the
// end of the minute — not a line each time, four a second for as long as it lasts.

/** How long repeats are counted before their count is written. */
const WINDOW_MS = 60_000;
/** Distinct problems counted at once (a bound: past it, the counts are written and begun again). */
const MAX_COUNTED = 64;

export class ProblemLog {
  readonly #write: (line: string) => void;
  /** Each problem written, by its kind: its line, and its repeats since its line or its count was written. */
  readonly #repeats = new Map<string, { readonly line: string; repeats: number }>();
  #timer: NodeJS.Timeout | undefined;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  /** `kind`: what makes two problems the same one (by default, their line): refused moves of many files
   *  for one reason are one problem, its first line written and the others counted. */
  say(line: string, kind = line): void {
    const seen = this.#repeats.get(kind);
    if (seen) seen.repeats++;
    else {
      if (this.#repeats.size >= MAX_COUNTED) {
        this.flush();
        this.#repeats.clear();
      }
      this.#repeats.set(kind, { line, repeats: 0 });
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
    for (const [kind, seen] of this.#repeats) {
      if (seen.repeats === 0) this.#repeats.delete(kind);
      else {
        const times = `${seen.repeats} more time${seen.repeats === 1 ? '' : 's'}`;
        this.#write(
          kind === seen.line ? `repeated ${times}: ${seen.line}` : `like it ${times}: ${seen.line}`,
        );
        seen.repeats = 0;
      }
    }
    if (this.#repeats.size > 0) this.#timer = setTimeout(() => this.flush(), WINDOW_MS).unref();
  }
}
