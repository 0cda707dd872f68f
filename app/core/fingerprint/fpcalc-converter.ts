// Turns decoded audio into what `fpcalc` feeds Chromaprint: 16-bit mono at 11 025 Hz, made the way
// fpcalc's FFmpeg converter makes it (swresample in Chromaprint's "compatible mode": 16-bit internal
// samples, filter size 16, phase shift 8, linear interpolation, cutoff 0.8, exact rational ratios).
// Every step is integer arithmetic, so the output — and so the fingerprint — is bit-identical.
import { readFileSync } from 'node:fs';
import { clip16 } from '../audio/pcm.ts';
import { buildFilterBank, type FilterBank } from './swr-filter.ts';

export const CHROMAPRINT_RATE = 11025;

const FILTER_SIZE = 16;
const PHASE_SHIFT = 8;
const CUTOFF = 0.8;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

interface KernelExports {
  readonly memory: WebAssembly.Memory;
  resample(
    src: number,
    len: number,
    taps: number,
    stride: number,
    phases: number,
    length: number,
    srcIncr: number,
    div: number,
    mod: number,
    linear: number,
    out: number,
    state: number,
  ): number;
}

let kernelModule: WebAssembly.Module | undefined;

/** The SIMD kernel (see kernel/resample.wat): the same integer sums as FFmpeg's SSE2 code. */
function kernel(): KernelExports {
  kernelModule ??= new WebAssembly.Module(readFileSync(new URL('./kernel/resample.wasm', import.meta.url)));
  return new WebAssembly.Instance(kernelModule).exports as unknown as KernelExports;
}

/** Slack after each buffer: the kernel reads whole 8-sample vectors past the window. */
const SLACK = 16;

/** Resamples every channel of one stream inside one kernel instance. The memory holds the filter bank,
 *  then per channel its state (pos, phase, frac) and its pending input, then an output scratch area. */
class PolyphaseResampler {
  readonly #k = kernel();
  readonly #bank: FilterBank;
  readonly #srcIncr: number;
  readonly #dstIncr: number;
  readonly #div: number;
  readonly #mod: number;
  readonly #tapsAt: number;
  readonly #channels: Array<{ state: number; at: number; capacity: number; len: number; started: boolean }>;
  #top: number;

