// Served names that a case-insensitive or normalising file system (APFS, NTFS, exFAT) would take for one
// another: copying the mount there must not write one file over another. Folders that differ only so are
// one folder, spelled as its lowest file id has it; files get " (2)"; the same library always gives the
// same names, and a file added later takes the suffix.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../app/core/db/database.ts';
import { applyEdit, planEdit } from '../../../app/core/library/edits.ts';
import { LibraryView } from '../../../app/core/mounted/library-view.ts';
import { type DirNode, isDir, type TreeEntry, VirtualTree } from '../../../app/core/mounted/virtual-tree.ts';
import { nameKey, PathTemplate } from '../../../app/core/served/path-template.ts';
import { taggedLibrary } from '../../fixtures/tagged-library.ts';

const NFC = 'Caf\u00e9';
const NFD = 'Cafe\u0301';

const entry = (fileId: number, ...components: string[]): TreeEntry => ({ fileId, components, mtimeMs: 0 });

/** Every name in the tree, checked to be one name per key in its directory. */
function expectDistinctKeys(dir: DirNode): void {
  const keys = [...dir.children.keys()].map(nameKey);
  expect(new Set(keys).size, `names ${[...dir.children.keys()].join(' | ')}`).toBe(keys.length);
  for (const child of dir.children.values()) if (isDir(child)) expectDistinctKeys(child);
}

describe('nameKey', () => {
  it('is one key for names a case-insensitive, normalising file system takes as one', () => {
    for (const [a, b] of [
      ['05 Same Title.flac', '05 same title.FLAC'],
      [NFC, NFD],
      [`${NFC}`.toUpperCase(), NFD],
      ['Straße', 'STRASSE'], // full case folding (APFS)
      ['STRA\u1e9eE', 'strasse'],
      ['\u017ftop', 'STOP'], // the long s
      ['\u212a', 'k'], // the Kelvin sign
      ['ΣΊΣΥΦΟΣ', 'σίσυφος'],
    ])
      expect(nameKey(a!), `${a} against ${b}`).toBe(nameKey(b!));
    expect(nameKey('Cafe')).not.toBe(nameKey(NFC));
    expect(nameKey('Song (2)')).not.toBe(nameKey('Song'));
  });

  it('is its own key', () => {
    for (const name of ['The Wall', NFD, 'Straße', 'İstanbul', '\u1fb3', 'ǰ']) {
      expect(nameKey(nameKey(name))).toBe(nameKey(name));
    }
  });
});

describe('the virtual tree', () => {
  const entries = [
    entry(4, 'The wall', 'Album', '01 Other.flac'),
    entry(2, 'The Wall', 'Album', '05 Same Title.flac'),
    entry(3, 'THE WALL', 'album', '05 same title.flac'),
    entry(6, NFC, `${NFD}.mp3`),
    entry(5, NFD, `${NFC}.mp3`),
  ];

  it('makes one folder of spellings of a name, spelled as its lowest file id has it, whatever the order', () => {
    for (const order of [entries, [...entries].reverse()]) {
      const tree = VirtualTree.build(order);
      expect(tree.pathOf(2)).toBe('/The Wall/Album/05 Same Title.flac');
      expect(tree.pathOf(3)).toBe('/The Wall/Album/05 same title (2).flac');
      expect(tree.pathOf(4)).toBe('/The Wall/Album/01 Other.flac');
      expect(tree.pathOf(5)).toBe(`/${NFD}/${NFC}.mp3`);
      expect(tree.pathOf(6)).toBe(`/${NFD}/${NFD} (2).mp3`);
      expect([...tree.root.children.keys()].sort()).toEqual(['The Wall', NFD].sort());
      expect(tree.hasTop('the WALL')).toBe(true);
      expectDistinctKeys(tree.root);
    }
  });

  it('gives a file added later the suffix, renaming none of the others', () => {
    const before = VirtualTree.build(entries);
    const after = VirtualTree.build([...entries, entry(9, 'the wall', 'ALBUM', '05 SAME TITLE.flac')]);
    expect(after.movedSince(before)).toEqual([9]);
    expect(after.pathOf(9)).toBe('/The Wall/Album/05 SAME TITLE (3).flac');
  });

  it('moves a folder aside from a file of its name in another case, and a suffix clear of taken names', () => {
    const tree = VirtualTree.build([
      entry(1, 'b'),
      entry(2, 'B', 'y.flac'),
      entry(3, 'Dir', 'x (2).flac'),
      entry(4, 'Dir', 'X.flac'),
      entry(5, 'Dir', 'x.flac'),
    ]);
    expect(tree.pathOf(1)).toBe('/b');
    expect(tree.pathOf(2)).toBe('/B (2)/y.flac');
    expect(tree.pathOf(4)).toBe('/Dir/X.flac');
    expect(tree.pathOf(5)).toBe('/Dir/x (3).flac');
    expectDistinctKeys(tree.root);
  });
});

describe("the mount's view of a library", () => {
  const open: Db[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });

  /** Tracks of twelve artists (so a change rebuilds a few top-level folders, not the tree), then two
   *  tracks of "The Wall". */
  function library() {
    const track = (artist: string, title: string) => ({
      path: `/music/${artist}/${title}.flac`,
      tags: { albumartist: [artist], album: ['Album'], title: [title], tracknumber: ['1'] },
    });
    const { db } = taggedLibrary([
      ...Array.from({ length: 12 }, (_, i) => track(`Artist ${String(i).padStart(2, '0')}`, 'Song')),
      track('The Wall', 'Same Title'),
      track('The Wall', 'Another'),
    ]);
    open.push(db);
    const id = (path: string) =>
      db.prepare('SELECT id FROM files WHERE path = ?').pluck().get(path) as number;
    return {
      db,
      first: id('/music/Artist 00/Song.flac'),
      wall: id('/music/The Wall/Same Title.flac'),
    };
  }

  const retag = (db: Db, id: number, key: string, value: string) =>
    applyEdit(db, planEdit(db, [id], [{ key, values: [value] }]), { description: key, origin: 'cli' });

  it('takes a track retagged into another spelling of a folder into that folder, rebuilding only it', () => {
    const { db, first } = library();
    const view = new LibraryView(db, new PathTemplate());
    retag(db, first, 'albumartist', 'THE WALL');
    retag(db, first, 'title', 'SAME TITLE');
    view.refresh(true);
    // The moved track has the lowest id: the folder takes its spelling.
    expect(view.tree.pathOf(first)).toBe('/THE WALL/Album/01 SAME TITLE.flac');
    expect(view.rebuiltTops).toEqual(new Set(['Artist 00', 'The Wall', 'THE WALL']));
    expectDistinctKeys(view.tree.root);
    // What a new mount of the library shows.
    const fresh = new LibraryView(db, new PathTemplate());
    for (const record of fresh.records())
      expect(view.tree.pathOf(record.fileId)).toBe(fresh.tree.pathOf(record.fileId));
  });

  it('names a track retagged to differ from another only in normalisation apart from it', () => {
    const { db, wall } = library();
    const view = new LibraryView(db, new PathTemplate());
    const other = [...view.records()].find((r) => r.path.endsWith('Another.flac'))!.fileId;
    retag(db, wall, 'title', NFC);
    retag(db, other, 'title', NFD);
    view.refresh(true);
    expect(view.tree.pathOf(wall)).toBe(`/The Wall/Album/01 ${NFC}.flac`);
    expect(view.tree.pathOf(other)).toBe(`/The Wall/Album/01 ${NFD} (2).flac`);
  });
});
