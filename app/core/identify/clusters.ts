// Files grouped as the albums they probably are, before any is matched to a release: by folder (a "CD1",
// "Disc 2" folder counts as its parent, so a set's discs stay together) and, within it, by album tag. What
// each file says about its track (title, artist, numbers — from the file name when the tags are empty) and
// what the cluster's tags agree on about the album go with it.
import { basename, dirname } from 'node:path';
import type { Db } from '../db/database.ts';
import { filesByIds, type Tags } from '../library/list.ts';
import type { ClusterFacts, ClusterFile } from './release-match.ts';
import { normalizeName } from './release-match.ts';

export interface Cluster {
  /** Stable for the same files: the folder and the album tag. */
  readonly key: string;
  readonly dir: string;
  readonly files: readonly ClusterFile[];
  readonly facts: ClusterFacts;
  /** Releases the files' own tags name (musicbrainz_albumid, lower case), with how many files name each. */
  readonly albumIds: ReadonlyMap<string, number>;
}

const FIELDS = [
  'album',
  'albumartist',
  'artist',
  'title',
  'tracknumber',
  'discnumber',
  'date',
  'musicbrainz_albumid',
  'musicbrainz_recordingid',
];

const DISC_FOLDER = /^(?:cd|dis[ck])\s*\d+$/i;
/** "07 - Title.flac", "07. Title", "07_title": a leading track number. */
const NUMBERED_NAME = /^(\d{1,3})(?=[\s._-])/;

const first = (tags: Tags, key: string) => tags[key]?.find((v) => v.trim() !== '')?.trim();
/** "3/12" → 3. */
const leadingNumber = (v: string | undefined) => {
  const n = v === undefined ? Number.NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** The one value every file that has `key` agrees on (by normalized name), if any. */
function agreed(all: readonly Tags[], key: string): string | undefined {
  const values = all.map((t) => first(t, key)).filter((v): v is string => v !== undefined);
  if (values.length === 0) return undefined;
  return new Set(values.map(normalizeName)).size === 1 ? values[0] : undefined;
}

/** `recordingsOf`: the recordings each file is said to be by AcoustID (the file's own tag is added). */
export function clusterFiles(
  db: Db,
  ids: readonly number[],
  recordingsOf: (id: number) => readonly string[],
): Cluster[] {
  const groups = new Map<
    string,
    { dir: string; files: Array<{ id: number; path: string; duration: number | null; tags: Tags }> }
  >();
  for (const f of filesByIds(db, ids, FIELDS)) {
    if (f.status !== 'ok') continue;
    let dir = dirname(f.path);
    if (DISC_FOLDER.test(basename(dir))) dir = dirname(dir);
    const album = first(f.tags, 'album');
    const key = `${dir}\u0000${album === undefined ? '' : normalizeName(album)}`;
    const group = groups.get(key) ?? { dir, files: [] };
    group.files.push({ id: f.id, path: f.path, duration: f.duration, tags: f.tags });
    groups.set(key, group);
  }
  return [...groups].map(([key, { dir, files }]) => {
    const all = files.map((f) => f.tags);
    const albumArtist = agreed(all, 'albumartist');
    const artists = new Set(all.flatMap((t) => first(t, 'artist') ?? []).map(normalizeName));
    const year = leadingNumber(agreed(all, 'date')?.slice(0, 4));
    return {
      key,
      dir,
      files: files.map((f): ClusterFile => {
        const own = first(f.tags, 'musicbrainz_recordingid')?.toLowerCase();
        const track =
          leadingNumber(first(f.tags, 'tracknumber')) ??
          leadingNumber(NUMBERED_NAME.exec(basename(f.path))?.[1]);
        return {
          id: f.id,
          duration: f.duration,
          title: first(f.tags, 'title'),
          artist: first(f.tags, 'artist'),
          disc: leadingNumber(first(f.tags, 'discnumber')),
          track,
          recordings: new Set([...recordingsOf(f.id), ...(own ? [own] : [])]),
        };
      }),
      facts: {
        album: agreed(all, 'album'),
        artist: albumArtist ?? (artists.size === 1 ? agreed(all, 'artist') : undefined),
        year,
        various: albumArtist === undefined && artists.size > 1,
      },
      albumIds: all.reduce((counts, t) => {
        const id = first(t, 'musicbrainz_albumid')?.toLowerCase();
        if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
        return counts;
      }, new Map<string, number>()),
    };
  });
}
