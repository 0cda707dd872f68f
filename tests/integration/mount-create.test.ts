// `sleeve mount` on a folder that does not exist creates it, and says so; one that exists is not
// mentioned; one that cannot be created is refused with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sleeveHere, tempDir } from '../helpers.ts';

const mounted: Array<[home: string, mnt: string]> = [];

afterEach(() => {
  for (const [home, mnt] of mounted.splice(0)) {
    const r = sleeveHere(home, ['umount', mnt]);
    if (r.status !== 0) spawnSync('fusermount3', ['-uz', mnt]);
  }
});

describe('sleeve mount on a missing folder', () => {
  it('creates it and says so, naming the topmost folder it made', () => {
    const dir = tempDir();
    const home = join(dir, 'home');
    const mnt = join(dir, 'new', 'mnt');
    const r = sleeveHere(home, ['mount', mnt]);
    expect(r.status, r.stderr).toBe(0);
    mounted.push([home, mnt]);
    expect(r.stdout).toMatch(/^mounted 0 files at /);
    expect(r.stdout).toContain(`\ncreated ${mnt} (it did not exist, nor did ${join(dir, 'new')})\n`);

    const there = join(dir, 'there');
    mkdirSync(there);
    const again = sleeveHere(home, ['mount', there]);
    expect(again.status, again.stderr).toBe(0);
    mounted.push([home, there]);
    expect(again.stdout).not.toContain('created');
  });

  it('refuses a mount point it cannot create, saying why', () => {
    const dir = tempDir();
    const home = join(dir, 'home');
    const file = join(dir, 'file');
    writeFileSync(file, '');
    const r = sleeveHere(home, ['mount', join(file, 'mnt')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot create the mount point .*file\/mnt: not a directory \(ENOTDIR\)/);
    expect(existsSync(join(file, 'mnt'))).toBe(false);
    // Inside a folder that is there but takes no new folder: Node's recursive mkdir never returned.
    const proc = sleeveHere(home, ['mount', '/proc/sleeve-mount-test/mnt']);
    expect(proc.status).toBe(1);
    expect(proc.stderr).toMatch(/cannot create the mount point \/proc\/sleeve-mount-test\/mnt: .*\(ENOENT\)/);
  });
});
