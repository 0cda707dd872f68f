// A file whose tags read but whose audio does not decode at all (an M4A whose samples are garbage, an Ogg
// Vorbis cut after its headers) is listed with the reason but served to no player: the mount and the
// Subsonic catalog leave it out, and `sleeve mounts` says which and why. A file that decodes is served.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReader } from '../../app/core/db/database.ts';
import { Catalog } from '../../app/core/library/catalog.ts';
import { makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { servedNames, unmountChecked } from '../mount-helpers.ts';

describe('a file with no audio that decodes', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  let originals: Map<string, string>;
  /** Whether this system's FFmpeg decodes a 32-bit FLAC. */
  let deepDecodes: boolean;

  beforeAll(() => {
    mkdirSync(music);
    const wav = join(dir, 'tone.wav');
    makeWav(wav, 550, 5);
    tool('flac', [
      '-s',
      '-f',
      '--tag=TITLE=Plays',
      '--tag=ARTIST=Band',
      wav,
      '-o',
      join(music, 'plays.flac'),
    ]);
    // Its moov and tags intact, every sample byte garbage.
    const m4a = join(music, 'garbage.m4a');
    tool('ffmpeg', ['-v', 'error', '-i', wav, '-c:a', 'aac', '-metadata', 'title=Garbage', m4a]);
    const bytes = readFileSync(m4a);
    const mdat = bytes.indexOf('mdat');
    bytes.fill(0x5a, mdat + 4, mdat - 4 + bytes.readUInt32BE(mdat - 4));
    writeFileSync(m4a, bytes);
    // Its three header packets, then garbage where the audio pages were.
    const ogg = join(music, 'headers-only.ogg');
    tool('oggenc', ['-Q', '-t', 'Headers', wav, '-o', ogg]);
    const vorbis = readFileSync(ogg);
    vorbis.fill(0x5a, 8000);
    writeFileSync(ogg, vorbis);
    // A 32-bit FLAC (flac 1.4 writes them), sound as `flac -t` tests it: FFmpeg decodes these from 6.0 on.
    const deep = join(dir, 'deep.wav');
    tool('sox', ['-n', '-b', '32', '-r', '44100', '-c', '2', deep, 'synth', '3', 'sine', '440']);
    tool('flac', ['-s', '-f', '--tag=TITLE=Deep', deep, '-o', join(music, 'deep.flac')]);
    deepDecodes =
      tool('ffmpeg', ['-v', 'error', '-i', join(music, 'deep.flac'), '-f', 's16le', '-']).length > 0;
    originals = hashTree(music);
    const scan = sleeveHere(home, ['scan', '--no-embeddings', music]);
    expect(scan.status, scan.stderr).toBe(0);
    expect(sleeveHere(home, ['mount', mnt]).status).toBe(0);
  });

  afterAll(() => unmountChecked(home, mnt, music, originals));

  it('is listed, with what went wrong reading it', () => {
    const listed = sleeveHereJson<Array<{ path: string }>>(home, ['ls', '--json']).map((t) =>
      t.path.split('/').pop(),
    );
    expect(listed.sort()).toEqual(['deep.flac', 'garbage.m4a', 'headers-only.ogg', 'plays.flac']);
  });

  it('is served by neither the mount nor Subsonic; sleeve mounts says which and why', () => {
    const served = deepDecodes ? ['Deep.flac', 'Plays.flac'] : ['Plays.flac'];
    expect(servedNames(mnt).sort()).toEqual(served);
    const db = openReader(join(home, 'library.db'));
    try {
      const catalog = new Catalog(db);
      catalog.refresh();
      expect(
        catalog
          .groups()
          .tracks.map((t) => `${t.tags.title?.[0]}.flac`)
          .sort(),
      ).toEqual(served);
    } finally {
      db.close();
    }
    const said = sleeveHere(home, ['mounts']).stderr;
    expect(said).toContain(`${deepDecodes ? 2 : 3} file(s) with no audio that decodes are not served:`);
    expect(said).toMatch(/garbage\.m4a: no audio samples/);
    expect(said).toMatch(/headers-only\.ogg: cannot read/);
  });

  it("says of a 32-bit FLAC the system's FFmpeg cannot decode why, or serves it", () => {
    const [deep] = sleeveHereJson<Array<{ id: number }>>(home, ['ls', 'path:deep', '--json']);
    const info = sleeveHereJson<{ undecodable: string | null }>(home, ['info', String(deep!.id), '--json']);
    expect(info.undecodable).toBe(
      deepDecodes
        ? null
        : "no audio samples: a 32-bit FLAC, which FFmpeg decodes from version 6.0 on (Sleeve decodes with the system's)",
    );
  });
});
