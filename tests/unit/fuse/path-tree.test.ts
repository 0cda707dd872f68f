// Templated paths (fallbacks, padding, sanitizing) and the virtual tree (collisions, stable inodes,
// directory times, lookups).
import { describe, expect, test } from 'vitest';
import { DirInodes, fileIno, ROOT_INO, VirtualTree } from '../../../app/core/mounted/virtual-tree.ts';
import { DEFAULT_TEMPLATE, PathTemplate, sanitizeComponent } from '../../../app/core/served/path-template.ts';
import { fileFacts } from '../../fixtures/file-facts.ts';

const track = (tags: Record<string, string | string[]>, stem = 'track', extension = '.flac') => ({
  tags: new Map(Object.entries(tags).map(([k, v]) => [k, typeof v === 'string' ? [v] : v])),
  stem,
  extension,
  facts: fileFacts(`/music/${stem}${extension}`),
});

const utf8 = (s: string) => new TextEncoder().encode(s).length;

describe('path templates', () => {
  const template = new PathTemplate();

  test('the default template', () => {
    expect(template.source).toBe(DEFAULT_TEMPLATE);
    const t = track({
      albumartist: 'Miles Davis',
      artist: 'Miles Davis',
      album: 'Kind of Blue',
      date: '1959-08-17',
      discnumber: '1',
      totaldiscs: '2',
      tracknumber: '3',
      title: 'Blue in Green',
    });
    expect(template.components(t)).toEqual(['Miles Davis', 'Kind of Blue (1959)', '1-03 Blue in Green.flac']);
  });

  test('a disc prefix only on an album of more than one disc, as derived, else as the track says', () => {
    const t = {
      album: 'Kind of Blue',
      artist: 'Miles Davis',
      discnumber: '1',
      tracknumber: '3',
      title: 'So What',
    };
    // Not derived yet: the track's own numbers, disc 1 with no total, say one disc.
    expect(template.components(track(t)).at(-1)).toBe('03 So What.flac');
    expect(template.components(track({ ...t, totaldiscs: '1' })).at(-1)).toBe('03 So What.flac');
    // Its album derived as two discs (another track of it is on disc 2), or as one though it says two.
    expect(template.components({ ...track(t), albumDiscs: 2 }).at(-1)).toBe('1-03 So What.flac');
    expect(template.components({ ...track({ ...t, totaldiscs: '2' }), albumDiscs: 1 }).at(-1)).toBe(
      '03 So What.flac',
    );
    // On no album, no album has discs: no prefix.
    expect(template.components(track({ ...t, album: [], discnumber: '2' })).at(-1)).toBe('03 So What.flac');
  });

  test('a file with a disc number but no track number is named by its title alone, not "2- Title"', () => {
    const t = { album: 'Heroes', artist: 'Wesnoth', discnumber: '2', title: 'Frantic' };
    expect(template.components(track(t)).at(-1)).toBe('Frantic.flac');
    expect(template.components(track({ ...t, tracknumber: '0' })).at(-1)).toBe('2-00 Frantic.flac');
    expect(template.components(track({ ...t, discnumber: [] })).at(-1)).toBe('Frantic.flac');
  });

  test('missing fields fall back; track numbers are padded to the total width', () => {
    expect(template.components(track({ tracknumber: '7/12' }, 'orig name', '.mp3'))).toEqual([
      'Unknown Artist',
      'Unknown Album',
      '07 orig name.mp3',
    ]);
    expect(
      template.components(track({ artist: ['A', 'B'], tracknumber: '7', totaltracks: '120', title: 'x' })),
    ).toEqual(['A; B', 'Unknown Album', '007 x.flac']);
    expect(new PathTemplate('$tracknumber').components(track({ tracknumber: 'A2' }))).toEqual(['A2.flac']);
  });

  test("a value's slash never makes a directory; bad characters and names are cleaned", () => {
    const t = track({
      albumartist: 'AC/DC',
      album: '..',
      title: 'Bad\u0000\u001fName. . ',
      tracknumber: '1',
    });
    expect(template.components(t)).toEqual(['AC_DC', '_', '01 BadName.flac']);
    expect(new PathTemplate('$album/x').components(track({ album: '   ' }))).toEqual([
      'Unknown Album',
      'x.flac',
    ]);
    expect(new PathTemplate('//$title//').components(track({ title: '.hidden' }))).toEqual(['_hidden.flac']);
  });

  test('components stay within 255 bytes of UTF-8, cut between characters', () => {
    const long = 'é'.repeat(300); // 2 bytes each
    const [dir, file] = new PathTemplate('$album/$title').components(track({ album: long, title: long }));
    expect(utf8(dir!)).toBe(254);
    expect(dir).toBe('é'.repeat(127));
    expect(utf8(file!)).toBeLessThanOrEqual(255 - 8);
    expect(file!.endsWith('é.flac')).toBe(true);
    expect(sanitizeComponent('ab😀', 5)).toBe('ab'); // the 4-byte emoji does not fit
  });

  test('an invalid template fails with its position', () => {
    expect(() => new PathTemplate('$album/%bogus{x}')).toThrow(
      'unknown function %bogus at position 8 of the template',
    );
  });
});

