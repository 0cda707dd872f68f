// A process that works beside a benchmark: it prints "ready" once started, works until SIGTERM, then
// prints what it measured as one line of JSON and exits (write-probe.ts, mount-saver.py).
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/** Starts `command` and waits for its "ready"; the function returned stops it and gives its results. */
export async function startBeside<T>(command: string, args: readonly string[]): Promise<() => Promise<T>> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d;
  });
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null) throw new Error(`${args[0]} exited (${child.exitCode}) before it was ready`);
    await sleep(5);
  }
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    return JSON.parse(out.slice(out.indexOf('\n') + 1)) as T;
  };
}
