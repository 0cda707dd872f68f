// The Subsonic server over a library holding a track with no tags at all (an MP3 without an ID3 tag, as
// a QA pass with real clients' habits found it): what it is called, where it is filed, and that a client
// reaches it every way a client looks — by tags, by folder, by search — as the app and the mount show it;
// and, found in the same pass, an MP3 transcode's length declared in advance when a client asks for it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_ALBUM, UNKNOWN_ARTIST } from '../../app/shared/unknown-names.ts';
import { startTestSubsonic, type TestSubsonic, tokenAuth } from '../fixtures/subsonic-library.ts';
import { sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Answer = any;

describe('the Subsonic server and a track with no tags', () => {
  let home: string;
  let s: TestSubsonic;
  let id: string;
  let tagged: string;

  const api = async (method: string, params: Record<string, string> = {}): Promise<Answer> => {
    const q = new URLSearchParams({ ...tokenAuth(), f: 'json', ...params });
    return ((await (await fetch(`${s.url}/rest/${method}?${q}`)).json()) as Answer)['subsonic-response'];
  };
  const ok = async (method: string, params: Record<string, string> = {}): Promise<Answer> => {
    const r = await api(method, params);
    expect(r.status, `${method}: ${JSON.stringify(r.error)}`).toBe('ok');
    return r;
  };

  beforeAll(async () => {
    const root = tempDir('sleeve-untagged-');
    const music = join(root, 'music');
    tool('mkdir', ['-p', music]);
    // No ID3v2, no ID3v1, no metadata copied: an MP3 that names nothing.
    const sine = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=6'];
    tool('ffmpeg', [
      ...sine,
      ...['-map_metadata', '-1', '-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '0'],
      ...['-write_id3v1', '0', join(music, 'notags.mp3')],
    ]);
    // And a tagged one beside it, so the untagged track is not the whole library.
    tool('ffmpeg', [
      ...sine,
      ...['-metadata', 'title=Tagged', '-metadata', 'artist=Ann Artist', '-metadata', 'album=An Album'],
      join(music, 'tagged.flac'),
    ]);
    home = join(root, 'home');
    const scan = sleeveHere(home, ['scan', music]);
    if (scan.status !== 0) throw new Error(`sleeve scan failed: ${scan.stderr}`);
    const listed = sleeveHereJson<Array<{ id: number; path: string }>>(home, ['ls', '--json']);
    id = `tr-${listed.find((t) => t.path.endsWith('notags.mp3'))!.id}`;
    tagged = `tr-${listed.find((t) => t.path.endsWith('tagged.flac'))!.id}`;
    s = await startTestSubsonic(home);
    await s.server.ready;
  }, 120_000);

  afterAll(() => s?.close());

  it('calls it what the app calls it (its file name), and a search for that finds it', async () => {
    const shown = sleeveHere(home, ['ls', '-f', '$title', 'notags']).stdout.trim();
    expect(shown).toBe('notags');
    const song = (await ok('getSong', { id })).song;
    expect(song.title).toBe(shown);
    expect(song.path).toMatch(/\/notags\.mp3$/);
    const found = (await ok('search3', { query: shown })).searchResult3;
    expect(found.song.map((x: Answer) => x.id)).toEqual([id]);
    const v1 = (await ok('search', { title: shown })).searchResult;
    expect(v1.match.map((x: Answer) => x.id)).toEqual([id]);
  });

  it('files it under the unknown artist and album, as the mount does, and every id given for them opens', async () => {
    const song = (await ok('getSong', { id })).song;
    expect(song).toMatchObject({ artist: UNKNOWN_ARTIST, album: UNKNOWN_ALBUM });
    expect(song.albumArtists).toEqual([{ id: song.artistId, name: UNKNOWN_ARTIST }]);
    expect(song.artists).toEqual([{ id: song.artistId, name: UNKNOWN_ARTIST }]);
    expect(song.path).toBe(`${UNKNOWN_ARTIST}/${UNKNOWN_ALBUM}/notags.mp3`);
    const artist = (await ok('getArtist', { id: song.artistId })).artist;
    expect(artist.name).toBe(UNKNOWN_ARTIST);
    expect(artist.album.map((a: Answer) => a.id)).toEqual([song.albumId]);
    const album = (await ok('getAlbum', { id: song.albumId })).album;
    expect(album).toMatchObject({ name: UNKNOWN_ALBUM, artist: UNKNOWN_ARTIST, artistId: song.artistId });
    expect(album.song.map((x: Answer) => x.id)).toEqual([id]);
    // The lists name it too: no album without a name or an artist, no folder without a parent.
    const list2 = (await ok('getAlbumList2', { type: 'alphabeticalByName' })).albumList2.album;
    expect(list2.find((a: Answer) => a.id === song.albumId)).toMatchObject({
      name: UNKNOWN_ALBUM,
      artist: UNKNOWN_ARTIST,
    });
    const list1 = (await ok('getAlbumList', { type: 'alphabeticalByName' })).albumList.album;
    expect(list1.find((a: Answer) => a.id === song.albumId)).toMatchObject({
      title: UNKNOWN_ALBUM,
      artist: UNKNOWN_ARTIST,
      parent: song.artistId,
    });
    const artists = (await ok('getArtists')).artists.index.flatMap((i: Answer) => i.artist);
    expect(artists.find((a: Answer) => a.id === song.artistId)?.name).toBe(UNKNOWN_ARTIST);
  });

  it('reaches every song by folder browsing, at the path it gives (DSub, Ultrasonic)', async () => {
    const songs = (await ok('search3', { query: '', songCount: '100' })).searchResult3.song;
    expect(songs.map((x: Answer) => x.id)).toContain(id);
    for (const song of songs) {
      const [top, ...rest] = song.path.split('/') as string[];
      const entries = (await ok('getIndexes')).indexes.index.flatMap((i: Answer) => i.artist);
      let folder = entries.find((e: Answer) => e.name === top);
      expect(folder, `${song.path}: ${top} in getIndexes`).toBeDefined();
      for (const name of rest.slice(0, -1)) {
        const children = (await ok('getMusicDirectory', { id: folder.id })).directory.child;
        folder = children.find((c: Answer) => c.isDir && c.title === name);
        expect(folder, `${song.path}: ${name}`).toBeDefined();
      }
      const children = (await ok('getMusicDirectory', { id: folder.id })).directory.child;
      expect(children.map((c: Answer) => c.id)).toContain(song.id);
      expect(children.find((c: Answer) => c.id === song.id).parent).toBe(folder.id);
    }
  });

  it("declares an MP3 transcode's length when asked (estimateContentLength: DSub, Ultrasonic), and sends exactly that", async () => {
    const url = (params: Record<string, string>) =>
      `${s.url}/rest/stream?${new URLSearchParams({ ...tokenAuth(), id: tagged, format: 'mp3', maxBitRate: '128', ...params })}`;
    for (const [from, seconds] of [
      ['0', 6],
      ['2', 4],
    ] as const) {
      const asked = { estimateContentLength: 'true', timeOffset: from };
      const head = await fetch(url(asked), { method: 'HEAD' });
      expect(head.status).toBe(200);
      const length = Number(head.headers.get('content-length'));
      // At least the bit rate's worth of the seconds sent (the specification's estimate).
      expect(length).toBeGreaterThanOrEqual(seconds * 128 * 125);
      const got = await fetch(url(asked));
      expect(got.headers.get('content-length')).toBe(String(length));
      const body = Buffer.from(await got.arrayBuffer());
      expect(body.length).toBe(length);
      // Padded, not cut: the estimate is over what LAME writes, and the rest is zero bytes.
      expect(body.subarray(-64).equals(Buffer.alloc(64))).toBe(true);
      // What a player makes of it: every second asked for (a decoder resyncs past the zeros, finding no
      // frame in them; ffmpeg says so once, at the end).
      const file = join(tempDir(), 'stream.mp3');
      writeFileSync(file, body);
      const pcm = tool('ffmpeg', ['-v', 'quiet', '-i', file, '-f', 's16le', '-ac', '1', '-ar', '44100', '-']);
      expect(pcm.length / 2 / 44_100).toBeCloseTo(seconds, 0);
    }
    // Not asked: sent as it comes, its length unknown.
    const plain = await fetch(url({}));
    expect(plain.headers.get('content-length')).toBeNull();
    await plain.arrayBuffer();
  });

  it('gives a path a client may cache under: no "..", "/" or ":" of a tag leaves its folder', async () => {
    const edit = sleeveHere(home, [
      'set',
      'tagged',
      'albumartist=..',
      'album=..',
      'title=../Up: here?',
      '-y',
    ]);
    expect(edit.status, edit.stderr).toBe(0);
    await expect
      .poll(async () => (await ok('getSong', { id: tagged })).song.path)
      .toBe('_/_/_.Up_ here_.flac'); // as the mount names them (path-template.ts: sanitizeComponent)
  });
});
