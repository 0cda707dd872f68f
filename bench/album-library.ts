// The libraries the scan and mount-scan benchmarks read tags from: albums of real-length tracks (a folder
// of 10, 3 minutes each, FLAC and MP3 albums alternating, tagged by mutagen as Picard would), and a folder
// of two short files that primes a tool's own code after the page cache is emptied.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeWav } from '../tests/fixtures/library.ts';

/** Where benchmarks keep what they generate, between runs. */
export const ROOT = join(process.cwd(), '.cache', 'bench');
const TAGGED_COPIES = new URL('./fixtures/tagged-copies.py', import.meta.url).pathname;

/** Runs a tool, its output dropped (its errors shown). */
export function run(cmd: string, args: readonly string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Tracks a folder, and their length: albums of real-length tracks, as collections are laid out. */
export const PER_ALBUM = 10;
export const TRACK_SECONDS = 180;

/** N tagged files in albums of PER_ALBUM (FLAC and MP3 albums alternating, 3 minutes each, the MP3s at
 *  192 kbps), generated once and cached. */
export function albumLibrary(n: number): string {
  const dir = join(ROOT, `albums-${n}-${PER_ALBUM}x${TRACK_SECONDS}s`);
  if (existsSync(dir)) return dir;
  const work = join(ROOT, 'work');
  mkdirSync(work, { recursive: true });
  const wav = join(work, 'album-base.wav');
  // Pink noise under a tone, so FLAC compresses it about as much as music.
  run('sox', [
    '-n',
    '-r',
    '44100',
    '-b',
    '16',
    '-c',
    '2',
    wav,
    'synth',
    `${TRACK_SECONDS}`,
    'pinknoise',
    'vol',
    '0.3',
  ]);
  run('flac', ['-s', '-f', '-o', join(work, 'album-base.flac'), wav]);
  run('lame', ['--quiet', '-b', '192', wav, join(work, 'album-base.mp3')]);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generating ${n} tagged files in albums of ${PER_ALBUM}…`);
  run('/usr/bin/python3', [
    TAGGED_COPIES,
    join(work, 'album-base.flac'),
    join(work, 'album-base.mp3'),
    tmp,
    String(n),
    String(PER_ALBUM),
  ]);
  renameSync(tmp, dir);
  return dir;
}

/** A folder of one short FLAC and one MP3, outside the library measured. */
export function primerFolder(): string {
  const dir = join(ROOT, 'primer');
  if (existsSync(join(dir, 'b.mp3'))) return dir;
  mkdirSync(dir, { recursive: true });
  makeWav(join(dir, 'a.wav'), 440, 1);
  run('flac', ['-s', '-f', '-T', 'TITLE=a', '-o', join(dir, 'a.flac'), join(dir, 'a.wav')]);
  run('lame', ['--quiet', '--tt', 'b', join(dir, 'a.wav'), join(dir, 'b.mp3')]);
  rmSync(join(dir, 'a.wav'));
  return dir;
}
