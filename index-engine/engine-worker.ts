// The engine's worker thread: hosts the engine (engine-host.ts) and answers the client's typed calls.
import { parentPort, workerData } from 'node:worker_threads';
import { keepCompiled } from '../kit/compile-cache.ts';
import type { EngineCall, EngineReply, EngineWorkerData } from './engine-api.ts';
import { hostEngine } from './engine-host.ts';
import { IndexError } from './errors.ts';

const engine = hostEngine(workerData as EngineWorkerData);
keepCompiled();

function reply(id: number, out: unknown): void {
  parentPort!.postMessage({ id, result: out } satisfies EngineReply);
}

function fail(id: number, err: unknown): void {
  const error =
    err instanceof IndexError
      ? { code: err.code, message: err.message }
      : { code: 'Internal', message: err instanceof Error ? err.message : String(err) };
  parentPort!.postMessage({ id, error } satisfies EngineReply);
}

parentPort!.on('message', (msg: EngineCall | { id: number; method: 'close' }) => {
  if (msg.method === 'close') {
    engine.close().then(
      () => reply(msg.id, null),
      (err: unknown) => fail(msg.id, err),
    );
    return;
  }
  try {
    const fn = engine.api[msg.method] as (...args: unknown[]) => unknown;
    const out = fn(...msg.args);
    if (out instanceof Promise)
      out.then(
        (v) => reply(msg.id, v),
        (err: unknown) => fail(msg.id, err),
      );
    else reply(msg.id, out);
  } catch (err) {
    fail(msg.id, err);
  }
});

parentPort!.postMessage({ ready: true });
