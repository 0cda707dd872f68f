// The Subsonic server while it reads a large library (60,000 tracks, a chunk at a time): a client logging
// in is answered at once, what it browses waits for the library and then has all of it, a library that
// cannot be read is said so (and logged once), and a server stopped before it has read the library stops
// without a word of failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubsonic, type TestSubsonic, tokenAuth } from '../fixtures/subsonic-library.ts';
import { groupCopies, syntheticHome } from '../fixtures/synthetic-library.ts';

const TRACKS = 60_000;
/** Files in a group of two copies of a recording (groupCopies): each pair one song. */
let grouped = 0;
/** The songs served: one a recording. */
const songs = () => TRACKS - grouped / 2;

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Answer = any;

describe('the Subsonic server while it reads the library', () => {
  let home: string;
  let s: TestSubsonic | undefined;

  // The same library as slow-reader's (made once, kept in .cache).
  beforeAll(async () => {
    home = await syntheticHome(TRACKS);
    grouped = groupCopies(home);
  }, 300_000);

  afterAll(() => s?.close());

  const call = async (server: TestSubsonic, method: string, params: Record<string, string> = {}) => {
    const q = new URLSearchParams({ ...tokenAuth(), f: 'json', ...params });
    const body = (await (await fetch(`${server.url}/rest/${method}?${q}`)).json()) as Answer;
    return body['subsonic-response'];
  };

  it('answers a login at once, and a browse once every track is read', async () => {
    s = await startTestSubsonic(home);
    let read = false;
    const ready = s.server.ready.then((r) => {
      read = true;
      return r;
    });
    const list = call(s, 'getAlbumList2', { type: 'alphabeticalByName', size: '500' }).then((r) => ({
      r,
      read,
    }));
    // Asked after the browse: answered before the library is read (its 30 chunks each let a request in).
    for (const method of ['ping', 'getLicense', 'getMusicFolders', 'getUser', 'getScanStatus']) {
      expect((await call(s, method, { username: 'alice' })).status, method).toBe('ok');
      expect(read, method).toBe(false);
    }
    const browsed = await list;
    expect(browsed.read).toBe(true);
    expect(browsed.r.albumList2.album).toHaveLength(500);
    // The songs clients are served, not the files: a recording held twice is one song (the start line's).
    expect(await ready).toEqual({ songs: songs(), albums: TRACKS / 10, artists: TRACKS / 60 });
    const count = await call(s, 'search3', {
      query: '',
      songCount: '500',
      songOffset: String(songs() - 100),
    });
    expect(count.searchResult3.song).toHaveLength(100);
  }, 120_000);

  it('sends the whole library in one search3 page, a chunk at a time', async () => {
    s ??= await startTestSubsonic(home);
    await s.server.ready;
    const q = new URLSearchParams({ ...tokenAuth(), f: 'json', query: '', songCount: '100000' });
    const answer = await fetch(`${s.url}/rest/search3?${q}`);
    // Streamed (its length unknown as it starts): the server never holds a whole page of 57,000 songs.
    expect(answer.headers.get('content-length')).toBeNull();
    expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    const sent = ((await answer.json()) as Answer)['subsonic-response'].searchResult3.song as Answer[];
    expect(sent).toHaveLength(songs());
    expect(new Set(sent.map((x) => x.id)).size).toBe(songs());
    // A page that fits in a chunk is sent with its length.
    const small = await fetch(`${s.url}/rest/search3?${new URLSearchParams({ ...tokenAuth(), f: 'json' })}`);
    expect(small.headers.get('content-length')).toBe(String((await small.arrayBuffer()).byteLength));
  }, 120_000);

  it('tells a browse why when the library cannot be read, and logs that once', async () => {
    const lines: string[] = [];
    const broken = await startTestSubsonic(home, { log: (line) => lines.push(line) });
    // Its connection gone mid-read: the read fails at its next chunk.
    broken.db.close();
    expect((await call(broken, 'ping')).status).toBe('ok');
    for (let i = 0; i < 2; i++) {
      const answer = await call(broken, 'getAlbumList2', { type: 'newest' });
      expect(answer.status).toBe('failed');
      expect(answer.error.message).toMatch(/^the library could not be read: /);
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^subsonic: the library could not be read: /);
    await broken.close();
  }, 120_000);

  it('stops while reading, its reading given up without a failure logged', async () => {
    const lines: string[] = [];
    const early = await startTestSubsonic(home, { log: (line) => lines.push(line) });
    let settled = false;
    const ready = early.server.ready.then(
      () => 'read',
      (err: Error) => err.name,
    );
    void ready.then(() => {
      settled = true;
    });
    expect(settled).toBe(false);
    // A browse waiting for the read when the server stops: told so, or its connection closed; nothing logged.
    const waiting = call(early, 'getAlbumList2', { type: 'newest' }).then(
      (r) => r.error?.message as string,
      () => 'connection closed',
    );
    expect((await call(early, 'ping')).status).toBe('ok');
    await early.close();
    expect(await ready).toBe('AbortError');
    expect(['the server is stopping', 'connection closed']).toContain(await waiting);
    expect(lines).toEqual([]);
  }, 120_000);
});
