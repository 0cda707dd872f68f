// A map made from another by a few changes, sharing the other's entries instead of copying them: each
// generation of the catalog's groups maps every served track to its album, and an edit of one album
// changes a hundred of a million entries (copying them all took 0.5 s at a million tracks). The changes
// pile up over generations until they are a fair share of the whole; then the next map is a plain one.

/** Past this many changed entries (or an eighth of the base), the next patch makes a plain map. */
const MAX_CHANGES = 65_536;

const GONE: unique symbol = Symbol('gone');

export class PatchedMap<K, V> implements ReadonlyMap<K, V> {
  /** Never changed once a PatchedMap holds it. */
  readonly #base: ReadonlyMap<K, V>;
  readonly #changes: ReadonlyMap<K, V | typeof GONE>;
  readonly size: number;

  private constructor(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | typeof GONE>) {
    this.#base = base;
    this.#changes = changes;
    let size = base.size;
    for (const [key, value] of changes) size += (value === GONE ? 0 : 1) - (base.has(key) ? 1 : 0);
    this.size = size;
  }

  /** `map` with `set` entries set and `remove` keys taken out (`set` wins for a key in both). */
  static patch<K, V>(
    map: ReadonlyMap<K, V>,
    remove: Iterable<K>,
    set: Iterable<readonly [K, V]>,
  ): ReadonlyMap<K, V> {
    const patched = map instanceof PatchedMap ? (map as PatchedMap<K, V>) : undefined;
    const base = patched ? patched.#base : map;
    const changes = new Map<K, V | typeof GONE>(patched ? patched.#changes : []);
    for (const key of remove) changes.set(key, GONE);
    for (const [key, value] of set) changes.set(key, value);
    if (changes.size <= Math.min(MAX_CHANGES, base.size / 8)) return new PatchedMap(base, changes);
    const plain = new Map(base);
    for (const [key, value] of changes) {
      if (value === GONE) plain.delete(key);
      else plain.set(key, value);
    }
    return plain;
  }

  get(key: K): V | undefined {
    const changed = this.#changes.get(key);
    if (changed !== undefined) return changed === GONE ? undefined : changed;
    return this.#base.get(key);
  }

  has(key: K): boolean {
    const changed = this.#changes.get(key);
    return changed !== undefined ? changed !== GONE : this.#base.has(key);
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.#base) if (!this.#changes.has(key)) yield [key, value];
    for (const [key, value] of this.#changes) if (value !== GONE) yield [key, value];
  }

  *keys(): MapIterator<K> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}
