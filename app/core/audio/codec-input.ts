// What Sleeve's own WebAssembly decoders (codecs/*.c) share: loading a module, and feeding a file into
// its fixed input buffer a step at a time, so only what is decoded is read.
import { readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { PcmBlock, PcmSink } from './pcm.ts';

/** The exports every codec module has; each adds its own decode_frame. */
export interface CodecExports {
  readonly memory: WebAssembly.Memory;
  input(): number;
  input_capacity(): number;
  /** Planar 16-bit output: plane c starts c * max_block samples in. */
  output(): number;
  max_block(): number;
  frame_info(): number;
}

const modules = new Map<string, WebAssembly.Module>();

/** What a module may import (codecs/imports.txt): math used while reading stream headers. */
const IMPORTS = {
  env: {
    exp: Math.exp,
    log: Math.log,
    pow: Math.pow,
    cos: Math.cos,
    sin: Math.sin,
    ldexp: (x: number, e: number) => x * 2 ** e,
  },
};

/** A fresh instance (one per decode, so concurrent decodes in a thread never share state). */
export function instantiateCodec<T extends CodecExports>(name: 'flac' | 'mp3' | 'ogg'): T {
  let module = modules.get(name);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(new URL(`./codecs/${name}.wasm`, import.meta.url)));
    modules.set(name, module);
  }
  return new WebAssembly.Instance(module, IMPORTS).exports as unknown as T;
}

/** The frame just decoded (frame_info: samples, sample rate, channels) as views of the codec's output
 *  planes, valid until its next call; null when the frame produced no samples. */
export function decodedBlock(k: CodecExports): PcmBlock | null {
  const [samples, sampleRate, channels] = new Uint32Array(k.memory.buffer, k.frame_info(), 3);
  if (!samples) return null;
  const planeBytes = k.max_block() * 2;
  const planes = Array.from(
    { length: channels! },
    (_, c) => new Int16Array(k.memory.buffer, k.output() + c * planeBytes, samples),
  );
  return { sampleRate: sampleRate!, planes };
}

const READ = 1 << 18;

/** File bytes [start, start + len) sit at buffer[0, len); the decoder works from buffer[at]. */
export class CodecInput {
  at = 0;
  len = 0;
  eof = false;
  readonly #file: FileHandle;
  readonly #buffer: Uint8Array;
  #start: number;
  readonly #end: number;

  /** Reads file bytes [start, end) into the codec's input buffer; the module has no allocator, so its
   *  memory never grows and the view stays valid. */
  constructor(file: FileHandle, k: CodecExports, start: number, end: number) {
    this.#file = file;
    this.#buffer = new Uint8Array(k.memory.buffer, k.input(), k.input_capacity());
    this.#start = start;
    this.#end = end;
  }

  /** What is read, buffer[0, len): for a decoder that looks at the bytes a frame consumed. */
  get bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.len);
  }

  /** Bytes from `at` to the end of what is read. */
  get ahead(): number {
    return this.len - this.at;
  }

  /** Reads until `bytes` lie ahead of `at`, or nothing more fits. */
  async fill(bytes: number): Promise<void> {
    while (this.ahead < bytes && !this.eof && (await this.more())) {}
  }

  /** Moves buffer[at, len) to the front and reads more behind it. False when nothing more fits: at the
   *  end of the range (`eof`), or when the window is full, so what starts at `at` is longer than any
   *  real frame — damaged data the caller should skip. */
  async more(): Promise<boolean> {
    const buffer = this.#buffer;
    buffer.copyWithin(0, this.at, this.len);
    this.#start += this.at;
    this.len -= this.at;
    this.at = 0;
    if (this.len === buffer.length) return false;
    const want = Math.min(READ, buffer.length - this.len, this.#end - this.#start - this.len);
    const { bytesRead } =
      want > 0 ? await this.#file.read(buffer, this.len, want, this.#start + this.len) : { bytesRead: 0 };
    this.len += bytesRead;
    if (bytesRead === 0) this.eof = true;
    return bytesRead > 0;
  }
}

/** A codec whose decode_frame(at, len) returns the bytes it consumed, 0 when it needs more. */
export interface StreamCodec extends CodecExports {
  decode_frame(at: number, len: number): number;
}

/** Decodes frame after frame, keeping `lookahead` bytes in the window, until the input ends or the sink
 *  has enough; returns the samples per channel produced. `onFrame` sees the bytes each call consumed
 *  (from `input.at`), and whether they gave audio, before the window moves past them. */
export async function pumpFrames(
  k: StreamCodec,
  input: CodecInput,
  lookahead: number,
  sink: PcmSink,
  onFrame?: (input: CodecInput, consumed: number, decoded: boolean, produced: number) => void,
): Promise<number> {
  let produced = 0;
  for (;;) {
    await input.fill(lookahead);
    const consumed = k.decode_frame(input.at, input.len);
    if (consumed === 0) {
      if (input.eof || !(await input.more())) return produced;
      continue;
    }
    const block = decodedBlock(k);
    onFrame?.(input, consumed, block !== null, produced);
    input.at += consumed;
    if (!block) continue;
    produced += block.planes[0]!.length;
    if (!sink(block)) return produced;
  }
}
