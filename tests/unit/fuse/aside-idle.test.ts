// A file moved aside that no rewrite follows (a tagger stopped half-way, or a `mv` the mount does not
// make) is put back after 30 s idle, without a mount: the aside ends as the daemon's (for the echo to tell
// the kernel's aside name gone), its log says so, and the tree is published; an aside whose rewrite is
// still open waits for it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../app/core/db/database.ts';
import type { MountSaves } from '../../../app/core/mounted/mount-saves.ts';
import { ScratchFiles } from '../../../app/core/mounted/scratch-files.ts';
import { ScratchRename, type ScratchRenameDeps } from '../../../app/core/mounted/scratch-rename.ts';
import { oneServedFile } from '../../fixtures/one-served-file.ts';

const open: Db[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  for (const db of open.splice(0)) db.close();
});

function asides() {
  const { view, report, problems, folder, name } = oneServedFile('/music/a.ogg', open);
  const scratch = new ScratchFiles(view, report);
  let published = 0;
  const saves = { serve: async () => void published++ } as unknown as MountSaves;
  const renames = new ScratchRename({ view, scratch, report, saves } as unknown as ScratchRenameDeps);
  const moveAside = () =>
    renames.rename(
      {
        parent: folder,
        name,
        newParent: folder,
        newName: `${name}_KID3`,
        flags: 1,
        readerOf: () => ({ process: 1, readAt: 0 }),
      },
      () => {},
    );
  return { scratch, problems, folder, name, moveAside, published: () => published };
}

describe('a file moved aside and left idle', () => {
  it('is put back after 30 s, told as the daemon’s end, logged and published', async () => {
    const { scratch, problems, folder, name, moveAside, published } = asides();
    await moveAside();
    const aside = scratch.asideAt(folder, `${name}_KID3`)!;
    expect(aside).toBeDefined();
    const before = published();
    vi.advanceTimersByTime(29_999);
    expect(scratch.asideAt(folder, `${name}_KID3`)).toBe(aside);
    vi.advanceTimersByTime(1);
    expect(scratch.asideAt(folder, `${name}_KID3`)).toBeUndefined();
    expect(scratch.takeRestored()).toEqual([aside.fileId]);
    expect(problems).toEqual([
      expect.stringMatching(/^put .* back from .*_KID3: left aside 30 s with no rewrite/),
    ]);
    expect(published()).toBe(before + 1);
  });

  it('waits while a rewrite is open under its name, then drops the one left behind', async () => {
    const { scratch, folder, name, moveAside } = asides();
    await moveAside();
    const rewrite = scratch.create(folder, name, 1);
    if (typeof rewrite === 'string') throw new Error(rewrite);
    vi.advanceTimersByTime(60_000);
    expect(scratch.asideAt(folder, `${name}_KID3`)).toBeDefined();
    scratch.closeHandle(1);
    vi.advanceTimersByTime(30_000);
    expect(scratch.asideAt(folder, `${name}_KID3`)).toBeUndefined();
    expect(scratch.at(folder, name)).toBeUndefined();
  });
});
