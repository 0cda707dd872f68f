// The benchmarks' real music: freely licensed game music from Debian, fetched once into .cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CACHE = join(process.cwd(), '.cache', 'bench-music');

/**
 * The common formats Sleeve reads, by file extension: ffmpeg's options to make each from the Ogg Vorbis
 * originals. Ogg keeps the original's packets (remuxed, so it can take new tags); FLAC is 24-bit (the
 * float decode's depth), WavPack and WAV 16-bit as ripped from CD.
 */
export const FORMATS = {
  ogg: ['-c:a', 'copy'],
  flac: ['-c:a', 'flac'],
  mp3: ['-c:a', 'libmp3lame', '-b:a', '256k'],
  opus: ['-c:a', 'libopus', '-b:a', '160k'],
  m4a: ['-c:a', 'aac', '-b:a', '256k'],
  wv: ['-c:a', 'wavpack', '-sample_fmt', 's16p'],
  wav: ['-c:a', 'pcm_s16le'],
} as const satisfies Record<string, readonly string[]>;

export type Format = keyof typeof FORMATS;

/** The first `tracks` originals (Ogg Vorbis, 2–6 min each), by name. */
export function originals(tracks: number): string[] {
  const pkg = join(CACHE, 'pkg');
  if (!existsSync(pkg)) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync('apt-get', ['download', 'wesnoth-1.16-music'], { cwd: CACHE, stdio: 'inherit' });
    const deb = readdirSync(CACHE).find((f) => f.endsWith('.deb'))!;
    execFileSync('dpkg', ['-x', join(CACHE, deb), pkg]);
  }
  return execFileSync('find', [pkg, '-name', '*.ogg']).toString().trim().split('\n').sort().slice(0, tracks);
}

/** `src` as `format` at `dst`. With `tags`: those set, and the original's kept in every format (they are
 *  stream tags in Ogg, which ffmpeg copies only into Ogg). */
function transcode(src: string, format: Format, dst: string, tags?: Record<string, string>): void {
  const set = tags
    ? ['-map_metadata', '0:s:a:0', ...Object.entries(tags).flatMap(([k, v]) => ['-metadata', `${k}=${v}`])]
    : [];
  execFileSync('ffmpeg', ['-v', 'error', '-i', src, ...FORMATS[format], ...set, dst]);
}

/** Makes `dir` once, through a temporary folder, so an interrupted run leaves nothing half-made. */
function cached(dir: string, make: (tmp: string) => void): string {
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  make(tmp);
  renameSync(tmp, dir);
  return dir;
}

const numbered = (i: number) => String(i).padStart(3, '0');

/** Freely licensed game music from Debian (Ogg Vorbis), plus FLAC and MP3 transcodes of part of it. */
export function musicLibrary(tracks: number): string {
  const src = originals(tracks);
  const thirds: Format[] = ['ogg', 'flac', 'mp3'];
  return cached(join(CACHE, `library-${tracks}`), (tmp) =>
    src.forEach((f, i) => {
      const format = thirds[i % 3]!;
      transcode(f, format, join(tmp, `${numbered(i)}.${format}`));
    }),
  );
}

/** The album of a format's folder in `formatLibrary`, by ALBUM_ARTIST. */
export const albumOf = (format: Format) => `Wesnoth in ${format}`;
export const ALBUM_ARTIST = 'Sleeve benchmarks';

/** The same `tracks` originals in every format of FORMATS, one folder (one album) per format: `<format>/`. */
export function formatLibrary(tracks: number): string {
  const src = originals(tracks);
  return cached(join(CACHE, `formats-${tracks}`), (tmp) => {
    for (const format of Object.keys(FORMATS) as Format[]) {
      mkdirSync(join(tmp, format));
      // The artist too: WAV's RIFF INFO has no album artist, and ffmpeg's APE key for it (album_artist)
      // is not Picard's, so the album artist falls back to the artist in both.
      const tags = { album: albumOf(format), album_artist: ALBUM_ARTIST, artist: ALBUM_ARTIST };
      src.forEach((f, i) => {
        transcode(f, format, join(tmp, format, `${numbered(i)}.${format}`), tags);
      });
    }
  });
}
