// The kernel requests a player's tag scan costs the mount, counted by the binding (requestCounts, read
// from the daemon's report on SIGUSR2): what the mount's speed rests on — lookups, attributes and the
// first pages of a file answered in C from the tree and the layouts built ahead, a version's first 16
// KiB stored in the kernel's cache before its open is answered — as budgets per file for a cold pass
// (a fresh mount, listed once its layouts are built ahead) and a warm one. A change that sends more
// requests per file fails here.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMounts, readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { flacTags, makeWav } from '../fixtures/library.ts';
import { tool } from '../helpers.ts';
import { BUILD_AHEAD, PY, TestMount, waitFor } from '../mount-helpers.ts';

const FILES = 40;

/** Reads the tags of every file under a folder, as a player's scanner does (mutagen: Picard's, beets'). */
const READ_TAGS = `
import os, sys, mutagen
n = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        f = mutagen.File(os.path.join(root, name))
        n += f is not None and f.tags is not None
print(n)
`;

type Counts = Record<string, number>;

describe('kernel requests per file of a tag scan through the mount', () => {
  const t = new TestMount();

  beforeAll(() => {
    const wav = join(t.dir, 'tone.wav');
    makeWav(wav, 330, 2);
    for (let i = 0; i < FILES; i++) {
      const tags = {
        ARTIST: `Band ${i % 4}`,
        ALBUM: `Album ${i % 4}`,
        TITLE: `Song ${i}`,
        TRACKNUMBER: String(i),
      };
      tool('flac', ['--silent', '-f', ...flacTags(tags), '-o', join(t.music, `${i}.flac`), wav]);
    }
    t.start([], [], BUILD_AHEAD);
  }, 120_000);

  afterAll(() => t.stop());

  const counts = () => t.counts();
  const scan = () => {
    const r = spawnSync(PY, ['-c', READ_TAGS, t.mnt]);
    expect(r.stderr.toString()).toBe('');
    expect(Number(r.stdout.toString())).toBe(FILES);
  };
  const since = (after: Counts, before: Counts) =>
    Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
  const perFile = (total: Counts) =>
    Object.fromEntries(Object.entries(total).map(([k, n]) => [k, n / FILES]));

  // Per file. Measured at 40 files: cold lookup 0, getattr 0.25 (the folders, listed twice), open 1, read 0,
  // readdir 0.45, release 1; warm the same with getattr 0.23 and no readdir (docs/architecture/mount.md: a
  // first open's early store). Before the early store and the layouts built ahead: read 2.4, getattr 0.8.
  // A warm pass's reads are pages the kernel dropped from its cache since the cold pass, which the rest of
  // a full run's I/O decides (0.125 once there): its budget is the cold pass's, still far under 2.4.
  const BUDGETS = {
    cold: { lookup: 0.1, getattr: 0.35, open: 1, read: 0.25, readdir: 1, release: 1 },
    warm: { lookup: 0.1, getattr: 0.5, open: 1, read: 0.25, readdir: 0.25, release: 1 },
  };
  /** The reads an open that did not store the file's start before its reply may cost: its first read
   *  races the store made after the reply, or goes to JS (measured: 3 a file with the originals out of
   *  the page cache, 2.9 by the JS path; 0–0.03 on a quiet machine with them cached). */
  const SLOW_OPEN_READS = 3;
  const over = (seen: Counts, budget: Counts) =>
    Object.entries(budget).flatMap(([k, most]) => (seen[k]! > most ? [`${k}: ${seen[k]} > ${most}`] : []));
  /** The slow opens of a pass, over its files: what its read budget allows more for. */
  const slowOpens = (seen: Counts) => seen.startStoredLate! + seen.startLeftOut! + seen.openedInJs!;

  /** Lists the mount, as the scan will, and waits for the worker to have built the listed files' layouts.
   *  A scan that opens a file before its layout is built is answered by JS and reads it through the
   *  daemon; which one wins depends on the machine's load, not on the requests the mount's paths make. */
  const builtAhead = () => {
    readdirSync(t.mnt, { recursive: true });
    return waitFor('the layouts built ahead', () => {
      process.kill(listMounts(t.home).mounts[0]!.pid, 'SIGUSR2');
      return (readMountReport(t.home, t.mnt)?.builtAhead ?? 0) >= FILES ? true : undefined;
    });
  };

  /** The originals' bytes in the page cache, as the worker leaves them when it has just built their
   *  layouts: a first open stores a file's start before its reply only when that costs no disk read
   *  (docs/architecture/mount.md), and on a machine whose other work evicts them between the build and
   *  the scan (CI's full suite: read 0.325) the store races the scan's first read instead. */
  const originalsCached = () => {
    for (const name of readdirSync(t.music)) readFileSync(join(t.music, name));
  };

  it.each(['cold', 'warm'] as const)('a %s pass stays within its budget', async (pass) => {
    const start = await counts();
    if (pass === 'cold') await builtAhead();
    originalsCached();
    scan();
    const total = since(await counts(), start);
    // A binding built before the open outcomes were counted would leave the budget NaN, which nothing
    // exceeds.
    for (const k of ['startStoredEarly', 'startStoredLate', 'nothingStored', 'startLeftOut', 'openedInJs'])
      expect(total[k], k).toBeTypeOf('number');
    const seen = perFile(total);
    // Which opens stored the file's start before their reply is the machine's doing (the originals' pages
    // may go to its other work between originalsCached and the open; CI's full suite: read 0.275, 0.325):
    // the read budget is held for those that did, and each other open may cost SLOW_OPEN_READS more.
    const budget = { ...BUDGETS[pass], read: BUDGETS[pass].read + SLOW_OPEN_READS * slowOpens(seen) };
    expect({ over: over(seen, budget), seen }).toEqual({ over: [], seen });
    if (pass === 'cold') {
      // Every file's first open is counted once, by what it did; most stored its start before the reply,
      // their originals being in the page cache (none without the early store).
      expect(total.nothingStored).toBe(0); // a first open always has the file's start to store
      expect(total.startStoredEarly! + slowOpens(total)).toBe(FILES);
      expect(total.startStoredEarly).toBeGreaterThan(FILES / 2);
    }
  });
});
