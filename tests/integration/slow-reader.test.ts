// `sleeve ls --json` to a reader that does not read: the listing waits for it instead of piling up in
// memory (at 100k tracks it once buffered 256–307 MB).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticLibrary } from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

const TRACKS = 60_000;
const CLI = join(import.meta.dirname, '../../app/cli/sleeve.js');
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

describe('a listing to a slow reader', () => {
  it('keeps memory flat while the reader waits, then delivers everything', async () => {
    const home = join(tempDir(), 'home');
    mkdirSync(home, { recursive: true });
    syntheticLibrary(home, TRACKS);
    const child = spawn(process.execPath, [CLI, '--home', home, 'ls', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pause();
    // Let it fill the pipe and stall; then watch its memory for a while.
    await new Promise((r) => setTimeout(r, 1500));
    const stalled = rssMb(child.pid!);
    await new Promise((r) => setTimeout(r, 1500));
    const later = rssMb(child.pid!);
    // Waiting, it holds what one pipe's worth needs: 129 MB here. Without waiting for the reader, the whole
    // 60k-item listing (about 40 MB of JSON) sat in its write buffer: 212 MB.
    expect(stalled).toBeLessThan(170);
    expect(later - stalled).toBeLessThan(20);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    await new Promise((r) => child.once('exit', r));
    expect(JSON.parse(Buffer.concat(chunks).toString())).toHaveLength(TRACKS);
  }, 120_000);
});
