// Numbers keyed by a library's row ids, in a Float64Array indexed by id (NaN: none). A JS array of
// numbers that also holds holes keeps each double as an object of its own; at a million files, a table
// of times or sizes held that way cost a million objects for the young generation's collections to copy
// at the mount's start. Ids past DENSE_LIMIT go to a Map (IdTable's rule).
import { DENSE_LIMIT } from './id-table.ts';

export class IdFloats {
  #values = new Float64Array(0);
  readonly #sparse = new Map<number, number>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: number): number | undefined {
    if (id >= DENSE_LIMIT) return this.#sparse.get(id);
    const value = this.#values[id];
    return value === undefined || Number.isNaN(value) ? undefined : value;
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, value: number): this {
    if (!Number.isSafeInteger(id) || id < 0) throw new RangeError(`not a row id: ${id}`);
    if (Number.isNaN(value)) throw new RangeError(`not a value to keep: ${value} (id ${id})`);
    if (id >= DENSE_LIMIT) {
      if (!this.#sparse.has(id)) this.#size++;
      this.#sparse.set(id, value);
      return this;
    }
    // Grown by half at least: a million ids grow it ~30 times (reserve makes the room at once).
    if (id >= this.#values.length) this.reserve(Math.max(id, Math.ceil(this.#values.length * 1.5), 1024));
    if (Number.isNaN(this.#values[id]!)) this.#size++;
    this.#values[id] = value;
    return this;
  }

  /** Room for ids up to `maxId` (those in the array's range), made at once. */
  reserve(maxId: number): void {
    const length = Math.min(maxId + 1, DENSE_LIMIT);
    if (length <= this.#values.length) return;
    const grown = new Float64Array(length);
    grown.fill(Number.NaN, this.#values.length);
    grown.set(this.#values);
    this.#values = grown;
  }

  delete(id: number): boolean {
    if (id >= DENSE_LIMIT) {
      if (!this.#sparse.delete(id)) return false;
    } else {
      if (this.get(id) === undefined) return false;
      this.#values[id] = Number.NaN;
    }
    this.#size--;
    return true;
  }

  /** The ids with a value, in id order (the sparse ones last). */
  *keys(): IterableIterator<number> {
    const values = this.#values;
    for (let id = 0; id < values.length; id++) if (!Number.isNaN(values[id]!)) yield id;
    yield* [...this.#sparse.keys()].sort((a, b) => a - b);
  }
}