  constructor(bank: FilterBank, srcIncr: number, dstIncr: number, channels: number) {
    this.#bank = bank;
    this.#srcIncr = srcIncr;
    this.#dstIncr = dstIncr;
    this.#div = Math.floor(dstIncr / srcIncr);
    this.#mod = dstIncr % srcIncr;
    this.#tapsAt = 64;
    this.#top = this.#tapsAt + bank.taps.byteLength;
    this.#reserve(this.#top);
    new Int16Array(this.#k.memory.buffer, this.#tapsAt, bank.taps.length).set(bank.taps);
    this.#channels = Array.from({ length: channels }, (_, c) => ({
      state: c * 16,
      at: 0,
      capacity: 0,
      len: 0,
      started: false,
    }));
  }

  push(c: number, input: Int16Array): Int16Array {
    const ch = this.#channels[c]!;
    const L = this.#bank.length;
    const state = () => new Int32Array(this.#k.memory.buffer, ch.state, 3);
    // Drop what no future output can reach, then append.
    let keep = ch.len;
    let from = 0;
    if (ch.started) {
      from = state()[0]!;
      keep = ch.len - from;
    }
    const extra = ch.started ? 0 : L;
    if (keep + input.length + extra + SLACK > ch.capacity) {
      const capacity = Math.max(2 * ch.capacity, keep + input.length + extra + SLACK);
      const at = this.#alloc(capacity * 2);
      const mem = this.#k.memory.buffer;
      new Int16Array(mem, at, keep).set(new Int16Array(mem, ch.at + from * 2, keep));
      ch.at = at;
      ch.capacity = capacity;
    } else if (from > 0) {
      const buf = new Int16Array(this.#k.memory.buffer, ch.at, ch.capacity);
      buf.copyWithin(0, from, ch.len);
    }
    if (from > 0) state()[0] = 0;
    let buf = new Int16Array(this.#k.memory.buffer, ch.at, ch.capacity);
    buf.set(input, keep);
    ch.len = keep + input.length;
    if (!ch.started) {
      // FFmpeg waits for filter_length + 1 samples, then mirrors them before the start so the first
      // output is centred on the first input sample.
      if (ch.len < L + 1) return new Int16Array(0);
      buf.copyWithin(L, 0, ch.len);
      for (let n = 1; n <= L; n++) buf[L - n] = buf[L + n]!;
      ch.len += L;
      const s = state();
      s[0] = L - ((L - 1) >> 1);
      s[1] = 0;
      s[2] = 0;
      ch.started = true;
    }
    buf.fill(0, ch.len, ch.len + SLACK);
    const pending = ch.len - state()[0]!;
    // Each output moves dstIncr / srcIncr phases on, so `pending` samples give at most this many (below
    // 43 Hz, upsampling past the phase count, div is 0: the bound cannot divide by it).
    const outputs = ((pending * this.#bank.phases + 1) * this.#srcIncr) / this.#dstIncr;
    const outAt = this.#scratch(Math.ceil(outputs) + 4);
    const { stride, phases, length } = this.#bank;
    const n = this.#k.resample(
      ch.at,
      ch.len,
      this.#tapsAt,
      stride,
      phases,
      length,
      this.#srcIncr,
      this.#div,
      this.#mod,
      this.#mod !== 0 ? 1 : 0, // FFmpeg interpolates between phases only when the step has a fraction
      outAt,
      ch.state,
    );
    buf = new Int16Array(this.#k.memory.buffer, outAt, n);
    return buf.slice();
  }

  #scratchAt = 0;
  #scratchBytes = 0;

  #scratch(samples: number): number {
    if (samples * 2 > this.#scratchBytes) {
      this.#scratchBytes = Math.max(samples * 2, this.#scratchBytes * 2);
      this.#scratchAt = this.#alloc(this.#scratchBytes);
    }
    return this.#scratchAt;
  }

  /** Bump allocation; abandoned regions are few (buffers grow by doubling) and die with the stream. */
  #alloc(bytes: number): number {
    const at = (this.#top + 15) & ~15;
    this.#top = at + bytes;
    this.#reserve(this.#top);
    return at;
  }

  #reserve(bytes: number): void {
    const mem = this.#k.memory;
    if (bytes > mem.buffer.byteLength) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  }
}

/** Samples per channel gathered before a conversion. Decoders hand over small blocks (an MP3 frame is
 *  1,152 samples, a Vorbis packet often fewer), and each conversion has a fixed cost in views and copies
 *  (measured, 120 s of 44.1 kHz stereo: 94 ms in 1,152-sample blocks, 71 ms in blocks of 16,384). */
const GATHER = 16384;

export class FpcalcConverter {
  readonly #resampler: PolyphaseResampler | null;
  readonly #count: number;
  #gathered: Int16Array[];
  #length = 0;

  constructor(sampleRate: number, channels: number) {
    if (!Number.isInteger(sampleRate) || sampleRate <= 0)
      throw new RangeError(`bad sample rate ${sampleRate}`);
    if (!Number.isInteger(channels) || channels <= 0) throw new RangeError(`bad channel count ${channels}`);
    this.#count = channels;
    this.#gathered = Array.from({ length: channels }, () => new Int16Array(GATHER));
    if (sampleRate === CHROMAPRINT_RATE) {
      this.#resampler = null;
      return;
    }
    const factor = Math.min((CHROMAPRINT_RATE * CUTOFF) / sampleRate, 1);
    let length = Math.max(Math.ceil(FILTER_SIZE / factor), 1);
    if (length > 1) length += length % 2;
    let phases = 1 << PHASE_SHIFT;
    const g = gcd(CHROMAPRINT_RATE, sampleRate);
    if (CHROMAPRINT_RATE / g <= phases) phases = CHROMAPRINT_RATE / g;
    const bank = buildFilterBank(factor, length, phases);
    // Step per output in phase units, as the reduced fraction out / (in * phases), scaled up to 2^20.
    const d = gcd(CHROMAPRINT_RATE, sampleRate * phases);
    let src = CHROMAPRINT_RATE / d;
    let dst = (sampleRate * phases) / d;
    while (dst < 1 << 20 && src < 1 << 20) {
      src *= 2;
      dst *= 2;
    }
    this.#resampler = new PolyphaseResampler(bank, src, dst, channels);
  }

  /** Planar 16-bit input (one array per channel, equal lengths) → mono 11 025 Hz output, once enough
   *  input is gathered (else empty): the output of the input so far is complete only after flush(). */
  push(planes: readonly Int16Array[]): Int16Array {
    if (planes.length !== this.#count) throw new RangeError(`expected ${this.#count} channels`);
    const n = planes[0]!.length;
    if (this.#length + n > this.#gathered[0]!.length)
      this.#gathered = this.#gathered.map((g) => {
        const grown = new Int16Array(this.#length + n);
        grown.set(g.subarray(0, this.#length));
        return grown;
      });
    for (let c = 0; c < planes.length; c++) this.#gathered[c]!.set(planes[c]!.subarray(0, n), this.#length);
    this.#length += n;
    return this.#length >= GATHER ? this.flush() : new Int16Array(0);
  }

  /** Converts what is gathered. */
  flush(): Int16Array {
    const planes = this.#gathered.map((g) => g.subarray(0, this.#length));
    this.#length = 0;
    const resampler = this.#resampler;
    // swresample resamples each channel first, then mixes (its cost model always picks that order).
    return downmix(
      resampler ? planes.map((plane, c) => resampler.push(c, plane)) : planes.map((p) => p.slice()),
    );
  }
}

/** swresample's 16-bit rematrix to mono: stereo is (L + R) / 2 rounded; more channels are averaged
 *  (FFmpeg weighs surround channels differently, so those are close to fpcalc, not identical). */
function downmix(planes: Int16Array[]): Int16Array {
  if (planes.length === 1) return planes[0]!;
  const n = Math.min(...planes.map((p) => p.length));
  const out = new Int16Array(n);
  const weight = Math.round(32768 / planes.length);
  for (let i = 0; i < n; i++) {
    let acc = 16384;
    for (const p of planes) acc += p[i]! * weight;
    out[i] = clip16(acc >> 15);
  }
  return out;
}
