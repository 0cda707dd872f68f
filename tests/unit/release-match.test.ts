// Matching a cluster of files to a MusicBrainz release: the optimal assignment of files to tracks and the
// release's score, in the cases an album tagger meets — a track missing, a file too many, one disc of a
// set, an original against its remaster (decided by lengths), a Various Artists compilation — with files
// that have no tags (sound and length only) and files that have titles and numbers but no sound evidence.
import { describe, expect, it } from 'vitest';
import {
  type ClusterFile,
  matchRelease,
  nameDistance,
  type ReleaseMatch,
} from '../../app/core/identify/release-match.ts';
import { mbid, release, type TrackSpec, VARIOUS_ARTISTS } from '../fixtures/musicbrainz-data.ts';

const TITLES = [
  'Dawn Road',
  'Kestrel',
  'Low Tide',
  'Paper Moon',
  'Salt',
  'Ninefold',
  'Winter Gate',
  'Ember',
  'Far Shore',
  'Coda',
];
const tracks = (prefix: string, n = 10): TrackSpec[] =>
  Array.from({ length: n }, (_, i) => ({ title: `${TITLES[i % 10]}${prefix}`, length: 150 + 17 * i }));

/** Untagged files with the sound of `specs` (AcoustID's recordings) and their lengths. */
const soundOnly = (specs: readonly TrackSpec[], from = 1): ClusterFile[] =>
  specs.map((t, i) => ({
    id: from + i,
    duration: t.length + 0.4,
    recordings: new Set([mbid(t.recording ?? t.title)]),
  }));

/** Which track (disc.position) each file got. */
const placed = (m: ReleaseMatch) =>
  Object.fromEntries(m.pairs.map((p) => [p.fileId, `${p.track.disc}.${p.track.track.position}`]));

const NO_FACTS = { various: false };

