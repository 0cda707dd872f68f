// A polled folder's files are read once complete: the same size and time at two looks a settle time apart,
// whatever the times say and however close together the looks come.
import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../app/core/library/ingest.ts';
import { PolledFiles } from '../../app/core/watch/polled-files.ts';

const file = (size: number, mtimeMs = 0): FileStat => ({ path: '/share/long.wav', size, mtimeMs, inode: 1 });

describe('PolledFiles', () => {
  it('calls a file complete once a look a settle time after the first sees it the same', () => {
    const p = new PolledFiles(500);
    expect(p.settled(file(100), 0)).toBe(false);
    expect(p.settled(file(100), 499)).toBe(false);
    expect(p.settled(file(100), 500)).toBe(true);
  });

  it('does not count two looks close together (a whole look right after a look at the changed places)', () => {
    const p = new PolledFiles(500);
    expect(p.settled(file(100), 0)).toBe(false);
    expect(p.settled(file(100), 30)).toBe(false);
    expect(p.settled(file(100), 60)).toBe(false);
  });

  it('starts again when the size or the time changed, whichever way the clock is', () => {
    const p = new PolledFiles(500);
    expect(p.settled(file(100, 5_000), 0)).toBe(false);
    expect(p.settled(file(200, 5_000), 600)).toBe(false); // grew
    expect(p.settled(file(200, 1_000), 1200)).toBe(false); // stamped earlier (a server behind us)
    expect(p.settled(file(200, 1_000), 1600)).toBe(false);
    expect(p.settled(file(200, 1_000), 1700)).toBe(true);
  });
});
