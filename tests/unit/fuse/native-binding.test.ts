import { describe, expect, it } from 'vitest';
import { VirtualTree } from '../../../app/core/mounted/virtual-tree.ts';
import { Echo, treeChanges } from '../../../fuse/mount-echo.ts';
import {
  loadBinding,
  NODE_ASIDE,
  NODE_DIR,
  NODE_SCRATCH,
  NODE_WRITABLE,
} from '../../../fuse/native-binding.ts';
import { packTree } from '../../../fuse/native-tree.ts';

const tree = VirtualTree.build([
  { fileId: 1, components: ['Björk', 'Post (1995)', '01 Army of Me.flac'], mtimeMs: 1000 },
  { fileId: 2, components: ['Björk', 'Post (1995)', '02 Hyper-ballad.ogg'], mtimeMs: 2000 },
]);
const facts = (id: number) =>
  id === 1 ? { size: 100, version: 7, writable: true } : { size: 50, version: 3, writable: false };

describe('the tree handed to the native binding', () => {
  it('packs every node once, parents before children, names as UTF-8', () => {
    const packed = packTree(tree, facts);
    const names = Array.from(packed.nameEnd, (end, i) =>
      Buffer.from(packed.names.subarray(i === 0 ? 0 : packed.nameEnd[i - 1]!, end)).toString(),
    );
    expect(names).toEqual(['', 'Björk', 'Post (1995)', '01 Army of Me.flac', '02 Hyper-ballad.ogg']);
    expect([...packed.parent].slice(1)).toEqual([0, 1, 2, 2]);
    expect([...packed.flags]).toEqual([NODE_DIR, NODE_DIR, NODE_DIR, NODE_WRITABLE, 0]);
    expect([...packed.ino].slice(3)).toEqual([4, 6]); // 2·id + 2
    expect([...packed.size].slice(3)).toEqual([100, 50]);
    expect([...packed.version].slice(3)).toEqual([7, 3]);
    expect(packed.mtimeMs[0]).toBe(2000); // a directory shows its newest entry's time
  });

  it('leaves out files it has no facts for', () => {
    expect(packTree(tree, (id) => (id === 2 ? facts(2) : undefined)).ino.length).toBe(4);
  });

  it('lists a file moved aside under its new name, a rewrite under its own; the echo tells only the end', () => {
    const album = tree.lookup('/Björk/Post (1995)')!.ino;
    const name = '01 Army of Me.flac';
    const aside = { fileId: 1, parent: album, name, aside: `${name}_KID3` };
    const rewrite = { ino: 4294967295, parent: album, name, mtimeMs: 5 };
    const served = packTree(tree, facts);
    const moved = packTree(tree, facts, [rewrite], undefined, [aside]);
    const namesOf = (t: typeof moved) =>
      Array.from(t.nameEnd, (end, i) =>
        Buffer.from(t.names.subarray(i === 0 ? 0 : t.nameEnd[i - 1]!, end)).toString(),
      );
    expect(namesOf(moved).slice(3)).toEqual([`${name}_KID3`, '02 Hyper-ballad.ogg', name]);
    expect([...moved.flags].slice(3)).toEqual([NODE_WRITABLE | NODE_ASIDE, 0, NODE_WRITABLE | NODE_SCRATCH]);
    expect([...moved.ino].slice(3, 5)).toEqual([4, 6]);
    // The kernel made the move aside and the rewrite: nothing to tell.
    expect(treeChanges(served, moved)).toEqual({ before: [], after: [] });
    // Taken in (a new version) under the same name: a modification; under a new one, a move from the
    // name the rewrite had.
    const from = new Map([[4, name]]);
    const saved = packTree(tree, (id) => (id === 1 ? { ...facts(1), version: 8 } : facts(id)));
    const same = treeChanges(moved, saved, { oldAsideFrom: from });
    expect(same.before).toEqual([]);
    // Paths are bytes in latin1 strings.
    const latin1 = (path: string) => Buffer.from(path).toString('latin1');
    expect(same.after.map((op) => [op.kind, op.path])).toEqual([
      [Echo.modify, latin1(`Björk/Post (1995)/${name}`)],
    ]);
    const retitled = VirtualTree.build([
      { fileId: 1, components: ['Björk', 'Post (1995)', '01 Army.flac'], mtimeMs: 1000 },
      { fileId: 2, components: ['Björk', 'Post (1995)', '02 Hyper-ballad.ogg'], mtimeMs: 2000 },
    ]);
    // Put back by the daemon (not in `from`): the kernel's aside name goes, the file comes at its name.
    const restored = treeChanges(moved, served, { oldAsideFrom: new Map() });
    expect([...restored.before, ...restored.after].map((op) => [op.kind, op.path])).toEqual([
      [Echo.unlink, latin1(`Björk/Post (1995)/${name}_KID3`)],
      [Echo.create, latin1(`Björk/Post (1995)/${name}`)],
      [Echo.modify, latin1(`Björk/Post (1995)/${name}`)],
    ]);
    const renamed = treeChanges(moved, packTree(retitled, facts), { oldAsideFrom: from });
    expect(renamed.before.map((op) => [op.kind, op.path, op.to])).toEqual([
      [
        Echo.rename,
        expect.stringMatching(/\/01 Army of Me\.flac$/),
        expect.stringMatching(/\/01 Army\.flac$/),
      ],
    ]);
  });
});

