// Cover art is typed by its bytes, never by what a tag claims: an SVG "cover" would run script in the
// backend's origin (with the token in its URL). Art and media are served as inert data.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, type TestBackend } from '../fixtures/backend.ts';
import { makeImage, makeWav } from '../fixtures/library.ts';
import { hashTree, sleeveHere, sleeveHereJson, tempDir, tool } from '../helpers.ts';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>';

/** A FLAC with one PICTURE block whose tag claims `mime` for `data` (mutagen writes what it is given). */
function flacWithPicture(path: string, mime: string, data: Buffer): void {
  const wav = `${path}.wav`;
  makeWav(wav, 330);
  tool('flac', ['--silent', '-f', '-o', path, wav]);
  const script = [
    'import sys',
    'from mutagen.flac import FLAC, Picture',
    'f = FLAC(sys.argv[1]); p = Picture(); p.type = 3; p.mime = sys.argv[2]',
    'p.data = open(sys.argv[3], "rb").read(); f.add_picture(p); f.save()',
  ].join('\n');
  const dataFile = `${path}.data`;
  writeFileSync(dataFile, data);
  execFileSync('/usr/bin/python3', ['-c', script, path, mime, dataFile]);
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, path: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('cover art typed by its bytes', () => {
  let music: string;
  let home: string;
  let backend: TestBackend;
  let before: Map<string, string>;
  let png: Buffer;

  beforeAll(async () => {
    const work = tempDir();
    music = join(work, 'music');
    mkdirSync(music);
    const pngFile = join(work, 'cover.png');
    makeImage(pngFile, '16x16', 'green');
    png = readFileSync(pngFile);
    flacWithPicture(join(music, 'svg cover.flac'), 'image/svg+xml', Buffer.from(SVG));
    flacWithPicture(join(music, 'png claiming svg.flac'), 'image/svg+xml', png);
    before = hashTree(music);
    home = join(work, 'home');
    expect(
      sleeveHere(home, ['scan', '--no-fingerprint', '--no-embeddings', '--no-loudness', music]).status,
    ).toBe(0);
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
    backend = await startBackend(home, rendererDir, { watchMs: 50 });
  });

  afterAll(async () => {
    await backend?.close();
  });

  const info = (name: string) => {
    const [item] = sleeveHereJson<Array<{ id: number }>>(home, ['ls', `path:"${name}"`, '--json']);
    return sleeveHereJson<{
      status: string;
      warning: string | null;
      art: Array<{ hash: string; mime: string }>;
    }>(home, ['info', String(item!.id), '--json']);
  };

  it('keeps no cover that is not an image, and says so on the track', () => {
    const svg = info('svg cover');
    expect(svg.status).toBe('ok');
    expect(svg.art).toEqual([]);
    expect(svg.warning).toBe(
      'cover art tagged "image/svg+xml" is not a JPEG, PNG, GIF, WebP or BMP image: not kept',
    );
    expect(
      sleeveHere(home, [
        'info',
        String(sleeveHereJson<Array<{ id: number }>>(home, ['ls', 'path:"svg cover"', '--json'])[0]!.id),
      ]).stdout,
    ).toMatch(/status\s+ok, warning: cover art tagged/);
  });

  it('types a real image by its bytes and serves it as inert data', async () => {
    const art = info('png claiming svg').art;
    expect(art.map((a) => a.mime)).toEqual(['image/png']);
    const r = await get(backend.server.port, `/art/${art[0]!.hash}?token=${backend.server.token}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(r.body.equals(png)).toBe(true);
    const media = await get(backend.server.port, `/media/1?token=${backend.server.token}`);
    expect(media.status).toBe(200);
    expect(media.headers['x-content-type-options']).toBe('nosniff');
    expect(media.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it('refuses to serve stored art whose bytes are no image (kept by an older scan)', async () => {
    const hash = 'ab'.repeat(32);
    backend.db
      .prepare('INSERT INTO art (hash, mime, width, height, bytes, data) VALUES (?, ?, NULL, NULL, ?, ?)')
      .run(hash, 'image/svg+xml', SVG.length, Buffer.from(SVG));
    const r = await get(backend.server.port, `/art/${hash}?token=${backend.server.token}`);
    expect(r.status).toBe(415);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body.toString()).not.toContain('<svg');
    expect(hashTree(music)).toEqual(before);
  });
});
