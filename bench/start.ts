// npm run bench -- start [--rounds N]
// What a process costs to start with a package loaded from its bundle (kit/package-bundles.ts) against
// loaded as published (SLEEVE_NO_BUNDLES=1), in turns, in the same run: a mount's whole cycle as a user
// runs it (`sleeve mount`, the daemon serving a listing, `sleeve umount`), `sleeve mounts` alone, and a
// process requiring LanceDB with its Arrow (as a scan's embeddings or `sleeve similar` do). CPU is the
// commands' (children waited for) plus the daemon's own, read from /proc before it is stopped.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeWav } from '../tests/fixtures/library.ts';
import { cpuSecondsOf, machine, scanTagsOnly } from './measure.ts';
import { benchTempDir } from './temp-dir.ts';

const SLEEVE_JS = new URL('../app/cli/sleeve.js', import.meta.url).pathname;
const childrenCpu = () => cpuSecondsOf('self').children;

function sleeve(home: string, args: readonly string[], bundles: boolean): string {
  const env = { ...process.env, SLEEVE_NO_BUNDLES: bundles ? '0' : '1' };
  return execFileSync(process.execPath, [SLEEVE_JS, '--home', home, ...args], { env, encoding: 'utf8' });
}

/** One mount's cycle: CPU seconds of the commands and of the daemon. */
function mountCycle(home: string, mnt: string, bundles: boolean): number {
  const before = childrenCpu();
  const said = sleeve(home, ['mount', mnt], bundles);
  const pid = Number(/daemon pid (\d+)/.exec(said)?.[1]);
  readdirSync(join(mnt, 'Bench', 'Start')); // the daemon serves
  const daemon = cpuSecondsOf(pid).own;
  sleeve(home, ['umount', mnt], bundles);
  return childrenCpu() - before + daemon;
}

const SIMILARITY_TABLE = new URL('../app/core/similar/similarity-table.ts', import.meta.url).href;

/** A Node process that requires LanceDB and Arrow (lance()) and ends, its compile cache on as the CLI's. */
function lanceCpu(bundles: boolean): number {
  const before = childrenCpu();
  const probe = `import { enableCompileCache } from 'node:module'; enableCompileCache(process.env.NODE_COMPILE_CACHE); (await import(${JSON.stringify(SIMILARITY_TABLE)})).lance();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
    env: { ...process.env, SLEEVE_NO_BUNDLES: bundles ? '0' : '1' },
  });
  return childrenCpu() - before;
}

function commandCpu(home: string, args: readonly string[], bundles: boolean): number {
  const before = childrenCpu();
  sleeve(home, args, bundles);
  return childrenCpu() - before;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(args: string[]): Promise<void> {
  const i = args.indexOf('--rounds');
  const rounds = Number(i >= 0 ? args[i + 1] : 10);
  execFileSync(process.execPath, [new URL('../app/cli/bundle-packages.ts', import.meta.url).pathname]);
  const dir = benchTempDir('sleeve-bench-start-');
  const music = join(dir, 'music');
  const mnt = join(dir, 'mnt');
  const home = join(dir, 'home');
  mkdirSync(music);
  for (let t = 1; t <= 5; t++) {
    const wav = join(dir, `${t}.wav`);
    makeWav(wav, 300 + 50 * t);
    execFileSync('ffmpeg', ['-v', 'error', '-i', wav, ...tags(t), join(music, `${t}.flac`)]);
  }
  scanTagsOnly(home, music);
  const runs = {
    bundled: { mount: [] as number[], mounts: [] as number[], lance: [] as number[] },
    published: { mount: [] as number[], mounts: [] as number[], lance: [] as number[] },
  };
  // One round of each first, unmeasured: the compile cache then holds both ways' modules.
  for (let r = -1; r < rounds; r++)
    for (const bundles of [true, false]) {
      const mount = mountCycle(home, mnt, bundles);
      const mounts = commandCpu(home, ['mounts'], bundles);
      const lance = lanceCpu(bundles);
      if (r < 0) continue;
      const into = bundles ? runs.bundled : runs.published;
      into.mount.push(mount);
      into.mounts.push(mounts);
      into.lance.push(lance);
    }
  console.log(`start on ${machine()}, ${new Date().toISOString()}: ${rounds} rounds, medians of CPU seconds`);
  const row = (what: string, b: number[], p: number[]) =>
    console.log(
      `  ${what.padEnd(40)} bundled ${median(b).toFixed(3)} s   published ${median(p).toFixed(3)} s   saved ${((1 - median(b) / median(p)) * 100).toFixed(0)} %`,
    );
  row('mount, a listing, umount (3 processes)', runs.bundled.mount, runs.published.mount);
  row('sleeve mounts', runs.bundled.mounts, runs.published.mounts);
  row('LanceDB with its Arrow required', runs.bundled.lance, runs.published.lance);
}

function tags(t: number): string[] {
  const kv = { artist: 'Bench', album_artist: 'Bench', album: 'Start', title: `T${t}`, track: String(t) };
  return Object.entries(kv).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
}
