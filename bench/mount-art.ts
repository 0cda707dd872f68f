// npm run bench -- mount-art [--files N] [--cover-mib M] [--baseline REF | --no-baseline]
// Cover art through the mount: an album of N FLACs sharing one large cover, as an album's tracks do. Each
// file opened and its first 64 KiB read (a player, or a media server indexing the mount), then every file
// read whole (its picture included). Measured: the daemon's memory after each step and the time of a
// first open, against the daemon before served headers streamed their pictures from the library, in the
// same run, each over the same files, scanned into a library of its own by its own checkout (a library is
// at the schema of the Sleeve that made it).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeWav } from '../tests/fixtures/library.ts';
import { baselineCheckout } from './baseline-checkout.ts';
import { machine, percentile } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

/** The last commit whose served headers held their pictures' data. */
const BEFORE_STREAMING = 'fa9aaef';
const SLEEVE_JS = new URL('../app/cli/sleeve.js', import.meta.url).pathname;

function sleeve(sleeveJs: string, home: string, args: string[]): string {
  return execFileSync(process.execPath, [sleeveJs, '--home', home, ...args], { encoding: 'utf8' });
}

const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** A noisy PNG (noise does not compress) of about `mib` MiB, and its picture record. */
async function cover(dir: string, mib: number) {
  const path = join(dir, 'cover.png');
  const side = Math.round(Math.sqrt((mib * 1024 * 1024) / 3));
  execFileSync(
    'ffmpeg',
    ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=gray:s=${side}x${side},noise=alls=100:allf=t`].concat(
      ['-frames:v', '1', path],
    ),
  );
  return path;
}

/** N FLACs tagged as one album's tracks, each with `coverPath` as its front cover; their folder. */
function albumFiles(dir: string, files: number, coverPath: string): string {
  const music = join(dir, 'music');
  mkdirSync(music);
  const wav = join(dir, 'src.wav');
  makeWav(wav, 440);
  for (let i = 1; i <= files; i++) {
    const tags = [`ARTIST=Artist`, `ALBUM=Album`, `TITLE=Track ${i}`, `TRACKNUMBER=${i}`].flatMap((t) => [
      '-T',
      t,
    ]);
    const path = join(music, `${String(i).padStart(3, '0')}.flac`);
    execFileSync('flac', ['-s', '-f', `--picture=3||front||${coverPath}`, ...tags, wav, '-o', path]);
  }
  return music;
}

function firstBytes(path: string, n: number): number {
  const t = performance.now();
  const fd = openSync(path, 'r');
  try {
    readSync(fd, Buffer.alloc(n), 0, n, 0);
  } finally {
    closeSync(fd);
  }
  return performance.now() - t;
}

async function run(name: string, sleeveJs: string, music: string, files: number): Promise<void> {
  const dir = benchTempDir('sleeve-bench-mount-art-');
  const home = join(dir, 'home');
  sleeve(sleeveJs, home, ['scan', '--no-fingerprint', '--no-embeddings', music]);
  const mnt = join(dir, 'mnt');
  sleeve(sleeveJs, home, ['mount', mnt]);
  try {
    const pid = (JSON.parse(sleeve(sleeveJs, home, ['mounts', '--json'])) as Array<{ pid: number }>)[0]!.pid;
    const atStart = rssMb(pid);
    const paths = Array.from({ length: files }, (_, i) =>
      join(mnt, 'Artist', 'Album', `${String(i + 1).padStart(2, '0')} Track ${i + 1}.flac`),
    );
    const opens = paths.map((p) => firstBytes(p, 64 * 1024)).sort((a, b) => a - b);
    const afterOpens = rssMb(pid);
    const t = performance.now();
    let bytes = 0;
    for (const p of paths) bytes += readFileSync(p).length;
    const wholeSeconds = (performance.now() - t) / 1000;
    const afterWhole = rssMb(pid);
    console.log(`\n${name}:`);
    console.log(`  daemon RSS once serving                                  ${atStart.toFixed(0)} MB`);
    console.log(
      `  each file opened, its first 64 KiB read: open+read p50 / p99 ${percentile(opens, 50).toFixed(1)} / ${percentile(opens, 99).toFixed(1)} ms; RSS ${afterOpens.toFixed(0)} MB`,
    );
    console.log(
      `  every file read whole (${(bytes / 2 ** 20).toFixed(0)} MiB): ${wholeSeconds.toFixed(2)} s, ${(bytes / 2 ** 20 / wholeSeconds).toFixed(0)} MiB/s; RSS ${afterWhole.toFixed(0)} MB`,
    );
  } finally {
    sleeve(sleeveJs, home, ['umount', mnt]);
  }
}

export async function main(args: string[]): Promise<void> {
  const arg = (flag: string, fallback: string) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const files = Number(arg('--files', '60'));
  const mib = Number(arg('--cover-mib', '8'));
  const ref = args.includes('--no-baseline') ? undefined : arg('--baseline', BEFORE_STREAMING);
  console.log(`mount-art benchmark on ${machine()}, ${new Date().toISOString()}`);
  const dir = benchTempDir('sleeve-bench-mount-art-');
  const coverPath = await cover(dir, mib);
  console.log(
    `${files} FLACs of one album, each with the same ${(statSync(coverPath).size / 2 ** 20).toFixed(1)} MiB front cover; each daemon mounts its own library of them.`,
  );
  const music = albumFiles(dir, files, coverPath);
  await run('this checkout (pictures read from the library as reached)', SLEEVE_JS, music, files);
  if (ref === undefined) return;
  const baseline = baselineCheckout(ref, 'sleeve-bench-mount-art-');
  try {
    baseline.buildBinding();
    await run(
      `baseline: the daemon at ${ref} (pictures held in each header)`,
      baseline.sleeveJs,
      music,
      files,
    );
  } finally {
    baseline.remove();
  }
}
