// V8's WebAssembly code collection, which races with threads that type-strip TypeScript (Amaro is
// WebAssembly), runs in a process that loads TypeScript in a worker thread, and not once keepWasmCode()
// has turned it off (kit/keep-wasm-code.ts). V8 traces each collection with --trace-wasm-code-gc.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const KEEP = new URL('../../kit/keep-wasm-code.ts', import.meta.url).href;
const MODULE = new URL('../../kit/worker-pool.ts', import.meta.url).href;

/** A worker thread that loads one TypeScript module 100 times (each under its own URL, so each is
 *  stripped again), after keepWasmCode() when `keep`. */
const program = (keep: boolean) => `
import { Worker } from 'node:worker_threads';
${keep ? `(await import(${JSON.stringify(KEEP)})).keepWasmCode();` : ''}
const body = 'for (let i = 0; i < 100; i++) await import(' + ${JSON.stringify(JSON.stringify(MODULE))} + ' + "?" + i);';
await new Promise((resolve, reject) => {
  const worker = new Worker('(async () => { ' + body + ' })()', { eval: true });
  worker.once('exit', resolve);
  worker.once('error', reject);
});
`;

function collections(keep: boolean): number {
  const r = spawnSync(
    process.execPath,
    ['--trace-wasm-code-gc', '--input-type=module', '-e', program(keep)],
    // Without the compile cache, every load is stripped by Amaro.
    { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '1' } },
  );
  expect(r.status, r.stderr).toBe(0);
  return (r.stdout + r.stderr).split('\n').filter((line) => line.startsWith('[wasm-gc]')).length;
}

describe("V8's WebAssembly code collection", () => {
  it('runs while a worker thread type-strips modules, and not after keepWasmCode()', () => {
    expect(collections(false)).toBeGreaterThan(0);
    expect(collections(true)).toBe(0);
  });
});
