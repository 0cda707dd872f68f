// The user's word on which files are one recording (copy_decisions, migration 20): pairs split apart or
// joined, each in an edit batch. A pair's newest decision in an active batch counts, as an edit's does.

import type { Db } from '../db/database.ts';

/** Every pair's decision in force, oldest batch first (so a newer one replaces it). Few rows: the user's. */
const IN_FORCE = `SELECT d.a, d.b, d.together FROM copy_decisions d
  JOIN edit_batches e ON e.id = d.batch_id AND e.undone_at IS NULL ORDER BY d.batch_id`;

export class CopyDecisions {
  readonly #apart = new Map<number, Set<number>>();
  readonly #together = new Map<number, Set<number>>();

  constructor(db: Db) {
    const latest = new Map<string, [number, number, boolean]>();
    for (const [a, b, together] of db.prepare(IN_FORCE).raw().all() as Array<[number, number, number]>)
      latest.set(`${a}:${b}`, [a, b, together === 1]);
    for (const [a, b, together] of latest.values()) {
      const map = together ? this.#together : this.#apart;
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        const set = map.get(x);
        if (set) set.add(y);
        else map.set(x, new Set([y]));
      }
    }
  }

  /** Whether no decision is in force: grouping then checks nothing. */
  get none(): boolean {
    return this.#apart.size === 0 && this.#together.size === 0;
  }

  /** The files the user split from this one. */
  apartFrom(id: number): ReadonlySet<number> {
    return this.#apart.get(id) ?? EMPTY;
  }

  /** The files the user joined with this one. */
  joinedWith(id: number): ReadonlySet<number> {
    return this.#together.get(id) ?? EMPTY;
  }

  /** Whether some file of `a` was split from some file of `b`. */
  conflict(a: Iterable<number>, b: ReadonlySet<number>): boolean {
    if (this.#apart.size === 0) return false;
    for (const x of a) for (const y of this.apartFrom(x)) if (b.has(y)) return true;
    return false;
  }
}

const EMPTY: ReadonlySet<number> = new Set();
