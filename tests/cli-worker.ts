// The thread behind sleeveHere (tests/helpers.ts): runs `sleeve` commands through the CLI's own main(),
// one at a time as the test's thread asks, and wakes that thread (blocked on `done`) with each answer.
import { enableCompileCache } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { type MessagePort, parentPort } from 'node:worker_threads';
import type { KeptScanWorkers } from '../app/core/scan/kept-scan-workers.ts';
import { keepCompiled } from '../kit/compile-cache.ts';

// The cache the CLI's processes keep, as app/cli/sleeve.js sets it: its modules load compiled, and so do
// the mount daemons it starts (they find it in the environment).
process.env.NODE_COMPILE_CACHE ||= join(tmpdir(), 'node-compile-cache');
enableCompileCache?.(process.env.NODE_COMPILE_CACHE);

export interface CliRequest {
  readonly argv: readonly string[];
  readonly input: string;
  readonly done: Int32Array;
  readonly reply: MessagePort;
}

/** A stream that keeps what is written to it. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** The scans' lanes, readers and analysis processes, kept from one command to the next as the app keeps
 *  its own (most of a test's small scan is their start). */
let scanWorkers: KeptScanWorkers | undefined;

parentPort!.on('message', async ({ argv, input, done, reply }: CliRequest) => {
  const out = collector();
  const err = collector();
  let status: number;
  try {
    const { main } = await import('../app/cli/main.ts');
    keepCompiled();
    scanWorkers ??= new (await import('../app/core/scan/kept-scan-workers.ts')).KeptScanWorkers(
      availableParallelism(),
    );
    status = await main(
      argv,
      { out: out.stream, err: err.stream, stdin: Readable.from([input]) },
      scanWorkers,
    );
  } catch (e) {
    // main() answers every error of a command itself: this is the thread failing to run it at all.
    status = -1;
    err.stream.write(`the CLI thread could not run the command: ${(e as Error).stack ?? String(e)}`);
  }
  reply.postMessage({ status, stdout: out.text(), stderr: err.text() });
  reply.close();
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
});
