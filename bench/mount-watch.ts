// npm run bench -- mount-watch [--tracks N] [--edits N]
// How soon a player that follows its folder through inotify (mpd with auto_update) shows an edit made
// in Sleeve, through the mount, against the same mpd's own delay for the same change made on a plain
// folder (metaflac and mv, as a tagger and a file manager would), in the same run; and how long a retag
// of every track takes to be complete in that mpd's database, against `mpc update` of the whole mount
// (what users of a FUSE mount did by hand before the mount told watchers: fuse/mount-echo.ts).
// Tracks are one short FLAC copied, N of them, 20 to an album folder; titles come from their names.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { latencies, machine, scanTagsOnly, waitUntil } from './measure.ts';
import { type MpdPlayer, mpdInstalled, mpdVersion, startMpd } from './mpd.ts';
import { benchTempDir } from './temp-dir.ts';

const SLEEVE_JS = new URL('../app/cli/sleeve.js', import.meta.url).pathname;
const PER_ALBUM = 20;

const sleeve = (home: string, args: string[]) =>
  execFileSync(process.execPath, [SLEEVE_JS, '--home', home, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** N copies of one two-second FLAC, `album-K/NNNNN.flac`, tagged with their album and title. */
function library(dir: string, tracks: number): void {
  const seed = join(dir, 'seed.flac');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=2', seed]);
  for (let i = 0; i < tracks; i++) {
    const album = join(dir, 'music', `album-${Math.floor(i / PER_ALBUM)}`);
    if (i % PER_ALBUM === 0) mkdirSync(album, { recursive: true });
    const file = join(album, `${String(i).padStart(5, '0')}.flac`);
    copyFileSync(seed, file);
  }
  for (let a = 0; a * PER_ALBUM < tracks; a++)
    execFileSync('metaflac', [
      '--set-tag=ARTIST=Watch Bench',
      `--set-tag=ALBUM=Album ${a}`,
      ...Array.from({ length: Math.min(PER_ALBUM, tracks - a * PER_ALBUM) }, (_, k) =>
        join(dir, 'music', `album-${a}`, `${String(a * PER_ALBUM + k).padStart(5, '0')}.flac`),
      ),
    ]);
}

/** Whether mpd's database holds a song titled `title` at a path ending in `end`. */
const knows = (mpd: MpdPlayer, title: string, end: string) => () =>
  Promise.resolve(
    mpd
      .mpc('-f', '%file%', 'find', 'title', title)
      .split('\n')
      .some((f) => f.endsWith(end)),
  );

async function edits(
  label: string,
  count: number,
  edit: (i: number) => { title: string; end: string },
  mpd: MpdPlayer,
): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < count; i++) {
    const { title, end } = edit(i);
    seconds.push(await waitUntil(knows(mpd, title, end), { what: `${label} edit ${i}`, timeoutMs: 60_000 }));
  }
  return seconds;
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { tracks: { type: 'string' }, edits: { type: 'string' } } });
  const tracks = Number(values.tracks ?? 2000);
  const count = Number(values.edits ?? 10);
  if (!mpdInstalled()) throw new Error('mount-watch needs mpd and mpc (apt-get install mpd mpc)');
  console.log(`mount-watch: ${tracks} tracks, ${count} single edits; ${mpdVersion()}; ${machine()}`);
  const dir = benchTempDir('sleeve-bench-watch-');
  library(dir, tracks);
  const plain = join(dir, 'plain');
  execFileSync('cp', ['-r', join(dir, 'music'), plain]);
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  scanTagsOnly(home, join(dir, 'music'));
  sleeve(home, ['tool', 'from-path', '', '--pattern', '%title%', '--yes-all']);
  mkdirSync(mnt);
  sleeve(home, ['mount', mnt]);
  const mounted = await startMpd(mnt, join(dir, 'mpd-mount'), { autoUpdate: true });
  const onPlain = await startMpd(plain, join(dir, 'mpd-plain'), { autoUpdate: true });
  try {
    // One edit at a time, each waited for: a retitle, which the default template moves.
    const sleeveSeconds = await edits(
      'mount',
      count,
      (i) => {
        const id = String(1 + ((i * 97) % tracks));
        const title = `Mount Edit ${i}`;
        sleeve(home, ['set', `id:${id}`, `title=${title}`, '-y']);
        return { title, end: `${title}.flac` };
      },
      mounted,
    );
    const plainSeconds = await edits(
      'plain',
      count,
      (i) => {
        const n = (i * 97) % tracks;
        const from = join(plain, `album-${Math.floor(n / PER_ALBUM)}`, `${String(n).padStart(5, '0')}.flac`);
        const title = `Plain Edit ${i}`;
        execFileSync('metaflac', ['--remove-tag=TITLE', `--set-tag=TITLE=${title}`, from]);
        const to = join(plain, `album-${Math.floor(n / PER_ALBUM)}`, `${title}.flac`);
        renameSync(from, to);
        return { title, end: `${title}.flac` };
      },
      onPlain,
    );
    console.log(
      `  an edit shown by mpd (auto_update), through the mount:  ${latencies(sleeveSeconds.map((s) => s * 1000))}`,
    );
    console.log(
      `  the same change on a plain folder (its own delay):       ${latencies(plainSeconds.map((s) => s * 1000))}`,
    );

    // Every track retagged at once: complete in mpd's database when it knows every track by the new genre.
    const t0 = performance.now();
    sleeve(home, ['set', '', 'genre=Retagged', '--yes-all']);
    const saved = (performance.now() - t0) / 1000;
    const complete = () =>
      Promise.resolve(mounted.mpc('find', 'genre', 'Retagged').split('\n').filter(Boolean).length === tracks);
    const following = await waitUntil(complete, {
      what: 'mpd to know every retagged track',
      timeoutMs: 600_000,
      everyMs: 500,
    });
    const t1 = performance.now();
    mounted.mpc('-q', 'rescan', '--wait');
    const rescan = (performance.now() - t1) / 1000;
    console.log(
      `  retag of all ${tracks}: saved in ${saved.toFixed(1)} s; in mpd's database ${following.toFixed(1)} s later`,
    );
    console.log(`  against \`mpc rescan\` of the whole mount (by hand):       ${rescan.toFixed(1)} s`);
  } finally {
    await mounted.stop();
    await onPlain.stop();
    sleeve(home, ['umount', mnt]);
  }
}
