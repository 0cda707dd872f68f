// npm run bench -- mount-scan [--files 400]
// A player's first scan of the mounted library: mutagen (Picard's and beets' tag library, what
// Navidrome-like scanners do) reading every file's tags over the originals, over Sleeve's mount of them,
// and over libfuse's own passthrough_ll example mounted on the same folder (built from Debian's
// libfuse3-dev examples, or the binary $SLEEVE_PASSTHROUGH_LL names) — cold (page cache emptied, when
// root) and warm, in rounds that take turns, the same library of albums the scan benchmark reads; then the
// same comparison with mpd rescanning its database (bench/mpd.ts), when mpd and mpc are installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { albumLibrary, primerFolder } from './album-library.ts';
import {
  canDropCaches,
  diskReadBytes,
  dropCaches,
  machine,
  percentile,
  scanTagsOnly,
  warm,
} from './measure.ts';
import { type MpdPlayer, mpdInstalled, mpdVersion, startMpd } from './mpd.ts';
import { mountPassthrough, passthroughLl } from './passthrough.ts';

const CLI = join(process.cwd(), 'app', 'cli', 'sleeve.js');

/** Reads the tags of every file under a folder (or of the first files in name order, up to a limit), as a
 *  player's scanner does; prints how many it read. */
const READ_TAGS = `
import os, sys, mutagen
limit = int(sys.argv[2]) if len(sys.argv) > 2 else None
n = seen = 0
for root, dirs, files in os.walk(sys.argv[1]):
    if seen == limit:
        break  # no folder listed past the last file read
    dirs.sort()
    for name in sorted(files)[: None if limit is None else limit - seen]:
        seen += 1
        f = mutagen.File(os.path.join(root, name))
        if f is not None and f.tags is not None:
            n += len(f.tags.keys()) > 0
print(n)
`;

/** Passes over each target, cold and warm: the medians are printed. */
const ROUNDS = 5;

function median(xs: readonly number[]): number {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

/** The machine's cost of waking another process: a byte sent through a pipe and sent back, median µs,
 *  back to back, after 200 µs of work, and after 200 µs of work with both processes on one CPU. Every
 *  request to a mount daemon pays it; waking a CPU that went idle costs most (on a VM, the host must run
 *  it again), and that swings with the host's load, and the mount's ratios with it. */
const PIPE_ROUND_TRIP = `
import os, time
cpu = min(os.sched_getaffinity(0))  # the one CPU both take: one this process may use
r1, w1 = os.pipe(); r2, w2 = os.pipe()
if os.fork() == 0:
    os.close(w1)  # so that the parent's exit ends this loop
    while True:
        b = os.read(r1, 1)
        if not b: break
        if b == b'1': os.sched_setaffinity(0, {cpu})
        os.write(w2, b'x')
    os._exit(0)
for gap, one_cpu in ((0, False), (200e-6, False), (200e-6, True)):
    if one_cpu:
        os.sched_setaffinity(0, {cpu}); os.write(w1, b'1'); os.read(r2, 1)
    ts = []
    for _ in range(1000):
        end = time.perf_counter() + gap
        while time.perf_counter() < end: pass
        t = time.perf_counter(); os.write(w1, b'x'); os.read(r2, 1); ts.append(time.perf_counter() - t)
    print(sorted(ts)[len(ts) // 2] * 1e6)
`;

/** How long an idle CPU of a KVM guest polls before it halts (Linux's default 200 µs; 0: every wake-up of
 *  an idle CPU goes through the host), or nothing when the machine idles otherwise. */
function haltPolling(): string {
  const file = '/sys/module/haltpoll/parameters/guest_halt_poll_ns';
  const governor = '/sys/devices/system/cpu/cpuidle/current_governor_ro';
  if (!existsSync(file) || !existsSync(governor) || readFileSync(governor, 'utf8').trim() !== 'haltpoll')
    return '';
  return `; an idle CPU polls ${Number(readFileSync(file, 'utf8')) / 1000} µs before it halts (guest_halt_poll_ns)`;
}

function wakeUpCost(): string {
  const [busy, idle, oneCpu] = execFileSync('/usr/bin/python3', ['-c', PIPE_ROUND_TRIP])
    .toString()
    .trim()
    .split('\n')
    .map((us) => Number(us).toFixed(0));
  return `${busy} µs back to back, ${idle} µs after 200 µs of work (${oneCpu} µs both on one CPU)${haltPolling()}`;
}

/** mutagen reading the tags under `folder` (its first `limit` files, when given): how long, how many had tags. */
export function readTags(folder: string, limit?: number): { seconds: number; files: number } {
  const t0 = performance.now();
  const limited = limit === undefined ? [] : [String(limit)];
  const out = execFileSync('/usr/bin/python3', ['-c', READ_TAGS, folder, ...limited]).toString();
  return { seconds: (performance.now() - t0) / 1000, files: Number(out) };
}

interface Target {
  readonly name: string;
  readonly folder: string;
  /** Its daemon started anew, remembering nothing of earlier passes (a cold pass is its first scan). */
  restart(): void;
  unmount(): void;
  /** The process serving it now (none for the originals). */
  daemon(): number | undefined;
}

/** The process whose command line holds every one of `parts` (a daemon that forked away from its starter). */
function processWith(...parts: string[]): number | undefined {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (parts.every((p) => cmdline.includes(p))) return Number(pid);
    } catch {} // gone meanwhile
  }
  return undefined;
}

