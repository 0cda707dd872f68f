// Long library queries on the backend: run off its event loop, so a cheap request sent after a slow one is
// answered first, and stopped at their deadline. The order of two replies depends on the backend's threads
// being served promptly, so this file runs alone (vitest.config.ts).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { LibraryReader } from '../../app/server/library-reader.ts';
import { UserError } from '../../kit/user-error.ts';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { connect, nextReply } from '../fixtures/rpc-socket.ts';
import { syntheticHome } from '../fixtures/synthetic-library.ts';
import { tempDir } from '../helpers.ts';

describe('long queries', () => {
  /** The synthetic library slow-reader.test.ts lists too: made once, kept in .cache. */
  const TRACKS = 60_000;
  let backend: TestBackend;
  let homeDir: string;

  beforeAll(async () => {
    homeDir = await syntheticHome(TRACKS);
    backend = await startBackend(homeDir, tempDir(), { watchMs: 1000 });
  }, 180_000); // a fresh clone makes the library first: ~40 s on a quiet machine, more on a busy one

  afterAll(async () => {
    await backend?.close();
  });

  it('run off the event loop: a cheap request sent after a slow query is answered first', async () => {
    const { port, token } = backend.server;
    const slow = await connect(port, token);
    const quick = await connect(port, token);
    const order: string[] = [];
    // Each reply is kept and checked after both came: an error reply fails the test with what it said.
    const answered = (ws: WebSocket, name: string) => nextReply(ws, () => order.push(name));
    const both = Promise.all([answered(slow, 'slow query'), answered(quick, 'scan status')]);
    // A regex over every path and the whole sorted id list (a window deep in the result): tens of ms at 20k,
    // about three times that here.
    slow.send(
      JSON.stringify({
        id: 1,
        method: 'library.ids',
        params: {
          query: 'path:/(a|e)+.*(i|o)+.*n/',
          sort: { field: 'title', descending: true },
          offset: 900,
          limit: 500,
        },
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    quick.send(JSON.stringify({ id: 1, method: 'scan.status', params: {} }));
    for (const reply of await both) expect(reply, JSON.stringify(reply)).toMatchObject({ ok: true });
    expect(order).toEqual(['scan status', 'slow query']);
    slow.close();
    quick.close();
  }, 60_000);

  it('past the deadline are stopped with an error that says so, and the reader serves the next one', async () => {
    // 1 ms: no query (nor the worker's start) fits, so the stop itself is what is tested.
    const hasty = new LibraryReader(join(homeDir, 'library.db'), 1);
    try {
      // A count (its own worker) and a window (the windows' worker): each stopped, each worker replaced.
      await expect(hasty.read({ op: 'count', scope: 'library', query: 'amber' })).rejects.toThrow(
        /^the query was stopped: no answer within 0\.001 s; try a narrower one$/,
      );
      await expect(hasty.read({ op: 'count', scope: 'library', query: 'amber' })).rejects.toBeInstanceOf(
        UserError,
      );
      // A window deep in the whole library by title: every file sorted first (a first window may be
      // found within a millisecond, and a loaded event loop then takes its answer before the deadline's).
      const window = {
        op: 'ids',
        scope: 'library',
        query: '',
        sort: { field: 'title', descending: false },
        offset: TRACKS - 10,
        limit: 10,
      } as const;
      await expect(hasty.read(window)).rejects.toThrow(/^the query was stopped: no answer within 0\.001 s/);
    } finally {
      await hasty.close();
    }
    const patient = new LibraryReader(join(homeDir, 'library.db'));
    try {
      expect((await patient.read({ op: 'count', scope: 'library', query: '' })).total).toBe(TRACKS);
    } finally {
      await patient.close();
    }
  });
});