describe('the virtual tree', () => {
  const entries = [
    { fileId: 5, components: ['A', 'Album', '01 Song.flac'], mtimeMs: 500 },
    { fileId: 2, components: ['A', 'Album', '01 Song.flac'], mtimeMs: 200 },
    { fileId: 9, components: ['A', 'Album', '01 Song.flac'], mtimeMs: 900 },
    { fileId: 3, components: ['A', 'Other', '02 x.mp3'], mtimeMs: 300 },
    { fileId: 4, components: ['B'], mtimeMs: 400 }, // a file named like a directory
    { fileId: 6, components: ['B', 'y.flac'], mtimeMs: 600 },
  ];

  test('collisions get numbered suffixes in file-id order, whatever the input order', () => {
    for (const order of [entries, [...entries].reverse()]) {
      const tree = VirtualTree.build(order);
      expect(tree.pathOf(2)).toBe('/A/Album/01 Song.flac');
      expect(tree.pathOf(5)).toBe('/A/Album/01 Song (2).flac');
      expect(tree.pathOf(9)).toBe('/A/Album/01 Song (3).flac');
      expect(tree.pathOf(4)).toBe('/B');
      expect(tree.pathOf(6)).toBe('/B (2)/y.flac');
      expect(tree.fileCount).toBe(6);
    }
  });

  test('an iterable that is not an array (placed as it comes) must be in file-id order', () => {
    const inOrder = [...entries].sort((a, b) => a.fileId - b.fileId);
    expect(VirtualTree.build(inOrder.values()).pathOf(9)).toBe('/A/Album/01 Song (3).flac');
    expect(() => VirtualTree.build(entries.values())).toThrow(/out of file-id order: 2 after 5/);
  });

  test('later entries of a directory that a file pushed aside follow it there', () => {
    const tree = VirtualTree.build([...entries, { fileId: 7, components: ['B', 'z.flac'], mtimeMs: 700 }]);
    expect(tree.pathOf(7)).toBe('/B (2)/z.flac');
    expect(tree.lookup('/B (3)')).toBeUndefined();
  });

  test('the folders after one, in the order a listing gives them (names by their UTF-8 bytes)', () => {
    // '😀' sorts before '～' as UTF-16 code units, after it as UTF-8 bytes (F0 against EF): the binding's order.
    const names = ['Zed', '😀', 'Abba', '～', 'Mid'];
    const tree = VirtualTree.build([
      ...names.map((name, i) => ({ fileId: i + 1, components: [name, 'Album', 't.flac'], mtimeMs: 0 })),
      { fileId: 9, components: ['loose.flac'], mtimeMs: 0 },
    ]);
    const ino = (path: string) => tree.lookup(path)!.ino;
    const following = (path: string, count: number) => tree.foldersAfter(ino(path), count).map((d) => d.ino);
    expect(following('/Abba', 2)).toEqual([ino('/Mid'), ino('/Zed')]);
    expect(following('/Zed', 2)).toEqual([ino('/～'), ino('/😀')]);
    expect(following('/😀', 1)).toEqual([]);
    expect(following('/Abba/Album', 1)).toEqual([]); // no folder beside it
    expect(tree.foldersAfter(ROOT_INO, 1)).toEqual([]); // the root has no parent
  });

  test('lookups, inode numbers that survive rebuilds, and directory times from their newest entry', () => {
    const inodes = new DirInodes();
    const tree = VirtualTree.build(entries, inodes);
    const file = tree.lookup('/A/Album/01 Song (2).flac');
    expect(file).toMatchObject({ kind: 'file', fileId: 5, ino: fileIno(5), mtimeMs: 500 });
    expect(tree.lookup('/')).toBe(tree.root);
    expect(tree.root.ino).toBe(ROOT_INO);
    expect(tree.lookup('/A/nope')).toBeUndefined();
    expect(tree.lookup('/B/child-of-a-file')).toBeUndefined();
    const album = tree.lookup('/A/Album');
    expect(album?.kind).toBe('dir');
    expect(album?.kind === 'dir' && [...album.children.keys()].sort()).toEqual([
      '01 Song (2).flac',
      '01 Song (3).flac',
      '01 Song.flac',
    ]);
    expect(album?.kind === 'dir' && album.mtimeMs).toBe(900);
    expect(tree.root.mtimeMs).toBe(900);
    // Directory inodes are odd, file inodes even, all distinct, and stable when the library grows.
    const inos = [
      tree.lookup('/A')!.ino,
      album!.ino,
      tree.lookup('/A/Other')!.ino,
      tree.lookup('/B (2)')!.ino,
    ];
    // Above 2^32: below it are the playlists' and scratch files' odd numbers.
    expect(inos.every((i) => i % 2 === 1 && i > 2 ** 32 && Number.isSafeInteger(i))).toBe(true);
    expect(new Set(inos).size).toBe(4);
    const grown = VirtualTree.build(
      [...entries, { fileId: 1, components: ['C', 'z.flac'], mtimeMs: 1 }],
      inodes,
    );
    expect(grown.lookup('/C')!.ino % 2).toBe(1);
    expect(new Set([...inos, grown.lookup('/C')!.ino]).size).toBe(5);
    expect(grown.lookup('/A/Album')!.ino).toBe(album!.ino);
    expect(grown.lookup('/A/Album/01 Song (2).flac')!.ino).toBe(file!.ino);
    // A new mount (a new allocator) seeing the folders in another order gives each the same number.
    const remounted = VirtualTree.build([...entries].reverse(), new DirInodes());
    expect(['/A', '/A/Album', '/A/Other', '/B (2)'].map((p) => remounted.lookup(p)!.ino)).toEqual(inos);
  });

  test('a newer file time is taken in place, up to the root; an older one asks for a rebuild', () => {
    const tree = VirtualTree.build([
      { fileId: 1, components: ['A', 'Album', '01 One.flac'], mtimeMs: 100 },
      { fileId: 2, components: ['A', 'Other', '01 Two.flac'], mtimeMs: 200 },
    ]);
    expect(tree.chain(1)!.dirs.map((d) => d.ino)).toEqual([
      ROOT_INO,
      tree.lookup('/A')!.ino,
      tree.lookup('/A/Album')!.ino,
    ]);
    expect(tree.chain(1)!.file.ino).toBe(fileIno(1));
    expect(tree.touch(1, 300)).toBe(true);
    expect(tree.lookup('/A/Album/01 One.flac')!.mtimeMs).toBe(300);
    expect([tree.root.mtimeMs, tree.lookup('/A')!.mtimeMs, tree.lookup('/A/Album')!.mtimeMs]).toEqual([
      300, 300, 300,
    ]);
    expect(tree.lookup('/A/Other')!.mtimeMs).toBe(200);
    expect(tree.touch(1, 250)).toBe(false);
    expect(tree.lookup('/A/Album/01 One.flac')!.mtimeMs).toBe(300);
    expect(tree.touch(9, 400)).toBe(false);
  });
});
