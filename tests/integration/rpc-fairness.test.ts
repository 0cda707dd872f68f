// The backend under hostile RPC load: a client flooding requests, or one that sends requests and never reads
// the replies, must not keep another client waiting or make the backend buffer without bound. Ordering and
// the backend's own account are asserted, never timings (bench/flood.ts measures those).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from '../../app/server/connection-flow.ts';
import { LibraryReader } from '../../app/server/library-reader.ts';
import { UserError } from '../../kit/user-error.ts';
import { serveProcess, startBackend, type TestBackend } from '../fixtures/backend.ts';
import { syntheticHome } from '../fixtures/synthetic-library.ts';
import { copyFixtures, sleeveHere, tempDir } from '../helpers.ts';

type Reply = { id: number; ok: boolean; result?: { rows?: unknown[] } };

function connect(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Calls `onReply` with each reply `ws` receives, until the returned function is called; the events the
 *  backend pushes to every client meanwhile (a watcher's status) are not replies. */
function onReplies(ws: WebSocket, onReply: (reply: Reply) => void): () => void {
  const listener = (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as Reply | { event: string };
    if (!('event' in message)) onReply(message);
  };
  ws.on('message', listener);
  return () => ws.off('message', listener);
}

/** The next reply `ws` receives; `onIt` runs as it comes, before any other message is handled. */
function nextReply(ws: WebSocket, onIt: (reply: Reply) => void = () => {}): Promise<Reply> {
  return new Promise((resolve) => {
    const off = onReplies(ws, (reply) => {
      off();
      onIt(reply);
      resolve(reply);
    });
  });
}

const page = (id: number, limit = 500) =>
  JSON.stringify({
    id,
    method: 'library.page',
    params: { query: '', sort: { field: 'title', descending: false }, offset: 0, limit },
  });

/** Sends `count` requests as fast as the client's own socket takes them. */
async function burst(ws: WebSocket, count: number): Promise<void> {
  for (let id = 1; id <= count && ws.readyState === ws.OPEN; id++) {
    ws.send(page(id));
    while (ws.bufferedAmount > 1 << 20) await new Promise((r) => setTimeout(r, 1));
  }
}

describe('RPC under load', () => {
  let backend: TestBackend;
  const logged: string[] = [];

  beforeAll(async () => {
    const homeDir = join(tempDir(), 'home');
    expect(sleeveHere(homeDir, ['scan', copyFixtures(), '--no-fingerprint', '--no-embeddings', '--no-loudness']).status).toBe(
      0,
    );
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
    backend = await startBackend(homeDir, rendererDir, {
      watchMs: 1000,
      log: (line) => logged.push(line),
      // A short stall, so that the test need not wait the default 15 s for the non-reader to be dropped.
      rpcLimits: { ...DEFAULT_LIMITS, stallMs: 1500 },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
  });

  it('disconnects a client that never reads its replies, and serves the others meanwhile', async () => {
    const { port, token } = backend.server;
    const reader = await connect(port, token);
    const nonReader = await connect(port, token);
    nonReader.pause(); // reads nothing: every reply stays on the backend's side of the socket
    nonReader.on('error', () => {});
    const before = process.memoryUsage().rss;
    const sending = burst(nonReader, 20_000);
    // Another client keeps asking while the non-reader piles up replies; each is answered.
    let answered = 0;
    for (let id = 1; !logged.some((l) => l.includes('disconnected a client')); id++) {
      const reply = nextReply(reader);
      reader.send(page(id));
      expect(await reply).toMatchObject({ id, ok: true });
      answered++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answered).toBeGreaterThan(0);
    expect(logged.find((l) => l.includes('disconnected a client'))).toMatch(/replies/);
    // What the backend held for it is bounded by the limits, not by what it sent (~20,000 pages).
    expect(process.memoryUsage().rss - before).toBeLessThan(DEFAULT_LIMITS.sendHard + 200 * 1024 * 1024);
    nonReader.terminate();
    await sending.catch(() => {});
    reader.close();
  }, 120_000);
});

describe('RPC under a flood, the backend in its own process', () => {
  let served: Awaited<ReturnType<typeof serveProcess>>;

  beforeAll(async () => {
    // The synthetic library large-edit.test.ts edits: made once, kept in .cache.
    served = await serveProcess(await syntheticHome(3000));
  }, 60_000);

  afterAll(() => served?.stop());

  it('serves a quiet client in turn, not after every request a flooding client sent first', async () => {
    const { port, token, pid } = served;
    const flooder = await connect(port, token);
    const quiet = await connect(port, token);
    const total = 300;
    let flooderAnswered = 0;
    const flooderFailed: Reply[] = [];
    const flooderDone = new Promise<void>((resolve) =>
      onReplies(flooder, (reply) => {
        if (!reply.ok) flooderFailed.push(reply);
        if (++flooderAnswered === total) resolve();
      }),
    );
    // How many of the flooder's requests were answered when the quiet client's was: counted as it comes.
    let before = -1;
    const quietReply = nextReply(quiet, () => {
      before = flooderAnswered;
    });
    // The flood is already waiting when the quiet client asks: the backend is stopped while the flooder
    // sends (the requests wait in the kernel's socket buffers), continued, and asked while it works on them.
    process.kill(pid, 'SIGSTOP');
    try {
      for (let id = 1; id <= total; id++) flooder.send(page(id));
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await new Promise((r) => setTimeout(r, 50));
    quiet.send(page(1));
    // Served in turn: after a few of the flooder's requests at most, not after all it had sent.
    expect(await quietReply).toMatchObject({ ok: true });
    expect(before).toBeLessThan(total / 10);
    await flooderDone; // and the flood is answered in full, nothing dropped
    expect(flooderFailed).toEqual([]);
    flooder.close();
    quiet.close();
  }, 60_000);
});

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
      await expect(hasty.read({ op: 'count', scope: 'library', query: 'amber' })).rejects.toThrow(
        /^the query was stopped: no answer within 0\.001 s; try a narrower one$/,
      );
      await expect(hasty.read({ op: 'count', scope: 'library', query: 'amber' })).rejects.toBeInstanceOf(
        UserError,
      );
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
