// A retitle rebuilds and packs again only the top-level folders it touched: after any series of moves
// the tree and its packing must be what a full build and pack give (the same paths, inode numbers,
// parents, names, sizes and times), but for the order of top-level entries, which listings sort; and what
// watchers are told of it, found by comparing only those folders, what comparing every node finds.
import { describe, expect, it } from 'vitest';
import { DirInodes, type TreeEntry, VirtualTree } from '../../../app/core/mounted/virtual-tree.ts';
import { nameKey } from '../../../app/core/served/path-template.ts';
import { treeChanges } from '../../../fuse/mount-echo.ts';
import type { NativeTree } from '../../../fuse/native-binding.ts';
import { packTree, rebuiltRanges, repackInPlace, repackTops } from '../../../fuse/native-tree.ts';
import { lcg } from '../../helpers.ts';

/** Every node as "parent path → name: ino, flags, size, time, version", in any order. */
function nodes(tree: NativeTree): string[] {
  const name = (i: number) =>
    Buffer.from(tree.names.subarray(tree.nameEnd[i - 1] ?? 0, tree.nameEnd[i])).toString();
  const path = (i: number): string => (i === 0 ? '' : `${path(tree.parent[i]!)}/${name(i)}`);
  return Array.from(
    tree.ino,
    (ino, i) => `${path(i)}: ${ino} ${tree.flags[i]} ${tree.size[i]} ${tree.mtimeMs[i]} ${tree.version[i]}`,
  ).sort();
}

/** Each directory's inode number and its entries' names, in the tree's order. */
function directories(tree: VirtualTree): Map<number, string[]> {
  const dirs = new Map<number, string[]>();
  const walk = (ino: number) => {
    const dir = tree.directory(ino)!;
    dirs.set(ino, [...dir.children.keys()]);
    for (const child of dir.children.values()) if (typeof child !== 'number') walk(child.ino);
  };
  walk(1);
  return dirs;
}

