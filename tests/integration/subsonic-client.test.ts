// Tried as a new user would, with a real Subsonic client library (npm's subsonic-api, not written here)
// against `sleeve subsonic` in a process of its own: a user and an API key made with the CLI, then the
// tour — log in with the password (token and salt) and with the key (over formPost), browse artists →
// album → song, search, stream a FLAC and a transcoded MP3, fetch covers, make a playlist and find it in
// Sleeve, star and scrobble, ask for sonically similar tracks — all showing Sleeve's edits, one copy per
// recording and the served ReplayGain.
import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import SubsonicAPI from 'subsonic-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPIED } from '../fixtures/engines-library.ts';
import { CREDITED, makeSubsonicLibrary, PASSWORD } from '../fixtures/subsonic-library.ts';
import { CLI, hashTree, sleeveHere, sleeveHereJson } from '../helpers.ts';

interface Listed {
  readonly id: number;
  readonly path: string;
  readonly tags: Record<string, string[]>;
}

describe('a Subsonic client library on sleeve subsonic', () => {
  let music: string;
  let home: string;
  let before: Map<string, string>;
  let server: ChildProcess;
  let url: string;
  let apiKey: string;

  beforeAll(async () => {
    ({ music, home, before } = makeSubsonicLibrary());
    const user = sleeveHere(home, ['subsonic', 'user', 'alice'], { input: `${PASSWORD}\n` });
    expect(user.status, user.stderr).toBe(0);
    const key = sleeveHere(home, ['subsonic', 'key', 'alice']);
    expect(key.status, key.stderr).toBe(0);
    apiKey = key.stdout.trim();
    server = spawn(process.execPath, [CLI, '--home', home, 'subsonic', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = await createInterface({ input: server.stdout! })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value as string]);
    url = (JSON.parse(line!) as { url: string }).url.replace(/rest\/$/, '');
  }, 180_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    if (music) expect(hashTree(music)).toEqual(before);
  });

  it('keeps the password readable by its owner only, and the API key only as a hash', () => {
    const file = join(home, 'subsonic-users.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const listed = sleeveHere(home, ['subsonic', 'key', 'alice', '--list']);
    expect(listed.stdout).toMatch(/^[0-9a-f]{8} {2}created /);
    expect(sleeveHere(home, ['subsonic', 'key', 'alice', '--list']).stdout).not.toContain(apiKey);
  });

  it('does the tour with a password and with an API key', async () => {
    const withPassword = new SubsonicAPI({ url, auth: { username: 'alice', password: PASSWORD } });
    const withKey = new SubsonicAPI({ url, auth: { apiKey }, post: true });
    for (const api of [withPassword, withKey]) expect((await api.ping()).status).toBe('ok');
    const wrong = new SubsonicAPI({ url, auth: { username: 'alice', password: 'guess' } });
    expect(await wrong.ping()).toMatchObject({ status: 'failed', error: { code: 40 } });
    const extensions = (await withKey.getOpenSubsonicExtensions()).openSubsonicExtensions.map((e) => e.name);
    expect(extensions).toContain('sonicSimilarity');

    // An edit in Sleeve, shown at the next answer.
    const listed = sleeveHereJson<Listed[]>(home, ['ls', '--json', '--all-copies']);
    const idOf = (name: string) => listed.find((t) => t.path.endsWith(`/${name}`))!.id;
    expect(
      sleeveHere(home, ['set', `id:${idOf('techno-2.flac')}`, 'title=Second Techno', '--yes-all']).status,
    ).toBe(0);

    // Artists → album → song.
    const api = withPassword;
    const artists = (await api.getArtists()).artists.index!.flatMap((i) => i.artist ?? []);
    const techno = artists.find((a) => a.name === 'techno artist')!;
    const artist = (await api.getArtist({ id: techno.id })).artist;
    const album = (await withKey.getAlbum({ id: artist.album![0]!.id })).album;
    // One copy per recording: the copied piece once, as its FLAC.
    expect(album.song!.map((s) => s.title).sort()).toEqual(['Second Techno', 'techno-0', 'techno-1']);
    expect(album.song!.find((s) => s.title === COPIED)!.suffix).toBe('flac');
    const first = album.song!.find((s) => s.title === 'techno-1')!;
    const song = (await api.getSong({ id: first.id })).song;
    // The served ReplayGain: what the mount (and sleeve ls) gives the file.
    const served = listed.find((t) => t.id === idOf('techno-1.flac'))!.tags;
    expect((song as { replayGain?: { trackGain: number } }).replayGain?.trackGain).toBeCloseTo(
      Number.parseFloat(served.replaygain_track_gain![0]!),
      2,
    );

    // Search.
    const found = (await withKey.search3({ query: 'second techno' })).searchResult3;
    expect(found.song!.map((s) => s.title)).toEqual(['Second Techno']);
    const everything = (await api.search3({ query: '', songCount: 500 })).searchResult3;
    expect(everything.song).toHaveLength(12);

    // A FLAC as it is, and an MP3 transcoded.
    const flac = await api.stream({ id: first.id });
    expect(flac.headers.get('content-type')).toBe('audio/flac');
    expect(
      Buffer.from(await flac.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('fLaC');
    const mp3 = await withKey.stream({ id: first.id, format: 'mp3', maxBitRate: 128 });
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    const mp3Bytes = Buffer.from(await mp3.arrayBuffer());
    expect(mp3Bytes.length).toBeGreaterThan(100_000);

    // Covers.
    const credited = (await api.search3({ query: CREDITED })).searchResult3.song![0]!;
    const cover = await api.getCoverArt({ id: credited.coverArt!, size: 100 });
    expect(cover.headers.get('content-type')).toBe('image/jpeg');
    const albumCover = await withKey.getCoverArt({
      id: (await api.getSong({ id: credited.id })).song.albumId!,
    });
    expect(albumCover.headers.get('content-type')).toBe('image/png');

    // A playlist, found in Sleeve.
    const made = (await withKey.createPlaylist({ name: 'On the bus', songId: [first.id, credited.id] }))
      .playlist;
    expect(made.songCount).toBe(2);
    const shown = sleeveHere(home, ['playlist', 'show', 'On the bus', '-f', '$title']);
    expect(shown.stdout.trim().split('\n')).toEqual(['techno-1', CREDITED]);

    // The album shared as a link a friend opens without a login, then revoked.
    const share = (await withKey.createShare({ id: album.id, description: 'For the road' })).shares
      .share![0]!;
    expect(share.expires).toBeInstanceOf(Date);
    const page = await fetch(share.url);
    expect(await page.text()).toContain('<strong>Second Techno</strong>');
    const shared = Buffer.from(await (await fetch(`${share.url}/0`)).arrayBuffer());
    expect(shared.subarray(0, 4).toString()).toMatch(/^(fLaC|ID3)/);
    expect((await api.getShares()).shares.share!.map((x) => x.description)).toEqual(['For the road']);
    expect((await api.deleteShare({ id: share.id })).status).toBe('ok');
    expect((await fetch(share.url)).status).toBe(404);

    // Star and scrobble.
    expect((await api.star({ id: first.id })).status).toBe('ok');
    expect((await withKey.scrobble({ id: first.id })).status).toBe('ok');
    const starred = (await api.getStarred2()).starred2;
    expect(starred.song!.map((s) => s.id)).toEqual([first.id]);
    expect((await api.getSong({ id: first.id })).song.playCount).toBe(1);

    // Sonically similar tracks, through the extension and getSimilarSongs2.
    const sonic = await api.customJSON<{ sonicMatch: Array<{ entry: { id: string }; similarity: number }> }>(
      'getSonicSimilarTracks.view',
      { id: first.id, count: 3 },
    );
    expect(sonic.sonicMatch).toHaveLength(3);
    expect(sonic.sonicMatch.every((m) => m.similarity > 0 && m.similarity <= 1)).toBe(true);
    const similar = (await withKey.getSimilarSongs2({ id: techno.id, count: 4 })).similarSongs2;
    expect(similar.song).toHaveLength(4);
  });
});
