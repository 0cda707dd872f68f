// A retitle repacks one top-level folder of the served tree (native-tree.ts: repackTops), and the binding
// compares only that folder's nodes with the tree before (invalidate.c): at a million files comparing
// every node took longer than the rest of the publish. What the kernel kept of the folder must still be
// let go. The binding is mounted in this process, its entries kept by the kernel for a minute, so only
// the comparison's invalidations show the change; every look goes through the thread pool, since this
// thread answers the requests the binding forwards.
import { mkdirSync } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { DirInodes, VirtualTree } from '../../app/core/mounted/virtual-tree.ts';
import { loadBinding, Op } from '../../fuse/native-binding.ts';
import { packTree, rebuiltRanges, repackTops } from '../../fuse/native-tree.ts';
import { tempDir } from '../helpers.ts';

const facts = () => ({ size: 1000, version: 1, writable: false });
const paths = (title: string) => [
  ['Alpha', 'One (2001)', '01 a.flac'],
  ['Alpha', 'One (2001)', '02 b.flac'],
  ['Alpha', 'Two (2002)', '01 c.flac'],
  ['Beta', 'Three (2003)', `01 ${title}.flac`],
  ['Beta', 'Three (2003)', '02 e.flac'],
  ['Beta', 'Three (2003)', '03 f.flac'],
  ['Gamma', 'Four (2004)', '01 g.flac'],
];
const inodes = new DirInodes();
const treeOf = (title: string) =>
  VirtualTree.build(
    paths(title).map((components, i) => ({ fileId: i + 1, components, mtimeMs: 1000 })),
    inodes,
  );
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('a repacked tree compared with the one before', () => {
  const dir = tempDir();
  const mnt = join(dir, 'mnt');
  const fuse = loadBinding();
  const before = packTree(treeOf('d'), facts);
  const album = join(mnt, 'Beta', 'Three (2003)');

  beforeAll(() => {
    mkdirSync(mnt);
    openDatabase(join(dir, 'library.db')).close();
    fuse.setTree(before);
    fuse.mount(
      mnt,
      'ro,nosuid,nodev,default_permissions,subtype=sleeve',
      (op, req) => {
        if (op !== Op.log && op !== Op.listed && op !== Op.exit) fuse.replyErr(req, 5); // EIO: none expected
      },
      60, // entries and listings kept by the kernel: only an invalidation drops them
      join(dir, 'library.db'),
      10,
      1024,
    );
  });

  afterAll(() => fuse.unmount());

  it("looks only at the rebuilt folder's nodes and the roots, and the kernel lets go of what changed", async () => {
    expect(await exists(join(album, '01 d.flac'))).toBe(true);
    expect((await readdir(album)).sort()).toEqual(['01 d.flac', '02 e.flac', '03 f.flac']);

    const { tree: next, rebuilt } = repackTops(before, treeOf('retitled'), new Set(['Beta']), facts);
    const compared = fuse.requestCounts().nodesCompared;
    fuse.setTree(next, rebuiltRanges(rebuilt, [], before, next));
    await expect.poll(() => exists(join(album, '01 d.flac'))).toBe(false);
    expect(await exists(join(album, '01 retitled.flac'))).toBe(true);
    expect((await readdir(album)).sort()).toEqual(['01 retitled.flac', '02 e.flac', '03 f.flac']);
    // Beta, its album and its three files in each tree, and the two roots (the whole trees: 30 nodes).
    expect(fuse.requestCounts().nodesCompared - compared).toBe(2 * 5 + 2);
    expect(next.ino.length).toBe(15);
  });
});
