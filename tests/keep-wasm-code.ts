// Every test process, before its tests start worker threads (a backend's readers, a scan's, the index's):
// as the app's processes do (kit/keep-wasm-code.ts says why).
import { keepWasmCode } from '../kit/keep-wasm-code.ts';

keepWasmCode();
