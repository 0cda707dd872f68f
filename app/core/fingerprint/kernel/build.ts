// Compiles resample.wat to resample.wasm with wabt (a dev dependency). The .wasm is committed so users
// need no build step; a test checks it matches the source.
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

export async function compileKernel(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const source = readFileSync(new URL('./resample.wat', import.meta.url), 'utf8');
  const module = wabt.parseWat('resample.wat', source, { simd: true });
  return new Uint8Array(module.toBinary({}).buffer);
}

if (import.meta.main) {
  writeFileSync(new URL('./resample.wasm', import.meta.url), await compileKernel());
}
