// A name the echo told watchers is gone is gone, and a file's name it told them of is there
// (fuse/native/told_names.c). The echo moves and removes names while the old tree is still served, and the
// new tree is published once the whole batch is told: a watcher that looks at what it was just told of (a
// folder's IN_DELETE, a file's IN_MOVED_FROM) asked the daemon, which found it in the old tree, and a
// listing of a folder a file moved within named neither its old name nor its new one. A sanitized daemon,
// slower, made that window wide enough for fuse-watchers' check to see it. Here the binding is mounted in
// this process and the publish held back, so the window stays open for as long as the test looks; every
// look goes through the thread pool (async fs, another process), since this thread answers the requests
// the binding forwards.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { VirtualTree } from '../../app/core/mounted/virtual-tree.ts';
import { MountEcho, treeChanges } from '../../fuse/mount-echo.ts';
import { loadBinding, type NativeTree, Op } from '../../fuse/native-binding.ts';
import { packTree } from '../../fuse/native-tree.ts';
import { tempDir } from '../helpers.ts';
import { existsAsync, PY, waitFor } from '../mount-helpers.ts';

const SIZE = 1000;
const files = (moved: boolean) => [
  {
    fileId: 1,
    components: ['Band', moved ? 'Stays (2001)' : 'Gone (2001)', moved ? '03 A.flac' : '01 A.flac'],
  },
  { fileId: 2, components: ['Band', 'Stays (2001)', '01 B.flac'] },
  { fileId: 3, components: ['Band', 'Stays (2001)', moved ? '02 D.flac' : '02 C.flac'] },
];
const treeOf = (moved: boolean): NativeTree =>
  packTree(VirtualTree.build(files(moved).map((f) => ({ ...f, mtimeMs: 1000 }))), () => ({
    size: SIZE,
    version: 1,
    writable: false,
  }));

describe('the names the echo told watchers of, while the tree with them waits to be published', () => {
  const dir = tempDir();
  const mnt = join(dir, 'mnt');
  const fuse = loadBinding();
  const problems: string[] = [];
  const echo = new MountEcho(
    fuse,
    (line) => problems.push(line),
    () => {},
  );
  const [before, after] = [treeOf(false), treeOf(true)];
  const at = (path: string) => join(mnt, 'Band', path);

  beforeAll(() => {
    mkdirSync(mnt);
    const original = join(dir, 'original');
    writeFileSync(original, Buffer.alloc(SIZE, 7));
    fuse.setTree(before);
    const mount = (library: string) =>
      fuse.mount(
        mnt,
        'rw,nosuid,nodev,default_permissions,subtype=sleeve',
        (op, req, ino, _fh, offset, size, data) => {
          if (op === Op.echoed) echo.echoed(ino, offset, size, data?.toString() ?? '');
          else if (op !== Op.log && op !== Op.listed && op !== Op.exit) fuse.replyErr(req, 5); // EIO: none expected
        },
        0, // no entry kept by the kernel: each look reaches the daemon, as once the kernel let an entry go
        library,
        10,
        1024,
      );
    // The binding reads cover art from the library: one it cannot open is refused with SQLite's reason.
    const missing = join(dir, 'no-library.db');
    expect(() => mount(missing)).toThrow(
      `cannot read cover art from ${missing}: unable to open database file`,
    );
    openDatabase(join(dir, 'library.db')).close();
    mount(join(dir, 'library.db'));
    echo.serving();
    // File 3's first read-only open is the binding's own: a process reads it without this thread.
    const st = statSync(original);
    fuse.rememberLayout({
      ino: 8, // 2·id + 2
      header: Buffer.alloc(0),
      audioStart: 0,
      size: SIZE,
      origSize: SIZE,
      origMtimeMs: st.mtimeMs,
      origDev: st.dev,
      origPath: original,
      path: 'Band/Stays (2001)/02 C.flac',
      version: 1,
    });
  });

  afterAll(() => fuse.unmount());

  it('is found by no other process, listed by none, and a file by the name its reader knew', async () => {
    // A reader of file 3 (a tagger that loaded it), asked again once the moves are told.
    const reader = spawn(
      PY,
      [
        '-c',
        'import os,sys\nopen(sys.argv[1],"rb").read();print("read",flush=True)\nsys.stdin.readline();print(os.path.exists(sys.argv[1]),flush=True)',
        at('Stays (2001)/02 C.flac'),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let said = '';
    reader.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
    });
    await waitFor('the reader to read', () => (said.includes('read\n') ? true : undefined));
    for (const path of ['Gone (2001)/01 A.flac', 'Stays (2001)/01 B.flac'])
      expect(await existsAsync(at(path))).toBe(true);

    const changes = treeChanges(before, after);
    const built = fuse.requestCounts().treesBuilt;
    await echo.before(changes.before, () => fuse.setPending(after));
    expect(problems).toEqual([]);
    // Told, not yet published: the old names are gone, the moved files are at their new ones.
    expect(await existsAsync(at('Gone (2001)'))).toBe(false);
    expect(await existsAsync(at('Gone (2001)/01 A.flac'))).toBe(false);
    expect(await existsAsync(at('Stays (2001)/02 C.flac'))).toBe(false);
    expect(await existsAsync(at('Stays (2001)/03 A.flac'))).toBe(true);
    expect(await readdir(join(mnt, 'Band'))).toEqual(['Stays (2001)']);
    // The files moved within it and into it listed at their new names, as the served version (its size).
    expect((await readdir(at('Stays (2001)'))).sort()).toEqual(['01 B.flac', '02 D.flac', '03 A.flac']);
    expect((await stat(at('Stays (2001)/02 D.flac'))).size).toBe(SIZE);
    const { stdout } = await promisify(execFile)('test', ['-e', at('Stays (2001)/02 C.flac')]).then(
      () => ({ stdout: 'found' }),
      () => ({ stdout: 'not found' }),
    );
    expect(stdout).toBe('not found');
    reader.stdin!.write('\n');
    await waitFor('the reader to look again', () => (/read\n(True|False)\n/.test(said) ? true : undefined));
    expect(said).toBe('read\nTrue\n');

    fuse.setTree(after);
    expect(fuse.requestCounts().treesBuilt - built).toBe(1); // the pending tree published as it was made
    expect(await existsAsync(at('Gone (2001)'))).toBe(false);
    // The listing the kernel kept from the echo's window is dropped by the notifier thread, after setTree
    // returns: the new one shows once it has been (on a loaded machine, not at the first look).
    await expect
      .poll(async () => (await readdir(at('Stays (2001)'))).sort())
      .toEqual(['01 B.flac', '02 D.flac', '03 A.flac']);
  });
});
