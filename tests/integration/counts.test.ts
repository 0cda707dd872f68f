// One definition of counts: albums, artists, `sleeve stats`, the app's totals and the map's legend count
// recordings (each recording's kept copy) unless every file is asked for. An album made only of copies
// not kept is no album of its own, an album's year is its kept copies', and every view counts alike.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { writeRippedAlbums } from '../fixtures/copies.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir } from '../helpers.ts';

interface Stats {
  files: { ok: number };
  recordings: number;
  albums: number;
  artists: number;
}

describe('counts of recordings', () => {
  const lib = tempDir();
  const home = tempDir();
  let before: Map<string, string>;
  let backend: TestBackend;
  let client: RpcClient;

  beforeAll(async () => {
    writeRippedAlbums(lib);
    // And a track without tags: the grid's "Unknown Album", the artist list's "Unknown Artist".
    writeWav(join(lib, 'loose.wav'), synthesizePiece(99, 20));
    before = hashTree(lib);
    // With the sound analysed, for the map.
    const scan = sleeveHere(home, ['scan', lib]);
    expect(scan.status, scan.stderr).toBe(0);
    // Six recordings each as a FLAC (kept) and an MP3 copy, and the loose track.
    expect(sleeveHere(home, ['ls', '-f', '$format']).stdout.trim().split('\n').sort()).toEqual([
      ...Array(6).fill('flac'),
      'wav',
    ]);
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    client = backend.connect();
  }, 180_000);

  afterAll(async () => {
    client?.close();
    await backend?.close();
    expect(hashTree(lib)).toEqual(before);
    rmSync(lib, { recursive: true, force: true });
  });

  const albums = async (onePerRecording: boolean) =>
    (await client.call('library.albums', { query: '', offset: 0, limit: 50, onePerRecording })).albums.map(
      ({ album, albumartist, year, tracks, files }) => ({ album, albumartist, year, tracks, files }),
    );

  it('`sleeve stats` counts the albums and artists of the recordings; --all-copies those of every file', () => {
    // The albums are the grid's tiles, Unknown Album's too; the artists the artist list's entries.
    expect(sleeveHereJson<Stats>(home, ['stats', '--json'])).toMatchObject({
      files: { ok: 13 },
      recordings: 7,
      albums: 3,
      artists: 2,
    });
    expect(sleeveHereJson<Stats>(home, ['stats', '--json', '--all-copies'])).toMatchObject({
      files: { ok: 13 },
      recordings: 7,
      albums: 4,
      artists: 3,
    });
    const text = sleeveHere(home, ['stats']).stdout;
    expect(text).toContain('files      13 ok, 0 missing, 0 with errors\n');
    expect(text).toContain(
      'recordings 7 (artists and albums below are theirs; --all-copies counts every file)\n',
    );
    expect(text).toContain('albums     3\n');
  });

  it('the album grid: a rip made only of copies not kept is no album, and an album’s year is its kept copies’', async () => {
    const unknown = { album: '', albumartist: '', year: null, tracks: 1, files: 1 };
    expect(await albums(true)).toEqual([
      unknown,
      { album: 'Harbour Suite', albumartist: 'Ada North', year: '2005', tracks: 3, files: 3 },
      { album: 'Pushover Themes', albumartist: 'Ada North', year: '2001', tracks: 3, files: 3 },
    ]);
    // Every file, as the user may ask: the rip is an album, and the copies' year takes part.
    expect(await albums(false)).toEqual([
      unknown,
      { album: 'Harbour Suite', albumartist: 'Ada North', year: '1900', tracks: 3, files: 6 },
      { album: 'Pushover Themes', albumartist: 'Ada North', year: '2001', tracks: 3, files: 3 },
      { album: 'Pushover Themes', albumartist: 'Unknown Ripper', year: '1900', tracks: 3, files: 3 },
    ]);
    const artists = (onePerRecording: boolean) =>
      client.call('library.artists', { query: '', offset: 0, limit: 50, onePerRecording });
    // Its track on no album is on the grid's "Unknown Album".
    const nameless = { name: '', tracks: 1, files: 1, albums: 1 };
    expect((await artists(true)).artists).toEqual([
      { name: 'Ada North', tracks: 6, files: 6, albums: 2 },
      nameless,
    ]);
    expect((await artists(false)).artists).toEqual([
      { name: 'Ada North', tracks: 6, files: 9, albums: 2 },
      { name: 'Unknown Ripper', tracks: 3, files: 3, albums: 1 },
      nameless,
    ]);
  });

  it('the app’s totals, `sleeve stats`, the album grid and the artist list agree, every file or one per recording', async () => {
    for (const onePerRecording of [false, true]) {
      // Every file is what the methods list when not asked for one file per recording.
      const scope = onePerRecording ? { onePerRecording } : {};
      const totals = await client.call('library.stats', scope);
      const grid = await client.call('library.albums', { query: '', offset: 0, limit: 1, ...scope });
      const list = await client.call('library.artists', { query: '', offset: 0, limit: 1, ...scope });
      expect(totals.albums).toBe(grid.total);
      expect(totals.artists).toBe(list.total);
      const cli = sleeveHereJson<Stats>(home, [
        'stats',
        '--json',
        ...(onePerRecording ? [] : ['--all-copies']),
      ]);
      expect(cli.albums).toBe(grid.total);
      expect(cli.artists).toBe(list.total);
      const tracks = await client.call('library.count', { query: '', onePerRecording: true });
      expect([totals.recordings, cli.recordings]).toEqual([tracks.total, tracks.total]);
      expect(totals.tracks).toBe(13);
    }
  });

  it('the map’s legend counts the recordings it plots', async () => {
    const map = await client.call('map.points', { color: 'artist' });
    expect(map.count).toBe(7);
    expect(map.categories).toEqual([{ name: 'Ada North', tracks: 6 }]);
  });
});
