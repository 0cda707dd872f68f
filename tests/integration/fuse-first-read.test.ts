// A file's first read through the mount: the rest of its header (a FLAC's padding, most of it) goes into
// the kernel's cache of the file, so a tag scan that reads the header whole (mutagen reads a FLAC's
// padding) finds it there, and the kernel's readahead does not pull audio from the original meanwhile.
// What is cached must be what a whole read gives.
import { closeSync, constants, openSync, readSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNoise } from '../fixtures/library.ts';
import { tool } from '../helpers.ts';
import { paddingOf, TestMount, waitFor } from '../mount-helpers.ts';

/** How many bytes of the file the kernel holds in its page cache (util-linux's fincore). */
function resident(path: string): number {
  return Number(tool('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim());
}

/** `length` bytes of the file from `at`, opened with `flags` besides O_RDONLY. */
function readAt(path: string, at: number, length: number, flags = 0): Buffer {
  const fd = openSync(path, constants.O_RDONLY | flags);
  try {
    const out = Buffer.alloc(length);
    return out.subarray(0, readSync(fd, out, 0, length, at));
  } finally {
    closeSync(fd);
  }
}

describe('sleeve mount: a file’s first read', () => {
  const t = new TestMount();

  beforeAll(() => {
    // 90 s of stereo noise (a tone compresses to almost nothing, and padding grows with the audio): its
    // served header carries over 32 KiB of padding, more than the kernel's first request (16 KiB) covers.
    for (const name of ['long.flac', 'changed.flac']) makeNoise(join(t.music, name), 90);
    t.start(
      ['long.flac', 'changed.flac'],
      [
        ['long.flac', 'title=Long', 'artist=Someone'],
        ['changed.flac', 'title=Changed', 'artist=Someone'],
      ],
    );
  }, 60_000);

  afterAll(() => t.stop());

  it('puts the rest of the header into the kernel’s cache, the bytes the daemon serves', async () => {
    const served = t.served('Long.flac');
    const { audioStart, audioEnd } = t.info('long.flac');
    const header = statSync(served).size - (audioEnd - audioStart);
    expect(header).toBeGreaterThan(32 * 1024);
    expect(readAt(served, 0, 4096)).toHaveLength(4096);
    // Without the store only the kernel's first request (16 KiB) would be cached. (The daemon stores
    // after it answered the read: the test waits for it.)
    await waitFor('the header in the kernel’s cache', () => (resident(served) >= header ? true : undefined));
    expect(resident(served)).toBeLessThan(header + 16 * 1024);
    // What is cached (a plain read now) is what the daemon serves (O_DIRECT: past the kernel's cache).
    const direct = readAt(served, 0, header, constants.O_DIRECT);
    const cached = readAt(served, 0, header);
    expect(cached).toEqual(direct);
    expect(paddingOf(cached)!.length).toBeGreaterThan(16 * 1024);
    expect(cached.subarray(0, 4).toString('latin1')).toBe('fLaC');
  });

  it('stores nothing for a file whose original changed on disk: its first read fails, and so do later ones', () => {
    // Opened before the change (an open after it fails at once); read after it.
    const fd = openSync(t.served('Changed.flac'), 'r');
    try {
      utimesSync(join(t.music, 'changed.flac'), new Date(), new Date(Date.now() + 5000));
      expect(() => readSync(fd, Buffer.alloc(4096), 0, 4096, 0)).toThrow(/EIO/);
      // Past the first request's 16 KiB, inside the header: a page stored anyway would be read from the
      // kernel's cache without the daemon's check.
      expect(() => readSync(fd, Buffer.alloc(4096), 0, 4096, 20_480)).toThrow(/EIO/);
    } finally {
      closeSync(fd);
    }
  });
});
