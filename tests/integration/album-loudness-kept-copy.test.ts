// An album's loudness is over the tracks the album lists (`sleeve ls album:…`, the app's album): of a
// recording held twice on one album, the copy it keeps, never another copy of it that measures otherwise
// (a copy turned down 8 dB; the lowest id was counted); and it follows a change of the copy kept. A
// recording whose kept copy is on another album (a compilation) still counts on this one in its own copy,
// which this album lists: no album counts a track of another.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

interface Facts {
  id: number;
  path: string;
  album: { name: string; tracks: number; gain: number } | null;
}

describe('album loudness over copies', () => {
  const dir = tempDir();
  const lib = join(dir, 'music');
  const home = join(dir, 'home');
  const path = (p: string) => join(lib, p);
  let ids: Map<string, number>;

  const flac = (wav: string, out: string, album: string, albumArtist: string, title: string) =>
    tool('flac', [
      ...['-s', '-f', `--tag=TITLE=${title}`, '--tag=ARTIST=Ada', `--tag=ALBUMARTIST=${albumArtist}`],
      ...[`--tag=ALBUM=${album}`, wav, '-o', path(out)],
    ]);

  /** loudgain -a's album gain over these files: the figure for an album of exactly them. */
  const loudgainAlbum = (files: readonly string[]) =>
    Number.parseFloat(
      tool('loudgain', ['-a', '-O', '-q', ...files.map(path)])
        .toString()
        .split('\n')
        .find((l) => l.startsWith('Album'))!
        .split('\t')[8]!,
    );

  const albumOf = (file: string) =>
    sleeveHereJson<Facts[]>(home, ['loudness', '--json', '--all-copies']).find((f) => f.path === path(file))!
      .album!;

  const listed = (query: string) =>
    sleeveHere(home, ['ls', query, '-f', '$path']).stdout.trim().split('\n').sort();

  beforeAll(() => {
    const work = join(dir, 'work');
    for (const d of [work, path('origin'), path('best')]) mkdirSync(d, { recursive: true });
    const wav = (seed: number) => {
      const p = join(work, `${seed}.wav`);
      writeWav(p, synthesizePiece(seed, 20));
      return p;
    };
    const kestrel = wav(301);
    const quiet = join(work, 'quiet.wav');
    tool('sox', [kestrel, quiet, 'vol', '-8dB']);
    // "Origin": three tracks, Kestrel held twice — the quiet copy first in the library (the lowest id).
    flac(quiet, 'origin/0 Kestrel quiet.flac', 'Origin', 'Ada', 'Kestrel');
    flac(kestrel, 'origin/1 Kestrel.flac', 'Origin', 'Ada', 'Kestrel');
    flac(wav(302), 'origin/2 Low.flac', 'Origin', 'Ada', 'Low');
    flac(wav(303), 'origin/3 Moon.flac', 'Origin', 'Ada', 'Moon');
    // "Best": Low again (its kept copy: first in the library) and a track of its own.
    flac(wav(302), 'best/1 Low.flac', 'Best', 'Various', 'Low');
    flac(wav(304), 'best/2 Other.flac', 'Best', 'Various', 'Other');
    const scan = sleeveHere(home, ['scan', '--no-embeddings', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    expect(scan.stdout).toContain('6 measured for loudness');
    ids = new Map(
      sleeveHere(home, ['ls', '--all-copies', '-f', '$id $path'])
        .stdout.trim()
        .split('\n')
        .map((l) => [l.slice(l.indexOf(' ') + 1), Number(l.split(' ')[0])]),
    );
  }, 60_000);

  it("counts, of a recording held twice on the album, the copy it keeps and lists: its gain is loudgain's over them", () => {
    // The louder copy is kept (the quiet one is "the same audio turned down"), and the album lists it.
    const origin = ['origin/1 Kestrel.flac', 'origin/2 Low.flac', 'origin/3 Moon.flac'];
    expect(listed('album:Origin')).toEqual(origin.map(path));
    const album = albumOf('origin/0 Kestrel quiet.flac');
    expect(album).toMatchObject({ name: 'Origin', tracks: 3 });
    expect(Math.abs(album.gain - loudgainAlbum(origin))).toBeLessThanOrEqual(0.1);
    // Every file of it is served the same figures.
    for (const f of origin) expect(albumOf(f).gain).toBe(album.gain);
  });

  it('counts a recording kept on another album in its own copy here, and nothing of the other album', () => {
    expect(listed('album:Best')).toEqual(['best/1 Low.flac', 'best/2 Other.flac'].map(path));
    const best = albumOf('best/2 Other.flac');
    expect(best).toMatchObject({ name: 'Best', tracks: 2 });
    expect(Math.abs(best.gain - loudgainAlbum(['best/1 Low.flac', 'best/2 Other.flac']))).toBeLessThanOrEqual(
      0.1,
    );
  });

  it('follows the copy kept: the quiet copy preferred, the album is figured over it', () => {
    const preferred = sleeveHere(home, [
      'dup',
      '--prefer',
      String(ids.get(path('origin/0 Kestrel quiet.flac'))),
    ]);
    expect(preferred.status, preferred.stderr).toBe(0);
    const origin = ['origin/0 Kestrel quiet.flac', 'origin/2 Low.flac', 'origin/3 Moon.flac'];
    expect(listed('album:Origin')).toEqual(origin.map(path));
    const album = albumOf('origin/1 Kestrel.flac');
    expect(album).toMatchObject({ name: 'Origin', tracks: 3 });
    expect(Math.abs(album.gain - loudgainAlbum(origin))).toBeLessThanOrEqual(0.1);
  });
});
