// A folder's listing in a file lane: what it looks at and what it leaves (ignored and hidden names, files
// whose name the pick does not take, mount points), names that are not UTF-8 as bytes, links' targets,
// an entry that cannot be stated by its code; and a lane's many calls at once answered each its own.
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLanes, type Listed } from '../../kit/file-lanes.ts';
import { tempDir } from '../helpers.ts';

const lanes = new FileLanes();
afterAll(() => lanes.close());

const byName = (entries: readonly Listed[]) =>
  new Map(entries.map((e) => [typeof e.name === 'string' ? e.name : Buffer.from(e.name).toString('hex'), e]));

describe('a file lane listing a folder', () => {
  it('states what the pick takes, and names the rest with their kind only', async () => {
    const dir = tempDir();
    for (const f of ['a.flac', 'cover.jpg', '.hidden.flac', 'skip.flac']) writeFileSync(join(dir, f), 'x');
    for (const d of ['sub', '.git', 'mnt', 'ignored']) mkdirSync(join(dir, d));
    symlinkSync('sub', join(dir, 'link'));
    symlinkSync('/nowhere/at/all', join(dir, 'broken'));
    const entries = byName(
      await lanes.list(dir, {
        ignore: ['skip.flac', 'ignored'],
        hidden: false,
        mountPoints: ['mnt'],
        files: /\.flac$/,
      }),
    );
    const s = statSync(join(dir, 'a.flac'));
    expect(entries.get('a.flac')).toEqual({
      name: 'a.flac',
      kind: 'file',
      stat: { kind: 'file', dev: s.dev, ino: s.ino, size: 1, mtimeMs: s.mtimeMs },
      target: undefined,
    });
    expect(entries.get('.hidden.flac')?.stat).toMatchObject({ kind: 'file' }); // hidden files are read
    for (const left of ['cover.jpg', 'skip.flac', '.git', 'mnt', 'ignored'])
      expect([left, entries.get(left)?.stat]).toEqual([left, undefined]);
    expect(entries.get('sub')?.stat).toMatchObject({ kind: 'folder', ino: statSync(join(dir, 'sub')).ino });
    expect(entries.get('link')).toMatchObject({ kind: 'link', target: 'sub', stat: undefined });
    expect(entries.get('broken')).toMatchObject({ kind: 'link', target: '/nowhere/at/all' });
    // Without a pick of files, only subfolders are stated (a watcher's listing).
    const folders = byName(await lanes.list(dir, { ignore: [], hidden: true, mountPoints: [] }));
    expect(folders.get('a.flac')?.stat).toBeUndefined();
    expect(folders.get('.git')?.stat).toMatchObject({ kind: 'folder' });
  });

  it('lists a folder with a name that is not UTF-8 as bytes, and says why a name cannot be stated', async () => {
    const dir = tempDir();
    const bad = Buffer.from([0x66, 0xff, 0x2e, 0x66, 0x6c, 0x61, 0x63]); // "f\xFF.flac"
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), bad]), 'x');
    writeFileSync(join(dir, 'ok.flac'), 'x');
    const entries = byName(
      await lanes.list(dir, { ignore: [], hidden: false, mountPoints: [], files: /flac$/ }),
    );
    expect(entries.get(bad.toString('hex'))?.stat).toMatchObject({ kind: 'file', size: 1 });
    expect(entries.get(Buffer.from('ok.flac').toString('hex'))?.stat).toMatchObject({ kind: 'file' });
    await expect(
      lanes.list(join(dir, 'none'), { ignore: [], hidden: false, mountPoints: [] }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('answers many calls handed to its thread at once, each with its own answer', async () => {
    const dir = tempDir();
    const names = Array.from({ length: 100 }, (_, i) => `f${i}`);
    for (const [i, n] of names.entries()) writeFileSync(join(dir, n), 'x'.repeat(i));
    const stats = await Promise.all(names.map((n) => lanes.stat(join(dir, n))));
    expect(stats.map((s) => s?.size)).toEqual(names.map((_, i) => i));
    expect(await lanes.stat(join(dir, 'none'))).toBeUndefined();
    expect(await lanes.realpath(join(dir, '.', 'f1'))).toBe(join(dir, 'f1'));
  });
});
