// Identify against services that misbehave (local fixtures, every one on 127.0.0.1): Ctrl-C stops
// `sleeve identify` while MusicBrainz does not answer; a Cover Art Archive that drips its image a byte a
// second holds back no tags — they are saved at once, the covers follow — and Ctrl-C in `sleeve identify`,
// identify.cancel in the app and closing the app's page each stop it; an AcoustID that redirects its
// lookup to another port gets nothing sent there (the key and the fingerprints stay); an AcoustID naming
// a recording by something that is not an id has that result left out, with a warning, and nothing of it
// stored; so is a MusicBrainz release naming a track so.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcoustIdResult } from '../../app/core/identify/acoustid.ts';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { FIXTURE_KEY, startAcoustIdFixture } from '../fixtures/acoustid-server.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { mbid, release } from '../fixtures/musicbrainz-data.ts';
import { startMusicBrainzFixture } from '../fixtures/musicbrainz-server.ts';
import {
  ALBUM_TITLES,
  type AlbumServices,
  ORIGINAL,
  startAlbumServices,
  writeUntaggedAlbum,
} from '../fixtures/untagged-album.ts';
import { CLI, sleeveHere, sleeveHereAsync, tempDir } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

/** Each track's album, in path order ('' for none). */
const albums = (home: string) =>
  sleeveHere(home, ['ls', 'path:inbox', '-f', '$album']).stdout.split('\n').slice(0, -1);