/** How often a process's threads woke up (their context switches) over `ms` of nothing asked of it. */
async function wakeUpsPerSecond(pid: number, ms: number): Promise<number> {
  const switches = () =>
    readdirSync(`/proc/${pid}/task`).reduce((n, task) => {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      return n + [...status.matchAll(/ctxt_switches:\s+(\d+)/g)].reduce((m, x) => m + Number(x[1]), 0);
    }, 0);
  const before = switches();
  await sleep(ms);
  return ((switches() - before) * 1000) / ms;
}

/** The mount points at or under `dir` (/proc/self/mountinfo's fifth field, spaces and the like written
 *  as octal escapes). */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) =>
      (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal) =>
        String.fromCharCode(parseInt(octal, 8)),
      ),
    )
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

/** A folder mounted by `mount()`; `parts` name its daemon's command line. */
function mounted(
  name: string,
  folder: string,
  mount: () => void,
  unmount: () => void,
  ...parts: string[]
): Target {
  mkdirSync(folder, { recursive: true });
  mount();
  return {
    name,
    folder,
    restart: () => {
      unmount();
      mount();
    },
    unmount,
    daemon: () => processWith(...parts),
  };
}

/** The library mounted (the default template: Artist/Album/NN Title, the same files by their tags). */
function sleeveMount(home: string, mnt: string): Target {
  const sleeve = (...args: string[]) =>
    execFileSync(process.execPath, [CLI, '--home', home, ...args, mnt], { stdio: 'ignore' });
  return mounted(
    "Sleeve's mount",
    mnt,
    () => sleeve('mount'),
    () => sleeve('umount'),
    '--home',
    home,
    mnt,
  );
}

function passthroughMount(binary: string, library: string, mnt: string): Target {
  let unmount = () => {};
  const mount = () => {
    unmount = mountPassthrough(binary, library, mnt);
  };
  return mounted('passthrough_ll (libfuse example)', mnt, mount, () => unmount(), binary, mnt);
}

/** A player's scan of a whole folder, timed, and the number of files it read tags of. */
interface Player {
  readonly what: string;
  pass(t: Target): { seconds: number; files: number };
  /** Brings the player's own code back into an emptied page cache, so a cold pass times the library. */
  prime(): void;
}

/** One player over every target, cold then warm, in ROUNDS rounds. Each round passes over every target
 *  in turn (its first target turning), so that a slow moment of the machine falls on the targets alike,
 *  and each target is compared with the originals' pass of the same round. */
