// Scan benchmark: Sleeve's metadata scan (cold DB, then a no-change rescan) against beets 1.6 `beet import -A`
// on the same N small tagged FLAC and MP3 files, and Sleeve's peak memory on a large library of tiny files.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeWav } from '../tests/fixtures/library.ts';
import { machine, measure } from './measure.ts';

const ROOT = join(process.cwd(), '.cache', 'bench');
const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');
const TAGGED_COPIES = new URL('./fixtures/tagged-copies.py', import.meta.url).pathname;

function run(cmd: string, args: readonly string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** N tagged files (half FLAC, half MP3), generated once and cached. */
function taggedLibrary(n: number): string {
  const dir = join(ROOT, `tagged-${n}`);
  if (existsSync(dir)) return dir;
  const work = join(ROOT, 'work');
  mkdirSync(work, { recursive: true });
  makeWav(join(work, 'base.wav'), 440, 1);
  run('flac', ['-s', '-f', '-o', join(work, 'base.flac'), join(work, 'base.wav')]);
  run('lame', ['--quiet', '-b', '128', join(work, 'base.wav'), join(work, 'base.mp3')]);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generating ${n} tagged files…`);
  run('/usr/bin/python3', [TAGGED_COPIES, join(work, 'base.flac'), join(work, 'base.mp3'), tmp, String(n)]);
  renameSync(tmp, dir);
  return dir;
}

/** N copies of one tiny MP3 in folders of 100 (a stress test for walking and memory, not for tags). */
function tinyLibrary(n: number): string {
  const dir = join(ROOT, `tiny-${n}`);
  if (existsSync(dir)) return dir;
  const work = join(ROOT, 'work');
  mkdirSync(work, { recursive: true });
  makeWav(join(work, 'tiny.wav'), 660, 0.1, 8000, 1);
  run('lame', ['--quiet', '-b', '8', '--tt', 'Tiny', join(work, 'tiny.wav'), join(work, 'tiny.mp3')]);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  console.log(`generating ${n} tiny files…`);
  for (let i = 0; i < n; i++) {
    const folder = join(tmp, `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    copyFileSync(join(work, 'tiny.mp3'), join(folder, `${i}.mp3`));
  }
  renameSync(tmp, dir);
  return dir;
}

/** Reads every file once so both tools start from a warm page cache. */
function warm(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) readFileSync(join(e.parentPath, e.name));
  }
}

async function sleeveScan(home: string, dir: string) {
  const m = await measure(process.execPath, [CLI, '--home', home, 'scan', dir, '--json']);
  return {
    ...m,
    summary: JSON.parse(m.stdout) as { added: number; unchanged: number; errors: number; seconds: number },
  };
}

async function beetsImport(dir: string) {
  const beetsDir = join(tmpdir(), `sleeve-bench-beets-${process.pid}`);
  rmSync(beetsDir, { recursive: true, force: true });
  mkdirSync(beetsDir, { recursive: true });
  writeFileSync(
    join(beetsDir, 'config.yaml'),
    `directory: ${join(beetsDir, 'lib')}\nlibrary: ${join(beetsDir, 'library.db')}\nplugins: []\nimport:\n  copy: no\n  write: no\n  autotag: no\n  log: null\n`,
  );
  const m = await measure('beet', ['import', '-A', '-q', dir], { ...process.env, BEETSDIR: beetsDir });
  const count = execFileSync('beet', ['ls', '-f', '$id'], { env: { ...process.env, BEETSDIR: beetsDir } })
    .toString()
    .trim()
    .split('\n').length;
  rmSync(beetsDir, { recursive: true, force: true });
  return { ...m, count };
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      files: { type: 'string', default: '2000' },
      tiny: { type: 'string', default: '100000' },
      'no-beets': { type: 'boolean', default: false },
    },
  });
  const n = Number(values.files);
  const tiny = Number(values.tiny);
  console.log(`scan benchmark on ${machine()}, ${new Date().toISOString().slice(0, 10)}`);
  const dir = taggedLibrary(n);
  warm(dir);
  const home = join(tmpdir(), `sleeve-bench-home-${process.pid}`);
  rmSync(home, { recursive: true, force: true });

  const cold = await sleeveScan(home, dir);
  const rescan = await sleeveScan(home, dir);
  if (cold.summary.added !== n || rescan.summary.unchanged !== n)
    throw new Error(`unexpected scan results: ${cold.stdout} ${rescan.stdout}`);
  const sleeveRate = n / cold.seconds;
  console.log(
    `\n${n} small tagged files (half FLAC, half MP3), warm page cache, wall time including process start:`,
  );
  console.log(
    `  sleeve scan, empty library   ${cold.seconds.toFixed(2)} s  ${sleeveRate.toFixed(0)} files/s  peak RSS ${cold.peakRssMb.toFixed(0)} MB`,
  );
  console.log(
    `    of which the scan itself   ${cold.summary.seconds.toFixed(2)} s  ${(n / cold.summary.seconds).toFixed(0)} files/s (the rest is process start-up)`,
  );
  console.log(
    `  sleeve scan, no changes      ${rescan.seconds.toFixed(3)} s  peak RSS ${rescan.peakRssMb.toFixed(0)} MB`,
  );
  if (!values['no-beets']) {
    const beets = await beetsImport(dir);
    if (beets.count !== n) throw new Error(`beets imported ${beets.count} of ${n} files`);
    const beetsRate = n / beets.seconds;
    console.log(
      `  beet import -A -q            ${beets.seconds.toFixed(2)} s  ${beetsRate.toFixed(0)} files/s  peak RSS ${beets.peakRssMb.toFixed(0)} MB`,
    );
    console.log(`  ratio sleeve / beets         ${(sleeveRate / beetsRate).toFixed(1)}×`);
  }
  rmSync(home, { recursive: true, force: true });

  if (tiny > 0) {
    const tinyDir = tinyLibrary(tiny);
    warm(tinyDir);
    const big = await sleeveScan(home, tinyDir);
    if (big.summary.added !== tiny) throw new Error(`unexpected large scan: ${big.stdout}`);
    const again = await sleeveScan(home, tinyDir);
    console.log(`\n${tiny} tiny MP3 files:`);
    console.log(
      `  sleeve scan, empty library   ${big.seconds.toFixed(1)} s  ${(tiny / big.seconds).toFixed(0)} files/s  peak RSS ${big.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `  sleeve scan, no changes      ${again.seconds.toFixed(2)} s  peak RSS ${again.peakRssMb.toFixed(0)} MB`,
    );
    rmSync(home, { recursive: true, force: true });
  }
}
