// Running mean and standard deviation of a vector-valued series (Welford's update, per component).

export class Moments {
  readonly size: number;
  #count = 0;
  readonly #mean: Float64Array;
  readonly #m2: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.#mean = new Float64Array(size);
    this.#m2 = new Float64Array(size);
  }

  get count(): number {
    return this.#count;
  }

  add(values: ArrayLike<number>): void {
    this.#count++;
    const n = this.#count;
    for (let i = 0; i < this.size; i++) {
      const x = values[i]!;
      const delta = x - this.#mean[i]!;
      this.#mean[i] = this.#mean[i]! + delta / n;
      this.#m2[i] = this.#m2[i]! + delta * (x - this.#mean[i]!);
    }
  }

  mean(): Float64Array {
    return this.#mean.slice();
  }

  std(): Float64Array {
    const n = Math.max(1, this.#count);
    return this.#m2.map((m2) => Math.sqrt(m2 / n));
  }
}

/** The q-quantile (0..1) of values, by sorting a copy. */
export function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}
