// The watcher's coalescing: a burst of events becomes one look at a few places once it is quiet; a
// place still changing waits; a long trickle still gets its quiet places looked at.
import { describe, expect, it } from 'vitest';
import { normalizedTargets } from '../../app/core/scan/scanner.ts';
import { PendingChanges } from '../../app/core/watch/pending-changes.ts';

describe('PendingChanges', () => {
  it('holds a burst until the settle time has passed since its last event, then gives it at once', () => {
    const p = new PendingChanges(1000);
    expect(p.dueIn(0)).toBeUndefined();
    for (let t = 0; t < 20; t++) p.add('/music/Album', false, t * 10); // an album's files copied in
    p.add('/music/New', true, 190);
    expect(p.take(1000)).toEqual([]); // 810 ms after the last event
    expect(p.dueIn(1000)).toBe(190);
    expect(p.take(1190)).toEqual([
      { path: '/music/Album', deep: false },
      { path: '/music/New', deep: true },
    ]);
    expect(p.dueIn(1190)).toBeUndefined(); // nothing left
  });

  it('during a long trickle looks at the quiet places every few seconds, never at the busy one', () => {
    const p = new PendingChanges(1000);
    p.add('/music/Done', false, 0);
    // A file copied slowly into /music/Busy: an event every 200 ms for 10 s.
    let taken: Array<{ path: string; deep: boolean }> = [];
    for (let t = 0; t <= 10_000; t += 200) {
      p.add('/music/Busy', false, t);
      if ((p.dueIn(t) ?? 1) === 0) taken = [...taken, ...p.take(t)];
    }
    expect(taken).toEqual([{ path: '/music/Done', deep: false }]);
    expect(p.take(10_500)).toEqual([]);
    expect(p.take(11_000)).toEqual([{ path: '/music/Busy', deep: false }]);
  });

  it('a folder that appeared and then changed is still walked whole', () => {
    const p = new PendingChanges(500);
    p.add('/music/New', true, 0);
    p.add('/music/New', false, 100);
    expect(p.take(600)).toEqual([{ path: '/music/New', deep: true }]);
  });
});

describe('normalizedTargets', () => {
  it('drops places a deep target covers, and repeats', () => {
    expect(
      normalizedTargets([
        { path: '/m/A', deep: true },
        { path: '/m/A/CD1', deep: false },
        { path: '/m/A', deep: false },
        { path: '/m', deep: false },
        { path: '/m/AB', deep: false },
        { path: '/m/AB', deep: false },
      ]),
    ).toEqual([
      { path: '/m', deep: false },
      { path: '/m/A', deep: true },
      { path: '/m/AB', deep: false },
    ]);
  });
});
