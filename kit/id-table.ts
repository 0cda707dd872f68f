// Values keyed by a library's row ids (small positive integers, mostly dense), held in an array indexed
// by id. The mount's view keeps several such tables of every served file; as Maps, a million entries each
// cost about four times the time to fill and read (hashing, and rehashing as they grow) and twice the
// memory. An id past DENSE_LIMIT (a database given explicit huge ids) goes to a Map instead, so the array
// never grows out of proportion.

/** Ids below this are slots of the array; the rest keys of a Map. */
export const DENSE_LIMIT = 2 ** 26;

export class IdTable<T> {
  /** Filled with undefined past the highest id set, so the array stays in V8's fast elements. */
  readonly #slots: Array<T | undefined> = [];
  readonly #sparse = new Map<number, T>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: number): T | undefined {
    return id < DENSE_LIMIT ? this.#slots[id] : this.#sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: T): this {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a row id: ${id}`);
    if (id >= DENSE_LIMIT) {
      if (!this.#sparse.has(id)) this.#size++;
      this.#sparse.set(id, value);
      return this;
    }
    const slots = this.#slots;
    // Grown by half at least: a slot at a time cost 0.1 s a table at a million files.
    if (id >= slots.length) this.reserve(Math.max(id, Math.ceil(slots.length * 1.5)));
    if (slots[id] === undefined) this.#size++;
    slots[id] = value;
    return this;
  }

  /** Room for ids up to `maxId` (those in the array's range), made at once: a table filled with a
   *  million ids grown by half at a time copied its array ~30 times. Filled, so its elements stay fast. */
  reserve(maxId: number): void {
    const slots = this.#slots;
    const length = Math.min(maxId + 1, DENSE_LIMIT);
    if (length <= slots.length) return;
    const from = slots.length;
    slots.length = length;
    slots.fill(undefined, from);
  }

  delete(id: number): boolean {
    if (id >= DENSE_LIMIT) {
      if (!this.#sparse.delete(id)) return false;
    } else {
      if (this.#slots[id] === undefined) return false;
      this.#slots[id] = undefined;
    }
    this.#size--;
    return true;
  }

  /** Ids and values in id order (the sparse ones last). */
  *entries(): IterableIterator<[number, T]> {
    const slots = this.#slots;
    for (let id = 0; id < slots.length; id++) {
      const value = slots[id];
      if (value !== undefined) yield [id, value];
    }
    yield* [...this.#sparse].sort((a, b) => a[0] - b[0]);
  }

  *keys(): IterableIterator<number> {
    const slots = this.#slots;
    for (let id = 0; id < slots.length; id++) if (slots[id] !== undefined) yield id;
    yield* [...this.#sparse.keys()].sort((a, b) => a - b);
  }

  /** Values in id order (the sparse ones last), without a pair made for each. */
  *values(): IterableIterator<T> {
    for (const value of this.#slots) if (value !== undefined) yield value;
    for (const [, value] of [...this.#sparse].sort((a, b) => a[0] - b[0])) yield value;
  }
}
