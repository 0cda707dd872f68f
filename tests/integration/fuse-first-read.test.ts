// What the mount puts into the kernel's cache of a file before a tag scan asks: at a version's first open,
// its header, the pages where its audio starts and its last bytes; at a later open whose pages the kernel
// dropped, the rest of the header after the first read. So a scan that reads the header whole (mutagen
// reads a FLAC's padding), the first audio frame and the end finds them there, and the kernel's readahead
// does not pull audio from the original meanwhile. What is cached must be what the daemon serves.
import { closeSync, constants, openSync, readdirSync, readSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { makeNoise } from '../fixtures/library.ts';
import { tool } from '../helpers.ts';
import { BUILD_AHEAD, paddingOf, TestMount, waitFor } from '../mount-helpers.ts';

/** How many bytes of the file the kernel holds in its page cache (util-linux's fincore). */
function resident(path: string): number {
  return Number(tool('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim());
}

/** Drops the file's pages from the kernel's cache, as memory pressure would. */
function evict(path: string): void {
  const drop =
    'import os, sys\nfd = os.open(sys.argv[1], os.O_RDONLY)\nos.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)';
  tool('/usr/bin/python3', ['-c', drop, path]);
}

/** What a version's first open stores of a file with a `header`-byte header, at least: the header's pages,
 *  the next one (the first audio frame) and the last page. */
const firstOpenStores = (header: number) => Math.ceil(header / 4096) * 4096 + 4096 + 4096;

/** Opens the file (its version's first open), waits for what that stores, closes it and drops its pages. */
async function openedOnceThenEvicted(path: string, header: number): Promise<void> {
  const fd = openSync(path, 'r');
  try {
    const least = firstOpenStores(header);
    await waitFor('the first open’s stores', () => (resident(path) >= least ? true : undefined));
  } finally {
    closeSync(fd);
  }
  evict(path);
  expect(resident(path)).toBe(0);
}

/** How many of the first `length` bytes' pages are in the kernel's cache the moment an open of the file
 *  returns: checked by the opener at once (mincore on a mapping of the file, which asks the daemon
 *  nothing), before anything stored after the open's reply could land, as far as it can be. */
function residentAtOpen(path: string, length: number): number {
  const check = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
n = int(sys.argv[2])
pages = (ctypes.c_ubyte * ((n + 4095) // 4096))()
fd = os.open(sys.argv[1], os.O_RDONLY)
at = libc.mmap(None, n, 1, 1, fd, 0)  # PROT_READ, MAP_SHARED
if at in (None, ctypes.c_void_p(-1).value) or libc.mincore(at, n, pages) != 0:
    sys.exit(f"mmap or mincore failed: {os.strerror(ctypes.get_errno())}")
print(sum(p & 1 for p in pages))
`;
  return Number(
    tool('/usr/bin/python3', ['-c', check, path, String(length)])
      .toString()
      .trim(),
  );
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
    const names = ['long.flac', 'opened.flac', 'changed.flac', 'ahead.flac'];
    for (const name of names) makeNoise(join(t.music, name), name === 'ahead.flac' ? 5 : 90);
    t.start(
      names,
      names.map(
        (name) => [name, `title=${name[0]!.toUpperCase()}${name.slice(1, -5)}`, 'artist=Someone'] as const,
      ),
      BUILD_AHEAD,
    );
  });

  afterAll(() => t.stop());

  it('stores the header, where the audio starts and the last bytes at a version’s first open', async () => {
    const served = t.served('Opened.flac');
    const { audioStart, audioEnd } = t.info('opened.flac');
    const size = statSync(served).size;
    const header = size - (audioEnd - audioStart);
    const fd = openSync(served, 'r');
    try {
      // Nothing read: the daemon stores once the open is answered (the test waits for it). The header's
      // pages and the next (the first audio frame), and the last 4 KiB (one page or two): no audio besides.
      const least = firstOpenStores(header);
      await waitFor('the stores in the kernel’s cache', () => (resident(served) >= least ? true : undefined));
      expect(resident(served)).toBeLessThanOrEqual(least + 4096);
      for (const [at, length] of [
        [0, header + 4096],
        [size - 4096, 4096],
      ] as const) {
        expect(readAt(served, at, length)).toEqual(readAt(served, at, length, constants.O_DIRECT));
      }
    } finally {
      closeSync(fd);
    }
  });

  it('stores the first 16 KiB before answering a first open of a layout built ahead, so that the first read stays in the kernel', async () => {
    // Listing the mount has the worker build the folder's layouts; the binding then answers the first
    // open itself. Its header is under 16 KiB, so those pages need the original's audio too: in memory
    // (read here, as building the layout did), so the store costs no disk read and comes before the
    // reply. Its last bytes are not in memory: what is stored after the reply waits for the disk first.
    const served = t.served('Ahead.flac');
    const { audioStart, audioEnd } = t.info('ahead.flac');
    expect(statSync(served).size - (audioEnd - audioStart)).toBeLessThan(16 * 1024);
    // Its folder is built whole, its layouts handed over before the count says so.
    const folder = readdirSync(dirname(served)).length;
    await waitFor('its folder’s layouts built ahead', () =>
      (readMountReport(t.home, t.mnt)?.builtAhead ?? 0) >= folder ? true : undefined,
    );
    const original = join(t.music, 'ahead.flac');
    evict(original);
    readAt(original, 0, 64 * 1024);
    expect(residentAtOpen(served, 16 * 1024)).toBe(4); // (fincore would open the file first)
    // What is cached is what the daemon serves.
    expect(readAt(served, 0, 16 * 1024)).toEqual(readAt(served, 0, 16 * 1024, constants.O_DIRECT));
  });

  it('puts the rest of the header into the kernel’s cache after a later first read', async () => {
    const served = t.served('Long.flac');
    const { audioStart, audioEnd } = t.info('long.flac');
    const header = statSync(served).size - (audioEnd - audioStart);
    expect(header).toBeGreaterThan(32 * 1024);
    await openedOnceThenEvicted(served, header);
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

  it('stores nothing for a file whose original changed on disk: its first read fails, and so do later ones', async () => {
    // Opened before the change (an open after it fails at once); read after it. Not the version's first
    // open, which stores before any read, when the original was checked unchanged.
    const { audioStart, audioEnd } = t.info('changed.flac');
    await openedOnceThenEvicted(
      t.served('Changed.flac'),
      statSync(t.served('Changed.flac')).size - (audioEnd - audioStart),
    );
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
