// The Subsonic server's folders under a path template, patched after an edit instead of made again: after
// any run of edits (a track moved to another folder, another album, hidden, shown, its file renamed), the
// patched tree is the tree made from scratch — the same folders, in the same order, with the same songs —
// and the tree a request was answering from is left as it was.
import { describe, expect, it } from 'vitest';
import {
  albumKeyOf,
  type CatalogGroups,
  type CatalogTrack,
  groupAll,
  patchGroups,
} from '../../../app/core/library/catalog-groups.ts';
import { type FolderTree, folderTree, type MadeTree } from '../../../app/server/subsonic/folders.ts';

/** A deterministic random source (mulberry32), so a failure names its seed. */
function random(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const GENRES = ['Rock', 'Jazz', 'ambient'];
const ARTISTS = ['Alpha', 'beta', 'The Gamma'];
const ALBUMS = ['One', 'Two', 'three'];

function track(id: number, pick: (n: number) => number): CatalogTrack {
  const genre = GENRES[pick(GENRES.length)]!;
  const albumArtist = ARTISTS[pick(ARTISTS.length)]!;
  const album = ALBUMS[pick(ALBUMS.length)]!;
  const top = pick(8) === 0; // the template files a few tracks at the top
  return {
    id,
    format: 'mp3',
    codec: 'mp3',
    duration: 60,
    bitrate: 128_000,
    sampleRate: 44_100,
    channels: 2,
    bitDepth: null,
    size: 1000,
    addedAt: id,
    hasArt: pick(2) === 0,
    tags: { genre: [genre], title: [`t${id}`] },
    title: `t${id}`,
    albumArtist,
    album,
    artists: [albumArtist],
    year: null,
    folder: top ? '' : `${genre}/${albumArtist}/${album}`,
    fileName: `${String(pick(20)).padStart(2, '0')} t${id}.mp3`,
  };
}

/** What a tree shows a client: each folder's path, subfolders and songs, in order. */
function shown(tree: FolderTree): unknown {
  const walk = (f: FolderTree['top']): unknown => ({
    path: f.path,
    id: f.id,
    parent: f.parent,
    folders: f.folders.map(walk),
    songs: f.songs.map((t) => `${t.fileName}#${t.id}`),
  });
  const ids = [...tree.byId.keys()].sort();
  const paths = [...tree.byPath.keys()].sort();
  return { top: walk(tree.top), ids, paths };
}

describe('template folders patched after edits', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('equal the folders made anew (seed %i)', (seed) => {
    const pick = random(seed);
    const served = new Map<number, CatalogTrack>();
    for (let id = 1; id <= 60; id++) served.set(id, track(id, pick));
    let generation = 1;
    const start = groupAll(served.values(), generation);
    let groups: CatalogGroups = start.groups;
    let made: MadeTree = { generation, albums: groups.albums, tree: folderTree(groups, undefined) };
    for (let step = 0; step < 40; step++) {
      const changed: Array<{ id: number; now: CatalogTrack | undefined }> = [];
      for (let n = 1 + pick(4); n > 0; n--) {
        const id = 1 + pick(70); // ids past 60 arrive as new tracks
        const now = pick(5) === 0 ? undefined : track(id, pick); // hidden, or edited
        if (now) served.set(id, now);
        else served.delete(id);
        changed.push({ id, now });
      }
      const tracksOf = (key: string) => [...served.values()].filter((t) => albumKeyOf(t) === key);
      const before = shown(made.tree);
      groups = patchGroups(groups, start.index, changed, tracksOf, ++generation);
      const patched = folderTree(groups, made);
      expect(shown(made.tree), 'the previous tree is left as it was').toEqual(before);
      expect(shown(patched), `step ${step}`).toEqual(shown(folderTree(groups, undefined)));
      made = { generation, albums: groups.albums, tree: patched };
    }
  });

  it("copies only the folders of the edited track's album, and their parents", () => {
    const pick = random(9);
    const served = new Map<number, CatalogTrack>();
    for (let id = 1; id <= 300; id++) served.set(id, track(id, pick));
    const start = groupAll(served.values(), 1);
    const tree = folderTree(start.groups, undefined);
    const moved = { ...served.get(1)!, fileName: 'renamed.mp3' };
    served.set(1, moved);
    const tracksOf = (key: string) => [...served.values()].filter((t) => albumKeyOf(t) === key);
    const next = patchGroups(start.groups, start.index, [{ id: 1, now: moved }], tracksOf, 2);
    const patched = folderTree(next, { generation: 1, albums: start.groups.albums, tree });
    const copied = [...patched.byPath].filter(([path, f]) => tree.byPath.get(path) !== f).map(([p]) => p);
    const withParents = (place: string) =>
      place === ''
        ? ['']
        : place
            .split('/')
            .map((_, i, parts) => parts.slice(0, i + 1).join('/'))
            .concat('');
    const album = start.groups.albumOf.get(1)!.tracks;
    const expected = new Set(album.flatMap((t) => withParents(t.folder!)));
    expect(copied.sort()).toEqual([...expected].sort());
    expect(copied.length).toBeLessThan(patched.byPath.size / 2);
  });
});
