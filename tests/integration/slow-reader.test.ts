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

  /** `sleeve ls --json QUERY` to a reader that waits: its memory once it has blocked and again later,
   *  then everything it writes once read. */
  async function listBlocked(query: string[]) {
    const child = spawn(process.execPath, [CLI, '--home', home, 'ls', '--json', ...query], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pause();
    // It fills the pipe and blocks; then, still blocked, it must not have grown.
    await stalled(child.pid!, 500);
    const blocked = rssMb(child.pid!);
    await stalled(child.pid!, 500);
    const later = rssMb(child.pid!);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    await new Promise((r) => child.once('exit', r));
    const text = Buffer.concat(chunks).toString();
    return { blocked, later, jsonMb: Buffer.byteLength(text) / 2 ** 20, items: JSON.parse(text).length };
  }

  it('keeps memory flat while the reader waits, then delivers everything', async () => {
    const whole = await listBlocked([]);
    expect(whole.items).toBe(TRACKS);
    expect(whole.later - whole.blocked).toBeLessThan(20);
    // Measured against the same listing of a tenth of the library, in this run. Waiting, the whole one
    // holds more only by its ordered ids (111 against 85 MB here, for 21 MB more JSON). Without waiting,
    // its JSON sat in the write buffer as strings, eight times its size: 290 against 105 MB.
    const tenth = await listBlocked(['genre:Rock']);
    expect(tenth.items).toBeLessThan(TRACKS / 5);
    expect(whole.blocked - tenth.blocked).toBeLessThan((whole.jsonMb - tenth.jsonMb) * 2);
  }, 120_000);
});
