// `sleeve ls --json` to a reader that does not read: the listing waits for it instead of piling up in
// memory (at 100k tracks it once buffered 256–307 MB).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticHome } from '../fixtures/synthetic-library.ts';
import { CLI } from '../helpers.ts';

const TRACKS = 60_000;
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** The process's state (R running or runnable, S sleeping…) and the CPU time it has used in clock ticks:
 *  /proc/PID/stat fields 3, 14 and 15. */
const look = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { state: fields[0], ticks: Number(fields[11]) + Number(fields[12]) };
};

/** Resolves once the process has slept for `quietMs` without using CPU: it is blocked (here, on a full
 *  pipe). A process waiting for a busy CPU uses none either, but is runnable (R), so it does not count. */
async function stalled(pid: number, quietMs: number): Promise<void> {
  let last = look(pid).ticks;
  let quietSince = performance.now();
  while (performance.now() - quietSince < quietMs) {
    await new Promise((r) => setTimeout(r, 50));
    const now = look(pid);
    if (now.ticks !== last || now.state !== 'S') quietSince = performance.now();
    last = now.ticks;
  }
}

describe('a listing to a slow reader', () => {
  let home: string;

  // A fresh clone makes the library first (kept in .cache after): ~40 s on a quiet machine, more beside
  // other tests (playlist-renders may be making the same one).
  beforeAll(async () => {
    home = await syntheticHome(TRACKS);
  }, 300_000);

  it('keeps memory flat while the reader waits, then delivers everything', async () => {
    const child = spawn(process.execPath, [CLI, '--home', home, 'ls', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pause();
    // It fills the pipe and blocks; then, still blocked, it must not have grown.
    await stalled(child.pid!, 500);
    const blocked = rssMb(child.pid!);
    await stalled(child.pid!, 500);
    const later = rssMb(child.pid!);
    // Waiting, it holds what one pipe's worth needs: 129 MB here. Without waiting for the reader, the whole
    // 60k-item listing (about 40 MB of JSON) sat in its write buffer: 212 MB.
    expect(blocked).toBeLessThan(170);
    expect(later - blocked).toBeLessThan(20);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    await new Promise((r) => child.once('exit', r));
    expect(JSON.parse(Buffer.concat(chunks).toString())).toHaveLength(TRACKS);
  }, 120_000);
});
