// The benchmarks' real music: freely licensed game music from Debian, fetched once into .cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CACHE = join(process.cwd(), '.cache', 'bench-music');

/** Freely licensed game music from Debian (Ogg Vorbis), plus FLAC and MP3 transcodes of part of it. */
export function musicLibrary(tracks: number): string {
  const pkg = join(CACHE, 'pkg');
  if (!existsSync(pkg)) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync('apt-get', ['download', 'wesnoth-1.16-music'], { cwd: CACHE, stdio: 'inherit' });
    const deb = readdirSync(CACHE).find((f) => f.endsWith('.deb'))!;
    execFileSync('dpkg', ['-x', join(CACHE, deb), pkg]);
  }
  const src = execFileSync('find', [pkg, '-name', '*.ogg'])
    .toString()
    .trim()
    .split('\n')
    .sort()
    .slice(0, tracks);
  const lib = join(CACHE, `library-${tracks}`);
  if (!existsSync(lib)) {
    const tmp = `${lib}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    src.forEach((f, i) => {
      const base = join(tmp, `${String(i).padStart(3, '0')}`);
      if (i % 3 === 0) execFileSync('cp', [f, `${base}.ogg`]);
      else if (i % 3 === 1) execFileSync('ffmpeg', ['-v', 'error', '-i', f, '-c:a', 'flac', `${base}.flac`]);
      else
        execFileSync('ffmpeg', ['-v', 'error', '-i', f, '-c:a', 'libmp3lame', '-b:a', '256k', `${base}.mp3`]);
    });
    execFileSync('mv', [tmp, lib]);
  }
  return lib;
}
