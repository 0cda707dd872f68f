// Compiles each C decoder here (flac.c → flac.wasm, and so on) with Debian's clang 16 for freestanding WebAssembly
// with SIMD. The .wasm files are committed so users need no compiler; a test rebuilds them and compares.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));

export const CLANG = 'clang-16';
export const CODECS = ['flac', 'mp3', 'ogg'] as const;

const FLAGS = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-mbulk-memory', // memset/memcpy become memory.fill/copy
  '-nostdlib',
  '-isystem',
  here('vendor/include'), // string.h as builtins: no libc
  '-Wall',
  '-Wextra',
  '-Werror',
  '-Wl,--no-entry',
  '-Wl,--strip-all',
  // The stack below the data, so an overflow traps instead of overwriting decoder state.
  '-Wl,--stack-first',
  '-Wl,-z,stack-size=1048576',
  `-Wl,--allow-undefined-file=${here('imports.txt')}`, // math imported from JavaScript
];

export function compileCodec(name: (typeof CODECS)[number]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'sleeve-codec-'));
  try {
    const out = join(dir, `${name}.wasm`);
    execFileSync(CLANG, [...FLAGS, '-o', out, here(`${name}.c`)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) for (const name of CODECS) writeFileSync(here(`${name}.wasm`), compileCodec(name));
