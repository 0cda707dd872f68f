// Counts asked one at a time, the newest waiting: while one runs, a newer ask takes the waiting place and
// the one it replaces answers null (not counted now). Typing a query asks for a count at every key; at a
// million tracks a broad one takes a second, and a count queued per key kept the last one, the one on
// screen, waiting behind all of them. A count already running is not stopped: the newest waits for it.
// Only a newer list, already shown, replaces an ask (use-track-list.ts), so the list on screen is counted.

interface Asked {
  readonly run: () => Promise<number>;
  readonly done: (total: number | null) => void;
  readonly failed: (err: unknown) => void;
}

export class LatestCount {
  #running = false;
  #waiting: Asked | null = null;

  ask(run: () => Promise<number>): Promise<number | null> {
    return new Promise((done, failed) => {
      this.#waiting?.done(null);
      this.#waiting = { run, done, failed };
      this.#next();
    });
  }

  #next(): void {
    if (this.#running || !this.#waiting) return;
    const { run, done, failed } = this.#waiting;
    this.#waiting = null;
    this.#running = true;
    // Called in a promise: a count that throws at once fails its ask, and the ones after still run.
    Promise.resolve()
      .then(run)
      .then(done, failed)
      .finally(() => {
        this.#running = false;
        this.#next();
      });
  }
}