describe('native FUSE binding: bad input is an error, not a crash', () => {
  const fuse = loadBinding();
  const good = packTree(tree, facts);

  it('refuses malformed trees', () => {
    expect(() => fuse.setTree(good)).not.toThrow();
    // Where a repack may differ: node ranges [from, to) of each tree, the roots apart.
    const ranges = (before: number[], after: number[]) => ({
      before: Uint32Array.from(before),
      after: Uint32Array.from(after),
    });
    expect(() => fuse.setTree(good, ranges([1, 5], [1, 5]))).not.toThrow();
    for (const [before, after] of [
      [[0, 2], []],
      [[1, 6], []],
      [[], [3, 2]],
      [[1], [1, 2]],
    ])
      expect(() => fuse.setTree(good, ranges(before!, after!))).toThrow(/rebuilt must be/);
    expect(() => fuse.setTree(good, {} as never)).toThrow(/rebuilt must be/);
    expect(() => fuse.setTree({ ...good, parent: Uint32Array.of(0, 0, 9, 2, 2) })).toThrow(/out of range/);
    expect(() => fuse.setTree({ ...good, parent: Uint32Array.of(0, 0, 1, 2, 3) })).toThrow(/out of range/);
    expect(() => fuse.setTree({ ...good, ino: Float64Array.of(1, 3, 5, 4, 4) })).toThrow(/share an inode/);
    expect(() => fuse.setTree({ ...good, flags: Uint8Array.of(0, 1, 1, 2, 0) })).toThrow(/root directory/);
    expect(() => fuse.setTree({ ...good, nameEnd: Uint32Array.of(0, 6, 17, 999, 1000) })).toThrow(
      /out of range/,
    );
    expect(() => fuse.setTree({ ...good, size: new Float32Array(5) } as never)).toThrow(/typed array/);
    expect(() => fuse.setTree({ ...good, version: new Float64Array(2) })).toThrow(/typed array/);
    expect(() => fuse.setTree({} as never)).toThrow(/typed array/);
    expect(() => fuse.setTree({ ...good, ino: Float64Array.of(7, 3, 5, 4, 6) })).toThrow(
      /root's inode number must be 1/,
    );
    expect(() => fuse.setTree({ ...good, size: Float64Array.of(0, 0, 0, Number.NaN, 1) })).toThrow(/finite/);
    expect(() => fuse.setTree({ ...good, size: Float64Array.of(0, 0, 0, -5, 1) })).toThrow(/finite/);
    // Parents come first: a node that names a later one as its parent could close a cycle.
    expect(() => fuse.setTree({ ...good, parent: Uint32Array.of(0, 2, 0, 2, 2) })).toThrow(/out of range/);
    const named = (...names: string[]) => {
      const bytes = names.map((n) => Buffer.from(n));
      let end = 0;
      return {
        ...good,
        names: Buffer.concat(bytes),
        nameEnd: Uint32Array.from(bytes, (b) => {
          end += b.length;
          return end;
        }),
      };
    };
    expect(() => fuse.setTree(named('', 'a', 'b', 'c/d', 'e'))).toThrow(/holds "\/"/);
    expect(() => fuse.setTree(named('', 'a', 'b', '..', 'e'))).toThrow(/"\.\."/);
    expect(() => fuse.setTree(named('', 'a', 'b', 'x'.repeat(256), 'e'))).toThrow(/too long/);
    expect(() => fuse.setTree(named('', 'a', 'b', 'same', 'same'))).toThrow(/share a name/);
    expect(() => fuse.setTree(named('', 'a', 'b', 'c', 'e'))).not.toThrow();
  });

  it('makes and patches each tree in the memory of trees let go, once two were', () => {
    const files = Array.from({ length: 1000 }, (_, i) => ({
      fileId: i + 1,
      components: [`Artist ${i % 10}`, `Album ${i % 100}`, `${i} Track.flac`],
      mtimeMs: 1000,
    }));
    const pack = () => packTree(VirtualTree.build(files), () => ({ size: 100, version: 1, writable: false }));
    const big = pack();
    for (let i = 0; i < 3; i++) fuse.setTree(big); // the trees before, of other sizes, let go
    // Each with a name a little longer, as a retitle makes it: the names' array grows too.
    const retitled = (i: number) => {
      files[7]!.components[2] = `${'x'.repeat(i + 1)} Track.flac`;
      return pack();
    };
    const before = fuse.requestCounts();
    for (let i = 0; i < 5; i++) {
      const next = retitled(i);
      fuse.setTree(next);
      fuse.patchTree(next, Uint32Array.of(5));
    }
    const after = fuse.requestCounts();
    expect(after.treesBuilt - before.treesBuilt).toBe(5);
    expect(after.arraysInFreshMemory - before.arraysInFreshMemory).toBe(0);
    fuse.setTree(good);
  });

  it('readies the arrays of the next tree, so that the first publishes after a start are not in fresh memory', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({
      fileId: i + 1,
      components: [`Artist ${i % 30}`, `Album ${i % 300}`, `${i} Track.flac`],
      mtimeMs: 1000,
    }));
    const pack = () => packTree(VirtualTree.build(files), () => ({ size: 100, version: 1, writable: false }));
    fuse.setTree(pack()); // as a mount starts: the spares kept, if any, are of other trees' sizes
    const readied = fuse.requestCounts().sparesReadied;
    fuse.readySpares();
    await expect.poll(() => fuse.requestCounts().sparesReadied - readied).toBe(1);
    const before = fuse.requestCounts();
    for (let i = 0; i < 2; i++) {
      files[7]!.components[2] = `${'x'.repeat(i + 1)} Track.flac`;
      fuse.setTree(pack());
    }
    expect(fuse.requestCounts().arraysInFreshMemory - before.arraysInFreshMemory).toBe(0);
    fuse.setTree(good);
  });

  it('makes a tree from the last where it was rebuilt in place, and whole where what it is told does not hold', () => {
    const build = (title: string, other = 'a') =>
      packTree(
        VirtualTree.build([
          { fileId: 1, components: ['A', 'Al', `${other}.flac`], mtimeMs: 1000 },
          { fileId: 2, components: ['B', 'Bl', `${title}.flac`], mtimeMs: 1000 },
        ]),
        facts,
      );
    // Nodes: the root, A (1–3), B (4–6).
    const at = (from: number, to: number) => ({
      before: Uint32Array.of(from, to),
      after: Uint32Array.of(from, to),
    });
    const made = (next: ReturnType<typeof build>, rebuilt: ReturnType<typeof at>) => {
      const before = fuse.requestCounts();
      fuse.setTree(next, rebuilt);
      const after = fuse.requestCounts();
      return {
        built: after.treesBuilt - before.treesBuilt,
        spliced: after.treesSpliced - before.treesSpliced,
      };
    };
    fuse.setTree(build('b'));
    expect(made(build('c'), at(4, 7))).toEqual({ built: 0, spliced: 1 });
    // The range is not a whole top-level folder; nor is it one.
    expect(made(build('e', 'z'), at(5, 7))).toEqual({ built: 1, spliced: 0 });
    expect(made(build('f', 'z'), at(3, 7))).toEqual({ built: 1, spliced: 0 });
    // Its file another one (file 3 for file 2): the inode table no longer fits.
    const other = packTree(
      VirtualTree.build([
        { fileId: 1, components: ['A', 'Al', 'z.flac'], mtimeMs: 1000 },
        { fileId: 3, components: ['B', 'Bl', 'f.flac'], mtimeMs: 1000 },
      ]),
      facts,
    );
    expect(made(other, at(4, 7))).toEqual({ built: 1, spliced: 0 });
    fuse.setTree(good);
  });

  it('copies for a patch only the pages of nodes it changes, sharing the others with the tree before', () => {
    const files = Array.from({ length: 10_000 }, (_, i) => ({
      fileId: i + 1,
      components: [`Artist ${i % 10}`, `Album ${i % 100}`, `${i} Track.flac`],
      mtimeMs: 1000,
    }));
    const set = packTree(VirtualTree.build(files), facts);
    fuse.setTree(set); // 10,111 nodes: three pages of 4,096
    const copied = (indices: number[]) => {
      const before = fuse.requestCounts().pagesCopied;
      for (const i of indices) set.size[i] = set.size[i]! + 1;
      fuse.patchTree(set, Uint32Array.from(indices));
      return fuse.requestCounts().pagesCopied - before;
    };
    const file = (at: number) => set.flags.findIndex((f, i) => i >= at && !(f & NODE_DIR));
    expect(copied([file(5000)])).toBe(1);
    expect(copied([file(5000), file(5100)])).toBe(1);
    expect(copied([file(100), file(9000)])).toBe(2);
    fuse.setTree(good);
  });

  it('patches the tree last set, and refuses a patch of any other', () => {
    const set = packTree(tree, facts);
    fuse.setTree(set);
    const file = set.ino.indexOf(4);
    const patched = { ...set, size: Float64Array.from(set.size), version: Float64Array.from(set.version) };
    patched.size[file] = 123;
    patched.version[file] = 8;
    expect(() => fuse.patchTree(patched, Uint32Array.of(file))).not.toThrow();
    expect(() => fuse.patchTree(patched, Uint32Array.of())).not.toThrow();
    expect(() => fuse.patchTree(patched, Uint32Array.of(99))).toThrow(/out of range/);
    expect(() => fuse.patchTree(patched, [file] as never)).toThrow(/typed array/);
    const moved = { ...patched, ino: Float64Array.from(set.ino).fill(40, file, file + 1) };
    expect(() => fuse.patchTree(moved, Uint32Array.of(file))).toThrow(/not the one last set/);
    const madeDir = { ...patched, flags: Uint8Array.from(set.flags).fill(NODE_DIR, file, file + 1) };
    expect(() => fuse.patchTree(madeDir, Uint32Array.of(file))).toThrow(/not the one last set/);
    const nan = { ...patched, mtimeMs: Float64Array.from(set.mtimeMs).fill(Number.NaN, file, file + 1) };
    expect(() => fuse.patchTree(nan, Uint32Array.of(file))).toThrow(/finite/);
    const smaller = packTree(tree, (id) => (id === 2 ? facts(2) : undefined));
    expect(() => fuse.patchTree(smaller, Uint32Array.of(0))).toThrow(/not the one last set/);
  });

  it('refuses replies to requests it is not waiting for', () => {
    expect(() => fuse.replyErr(12345n, 5)).toThrow(/not a request waiting/);
    expect(() => fuse.replyData(0n, Buffer.alloc(1))).toThrow(/not a read waiting/);
    expect(() => fuse.replyAttr(99n, 4, 1, 0, false, true)).toThrow(/not a getattr or truncate waiting/);
    expect(() => fuse.replyErr(1n, -1)).toThrow(/replyErr\(req, errno\)/);
    expect(() => fuse.replyData(1n, 'text' as never)).toThrow(/replyData\(req, buffer\)/);
    const open = {
      ino: 4,
      fd: 0,
      header: Buffer.alloc(4),
      audioStart: 0,
      size: 10,
      origSize: 6,
      origMtimeMs: 1,
      origDev: 1,
      origPath: '/x',
      path: '/x',
      version: 1,
    };
    expect(() => fuse.replyOpen(1n, { ...open, size: Number.NaN })).toThrow(/must be finite/);
    expect(() => fuse.replyOpen(1n, { ...open, fd: -1 })).toThrow(/must be finite/);
    expect(() => fuse.replyOpen(1n, { ...open, audioStart: 1.5 })).toThrow(/must be finite/);
    expect(() => fuse.replyOpen(1n, { ...open, origDev: -1 })).toThrow(/must be finite/);
    expect(() => fuse.replyOpen(1n, { ...open, fh: -2 })).toThrow(/fh must be a whole number/);
    expect(() => fuse.replyOpen(1n, { ...open, header: 'abc' as never })).toThrow(/replyOpen\(req/);
    expect(() => fuse.replyOpen(1n, { ...open, origPath: 7 as never })).toThrow(
      /origPath must be a string or/,
    );
    // A path's bytes (a name that is not UTF-8) are accepted, but never with a NUL inside.
    expect(() => fuse.replyOpen(1n, { ...open, origPath: Buffer.from([0x2f, 0x66, 0xff]) })).toThrow(
      /not an open waiting/,
    );
    expect(() => fuse.replyOpen(1n, { ...open, origPath: Buffer.from([0x2f, 0, 0x78]) })).toThrow(
      /origPath must be a string or a Buffer without NUL/,
    );
    // A layout built ahead is checked as an open's is.
    const { fd: _, ...layout } = open;
    expect(() => fuse.rememberLayout({ ...layout, size: Number.NaN })).toThrow(/must be finite/);
    expect(() => fuse.rememberLayout({ ...layout, header: 'abc' as never })).toThrow(/rememberLayout\(/);
    expect(() => fuse.rememberLayout({ ...layout, size: 2 })).toThrow(/larger than the file/);
    expect(() => fuse.rememberLayout({ ...layout, path: 7 as never })).toThrow(/path a string/);
    // Pictures and padding left out of the header: in order, apart, within it, each named by a hash
    // (null: padding).
    const hash = 'ab'.repeat(32);
    for (const holes of [
      [{ at: 5, length: 2, hash }], // 4 bytes held: a hole at 5 leaves a gap
      [
        { at: 2, length: 3, hash },
        { at: 4, length: 1, hash },
      ], // overlapping
      [{ at: 0, length: 0, hash }],
      [{ at: 0, length: 1, hash: 'x'.repeat(65) }],
      [{ at: 0, length: 1 }],
      [{ at: 0, length: 1, hash: '' }],
      'ab',
    ])
      expect(() => fuse.replyOpen(1n, { ...open, holes: holes as never })).toThrow(/holes must be/);
    expect(() => fuse.replyOpen(1n, { ...open, holes: [{ at: 0, length: 7, hash }] })).toThrow(
      /larger than the file/,
    );
    // Well formed, but no open is waiting for it.
    expect(() => fuse.replyOpen(1n, open)).toThrow(/not an open waiting/);
    expect(() => fuse.replyOpen(1n, { ...open, holes: [{ at: 2, length: 4, hash }] })).toThrow(
      /not an open waiting/,
    );
    expect(() => fuse.replyOpen(1n, { ...open, holes: [{ at: 2, length: 4, hash: null }] })).toThrow(
      /not an open waiting/,
    );
    const create = { ino: 4294967295, fh: 3, size: 0, mtimeMs: 1 };
    expect(() => fuse.replyCreate(1n, { ...create, ino: 1 })).toThrow(/must be finite/);
    expect(() => fuse.replyCreate(1n, { ...create, fh: -1 })).toThrow(/must be finite/);
    expect(() => fuse.replyCreate(1n, { ...create, mtimeMs: Number.NaN })).toThrow(/must be finite/);
    expect(() => fuse.replyCreate(1n, { ino: 5 } as never)).toThrow(/replyCreate\(req/);
    expect(() => fuse.replyCreate(1n, create)).toThrow(/not a create waiting/);
  });

  it('lists a scratch file in its directory, flagged for JS', () => {
    const packed = packTree(tree, facts, [
      {
        ino: 4294967295,
        parent: tree.lookup('/Björk/Post (1995)')!.ino,
        name: '01 Army of Me.flac.tmp',
        mtimeMs: 5,
      },
      // Its directory is gone, or a served file took its name: left out.
      { ino: 4294967293, parent: 999, name: 'x.tmp', mtimeMs: 5 },
      {
        ino: 4294967291,
        parent: tree.lookup('/Björk/Post (1995)')!.ino,
        name: '02 Hyper-ballad.ogg',
        mtimeMs: 5,
      },
    ]);
    expect(packed.ino.length).toBe(6);
    expect(packed.flags[5]).toBe(NODE_WRITABLE | NODE_SCRATCH);
    expect(packed.parent[5]).toBe(2);
    expect(() => fuse.setTree(packed)).not.toThrow();
  });
});
