// The scan's analysis decodes with FFmpeg in worker processes: one of them killed by a fatal signal (what a
// decoder crashing on a file does) costs the scan nothing. The pool replaces it, the files it held are
// tried again one at a time, and the scan ends with every file analysed; the originals are untouched.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveAsync, tempDir, tool } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

const FILES = 16;

/** The command line of a process, '' once it is gone. */
function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** An analysis worker of the scan whose command line names `home`: other tests scan beside this one. */
function analysisWorker(home: string): number | undefined {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (!cmdline(pid).includes('analysis-worker.ts')) continue;
    let parent = '';
    try {
      parent = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]!;
    } catch {
      continue; // gone meanwhile
    }
    if (cmdline(parent).includes(home)) return Number(pid);
  }
  return undefined;
}

describe('a worker of the analysis killed mid-scan', () => {
  const music = join(tempDir(), 'music');
  const home = join(tempDir(), 'home');

  beforeAll(() => {
    // Forty seconds each: the analysis lasts long enough for the test to find a worker at work (a worker
    // killed with a file in hand in 3 of 3 runs); two minutes each cost the suite 10 s of CPU.
    for (let i = 0; i < FILES; i++) makeWav(join(music, `tone-${i}.wav`), 220 + i * 30, 40, 22050, 1);
  });

  it('costs the scan nothing: every file is analysed, and the originals are untouched', async () => {
    const before = hashTree(music);
    const scan = sleeveAsync(home, ['scan', '--json', '--workers', '2', '--no-embeddings', music]);
    const victim = await waitFor('an analysis worker', () => analysisWorker(home), 60_000);
    // Killed on purpose: no core file, which would take the place of a real crash's (CI keeps one).
    tool('prlimit', ['--pid', String(victim), '--core=0']);
    process.kill(victim, 'SIGSEGV');
    const result = await scan;
    expect(result.status, result.stderr).toBe(0);
    const { analysis } = JSON.parse(result.stdout) as {
      analysis: { fingerprinted: number; measured: number; errors: number };
    };
    expect(analysis).toMatchObject({ fingerprinted: FILES, measured: FILES, errors: 0 });
    expect(cmdline(String(victim))).toBe('');
    expect(hashTree(music)).toEqual(before);
  }, 120_000);
});
