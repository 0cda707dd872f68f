// A scan's probe of a file brings from disk only the pages it reads (read-advice.ts): without the advice,
// the kernel reads ahead of a first read at offset 0, four times it (64 KiB for the 16 KiB head).
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWindow, HEAD_BYTES } from '../../app/core/media/file-window.ts';
import { adviseProbes } from '../../app/core/media/read-advice.ts';
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

  it('refuses what is not a file descriptor', () => {
    expect(() => adviseProbes(-1)).toThrow(/file descriptor/);
    expect(() => adviseProbes(Number.NaN)).toThrow(/file descriptor/);
  });
});