describe('rebuilding and packing only the top-level folders a change touched', () => {
  it('gives the tree and packing of a full build, move after move', () => {
    const next = lcg(41);
    // Spellings of one folder (case, NFC and NFD) are one folder, spelled as its lowest file id has it.
    const artists = ['Alpha', 'alpha', 'Beta', 'Gamma', 'Ünïcode', 'U\u0308nïcode', 'ÜNÏCODE', 'Delta'];
    const titles = ['Song', 'song', 'Café', 'Cafe\u0301'];
    const entryOf = (fileId: number): TreeEntry => ({
      fileId,
      // Few titles, so names collide and take " (2)" suffixes.
      components: [
        artists[next() % artists.length]!,
        `Album ${next() % 3}`,
        `0${next() % 4} ${titles[next() % titles.length]}.flac`,
      ],
      mtimeMs: 1000 + (next() % 5000),
    });
    const entries = new Map<number, TreeEntry>();
    for (let id = 1; id <= 300; id++) entries.set(id, entryOf(id));
    const facts = (id: number) => ({ size: 1000 + id, version: id % 7, writable: id % 2 === 0 });
    const inodes = new DirInodes();
    const tree = VirtualTree.build([...entries.values()], inodes);
    let packed = packTree(tree, facts);
    let older: NativeTree | undefined;
    // The directories by inode number, kept up to date by each rebuild once made.
    const seen = new Set(directories(tree).keys());
    for (let step = 0; step < 60; step++) {
      // One to three files move (or go); their old and new top-level folders are rebuilt.
      const tops = new Set<string>();
      for (let k = 0; k < 1 + (next() % 3); k++) {
        const id = 1 + (next() % 300);
        const before = entries.get(id);
        if (before) tops.add(before.components[0]!);
        if (next() % 10 === 0) entries.delete(id);
        else {
          const after = entryOf(id);
          entries.set(id, after);
          tops.add(after.components[0]!);
        }
      }
      // Once, a whole top-level folder moves into another: its folders are gone.
      if (step === 30)
        for (const [id, e] of entries)
          if (e.components[0] === 'Beta') {
            entries.set(id, { ...e, components: ['Delta', ...e.components.slice(1)] });
            tops.add('Beta').add('Delta');
          }
      const keys = new Set([...tops].map(nameKey));
      const affected = [...entries.values()].filter((e) => keys.has(nameKey(e.components[0]!)));
      const { names } = tree.rebuildTops(tops, affected, inodes);
      // The tree before the last is no longer used: its arrays are written over.
      const repacked = repackTops(packed, tree, names, facts, older);
      // What watchers are told of it: the rebuilt subtrees compared tell what the whole trees compared do.
      expect(treeChanges(packed, repacked.tree, { rebuilt: repacked.rebuilt })).toEqual(
        treeChanges(packed, repacked.tree),
      );
      [older, packed] = [packed, repacked.tree];
      const full = VirtualTree.build([...entries.values()], inodes);
      for (const id of entries.keys()) expect(tree.pathOf(id)).toBe(full.pathOf(id));
      expect(tree.fileCount).toBe(entries.size);
      expect(tree.root.mtimeMs).toBe(full.root.mtimeMs);
      expect(nodes(packed)).toEqual(nodes(packTree(full, facts)));
      const dirs = directories(full);
      for (const ino of dirs.keys()) seen.add(ino);
      for (const ino of seen) {
        // In any order: a rebuilt top-level folder comes last in the root's (listings sort them).
        expect([...(tree.directory(ino)?.children.keys() ?? [])].sort()).toEqual(
          (dirs.get(ino) ?? []).sort(),
        );
        expect(tree.foldersAfter(ino, 9).map((d) => d.ino)).toEqual(
          full.foldersAfter(ino, 9).map((d) => d.ino),
        );
      }
    }
  });

  it('keeps a rebuilt folder in its place, and names where the binding compares: it and nodes patched since', () => {
    const inodes = new DirInodes();
    const build = (title: string, more: TreeEntry[] = []) =>
      VirtualTree.build(
        [
          { fileId: 1, components: ['A', 'x.flac'], mtimeMs: 0 },
          { fileId: 2, components: ['B', `${title}.flac`], mtimeMs: 0 },
          { fileId: 3, components: ['C', 'z.flac'], mtimeMs: 0 },
          ...more,
        ],
        inodes,
      );
    const facts = () => ({ size: 1, version: 1, writable: false });
    const before = packTree(build('y'), facts);
    const { tree, rebuilt } = repackTops(
      before,
      build('w', [{ fileId: 4, components: ['D', 'v.flac'], mtimeMs: 0 }]),
      new Set(['B', 'D']),
      facts,
    );
    // A and its file (nodes 1–2), B and its file again in their place (3–4), C and its file (5–6), the
    // new D last (7–8); C's file patched after the repack.
    expect(tree.ino.slice(1, 7)).toEqual(before.ino.slice(1, 7));
    expect(rebuiltRanges(rebuilt, [6], before, tree)).toEqual({
      before: Uint32Array.of(3, 5, 6, 7),
      after: Uint32Array.of(3, 5, 7, 9, 6, 7),
    });
  });

  it('writes retitles over the tree before when their folders keep their nodes: what a copy gives', () => {
    const next = lcg(5);
    let titled = 0;
    // Three top-level folders of two albums; titles of 1 to 40 characters, so names grow and shrink.
    const title = () => `${'x'.repeat(next() % 40)}${titled++}`;
    // Each title a newer time, so the folders' times and the root's move too.
    const entryOf = (fileId: number, t: string): TreeEntry => ({
      fileId,
      components: [`Artist ${fileId % 3}`, `Album ${fileId % 2}`, `${fileId} ${t}.flac`],
      mtimeMs: 1000 + titled,
    });
    const entries = new Map<number, TreeEntry>();
    for (let id = 1; id <= 24; id++) entries.set(id, entryOf(id, title()));
    const inodes = new DirInodes();
    const tree = VirtualTree.build([...entries.values()], inodes);
    const facts = (id: number) => ({ size: 100 + id, version: id % 3, writable: false });
    let packed = packTree(tree, facts);
    const retitle = (ids: number[], t: () => string) => {
      for (const id of ids) entries.set(id, entryOf(id, t()));
      const tops = new Set(ids.map((id) => entries.get(id)!.components[0]!));
      const affected = [...entries.values()].filter((e) => tops.has(e.components[0]!));
      return tree.rebuildTops(tops, affected, inodes).names;
    };
    let written = 0;
    for (let step = 0; step < 40; step++) {
      // One file retitled, or two (in one top-level folder or two); a long title now and then, which the
      // names' room may not take.
      const ids = [1 + (next() % 24), ...(step % 2 === 1 ? [1 + (next() % 24)] : [])];
      const names = retitle(ids, step % 10 === 9 ? () => `${'y'.repeat(200)}${titled++}` : title);
      const copied = repackTops(packed, tree, names, facts);
      const found = treeChanges(packed, copied.tree);
      const before = nodes(packed);
      const inPlace = repackInPlace(packed, tree, names, facts);
      if (!inPlace) {
        expect(nodes(packed)).toEqual(before);
        packed = copied.tree;
        continue;
      }
      written++;
      expect(nodes(inPlace.tree)).toEqual(nodes(copied.tree));
      expect(inPlace.tree.ino).toEqual(copied.tree.ino);
      expect(inPlace.tree.nameEnd).toEqual(copied.tree.nameEnd);
      expect(inPlace.rebuilt).toEqual(copied.rebuilt.after);
      const rebuilt = { before: inPlace.old.rebuilt, after: inPlace.rebuilt };
      expect(treeChanges(inPlace.old.tree, inPlace.tree, { rebuilt })).toEqual(found);
      expect(found.before.length).toBeGreaterThan(0);
      packed = inPlace.tree;
    }
    // Most written over; the long titles not always (their names outgrew the room).
    expect(written).toBeGreaterThanOrEqual(30);
    expect(written).toBeLessThan(40);
    // A file moved to another folder changes two folders' nodes: copied.
    entries.set(3, { ...entries.get(3)!, components: ['Artist 1', 'Album 1', '3 moved.flac'] });
    const tops = new Set(['Artist 0', 'Artist 1']);
    const affected = [...entries.values()].filter((e) => tops.has(e.components[0]!));
    const { names } = tree.rebuildTops(tops, affected, inodes);
    expect(repackInPlace(packed, tree, names, facts)).toBeUndefined();
  });

  it('packs past its first arrays and names, every name as UTF-8', () => {
    // 3,000 files of long names in three scripts: more nodes than a repack's first arrays hold (1,024),
    // more bytes of names than its first buffer (32 KiB), names of 1- to 4-byte UTF-8.
    const spell = ['Ä', 'ж', '音', '🎵'];
    const entries = Array.from(
      { length: 3000 },
      (_, i): TreeEntry => ({
        fileId: i + 1,
        components: [`Artist ${i % 7}`, `Album ${i % 30}`, `${spell[i % 4]!.repeat(20 + (i % 9))} ${i}.flac`],
        mtimeMs: 1000 + i,
      }),
    );
    const tree = VirtualTree.build(entries);
    const facts = (id: number) => ({ size: 5000 + id, version: id, writable: id % 3 === 0 });
    const whole = packTree(tree, facts);
    expect(whole.ino.length).toBe(1 + 7 + 7 * 30 + 3000);
    const tops = new Set(tree.root.children.keys());
    expect(nodes(repackTops(whole, tree, tops, facts).tree)).toEqual(nodes(whole));
    expect(nodes(whole)).toContain(`${tree.pathOf(4)}: ${2 * 4 + 2} 0 5004 1003 4`);
  });

  it('reports every file whose path changed: the moved ones, and those a name collision renamed with them', () => {
    const next = lcg(7, 16);
    // One folder and two titles: most names collide, so a move renames files it did not touch.
    const entryOf = (fileId: number): TreeEntry => ({
      fileId,
      components: [`Artist ${next() % 2}`, 'Album', `${next() % 2 === 0 ? 'Song' : 'Other'}.flac`],
      mtimeMs: 1000,
    });
    const entries = new Map<number, TreeEntry>();
    for (let id = 1; id <= 40; id++) entries.set(id, entryOf(id));
    const inodes = new DirInodes();
    const tree = VirtualTree.build([...entries.values()], inodes);
    let full = VirtualTree.build([...entries.values()], inodes);
    let renamedAlong = 0;
    for (let step = 0; step < 40; step++) {
      const before = new Map(Array.from({ length: 40 }, (_, i) => [i + 1, tree.pathOf(i + 1)]));
      const tops = new Set<string>();
      const touched = new Set<number>();
      const id = 1 + (next() % 40);
      touched.add(id);
      const old = entries.get(id);
      if (old) tops.add(old.components[0]!);
      if (next() % 8 === 0) entries.delete(id);
      else {
        const after = entryOf(id);
        entries.set(id, after);
        tops.add(after.components[0]!);
      }
      const { moved } = tree.rebuildTops(
        tops,
        [...entries.values()].filter((e) => tops.has(e.components[0]!)),
        inodes,
      );
      const expected = [...before].filter(([i, path]) => tree.pathOf(i) !== path).map(([i]) => i);
      expect(new Set(moved)).toEqual(new Set(expected));
      const rebuilt = VirtualTree.build([...entries.values()], inodes);
      expect(new Set(rebuilt.movedSince(full))).toEqual(new Set(expected));
      full = rebuilt;
      renamedAlong += expected.filter((i) => !touched.has(i)).length;
    }
    // The collisions happened: files were renamed that no step touched.
    expect(renamedAlong).toBeGreaterThan(0);
  });
});
