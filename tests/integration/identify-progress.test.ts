// A long identification run in the app: the backend reports its progress (albums matched) to the run that
// asked, a cancel stops it within a request (the call fails with "cancelled", nothing is proposed), and
// asking again resumes — what was answered before the cancel is not asked again. Meanwhile the backend
// keeps answering other calls; a run whose page is gone stops too. MusicBrainz is a local fixture at its
// real rate (one request a second).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RpcClient } from '../../renderer/src/rpc-client.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { makeWav } from '../fixtures/library.ts';
import { type MusicBrainzFixture, startMusicBrainzFixture } from '../fixtures/musicbrainz-server.ts';
import { sleeveHere, tempDir } from '../helpers.ts';

const ALBUMS = 4;

describe('identification progress and cancel, through the backend', () => {
  const dir = tempDir();
  const home = join(dir, 'home');
  let mb: MusicBrainzFixture;
  let backend: TestBackend;
  let client: RpcClient;
  const target = { kind: 'query' as const, query: 'path:albums', except: [] };

  beforeAll(async () => {
    // Four folders of one short track each, tagged with an album MusicBrainz will be searched for.
    for (let i = 0; i < ALBUMS; i++) makeWav(join(dir, 'albums', `a${i}`, '01.wav'), 300 + 50 * i);
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', join(dir, 'albums')])
        .status,
    ).toBe(0);
    for (let i = 0; i < ALBUMS; i++)
      expect(sleeveHere(home, ['set', `path:a${i}/`, `album=Album ${i}`, 'artist=Nobody', '-y']).status).toBe(
        0,
      );
    mb = await startMusicBrainzFixture([]); // it knows none of them: one search per album, no lookups
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ identify: { musicbrainz: { enabled: true, url: mb.url } } }),
    );
    backend = await startBackend(home, tempDir(), { watchMs: 50 });
    client = backend.connect();
  });

  afterAll(async () => {
    client?.close();
    await backend?.close();
    await mb?.close();
  });

  it('reports progress to its run, stops on cancel, and resumes from what was answered', async () => {
    const seen: Array<{ run: string; service: string; done: number; total: number }> = [];
    const endings: string[] = [];
    const offEnded = client.on('identify.ended', (e) => endings.push(`${e.run}: ${e.outcome}`));
    const off = client.on('identify.progress', (p) => {
      seen.push(p);
      if (p.run === 'first' && p.done === 1) void client.call('identify.cancel', { run: 'first' });
    });
    // Its failure is taken as soon as it comes (the cancel may land before library.count is answered).
    const asking = client.call('identify.propose', { target, online: true, run: 'first' }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    // The backend is not blocked while it waits on the service.
    expect((await client.call('library.count', { query: '' })).total).toBe(ALBUMS);
    expect((await asking)?.message).toMatch(
      /identification cancelled: the answers already received are kept/,
    );
    const asked = mb.requests.length;
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThan(ALBUMS);
    expect(seen.filter((p) => p.run === 'first').map((p) => [p.service, p.total])).toContainEqual([
      'MusicBrainz',
      ALBUMS,
    ]);

    // Asked again: only the albums not answered before the cancel are searched for.
    const found = await client.call('identify.propose', { target, online: true, run: 'second' });
    off();
    expect(found.albums?.clusters).toHaveLength(ALBUMS);
    // Said first, so a search that gave up (a service too slow under load) fails with its reason.
    expect(found.warnings).toEqual([]);
    expect(mb.requests.map((r) => r.path)).toHaveLength(ALBUMS);
    expect(found.albums!.cached).toBe(asked);
    expect(seen.filter((p) => p.run === 'second').at(-1)).toMatchObject({ done: ALBUMS, total: ALBUMS });
    // A finished run, or one never started, is nothing to cancel.
    expect(await client.call('identify.cancel', { run: 'second' })).toEqual({ cancelled: false });
    offEnded();
    expect(endings).toEqual(['first: cancelled', 'second: done']);
  });

  it('stops a run when the page that asked is gone', async () => {
    backend.db.prepare("DELETE FROM web_cache WHERE service = 'musicbrainz'").run(); // ask everything again
    const page = backend.connect();
    let closedAt = -1;
    const off = client.on('identify.progress', (p) => {
      if (p.run === 'reloaded' && p.done === 1 && closedAt < 0) {
        closedAt = mb.requests.length;
        page.close(); // a reload: the run's only listener is gone
      }
    });
    // Every client is told how a run ended: once it has, it asks nothing more.
    const ended = new Promise((told) => {
      const stop = client.on('identify.ended', (e) => {
        if (e.run !== 'reloaded') return;
        stop();
        told(e.outcome);
      });
    });
    const asking = page.call('identify.propose', { target, online: true, run: 'reloaded' });
    await asking.catch(() => undefined); // the connection's end fails the call on the page's side
    expect(await ended).toBe('page closed');
    off();
    expect(closedAt).toBeGreaterThan(0);
    expect(mb.requests.length - closedAt).toBeLessThanOrEqual(1); // at most the one already under way
  });
});