describe('identify against misbehaving services', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const home = join(dir, 'home');
  let services: AlbumServices;
  let backend: TestBackend;
  let client: RpcClient;
  const target = { kind: 'query' as const, query: 'path:inbox', except: [] };

  beforeAll(async () => {
    const album = join(music, 'inbox', 'untagged album');
    mkdirSync(album, { recursive: true });
    writeUntaggedAlbum(album, dir);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    services = await startAlbumServices(home, 'inbox', dir);
    services.configure();
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    client = backend.connect();
  }, 120_000);

  afterAll(async () => {
    services?.mb.dripCovers(false);
    client?.close();
    await backend?.close();
    await services?.close();
  });

  /** Waits until the archive is dripping its `n`th image (counting from 1). */
  const dripping = (n: number) =>
    waitFor(`the archive dripping image ${n}`, () => services.mb.dripping[n - 1], 30_000);

  it('Ctrl-C in sleeve identify while a service is asked stops it at once, keeping what was answered', async () => {
    backend.db.prepare("DELETE FROM web_cache WHERE service = 'musicbrainz'").run();
    const letThrough = services.mb.hold();
    const child = spawn(process.execPath, [CLI, '--home', home, 'identify', 'path:inbox'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = collect(child);
    try {
      await waitFor('MusicBrainz asked', () => (letThrough.waiting > 0 ? true : undefined), 30_000);
      child.kill('SIGINT');
      expect(await exited(child)).toBe(130); // not killed by the signal: stopped, saying so
      expect(out.stderr).toContain(
        'identification cancelled: the answers already received are kept, so asking again resumes from them',
      );
    } finally {
      letThrough();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('Ctrl-C in sleeve identify: the tags are saved before the covers, which it stops', async () => {
    services.mb.dripCovers(true);
    const child = spawn(
      process.execPath,
      [CLI, '--home', home, 'identify', 'path:inbox', '--apply', '--cover', '-y'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out = collect(child);
    try {
      const drip = await dripping(1);
      // The proposals are applied while the cover still drips: nothing waits for it.
      const batch = await waitFor(
        'the tags saved',
        () => /saved as edit batch (\d+)/.exec(out.stdout)?.[1],
        30_000,
      );
      expect(albums(home)).toEqual(['Harbour Lights', 'Harbour Lights', 'Harbour Lights', 'Harbour Lights']);
      expect(drip.closed).toBe(false);
      child.kill('SIGINT');
      expect(await exited(child)).toBe(130);
      expect(drip.closed).toBe(true);
      expect(out.stderr).toContain('no cover: cancelled: the front covers of 1 release(s) were not fetched');
      expect(sleeveHere(home, ['undo', batch]).status).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('identify.cancel in the app stops the covers; the tags, saved at once, stay', async () => {
    services.mb.dripCovers(true);
    const { proposals } = await client.call('identify.propose', { target, online: true });
    const applying = client.call('identify.apply', {
      cover: true,
      run: 'covers',
      proposals: proposals.map((p) => ({
        fileId: p.fileId,
        releaseId: p.releaseId,
        changes: p.changes.map(({ key, before, after }) => ({ key, before, after })),
      })),
    });
    const drip = await dripping(2);
    await waitFor('the tags saved', () => (albums(home)[0] === 'Harbour Lights' ? true : undefined));
    expect(await client.call('identify.cancel', { run: 'covers' })).toEqual({ cancelled: true });
    const applied = await applying;
    expect(applied.batch).not.toBeNull();
    expect(applied.applied).toBe(4);
    expect(applied.coverProblems).toEqual(['cancelled: the front covers of 1 release(s) were not fetched']);
    await waitFor('the dripping answer given up', () => (drip.closed ? true : undefined));
    expect(sleeveHere(home, ['undo', String(applied.batch!.id)]).status).toBe(0);
  });

  it('closing the page that applies stops its covers', async () => {
    services.mb.dripCovers(true);
    const page = backend.connect();
    const { proposals } = await page.call('identify.propose', { target, online: true });
    const applying = page
      .call('identify.apply', {
        cover: true,
        proposals: proposals.map((p) => ({
          fileId: p.fileId,
          releaseId: p.releaseId,
          changes: p.changes.map(({ key, before, after }) => ({ key, before, after })),
        })),
      })
      .catch(() => undefined); // the page is gone before it answers
    const drip = await dripping(3);
    page.close();
    await applying;
    await waitFor('the dripping answer given up', () => (drip.closed ? true : undefined));
    services.mb.dripCovers(false);
    expect(albums(home)[0]).toBe('Harbour Lights'); // the tags were saved before the covers
    expect(sleeveHere(home, ['undo']).status).toBe(0);
  });

  it('an AcoustID that redirects its lookup elsewhere gets nothing sent there', async () => {
    const elsewhere = await countingServer();
    try {
      backend.db.prepare("DELETE FROM web_cache WHERE service = 'acoustid'").run();
      const location = `${elsewhere.url}/v2/lookup`;
      services.acoustid.redirectNext(1, location);
      const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--json']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(
        `AcoustID redirected to ${location}: not followed (this request is never redirected)`,
      );
      expect(elsewhere.requests).toBe(0); // neither the key nor the fingerprints went there
    } finally {
      await elsewhere.close();
    }
  });

  it('a result naming a recording by something that is not an id is left out, with a warning, never stored', async () => {
    const prints = JSON.parse(sleeveHere(home, ['fingerprint', 'path:inbox', '--json']).stdout) as Array<{
      path: string;
      fingerprint: string;
      duration: number;
    }>;
    const [first, second] = prints.sort((a, b) => a.path.localeCompare(b.path));
    const result = (recording: string, i: number, duration: number): AcoustIdResult[] => [
      {
        id: mbid(`hostile acoustid ${i}`),
        score: 0.97,
        recordings: [{ id: recording, title: `Named ${i}`, duration, artists: [] }],
      },
    ];
    const hostile = '../../../etc/passwd?x=1#0';
    const acoustid = await startAcoustIdFixture(
      new Map([
        [first!.fingerprint, result(hostile, 1, first!.duration)],
        [second!.fingerprint, result(mbid('hostile good recording'), 2, second!.duration)],
      ]),
    );
    try {
      writeFileSync(
        join(home, 'config.json'),
        JSON.stringify({ identify: { acoustid: { enabled: true, apiKey: FIXTURE_KEY, url: acoustid.url } } }),
      );
      backend.db.prepare("DELETE FROM web_cache WHERE service = 'acoustid'").run();
      const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--apply', '-y']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `AcoustID named the recording "${hostile}", which is not an id (a UUID): that result is left out`,
      );
      // The other track's result is used; nothing of the hostile one is stored.
      expect(sleeveHere(home, ['ls', 'path:inbox', '-f', '$title|$musicbrainz_recordingid']).stdout).toBe(
        `01|\nNamed 2|${mbid('hostile good recording')}\n03|\n04|\n`,
      );
      expect(sleeveHere(home, ['ls', 'musicbrainz_recordingid:passwd']).stdout).toBe('');
      expect(sleeveHere(home, ['undo']).status).toBe(0);
    } finally {
      services.configure();
      await acoustid.close();
    }
  });

  it('a release naming a track by something that is not an id is left out, with a warning', async () => {
    const prints = JSON.parse(sleeveHere(home, ['fingerprint', 'path:inbox', '--json']).stdout) as Array<{
      path: string;
      duration: number;
    }>;
    const lengths = prints.sort((a, b) => a.path.localeCompare(b.path)).map((p) => p.duration);
    const served = release({
      id: ORIGINAL,
      title: 'Harbour Lights',
      artist: 'Ada North',
      date: '2001-05-04',
      discs: [ALBUM_TITLES.map((title, i) => ({ title, length: lengths[i]! }))],
    });
    const hostile = '../track?x=1';
    served.media[0]!.tracks[1]!.id = hostile;
    const mb = await startMusicBrainzFixture([served]);
    try {
      services.configure({ musicbrainz: { url: mb.url }, coverart: { enabled: false } });
      backend.db.prepare('DELETE FROM web_cache').run(); // AcoustID's answers too: the earlier test's
      const r = await sleeveHereAsync(home, ['identify', 'path:inbox', '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `MusicBrainz named the track "${hostile}", which is not an id (a UUID): release ${ORIGINAL} is left out`,
      );
      const found = JSON.parse(r.stdout) as { proposals: Array<{ releaseId?: string }> };
      expect(found.proposals.filter((p) => p.releaseId)).toEqual([]); // no proposal from it
    } finally {
      services.configure();
      await mb.close();
    }
  });
});

/** A child's output as it comes. */
function collect(child: ChildProcess): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => {
    out.stdout += d;
  });
  child.stderr!.on('data', (d: Buffer) => {
    out.stderr += d;
  });
  return out;
}

/** The child's exit code, once its output is read to the end. */
function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.once('close', (code) => r(code)));
}

/** A server that counts the requests reaching it. */
async function countingServer(): Promise<{ url: string; readonly requests: number; close(): Promise<void> }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "ok", "fingerprints": []}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return requests;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
