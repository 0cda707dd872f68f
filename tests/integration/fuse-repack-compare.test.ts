// A retitle repacks one top-level folder of the served tree in its place (native-tree.ts: repackTops), and
// the binding makes the new tree from the last one, that folder apart (splice.c), and compares only that
// folder's nodes with the tree before (invalidate.c): at a million files making a tree whole and comparing
// every node took most of a retitle's publish. What the kernel kept of the folder must still be let go,
// and a folder that gained or swapped files is made whole. The binding is mounted in this process, its entries kept by the kernel for a minute, so only
// the comparison's invalidations show the change; every look goes through the thread pool, since this
// thread answers the requests the binding forwards.
import { mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../app/core/db/database.ts';
import { DirInodes, VirtualTree } from '../../app/core/mounted/virtual-tree.ts';
import { loadBinding, Op } from '../../fuse/native-binding.ts';
import { packTree, rebuiltRanges, repackTops } from '../../fuse/native-tree.ts';
import { tempDir } from '../helpers.ts';
import { existsAsync } from '../mount-helpers.ts';

const facts = () => ({ size: 1000, version: 1, writable: false });
/** The library: Beta's first title, the files it holds beside ([fileId, name]) and the ones it lost. */
const treeOf = (title: string, more: Array<[number, string]> = [], without: number[] = []) =>
  VirtualTree.build(
    [
      ['Alpha', 'One (2001)', '01 a.flac'],
      ['Alpha', 'One (2001)', '02 b.flac'],
      ['Alpha', 'Two (2002)', '01 c.flac'],
      ['Beta', 'Three (2003)', `${title}.flac`],
      ['Beta', 'Three (2003)', '02 e.flac'],
      ['Beta', 'Three (2003)', '03 f.flac'],
      ['Gamma', 'Four (2004)', '01 g.flac'],
    ]
      .map((components, i) => ({ fileId: i + 1, components, mtimeMs: 1000 }))
      .filter((e) => !without.includes(e.fileId))
      .concat(
        more.map(([fileId, name]) => ({ fileId, components: ['Beta', 'Three (2003)', name], mtimeMs: 1000 })),
      ),
    inodes,
  );
const inodes = new DirInodes();

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

  let served = before;
  /** `tree` repacked from the served one, Beta rebuilt, published; what the binding did to publish it. */
  const publish = async (tree: VirtualTree) => {
    const { tree: next, rebuilt } = repackTops(served, tree, new Set(['Beta']), facts);
    const was = fuse.requestCounts();
    fuse.setTree(next, rebuiltRanges(rebuilt, [], served, next));
    served = next;
    await expect.poll(() => fuse.requestCounts().nodesCompared).toBeGreaterThan(was.nodesCompared);
    const now = fuse.requestCounts();
    return {
      built: now.treesBuilt - was.treesBuilt,
      spliced: now.treesSpliced - was.treesSpliced,
      compared: now.nodesCompared - was.nodesCompared,
      pagesCopied: now.pagesCopied - was.pagesCopied,
    };
  };

  it("makes the new tree from the last, compares only the rebuilt folder's nodes and the roots, and the kernel lets go of what changed", async () => {
    // A name that sorts after its folder's others, the first in file-id order: the folder is sorted again.
    expect(await existsAsync(join(album, 'd.flac'))).toBe(true);
    expect((await readdir(album)).sort()).toEqual(['02 e.flac', '03 f.flac', 'd.flac']);

    // Beta, its album and its three files in each tree, and the two roots (the whole trees: 30 nodes).
    expect(await publish(treeOf('retitled'))).toEqual({
      built: 0,
      spliced: 1,
      compared: 2 * 5 + 2,
      pagesCopied: 1,
    });
    expect(await existsAsync(join(album, 'd.flac'))).toBe(false);
    expect(await existsAsync(join(album, 'retitled.flac'))).toBe(true);
    expect((await readdir(album)).sort()).toEqual(['02 e.flac', '03 f.flac', 'retitled.flac']);
    expect(served.ino.length).toBe(15);
  });

  it('makes the tree whole when the folder gained a file, or holds another in place of one', async () => {
    expect(await publish(treeOf('retitled', [[8, '04 h.flac']]))).toMatchObject({ built: 1, spliced: 0 });
    expect((await readdir(album)).sort()).toEqual(['02 e.flac', '03 f.flac', '04 h.flac', 'retitled.flac']);
    // As many nodes, but file 5 gone and file 9 come: the old tree's inode table no longer fits.
    expect(
      await publish(
        treeOf(
          'retitled',
          [
            [8, '04 h.flac'],
            [9, '05 i.flac'],
          ],
          [5],
        ),
      ),
    ).toMatchObject({ built: 1, spliced: 0 });
    expect((await readdir(album)).sort()).toEqual(['03 f.flac', '04 h.flac', '05 i.flac', 'retitled.flac']);
  });

  it('copies only the pages of nodes holding the rebuilt folder and the root, the others shared', async () => {
    const files = (top: string, from: number) =>
      Array.from({ length: 10_000 }, (_, i) => ({
        fileId: from + i,
        components: [top, `${top} ${i % 50}`, `${i}.flac`],
        mtimeMs: 1000,
      }));
    const big = (title: string) =>
      VirtualTree.build(
        [
          ...files('Alpha', 100),
          { fileId: 15_000, components: ['Beta', 'Three (2003)', `${title}.flac`], mtimeMs: 1000 },
          ...files('Gamma', 20_000),
        ],
        inodes,
      );
    served = packTree(big('d'), facts);
    // Its own comparison (every node of both trees, counted at its end) over before the retitle's is counted.
    const was = fuse.requestCounts().nodesCompared;
    fuse.setTree(served);
    await expect.poll(() => fuse.requestCounts().nodesCompared).toBeGreaterThan(was);
    // 20,106 nodes, pages of 4,096: the root's (0), Beta's (Alpha's 10,051 nodes before it: 2), three others.
    expect(served.ino.length).toBe(20_106);
    expect(await publish(big('retitled'))).toEqual({
      built: 0,
      spliced: 1,
      compared: 2 * 3 + 2,
      pagesCopied: 2,
    });
    expect(await readdir(album)).toEqual(['retitled.flac']);
    expect((await readdir(join(mnt, 'Gamma', 'Gamma 7'))).length).toBe(200);
    expect((await readdir(join(mnt, 'Alpha'))).length).toBe(50);
  });
});
