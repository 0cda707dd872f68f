// Grouping over a remote fingerprint index: a second process runs `sleeve index serve` as the remote
// (acoustid-index's HTTP API, as an fpindex server speaks it). The groups equal the embedded engine's on the
// same files, in msgpack and in JSON; a remote that is down makes grouping wait and say so, never skip a
// file in silence, and the next scan catches up; a remote started while a scan waits for it is used; one
// that floods (an endless answer) is read no further than a cap, and grouping waits for it as for one down.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend } from '../fixtures/backend.ts';
import { startFloodServer } from '../fixtures/flood-server.ts';
import { synthesizePiece, writeWav } from '../fixtures/music.ts';
import { CLI, sleeveAsync, sleeveHere, sleeveHereAsync, sleeveHereJson, tempDir, tool } from '../helpers.ts';
import { waitFor } from '../mount-helpers.ts';

interface Group {
  members: Array<{ path: string }>;
}

/** `sleeve index serve` on a directory; resolves once it listens (port 0: a free one). */
async function serveIndex(dir: string, port = 0): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [CLI, 'index', 'serve', '--dir', dir, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
  });
  const listening = await waitFor(
    'the index server',
    () => /http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1],
    30_000,
  );
  return { child, port: Number(listening) };
}

async function stopIndex(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A loopback proxy in front of the remote, as a balancer stands before a replica: 502 while nothing answers
 * behind it (`unanswered` hears each). `intercept` sees each answered request first and may answer it
 * itself (true) instead.
 */
async function proxyTo(
  upstream: () => string,
  intercept: (path: string, res: import('node:http').ServerResponse) => boolean,
  unanswered: () => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const body = Buffer.concat(await req.toArray());
    try {
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'accept']) if (req.headers[h]) headers[h] = String(req.headers[h]);
      const reply = await fetch(`${upstream()}${req.url}`, {
        method: req.method,
        headers,
        body: body.length > 0 ? body : undefined,
      });
      const bytes = Buffer.from(await reply.arrayBuffer());
      if (intercept(req.url ?? '', res)) return;
      res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? '' }).end(bytes);
    } catch {
      res.writeHead(502).end();
      unanswered();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Each group as its members' names, sorted: comparable across libraries of the same files. */
const groups = (home: string, music: string) =>
  sleeveHereJson<Group[]>(home, ['dup', '--json'])
    .map((g) => g.members.map((m) => m.path.slice(music.length + 1)).sort())
    .sort((a, b) => a[0]!.localeCompare(b[0]!));

function homeWith(dir: string, name: string, index: object | undefined, from?: string): string {
  const home = join(dir, name);
  if (from) cpSync(from, home, { recursive: true });
  else mkdirSync(home);
  if (index) writeFileSync(join(home, 'config.json'), JSON.stringify({ index }));
  return home;
}

describe('a remote fingerprint index', () => {
  const dir = tempDir();
  const music = join(dir, 'music');
  const indexDir = join(dir, 'remote-index');
  let remote: { child: ChildProcess; port: number };
  let embedded: string[][];
  /** A library of the same files, read and fingerprinted while its remote was down: a copy of it has only
   *  grouping left to do (reading 13 minutes of audio again for every library would only cost time). */
  let fingerprinted: string;
  const url = () => `http://127.0.0.1:${remote.port}`;

  beforeAll(async () => {
    const work = join(dir, 'work');
    mkdirSync(work, { recursive: true });
    for (let k = 0; k < 3; k++) {
      const folder = join(music, `piece${k}`);
      mkdirSync(folder, { recursive: true });
      const wav = join(work, `p${k}.wav`);
      writeWav(wav, synthesizePiece(k + 1, 60));
      tool('flac', ['-s', '-f', wav, '-o', join(folder, 'flac.flac')]);
      tool('lame', ['--quiet', '-b', '128', wav, join(folder, 'mp3-128.mp3')]);
      tool('sox', [wav, join(folder, 'trimmed.flac'), 'trim', '8']);
    }
    writeWav(join(music, 'alone.wav'), synthesizePiece(9, 60));
    const home = homeWith(dir, 'embedded', undefined);
    expect(sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]).status).toBe(0);
    embedded = groups(home, music);
    expect(embedded).toHaveLength(3);
    expect(embedded.every((g) => g.length === 3)).toBe(true);
    fingerprinted = homeWith(dir, 'fingerprinted', { url: 'http://127.0.0.1:9', name: 'lib', retries: 0 });
    const read = sleeveHere(fingerprinted, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(read.stderr).toContain('10 file(s) will be grouped by the next scan');
    remote = await serveIndex(indexDir);
  }, 180_000);

  afterAll(async () => {
    if (remote) await stopIndex(remote.child);
  });

  it('groups as the embedded engine does, in msgpack and in JSON', () => {
    for (const format of ['msgpack', 'json']) {
      const home = homeWith(
        dir,
        `remote-${format}`,
        { url: url(), name: `lib-${format}`, format },
        fingerprinted,
      );
      const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
      expect(r.stderr).not.toContain('grouping waits');
      expect(r.status).toBe(0);
      expect(groups(home, music)).toEqual(embedded);
    }
  }, 120_000);

  it('is shared by two libraries: each groups as it does alone, and never empties the other’s index', () => {
    // Each member's path below the test's folder: B's groups span two folders.
    const groupsIn = (home: string) =>
      sleeveHereJson<Group[]>(home, ['dup', '--json'])
        .map((g) => g.members.map((m) => m.path.slice(dir.length + 1)).sort())
        .sort((a, b) => a[0]!.localeCompare(b[0]!));
    const inMusic = (g: string[]) => g.map((p) => `music/${p}`);
    // B: a library of its own (its own id, so its own index), of two of the pieces.
    const homeB = homeWith(dir, 'shared-b', { url: url() });
    const b = sleeveHere(homeB, [
      'scan',
      '--no-embeddings',
      '--no-loudness',
      join(music, 'piece1'),
      join(music, 'piece2'),
    ]);
    expect(b.status, b.stderr).toBe(0);
    const bAlone = embedded.filter((g) => !g[0]!.startsWith('piece0/')).map(inMusic);
    expect(groupsIn(homeB)).toEqual(bAlone);
    // A: another library, with no groups yet (it used to empty the one index every library shared). A copy
    // of a home is the same library, id and all: this one is given an id of its own, as a new one has.
    const homeA = homeWith(dir, 'shared-a', { url: url() }, fingerprinted);
    const a = new Database(join(homeA, 'library.db'));
    a.prepare("UPDATE library_identity SET library_id = 'a0a0a0a0a0a0a0a0'").run();
    a.close();
    const scanA = sleeveHere(homeA, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(scanA.status, scanA.stderr).toBe(0);
    expect(groups(homeA, music)).toEqual(embedded);
    // A library told to use B's index, which it did not create, is refused by name; B's is left whole.
    const db = new Database(join(homeB, 'library.db'), { readonly: true });
    const bIndex = `sleeve-${db.prepare('SELECT library_id FROM library_identity').pluck().get() as string}`;
    db.close();
    const homeC = homeWith(dir, 'shared-c', { url: url(), name: bIndex }, fingerprinted);
    const c = sleeveHere(homeC, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(c.status).toBe(1);
    expect(c.stderr).toContain(`the fingerprint index ${bIndex} at ${url()} was not created by this library`);
    // B's new copy groups with B's own files, found in its index after A's and C's scans.
    mkdirSync(join(dir, 'extra-b'));
    tool('lame', ['--quiet', '-b', '64', join(dir, 'work', 'p1.wav'), join(dir, 'extra-b', 'piece1-64.mp3')]);
    const again = sleeveHere(homeB, ['scan', '--no-embeddings', '--no-loudness', join(dir, 'extra-b')]);
    expect(again.status, again.stderr).toBe(0);
    expect(groupsIn(homeB)).toEqual(
      bAlone.map((g) => (g[0]!.startsWith('music/piece1/') ? ['extra-b/piece1-64.mp3', ...g] : g)),
    );
  }, 180_000);

  it('the --index-url flag chooses the remote for one command', () => {
    const home = homeWith(dir, 'flag', undefined, fingerprinted);
    rmSync(join(home, 'config.json'));
    const r = sleeveHere(home, ['--index-url', url(), 'scan', '--no-embeddings', '--no-loudness', music]);
    expect(r.status).toBe(0);
    expect(groups(home, music)).toEqual(embedded);
    expect(sleeveHere(home, ['--index-url', 'ftp://x', 'stats']).stderr).toContain(
      'give an http:// or https:// address',
    );
    // A server that refuses what retrying cannot fix: said plainly, not as an internal error.
    const other = homeWith(dir, 'refused', undefined);
    const refused = sleeveHere(other, [
      '--index-url',
      `${url()}/no/such/base`,
      'scan',
      '--no-embeddings',
      '--no-loudness',
      music,
    ]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^sleeve: the fingerprint index at http:\/\/127\.0\.0\.1:\d+\/no\/such\/base refused /m,
    );
    expect(refused.stderr).not.toContain('internal error');
  }, 120_000);

  it('a scan in the app that a remote refuses fails, saying why and after how long (for its notice)', async () => {
    const home = homeWith(dir, 'app-refused', { url: `${url()}/no/such/base`, name: 'lib-app' });
    const backend = await startBackend(home, tempDir(), { watchMs: 50 });
    const client = backend.connect();
    try {
      const finished = new Promise<{ failure: string | null; totalSeconds: number }>((resolve) => {
        const off = client.on('scan.finished', (r) => {
          off();
          resolve(r);
        });
      });
      await client.call('scan.start', { folders: [music] });
      const r = await finished;
      expect(r.failure).toMatch(
        /^the fingerprint index at http:\/\/127\.0\.0\.1:\d+\/no\/such\/base refused /,
      );
      // It read and fingerprinted the files first: the app announces a failed scan that ran long.
      expect(r.totalSeconds).toBeGreaterThan(0);
    } finally {
      client.close();
      await backend.close();
    }
  }, 120_000);

  it('reads an endless answer no further than its cap: grouping waits, the scan goes on', async () => {
    const flood = await startFloodServer(256 << 20);
    try {
      const home = homeWith(dir, 'flooded', { url: flood.url, name: 'lib', retries: 3 }, fingerprinted);
      const r = await sleeveHereAsync(home, ['scan', '--no-embeddings', '--no-loudness', music]);
      expect(r.stderr).toMatch(
        new RegExp(
          `grouping waits: the fingerprint index at ${flood.url} sent more than 1 MiB in answer to GET /lib/_health: not read; 10 file\\(s\\) will be grouped by the next scan`,
        ),
      );
      expect(r.status).toBe(1); // as for a remote that is down
      const sent = await Promise.all(flood.answers);
      expect(sent).toHaveLength(1); // not asked again
      expect(sent[0]).toBeLessThan(64 << 20); // what the scan read is at most the cap; the rest sat in buffers
    } finally {
      await flood.close();
    }
  }, 60_000);

  it('waits and says so while the remote is down; the next scan catches up once it is back', async () => {
    const home = homeWith(dir, 'down', { url: url(), name: 'lib-down', retries: 1 }, fingerprinted);
    const port = remote.port;
    await stopIndex(remote.child);
    const r = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `grouping waits: the fingerprint index at http://127.0.0.1:${port} is unavailable (ECONNREFUSED) after 2 tries`,
    );
    expect(r.stderr).toContain('10 file(s) will be grouped by the next scan once it is back');
    expect(sleeveHereJson<Group[]>(home, ['dup', '--json'])).toEqual([]);
    remote = await serveIndex(indexDir, port);
    const again = sleeveHere(home, ['scan', '--no-embeddings', '--no-loudness', music]);
    expect(again.stderr).not.toContain('grouping waits');
    expect(again.status).toBe(0);
    expect(groups(home, music)).toEqual(embedded);
  }, 120_000);

  it('a scan started while the remote is down uses it once it is back (retrying, saying so)', async () => {
    const port = remote.port;
    await stopIndex(remote.child);
    // Files read and fingerprinted with the remote down: the next scan has only grouping to do.
    const home = homeWith(dir, 'restarted', undefined, fingerprinted);
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ index: { url: url(), name: 'lib-restarted', retries: 8 } }),
    );
    // Started once the scan has found it down and said it tries again.
    let retrying = () => {};
    const retried = new Promise<void>((resolve) => {
      retrying = resolve;
    });
    const scanning = sleeveAsync(home, ['scan', '--no-embeddings', '--no-loudness', music], {
      onStderr: (said) => said.includes('ECONNREFUSED; trying again in') && retrying(),
    });
    await Promise.race([retried, scanning]);
    remote = await serveIndex(indexDir, port);
    const r = await scanning;
    expect(r.stderr).toContain('ECONNREFUSED; trying again in');
    expect(r.stderr).not.toContain('grouping waits');
    expect(r.status).toBe(0);
    expect(groups(home, music)).toEqual(embedded);
  }, 120_000);

  it('a remote killed mid-scan, its answer to an applied update lost, is tried again once restarted', async () => {
    const port = remote.port;
    let killed = false;
    let restarted: Promise<void> | undefined;
    // The first update reaches the remote and is applied; the remote is then killed (SIGKILL) before its
    // answer gets back, and started again once Sleeve has tried again and found nothing behind the proxy.
    // Sleeve must send the update again (an insert replaces its document), wait out the 502s and the
    // reload, and group exactly as before.
    const proxy = await proxyTo(
      url,
      (path, res) => {
        if (killed || !path.endsWith('/_update')) return false;
        killed = true;
        remote.child.kill('SIGKILL');
        res.writeHead(502).end();
        return true;
      },
      () => {
        if (killed)
          restarted ??= serveIndex(indexDir, port).then((started) => {
            remote = started;
          });
      },
    );
    try {
      const home = homeWith(dir, 'killed', { url: proxy.url, name: 'lib-killed', retries: 8 }, fingerprinted);
      const r = await sleeveHereAsync(home, ['scan', '--no-embeddings', '--no-loudness', music]);
      await restarted;
      expect(restarted).toBeDefined();
      expect(r.stderr).toMatch(/: 502 HTTP 502; trying again in/);
      expect(r.stderr).not.toContain('grouping waits');
      expect(r.status).toBe(0);
      expect(groups(home, music)).toEqual(embedded);
    } finally {
      await new Promise((r) => proxy.server.close(r));
      await restarted;
    }
  }, 120_000);
});
