// A scan's probe of a file brings from disk only the pages it reads (read-advice.ts): without the advice,
// the kernel reads ahead of a first read at offset 0, four times it (64 KiB for the 16 KiB head). So does
// the mount's open of an original, in its file lane, whose first read comes with the open: before it was
// advised there, a player's cold tag scan through the mount took 150 KiB of each original from disk.
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWindow, HEAD_BYTES } from '../../app/core/media/file-window.ts';
import { OriginalFile } from '../../app/core/served/original-file.ts';
import { FileLanes } from '../../kit/file-lanes.ts';
import { adviseProbes } from '../../kit/read-advice.ts';
import { tool } from '../helpers.ts';

// Beside the project, on a disk: a tmpfs (where the system's temporary folder may be) keeps every page.
const DIR = join(process.cwd(), '.cache', `read-advice-test-${process.pid}`);

/** How many bytes of the file the kernel holds in its page cache (util-linux's fincore). */
function resident(path: string): number {
  return Number(tool('fincore', ['--bytes', '--noheadings', '--output', 'RES', path]).toString().trim());
}

/** A 1 MiB file on disk, none of it in the kernel's cache. */
function uncachedFile(name: string): string {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.alloc(1 << 20, 7));
    fsyncSync(fd); // clean pages: only those can be dropped
  } finally {
    closeSync(fd);
  }
  const drop =
    'import os, sys\nfd = os.open(sys.argv[1], os.O_RDONLY)\nos.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)';
  tool('/usr/bin/python3', ['-c', drop, path]);
  expect(resident(path)).toBe(0);
  return path;
}

describe('a scan’s probe of a file', () => {
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  it('brings from disk the head and the end it reads, and nothing around them', () => {
    const path = uncachedFile('probe.bin');
    const window = FileWindow.open(path);
    try {
      expect(window.read(window.size - 16 * 1024, 16 * 1024)).toHaveLength(16 * 1024);
    } finally {
      window.close();
    }
    expect(resident(path)).toBe(HEAD_BYTES + 16 * 1024);
  });

  it('brings from disk, for the mount’s open of an original in its lane, the head it reads and nothing more', async () => {
    const path = uncachedFile('original.bin');
    const lanes = new FileLanes(5000);
    try {
      const original = await OriginalFile.open(lanes, path, { readHead: true });
      original.close();
      expect(resident(path)).toBe(16 * 1024); // what OriginalFile's open reads
    } finally {
      await lanes.close();
    }
  });

  it('leaves the readahead to an original streamed whole (to a client, the app’s player)', async () => {
    const path = uncachedFile('streamed.bin');
    const lanes = new FileLanes(5000);
    try {
      const original = await OriginalFile.open(lanes, path, { readHead: true, streamed: true });
      original.close();
      expect(resident(path)).toBeGreaterThan(16 * 1024);
    } finally {
      await lanes.close();
    }
  });

  it('refuses what is not a file descriptor', () => {
    expect(() => adviseProbes(-1)).toThrow(/file descriptor/);
    expect(() => adviseProbes(Number.NaN)).toThrow(/file descriptor/);
  });
});
