// The benchmarks' synthetic library: tracks in albums of 10 by artists of 60 tracks, with genres and
// covers, written straight into a Sleeve home's database; and the backend served over it.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../app/core/db/database.ts';
import { IngestWriter } from '../app/core/library/ingest.ts';
import type { PictureRecord } from '../app/core/media/read-track.ts';
import { makeImage } from '../tests/fixtures/library.ts';
import { prng } from '../tests/fixtures/music.ts';

const WORDS = (
  'amber echo lumen velvet harbor signal meadow cinder orbit hollow silver static northern violet ' +
  'paper glass river ember canyon falcon neon winter saffron quiet atlas copper delta marble ocean'
).split(' ');
const GENRES = [
  'Rock',
  'Jazz',
  'Electronic',
  'Classical',
  'Folk',
  'Hip-Hop',
  'Ambient',
  'Soul',
  'Metal',
  'Pop',
];
const COVERS = ['#c0392b', '#2980b9', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#2c3e50', '#f39c12'];

function cap(w: string): string {
  return w[0]!.toUpperCase() + w.slice(1);
}

function covers(dir: string): PictureRecord[] {
  return COVERS.map((color, i) => {
    const path = join(dir, `cover${i}.png`);
    makeImage(path, '300x300', color);
    const data = readFileSync(path);
    const hash = createHash('sha256').update(data).digest('hex');
    return {
      hash,
      mime: 'image/png',
      width: 300,
      height: 300,
      bytes: data.length,
      type: 3,
      description: '',
      data,
    };
  });
}

/** A library of `tracks` tracks in albums of 10 by ~tracks/60 artists, written straight into the DB. */
export function syntheticLibrary(home: string, tracks: number): void {
  const db = openDatabase(join(home, 'library.db'));
  const writer = new IngestWriter(db);
  const pictures = covers(home);
  const r = prng(42);
  const word = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const now = Date.now();
  db.transaction(() => {
    const root = writer.ensureRoot('/music', now);
    let artist = '';
    let album = '';
    let year = 1970;
    let genre = 'Rock';
    for (let i = 0; i < tracks; i++) {
      if (i % 60 === 0) artist = `${cap(word())} ${cap(word())} ${Math.floor(i / 60)}`;
      if (i % 10 === 0) {
        album = `${cap(word())} ${word()} ${Math.floor(i / 10)}`;
        year = 1960 + Math.floor(r() * 65);
        genre = GENRES[Math.floor(r() * GENRES.length)]!;
      }
      const title = `${cap(word())} ${word()} ${word()}`;
      const n = (i % 10) + 1;
      const cover = pictures[Math.floor(i / 10) % pictures.length]!;
      writer.write(
        root,
        {
          path: `/music/${artist}/${album}/${String(n).padStart(2, '0')} ${title}.flac`,
          size: 30_000_000,
          mtimeMs: now,
          inode: i + 1,
        },
        {
          track: {
            format: 'flac',
            codec: 'FLAC',
            lossless: true,
            sampleRate: 44100,
            channels: 2,
            bitDepth: 16,
            duration: 120 + Math.floor(r() * 300),
            bitrate: 900_000,
            audioStart: 8192,
            audioEnd: 30_000_000,
            flacKept: null,
            warnings: [],
            tags: [
              ['title', [title]],
              ['artist', [artist]],
              ['albumartist', [artist]],
              ['album', [album]],
              ['tracknumber', [String(n)]],
              ['totaltracks', ['10']],
              ['date', [String(year)]],
              ['genre', [genre]],
            ],
            pictures: [i % 10 === 0 ? cover : { ...cover, data: undefined }],
          },
        },
        now,
        true,
      );
    }
  })();
  db.close();
}

/** `sleeve serve --json` over `home`, in its own process. */
export async function serve(
  home: string,
): Promise<{ url: string; port: number; token: string; pid: number; stop(): void }> {
  const child = spawn(
    process.execPath,
    [new URL('../app/cli/sleeve.js', import.meta.url).pathname, '--home', home, 'serve', '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(String(d))),
  );
  const info = JSON.parse(line) as { url: string; port: number; token: string };
  return { ...info, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}
