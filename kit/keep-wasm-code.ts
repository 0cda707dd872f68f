// Node strips TypeScript with Amaro, SWC compiled to WebAssembly, in every thread that loads a .ts module.
// V8 frees WebAssembly code no thread uses any more in a collection of its own, and that collection races
// with a thread tiering code up: a test process died of it in CI (SIGSEGV in NativeModule::FreeCode, under
// WasmEngine::FreeDeadCode and Runtime_TierUpWasmToJSWrapper, a worker thread starting beside it; Node
// 24.21). Without the collection nothing is freed, so nothing races. What it would free is code Amaro
// tiered up past and unused wrappers: 60 worker threads type-stripping 100 modules each peaked at the same
// resident memory either way.
import { setFlagsFromString } from 'node:v8';

/** The flag, for a process started with it (a process worker: kit/worker-pool.ts). */
export const NO_WASM_CODE_GC = '--no-wasm-code-gc';

/** Turns V8's WebAssembly code collection off; call before the process starts worker threads (V8 reads the
 *  flag whenever code may have died: with `--trace-wasm-code-gc`, no collection runs after this call). */
export function keepWasmCode(): void {
  setFlagsFromString(NO_WASM_CODE_GC);
}
