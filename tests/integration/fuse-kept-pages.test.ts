// The mount keeps track of whose version the kernel's cached pages of a file are (so an open of another
// version drops them) for at most mount.keptPagesFiles files (fuse/native/kept_pages.c): past it, the pages
// of files opened least lately are dropped with their entries. Here with room for 4 of 12 files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flacTags, makeWav } from '../fixtures/library.ts';
import { sleeveHere, tool } from '../helpers.ts';
import { TestMount, waitFor } from '../mount-helpers.ts';

const FILES = 12;
const KEPT = 4;
const title = (i: number) => `Track ${String.fromCharCode(65 + i)}`;

describe('the files whose pages the mount keeps track of', () => {
  const t = new TestMount();
  const served = (i: number) => t.served(` ${title(i)}.flac`);
  const readAll = () => {
    for (let i = 0; i < FILES; i++) readFileSync(served(i));
  };
  /** The files kept track of, once the notify thread has dropped what it was asked to. */
  const keptWithin = async () => {
    let kept = (await t.counts()).keptPagesFiles!;
    for (let looks = 0; kept > KEPT && looks < 50; looks++) kept = (await t.counts()).keptPagesFiles!;
    return kept;
  };

  beforeAll(() => {
    // Ten seconds: each file has pages past what its first open stores (its start and its end).
    const wav = join(t.dir, 'tone.wav');
    makeWav(wav, 330, 10);
    for (let i = 0; i < FILES; i++) {
      const tags = {
        ARTIST: 'Band',
        ALBUM: 'Album',
        TITLE: title(i),
        TRACKNUMBER: String(i + 1),
        COMMENT: 'first',
      };
      tool('flac', ['--silent', '-f', ...flacTags(tags), '-o', join(t.music, `${i}.flac`), wav]);
    }
    t.start([], [], { mount: { keptPagesFiles: KEPT } });
  }, 120_000);

  afterAll(() => t.stop());

  it('are at most mount.keptPagesFiles, and a file let go has its pages dropped: read again, it reaches the daemon', async () => {
    readAll();
    const kept = await keptWithin();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(KEPT);
    // Every file's pages were cached by the first pass; at least FILES - KEPT files were let go since, and
    // each of those costs reads now (kept without their entries, they would cost none).
    const before = await t.counts();
    readAll();
    const after = await t.counts();
    expect(after.read! - before.read!).toBeGreaterThanOrEqual(FILES - KEPT);
    expect(await keptWithin()).toBeLessThanOrEqual(KEPT);
  });

  it("serves a file's new version whole after its pages were let go, not what the kernel kept of an old one", async () => {
    const first = served(0);
    const size = readFileSync(first).length;
    const edit = (comment: string) =>
      expect(sleeveHere(t.home, ['set', '-y', `title:${title(0)}`, `comment=${comment}`]).status).toBe(0);
    // Another size (another kernel inode), then back to the first's with other bytes: its first inode again.
    edit('a comment longer than the first');
    await waitFor('the longer version', () => (readFileSync(served(0)).length !== size ? true : undefined));
    readAll();
    edit('other');
    const now = await waitFor('the version of the first size', () => {
      const bytes = readFileSync(served(0));
      return bytes.length === size ? bytes : undefined;
    });
    expect(now.includes('COMMENT=other')).toBe(true);
    expect(now.includes('COMMENT=first')).toBe(false);
  });
});