describe('matching a cluster to a release', () => {
  const album = tracks('');
  const original = release({
    id: mbid('original'),
    title: 'Harbour Lights',
    artist: 'Ada North',
    discs: [album],
  });

  it('places every untagged file on its track by sound and length: a perfect score', () => {
    const files = soundOnly(album).reverse(); // the order files come in says nothing
    const m = matchRelease(files, NO_FACTS, original);
    expect(m.pairs).toHaveLength(10);
    for (const [file, at] of Object.entries(placed(m))) expect(at).toBe(`1.${file}`);
    expect(m.extra).toEqual([]);
    expect(m.missing).toBe(0);
    expect(m.byRecording).toBe(10);
    expect(m.score).toBeGreaterThan(0.95);
  });

  it('an album with one track missing: the rest placed, the gap counted, the score lower', () => {
    const files = soundOnly(album).filter((f) => f.id !== 5);
    const m = matchRelease(files, NO_FACTS, original);
    expect(m.pairs).toHaveLength(9);
    for (const [file, at] of Object.entries(placed(m))) expect(at).toBe(`1.${file}`);
    expect(m.missing).toBe(1);
    expect(m.evidence).toContain('1 track(s) on the release without a file');
    expect(m.score).toBeLessThan(matchRelease(soundOnly(album), NO_FACTS, original).score);
  });

  it('one extra file: left out of the pairs, named as extra', () => {
    const stray: ClusterFile = { id: 99, duration: 61, recordings: new Set([mbid('a bonus jingle')]) };
    const m = matchRelease([...soundOnly(album), stray], NO_FACTS, original);
    expect(m.pairs).toHaveLength(10);
    expect(m.extra).toEqual([99]);
    expect(m.missing).toBe(0);
  });

  it('a folder holding disc 2 of a set: placed on disc 2, disc 1 not counted missing', () => {
    const disc1 = tracks(' (Part I)');
    const disc2 = tracks(' (Part II)', 8);
    const set = release({
      id: mbid('set'),
      title: 'The Long Year',
      artist: 'Ada North',
      discs: [disc1, disc2],
    });
    const m = matchRelease(soundOnly(disc2), NO_FACTS, set);
    expect(Object.values(placed(m))).toEqual(disc2.map((_, i) => `2.${i + 1}`));
    expect(m.missing).toBe(0);
    expect(m.evidence).toContain('disc 2 of 2');
    // Without sound evidence, titles and tags ("track 3 of disc 2") place them just as well.
    const tagged: ClusterFile[] = disc2.map((t, i) => ({
      id: 1 + i,
      duration: t.length,
      title: t.title.toUpperCase(),
      disc: 2,
      track: i + 1,
      recordings: new Set(),
    }));
    const byTags = matchRelease(tagged, { album: 'The Long Year (Disc 2)', various: false }, set);
    expect(Object.values(placed(byTags))).toEqual(disc2.map((_, i) => `2.${i + 1}`));
    expect(byTags.byTitle).toBe(8);
  });

  it('an original and its remaster, same recordings: the track lengths decide', () => {
    const longer = album.map((t) => ({ ...t, length: t.length + 5 }));
    const remaster = release({
      id: mbid('remaster'),
      title: 'Harbour Lights (Remastered)',
      artist: 'Ada North',
      date: '2015-03-02',
      discs: [longer],
    });
    const fromOriginal = soundOnly(album); // same recordings on both releases
    expect(matchRelease(fromOriginal, NO_FACTS, original).score).toBeGreaterThan(
      matchRelease(fromOriginal, NO_FACTS, remaster).score,
    );
    const fromRemaster = soundOnly(longer);
    expect(matchRelease(fromRemaster, NO_FACTS, remaster).score).toBeGreaterThan(
      matchRelease(fromRemaster, NO_FACTS, original).score,
    );
  });

  it('a Various Artists compilation: its tracks by their own artists, and the compilation preferred to an artist album holding one of the songs', () => {
    const songs: TrackSpec[] = [
      { title: 'Neon Harbour', length: 201, artist: 'Ada North' },
      { title: 'Glass Fields', length: 187, artist: 'The Lanterns' },
      { title: 'Quiet Engine', length: 244, artist: 'Mira Vale' },
    ];
    const compilation = release({
      id: mbid('va'),
      title: 'Night Drives',
      artist: VARIOUS_ARTISTS,
      discs: [songs],
    });
    const artistAlbum = release({
      id: mbid('ada album'),
      title: 'Neon Harbour',
      artist: 'Ada North',
      discs: [[songs[0]!, ...tracks('', 9)]],
    });
    const files: ClusterFile[] = songs.map((t, i) => ({
      id: i + 1,
      duration: t.length + 1,
      title: t.title,
      artist: t.artist,
      recordings: new Set(),
    }));
    const facts = { album: 'Night Drives', various: true };
    const va = matchRelease(files, facts, compilation);
    expect(va.pairs).toHaveLength(3);
    expect(va.extra).toEqual([]);
    expect(va.score).toBeGreaterThan(0.9);
    expect(va.score).toBeGreaterThan(matchRelease(files, facts, artistAlbum).score + 0.3);
    // Even without the album tag, several artists and no album artist lean to the compilation.
    expect(matchRelease(files, { various: true }, compilation).score).toBeGreaterThan(
      matchRelease(files, { various: true }, artistAlbum).score,
    );
  });

  it('assigns optimally, not greedily: two files whose nearest track is the same one', () => {
    // File 1 (176 s) is nearest to track A (181 s) and near B (170 s); file 2 (181 s) is A. Greedy, file by
    // file, gives A to file 1 and leaves file 2 an 11 s gap; the optimum is file 1 → B, file 2 → A.
    const two = release({
      id: mbid('two'),
      title: 'Two',
      artist: 'Ada North',
      discs: [
        [
          { title: 'A', length: 181 },
          { title: 'B', length: 170 },
        ],
      ],
    });
    const files: ClusterFile[] = [
      { id: 1, duration: 176, recordings: new Set() },
      { id: 2, duration: 181, recordings: new Set() },
    ];
    expect(placed(matchRelease(files, NO_FACTS, two))).toEqual({ 1: '1.2', 2: '1.1' });
  });

  it('compares names without case, accents, punctuation or a leading article', () => {
    expect(nameDistance('The Beatles', 'beatles')).toBe(0);
    expect(nameDistance('Café del Mar!', 'cafe del mar')).toBe(0);
    expect(nameDistance('Harbour Lights', 'Harbor Lights')).toBeLessThan(0.1);
    expect(nameDistance('Harbour Lights', 'Quiet Engine')).toBeGreaterThan(0.7);
  });
});
