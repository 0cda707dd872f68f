// Chromaprint's C API compiled to WebAssembly (the `.wasm` shipped by @unimusic/chromaprint), loaded
// without its browser-only Emscripten glue: we provide the few imports it needs and call the C API.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface ChromaprintExports {
  readonly memory: WebAssembly.Memory;
  __wasm_call_ctors(): void;
  malloc(size: number): number;
  free(ptr: number): void;
  chromaprint_new(algorithm: number): number;
  chromaprint_free(ctx: number): void;
  chromaprint_start(ctx: number, sampleRate: number, channels: number): number;
  chromaprint_feed(ctx: number, data: number, size: number): number;
  chromaprint_finish(ctx: number): number;
  chromaprint_get_fingerprint(ctx: number, out: number): number;
  chromaprint_get_raw_fingerprint(ctx: number, out: number, size: number): number;
}

/** Chromaprint's default algorithm ("test2"), the one AcoustID and `fpcalc` use. */
export const ALGORITHM_TEST2 = 1;

export class ChromaprintError extends Error {
  override name = 'ChromaprintError';
}

let compiled: WebAssembly.Module | undefined;

function wasmModule(): WebAssembly.Module {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const js = require.resolve('@unimusic/chromaprint/dist/chromaprint.js');
    compiled = new WebAssembly.Module(readFileSync(js.replace(/\.js$/, '.wasm')));
  }
  return compiled;
}

/** One WebAssembly instance (its own heap). Not re-entrant: use one per thread. */
export class Chromaprint {
  readonly #x: ChromaprintExports;
  #input = 0;
  #inputBytes = 0;

  constructor() {
    let memory: WebAssembly.Memory | undefined;
    // What Chromaprint wrote to fd 1 or 2: never the process's output; the newest 2,000 characters go
    // into an error's message (one instance serves a worker's every file, so it is bounded).
    let stderr = '';
    const fail = (what: string) => () => {
      const said = stderr.replace(/\s+/g, ' ').trim();
      throw new ChromaprintError(`chromaprint: ${what}${said ? `: ${said}` : ''}`);
    };
    const env = {
      emscripten_resize_heap: (requested: number) => {
        const m = memory!;
        const pages = Math.ceil((requested - m.buffer.byteLength) / 65536);
        try {
          m.grow(Math.max(pages, m.buffer.byteLength / 65536 / 2) | 0);
          return 1;
        } catch {
          return 0;
        }
      },
      emscripten_get_now: () => performance.now(),
      emscripten_date_now: () => Date.now(),
      emscripten_err: () => {},
      _abort_js: fail('aborted'),
      __cxa_throw: fail('C++ exception'),
      _setitimer_js: () => 0,
      _emscripten_runtime_keepalive_clear: () => {},
    };
    const wasi = {
      // Chromaprint only writes diagnostics; keep them for the error message.
      fd_write: (_fd: number, iov: number, iovcnt: number, written: number) => {
        const view = new DataView(memory!.buffer);
        let total = 0;
        for (let i = 0; i < iovcnt; i++) {
          const ptr = view.getUint32(iov + i * 8, true);
          const len = view.getUint32(iov + i * 8 + 4, true);
          stderr = (stderr + Buffer.from(memory!.buffer, ptr, len).toString('utf8')).slice(-2000);
          total += len;
        }
        view.setUint32(written, total, true);
        return 0;
      },
      fd_close: () => 0,
      fd_seek: () => 70, // ESPIPE
      random_get: () => 52, // ENOSYS: chromaprint never needs randomness
      environ_sizes_get: (count: number, size: number) => {
        const view = new DataView(memory!.buffer);
        view.setUint32(count, 0, true);
        view.setUint32(size, 0, true);
        return 0;
      },
      environ_get: () => 0,
      proc_exit: fail('exit'),
    };
    const instance = new WebAssembly.Instance(wasmModule(), { env, wasi_snapshot_preview1: wasi });
    this.#x = instance.exports as unknown as ChromaprintExports;
    memory = this.#x.memory;
    this.#x.__wasm_call_ctors();
  }

  /**
   * Fingerprints interleaved 16-bit PCM. `feed` is called with successive chunks; `finish` returns the
   * raw hashes and the compressed string exactly as Chromaprint makes them.
   */
  session(sampleRate: number, channels: number): FingerprintSession {
    const x = this.#x;
    const ctx = x.chromaprint_new(ALGORITHM_TEST2);
    if (!ctx) throw new ChromaprintError('chromaprint: out of memory');
    if (!x.chromaprint_start(ctx, sampleRate, channels)) {
      x.chromaprint_free(ctx);
      throw new ChromaprintError(`chromaprint: cannot start at ${sampleRate} Hz, ${channels} channels`);
    }
    let open = true;
    const close = () => {
      if (open) x.chromaprint_free(ctx);
      open = false;
    };
    return {
      feed: (samples: Int16Array) => {
        if (samples.length === 0) return;
        const ptr = this.#buffer(samples.byteLength);
        new Int16Array(x.memory.buffer, ptr, samples.length).set(samples);
        if (!x.chromaprint_feed(ctx, ptr, samples.length)) {
          close();
          throw new ChromaprintError('chromaprint: feed failed');
        }
      },
      finish: () => {
        try {
          if (!x.chromaprint_finish(ctx)) throw new ChromaprintError('chromaprint: finish failed');
          return { raw: this.#raw(ctx), compressed: this.#compressed(ctx) };
        } finally {
          close();
        }
      },
      close,
    };
  }

  /** A reusable input buffer inside the WASM heap. */
  #buffer(bytes: number): number {
    if (bytes > this.#inputBytes) {
      if (this.#input) this.#x.free(this.#input);
      this.#input = this.#x.malloc(bytes);
      if (!this.#input) throw new ChromaprintError('chromaprint: out of memory');
      this.#inputBytes = bytes;
    }
    return this.#input;
  }

  #raw(ctx: number): Uint32Array {
    const x = this.#x;
    const out = x.malloc(8);
    try {
      if (!x.chromaprint_get_raw_fingerprint(ctx, out, out + 4))
        throw new ChromaprintError('chromaprint: no raw fingerprint');
      const view = new DataView(x.memory.buffer);
      const ptr = view.getUint32(out, true);
      const size = view.getInt32(out + 4, true);
      const raw = new Uint32Array(size);
      raw.set(new Uint32Array(x.memory.buffer, ptr, size));
      x.free(ptr);
      return raw;
    } finally {
      x.free(out);
    }
  }

  #compressed(ctx: number): string {
    const x = this.#x;
    const out = x.malloc(4);
    try {
      if (!x.chromaprint_get_fingerprint(ctx, out)) throw new ChromaprintError('chromaprint: no fingerprint');
      const ptr = new DataView(x.memory.buffer).getUint32(out, true);
      const bytes = new Uint8Array(x.memory.buffer, ptr);
      const text = Buffer.from(bytes.subarray(0, bytes.indexOf(0))).toString('latin1');
      x.free(ptr);
      return text;
    } finally {
      x.free(out);
    }
  }
}

export interface FingerprintSession {
  feed(samples: Int16Array): void;
  finish(): { raw: Uint32Array; compressed: string };
  close(): void;
}