function compare(player: Player, targets: readonly Target[], library: string, n: number): void {
  console.log(`\n${player.what}`);
  for (const cache of ['cold', 'warm'] as const) {
    if (cache === 'warm') {
      warm(library); // the originals in the page cache, then each target's files read once
      for (const t of targets) player.pass(t);
    }
    if (cache === 'cold' && !canDropCaches()) {
      console.log('  cold: not measured (emptying the page cache needs root)');
      continue;
    }
    console.log(`  ${cache}: a process waking another (a pipe round trip) takes ${wakeUpCost()} now`);
    const seconds = targets.map(() => [] as number[]);
    const disk = targets.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < targets.length; k++) {
        const i = (round + k) % targets.length;
        // Cold: a daemon's first scan, nothing cached but the player's own code.
        if (cache === 'cold') {
          targets[i]!.restart();
          dropCaches(() => player.prime());
        }
        const before = diskReadBytes();
        const r = player.pass(targets[i]!);
        disk[i]! += diskReadBytes() - before;
        if (r.files !== n) throw new Error(`${targets[i]!.name}: tags of ${r.files} of ${n} files read`);
        seconds[i]!.push(r.seconds);
      }
    }
    targets.forEach((t, i) => {
      const mine = seconds[i]!;
      const ratios = mine.map((x, round) => x / seconds[0]![round]!).sort((a, b) => a - b);
      const range = `rounds ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}×`;
      console.log(
        `  ${cache}  ${t.name.padEnd(34)} ${median(mine).toFixed(2).padStart(6)} s  ${median(ratios).toFixed(2)}× the originals' time (${range})  ${(disk[i]! / ROUNDS / n / 1024).toFixed(0)} KiB from disk a file`,
      );
    });
  }
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { files: { type: 'string', default: '400' } } });
  const n = Number(values.files);
  console.log(`mount-scan benchmark on ${machine()}, ${new Date().toISOString()}`);
  const library = albumLibrary(n);
  const work = mkdtempSync(join(tmpdir(), 'sleeve-bench-mount-scan-'));
  const home = join(work, 'home');
  scanTagsOnly(home, library);
  const primer = primerFolder();
  const originals = {
    name: 'the originals',
    folder: library,
    restart() {},
    unmount() {},
    daemon: () => undefined,
  };
  const targets: Target[] = [originals];
  const mpds: MpdPlayer[] = [];
  try {
    targets.push(sleeveMount(home, join(work, 'sleeve')));
    const pll = passthroughLl();
    if (pll) targets.push(passthroughMount(pll, library, join(work, 'passthrough')));
    else console.log('passthrough_ll: not measured (no libfuse3-dev examples, no $SLEEVE_PASSTHROUGH_LL)');
    compare(
      {
        what: `mutagen reading every file's tags, ${n} files in albums of 10 (3 min each); ${ROUNDS} rounds, each cold pass a mount's first (its daemon started anew) after the page cache was emptied and mutagen read two other files; the medians, and each target's time against the originals' in the same round:`,
        pass: (t) => readTags(t.folder),
        prime: () => void readTags(primer),
      },
      targets,
      library,
      n,
    );
    if (!mpdInstalled()) console.log('\nmpd: not measured (mpd and mpc are not installed)');
    else {
      const byTarget = new Map<Target, MpdPlayer>();
      for (const [i, t] of targets.entries()) {
        const mpd = await startMpd(t.folder, join(work, `mpd-${i}`));
        mpds.push(mpd); // stopped in the end, whatever happens after
        byTarget.set(t, mpd);
      }
      compare(
        {
          what: `mpd (${mpdVersion()}) rescanning its database (\`mpc rescan --wait\`: every file opened, its tags and length read again), the same files; ${ROUNDS} rounds, cold as above; the medians, as above:`,
          pass: (t) => byTarget.get(t)!.rescan(),
          prime: () => {
            for (const m of mpds) m.prime();
          },
        },
        targets,
        library,
        n,
      );
    }
    console.log('goals: cold ≤ 1.5× the originals’ time, warm ≤ 1.2×');
    // An idle mount should cost nothing: the daemon asleep until asked (Sleeve's used to poll SQLite).
    const idle = targets.flatMap((t) => {
      const pid = t.daemon();
      return pid === undefined ? [] : [{ name: t.name, pid }];
    });
    const rates = await Promise.all(idle.map((t) => wakeUpsPerSecond(t.pid, 3000)));
    console.log(
      `\nidle, nothing asked of it for 3 s, each daemon's wake-ups a second: ${idle.map((t, i) => `${t.name} ${rates[i]!.toFixed(1)}`).join(', ')}`,
    );
  } finally {
    await Promise.all(mpds.map((m) => m.stop()));
    for (const t of targets) {
      try {
        t.unmount();
      } catch {} // said below, if it is still mounted
    }
    // Never removed through a mount: passthrough_ll would remove the originals.
    const stillMounted = mountsUnder(work);
    if (stillMounted.length === 0) rmSync(work, { recursive: true, force: true });
    else console.log(`left mounted, and ${work} left in place: ${stillMounted.join(', ')}`);
  }
}
