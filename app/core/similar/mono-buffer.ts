// Collects a mono 16-bit stream as floats (−1..1), up to a fixed capacity.
import type { MonoSink } from '../fingerprint/mono-decode.ts';

export class MonoBuffer implements MonoSink {
  readonly #buffer: Float32Array;
  #length = 0;

  constructor(capacity: number) {
    this.#buffer = new Float32Array(capacity);
  }

  push(samples: Int16Array): void {
    const n = Math.min(samples.length, this.#buffer.length - this.#length);
    const buf = this.#buffer;
    const at = this.#length;
    for (let i = 0; i < n; i++) buf[at + i] = samples[i]! / 32768;
    this.#length += n;
  }

  get length(): number {
    return this.#length;
  }

  samples(): Float32Array {
    return this.#buffer.subarray(0, this.#length);
  }
}
