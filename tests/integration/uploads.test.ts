// Files the app sends to import (app/server/uploads.ts), over real HTTP: a file taken whole and
// read back once, then gone; one past the limit answered 413 with its reason, read to its end so the page
// gets the answer, and nothing kept; no more than two held; the folder gone when the backend stops, and
// one a backend that no longer runs left gone at the next upload.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Uploads } from '../../app/server/uploads.ts';
import { tempDir } from '../helpers.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** `uploads` served over HTTP; `taking` hears of each request as it is handed over. */
async function serving(uploads: Uploads, taking = () => {}): Promise<number> {
  const server = createServer((req, res) => {
    void uploads.receive(req, res);
    taking();
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** POSTs `body` in chunks (`declared`: with its length said first, as browsers send a file). */
function post(port: number, body: Buffer, declared = true): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/upload',
        method: 'POST',
        headers: declared ? { 'Content-Length': body.length } : { 'Transfer-Encoding': 'chunked' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('error', reject);
    for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
    req.end();
  });
}

describe('files sent to import', () => {
  it('takes a file whole, hands it over once, then lets it go', async () => {
    const uploads = new Uploads(join(tempDir(), 'uploads'), 64 * 1024);
    const port = await serving(uploads);
    const body = Buffer.from('path,title\n/music/a.flac,"A, quoted"\n'.repeat(500));
    const r = await post(port, body);
    expect(r.status).toBe(200);
    const { upload, bytes } = JSON.parse(r.text) as { upload: string; bytes: number };
    expect(bytes).toBe(body.length);
    const path = uploads.path(upload);
    expect(readFileSync(path)).toEqual(body);
    uploads.release(upload);
    expect(existsSync(path)).toBe(false);
    expect(() => uploads.path(upload)).toThrow('the file sent is no longer held: choose it again');
    uploads.close();
    expect(existsSync(dirname(path))).toBe(false);
  });

  it('answers a file past the limit with 413 and its reason, declared or not, and keeps nothing', async () => {
    const uploads = new Uploads(join(tempDir(), 'uploads'), 4096);
    const port = await serving(uploads);
    const kept = await post(port, Buffer.alloc(10));
    const folder = dirname(uploads.path((JSON.parse(kept.text) as { upload: string }).upload));
    for (const declared of [true, false]) {
      const r = await post(port, Buffer.alloc(20_000, 'x'), declared);
      expect(r.status, `declared: ${declared}`).toBe(413);
      expect(r.text).toContain('the file is larger than');
    }
    expect(readdirSync(folder)).toHaveLength(1); // the first, small one
    uploads.close();
  });

  it("clears the folder a backend that no longer runs left, and keeps a running one's", async () => {
    const parent = join(tempDir(), 'uploads');
    const dead = join(parent, '999999999');
    const running = join(parent, String(process.ppid));
    for (const dir of [dead, running]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dead, 'left'), 'x');
    const uploads = new Uploads(parent, 4096);
    const port = await serving(uploads);
    expect((await post(port, Buffer.alloc(3))).status).toBe(200);
    expect(readdirSync(parent).sort()).toEqual([String(process.pid), String(process.ppid)].sort());
    uploads.close();
    expect(readdirSync(parent)).toEqual([String(process.ppid)]);
  });

  it('takes one file at a time: another sent meanwhile is answered 429, and taken once the first is in', async () => {
    const uploads = new Uploads(join(tempDir(), 'uploads'), 4096);
    let taken: () => void = () => {};
    const firstTaken = new Promise<void>((resolve) => {
      taken = resolve;
    });
    const port = await serving(uploads, () => taken());
    // The first file's body begun and held open: it is coming in.
    const answered = new Promise<number>((resolve, reject) => {
      const first = request(
        { host: '127.0.0.1', port, path: '/upload', method: 'POST', headers: { 'Content-Length': 20 } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      first.on('error', reject);
      first.write(Buffer.alloc(10));
      // Another once the first is being taken; the first's second half once that one has its answer.
      void firstTaken
        .then(async () => {
          const r = await post(port, Buffer.alloc(5));
          expect(r.status).toBe(429);
          expect(r.text).toContain('another file is being sent');
          first.end(Buffer.alloc(10));
        })
        .catch(reject);
    });
    expect(await answered).toBe(200);
    expect((await post(port, Buffer.alloc(5))).status).toBe(200);
    uploads.close();
  });

  it('holds two at most: a third lets the oldest go', async () => {
    const uploads = new Uploads(join(tempDir(), 'uploads'), 4096);
    const port = await serving(uploads);
    const ids: string[] = [];
    for (const n of [1, 2, 3])
      ids.push((JSON.parse((await post(port, Buffer.alloc(n))).text) as { upload: string }).upload);
    expect(() => uploads.path(ids[0]!)).toThrow(/no longer held/);
    expect(readdirSync(dirname(uploads.path(ids[2]!))).sort()).toEqual([ids[1], ids[2]].sort());
    uploads.close();
  });
});
