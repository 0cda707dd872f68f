// A scan never enters the kernel's pseudo-filesystems or Sleeve's own folder, and never reads the library
// database, whatever link leads there: closing a descriptor a scan opened on library.db would drop
// SQLite's locks for the whole process.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../fixtures/library.ts';
import { sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Item {
  path: string;
}

describe('places a scan never goes', () => {
  let music: string;
  let home: string;

  beforeAll(() => {
    music = join(tempDir(), 'music');
    home = join(music, '.sleeve'); // inside the music folder, and hidden folders are scanned (config)
    makeWav(join(music, 'real.wav'), 440);
    expect(sleeveHere(home, ['stats']).status).toBe(0); // creates the home and its database
    writeFileSync(join(home, 'config.json'), JSON.stringify({ scan: { includeHidden: true } }));
    symlinkSync(join(home, 'library.db'), join(music, 'linked library'));
    linkSync(join(home, 'library.db'), join(music, 'hard linked library'));
    symlinkSync(home, join(music, 'linked home'));
    symlinkSync('/proc/self/fd', join(music, 'fds'));
    symlinkSync('/proc', join(music, 'proc'));
    mkdirSync(join(music, 'sub'));
    symlinkSync(join(home, 'library.db-wal'), join(music, 'sub', 'wal.flac'));
  });

  it('refuses /proc, /sys, /dev and the Sleeve home as roots, with the reason', () => {
    for (const [root, why] of [
      ['/proc/self/fd', "/proc holds the kernel's files, not music"],
      ['/sys', "/sys holds the kernel's files, not music"],
      ['/dev', "/dev holds the kernel's files, not music"],
      [home, "it is inside Sleeve's own folder"],
      [join(music, 'linked home'), "it is inside Sleeve's own folder"],
    ] as const) {
      const r = sleeveHere(home, ['scan', root]);
      expect([root, r.status]).toEqual([root, 1]);
      expect(r.stderr).toContain(`cannot scan ${root}: ${why}`);
    }
  });

  it('scans a folder full of links into them without entering or reading any', () => {
    const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/1 added, 0 updated, 0 unchanged, 0 missing, 0 unreadable/);
    const all = sleeveHereJson<Item[]>(home, ['ls', '--json']);
    expect(all.map((i) => i.path)).toEqual([join(music, 'real.wav')]);
    expect(sleeveHereJson<Item[]>(home, ['ls', '--errors', '--json'])).toEqual([]);
    expect(sleeveHere(home, ['stats']).status).toBe(0);
  });
});
