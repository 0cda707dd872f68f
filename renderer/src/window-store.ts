// A lazily filled window over a long server-side list: rows are fetched in blocks as they scroll into view,
// so the renderer never holds (or asks for) a whole 100k-track library. Pure: no DOM, no React.

export interface Page<T> {
  /** null: not counted yet (the backend answers a new query's first rows before counting them). */
  readonly total: number | null;
  readonly items: readonly T[];
}

export type Fetcher<T> = (offset: number, limit: number) => Promise<Page<T>>;

export class WindowStore<T> {
  readonly #fetch: Fetcher<T>;
  readonly #count: (() => Promise<number | null>) | undefined;
  #countedGeneration = -1;
  readonly #blockSize: number;
  readonly #blocks = new Map<number, readonly T[]>();
  readonly #inFlight = new Set<number>();
  readonly #listeners = new Set<() => void>();
  #visible: [number, number] = [0, 0];
  #generation = 0;
  total: number | null = null;
  error: Error | null = null;
  /** Rises on every change; React re-renders on it. */
  version = 0;

  /** `count` gives the total when a page could not (needed only by fetchers that answer null); it answers
   *  null when it did not count (a newer list's count was asked for instead): the list then holds the rows
   *  it has, and asks again when it loads a page. */
  constructor(fetch: Fetcher<T>, blockSize = 100, count?: () => Promise<number | null>) {
    this.#fetch = fetch;
    this.#count = count;
    this.#blockSize = blockSize;
  }

  get(index: number): T | undefined {
    return this.#blocks.get(Math.floor(index / this.#blockSize))?.[index % this.#blockSize];
  }

  /** Makes sure rows from..to (inclusive) are loaded or loading. */
  ensure(from: number, to: number): void {
    this.#visible = [Math.max(0, from), Math.max(0, to)];
    const [first, end] = this.#visibleBlocks();
    for (let b = first; b <= end; b++) if (!this.#blocks.has(b)) this.#load(b);
  }

  /** The blocks of the visible rows, a prefetch margin included, up to the list's known end (the first
   *  alone while it is not counted). */
  #visibleBlocks(): [first: number, last: number] {
    const end = this.total === null ? 0 : Math.max(0, this.total - 1);
    const [from, to] = this.#visible;
    return [
      Math.floor(from / this.#blockSize),
      Math.floor(Math.min(Math.max(to, from), end) / this.#blockSize),
    ];
  }

  /** Loads the first block, which also tells the total (a view shows its empty state from it). */
  prime(): void {
    if (!this.#blocks.has(0)) this.#load(0);
  }

  /** The list changed on the server: reload what is on screen (keeping it shown meanwhile), forget the rest. */
  refresh(): void {
    this.#generation++;
    this.#inFlight.clear();
    const [first, end] = this.#visibleBlocks();
    // The first visible block even past the end (a list that shrank under the scroll): it tells the total.
    const last = Math.max(first, end);
    for (const b of [...this.#blocks.keys()]) if (b < first || b > last) this.#blocks.delete(b);
    for (let b = first; b <= last; b++) this.#load(b);
  }

  #load(block: number): void {
    if (this.#inFlight.has(block)) return;
    this.#inFlight.add(block);
    const generation = this.#generation;
    this.#fetch(block * this.#blockSize, this.#blockSize).then(
      (page) => {
        if (generation !== this.#generation) return;
        this.#inFlight.delete(block);
        this.#blocks.set(block, page.items);
        this.error = null;
        if (page.total !== null) this.#setTotal(page.total);
        else {
          // At least these rows exist (an empty page past the end proves none); the count follows.
          if (page.items.length > 0 || block === 0)
            this.#setTotal(Math.max(this.total ?? 0, block * this.#blockSize + page.items.length));
          this.#countTotal(generation);
        }
        this.#changed();
      },
      (err: unknown) => {
        if (generation !== this.#generation) return;
        this.#inFlight.delete(block);
        this.error = err instanceof Error ? err : new Error(String(err));
        this.#changed();
      },
    );
  }

  #setTotal(total: number): void {
    if (total === this.total) return;
    this.total = total;
    // Blocks past the new end hold rows that no longer exist.
    for (const b of this.#blocks.keys()) if (b * this.#blockSize >= total) this.#blocks.delete(b);
  }

  #countTotal(generation: number): void {
    if (!this.#count || this.#countedGeneration === generation) return;
    this.#countedGeneration = generation;
    this.#count().then(
      (total) => {
        // Not counted (a newer list's count asked for instead): asked again when this list loads again.
        if (total === null) this.#countedGeneration = -1;
        if (generation !== this.#generation || total === null) return;
        this.#setTotal(total);
        this.#changed();
      },
      (err: unknown) => {
        if (generation !== this.#generation) return;
        this.error = err instanceof Error ? err : new Error(String(err));
        this.#changed();
      },
    );
  }

  #changed(): void {
    this.version++;
    for (const l of this.#listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
}
