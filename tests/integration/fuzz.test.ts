// Fuzzing: mutated files of every format Sleeve reads go through the real CLI — scan (tags, fingerprint and
// embedding), `ls`, `fingerprint`, `info` — and a mount, where every served file is read whole and in a
// random range. Nothing may crash, hang past a deadline, go unlisted or be rejected without a specific
// reason, and the inputs must come out byte-identical.
//
// Seeded and bounded: SLEEVE_FUZZ_SEED picks the run (default below), SLEEVE_FUZZ_CASES how many mutated
// files (default: a CI-sized run under a minute), SLEEVE_FUZZ_BATCH=N runs batch N alone (a failure names
// it). Every case is made from (seed, batch, index) alone, so a batch reproduces by itself; a failing
// batch's files are also kept in .cache/fuzz-failures/. A long run:
//   SLEEVE_FUZZ_CASES=5000 npx vitest run tests/integration/fuzz.test.ts
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { caseSeed, mutate, Rand } from '../fixtures/fuzz-mutate.ts';
import type { ReadResult } from '../fixtures/fuzz-read-mount.ts';
import { type FuzzSeed, makeFuzzSeeds } from '../fixtures/fuzz-seeds.ts';
import { tempDir } from '../helpers.ts';

const envInt = (name: string, fallback: number) => {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${text}`);
  return n;
};

const SEED = envInt('SLEEVE_FUZZ_SEED', 21);
const CASES = envInt('SLEEVE_FUZZ_CASES', 120);
/** Files per batch: each batch is one folder, one home, one scan and one mount. */
const BATCH = 30;
const ONLY = process.env.SLEEVE_FUZZ_BATCH;
const BATCHES = ONLY
  ? [envInt('SLEEVE_FUZZ_BATCH', 0)]
  : Array.from({ length: Math.ceil(CASES / BATCH) }, (_, i) => i);

// Deadlines: generous, only to turn a hang into a failure (no timing is asserted below them).
const SCAN_DEADLINE = 120_000;
const CLI_DEADLINE = 30_000;
const MOUNT_DEADLINE = 60_000;
const READ_DEADLINE = 120_000;

const CLI = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
const READER = new URL('../fixtures/fuzz-read-mount.ts', import.meta.url).pathname;
const FAILURES = new URL('../../.cache/fuzz-failures/', import.meta.url).pathname;

/** A reason that betrays a bug rather than describing the file: a JavaScript error caught by a catch-all,
 *  a crashed reader or decoder, a stack, a trap in one of Sleeve's own WebAssembly decoders (codecs/*.c;
 *  npm's libopus traps on some damaged packets, which Sleeve reports as that decoder's failure). What a
 *  decoder printed ("the decoder reported: …", FFmpeg's own words) is the file's, not checked here. */
const INTERNAL =
  /internal error(:|$)|reader failed:|decoder failed:|decoder crashed|the (flac|mp3|ogg-vorbis) decoder failed on this data|Cannot read|Cannot access|is not a function|is not iterable|is not defined|\bundefined\b|\bNaN\b|\[object |Maximum call stack|allocation failed|Invalid (typed )?array length|outside the bounds|RangeError|TypeError|ReferenceError|Unexpected token|\n\s+at /;
const betraysBug = (text: string) => INTERNAL.test(text.replace(/the decoder reported: .*/s, ''));
const AUDIO_EXTENSIONS = ['.flac', '.mp3', '.ogg', '.opus', '.m4a', '.wav', '.aiff', '.wv', '.mp2'];

interface Case {
  readonly file: string;
  readonly seed: string;
  readonly steps: readonly string[];
  readonly data: Buffer;
}

interface Item {
  id: number;
  path: string;
  status: string;
  error?: string;
  duration: number | null;
  bitrate: number | null;
  sampleRate: number | null;
}

interface Run {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** A child process with a deadline: killed (SIGKILL) when it passes. */
function runWithDeadline(args: readonly string[], deadline: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, deadline);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({
        status,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

const sleeve = (home: string, args: readonly string[], deadline = CLI_DEADLINE) =>
  runWithDeadline([CLI, '--home', home, ...args], deadline);

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The cases of batch `batch`: every seed in turn, mutated; most keep their extension. */
function makeCases(seeds: readonly FuzzSeed[], batch: number, count: number): Case[] {
  return Array.from({ length: count }, (_, i) => {
    const r = new Rand(caseSeed(SEED, batch, i));
    const seed = seeds[i % seeds.length]!;
    const { data, steps } = mutate(seed.data, r);
    const roll = r.float();
    const ext = roll < 0.9 ? seed.ext : roll < 0.95 ? r.pick(AUDIO_EXTENSIONS) : '';
    return { file: `${String(i).padStart(2, '0')}-${seed.name}${ext}`, seed: seed.name, steps, data };
  });
}

describe(`fuzz: ${CASES} mutated files, seed ${SEED}`, () => {
  let seeds: FuzzSeed[];
  const tally = { cases: 0, ok: 0, errors: 0, notAudio: 0, fingerprinted: 0, served: 0, seconds: 0 };
  const reasons = new Map<string, number>();

  beforeAll(() => {
    seeds = makeFuzzSeeds(tempDir('fuzz-seeds-'));
  });

  afterAll(() => {
    const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12);
    console.log(
      `fuzz seed ${SEED}: ${tally.cases} cases in ${tally.seconds.toFixed(1)} s — ${tally.ok} ok (${tally.served} served and read, ` +
        `${tally.fingerprinted} fingerprinted), ${tally.errors} errors, ${tally.notAudio} extensionless non-audio ignored; ` +
        `${reasons.size} distinct reasons, most common:\n${top.map(([r, n]) => `  ${n}× ${r}`).join('\n')}`,
    );
  });

  for (const batch of BATCHES) {
    const count = Math.min(BATCH, Math.max(0, CASES - batch * BATCH)) || BATCH;
    it(`batch ${batch}: ${count} files through scan, ls, fingerprint, info and the mount`, async () => {
      const started = performance.now();
      const cases = makeCases(seeds, batch, count);
      const dir = tempDir('fuzz-');
      const music = join(dir, 'music');
      const home = join(dir, 'home');
      const mnt = join(dir, 'mnt');
      mkdirSync(music);
      mkdirSync(mnt);
      for (const c of cases) writeFileSync(join(music, c.file), c.data);
      const before = cases.map((c) => sha256(readFileSync(join(music, c.file))));

      const problems: string[] = [];
      const problem = (what: string) => problems.push(what);
      const byPath = new Map(cases.map((c) => [join(music, c.file), c]));
      const nameOf = (path: string) => byPath.get(path)?.file ?? path;
      /** The reasons a command's outcome is a failure: a deadline passed, a signal, an unexpected status. */
      const finished = (what: string, r: Run, statuses: readonly number[] = [0]) => {
        if (r.timedOut) problem(`${what}: still running at its deadline (killed)`);
        else if (r.status === null || !statuses.includes(r.status))
          problem(`${what}: exit ${r.status ?? r.signal}: ${r.stderr.slice(0, 2000)}`);
        // The CLI's words for an exception it did not expect (a decoder's message quoted in a warning may
        // say "internal error" too: libopus's OPUS_INTERNAL_ERROR).
        if (/sleeve: internal error/.test(r.stderr)) problem(`${what}: ${r.stderr.slice(0, 2000)}`);
        return !r.timedOut && r.status !== null && statuses.includes(r.status);
      };
      const parse = <T>(what: string, text: string): T | undefined => {
        try {
          return JSON.parse(text) as T;
        } catch {
          problem(`${what}: output is not JSON: ${text.slice(0, 500)}`);
          return undefined;
        }
      };
      const specific = (what: string, reason: string | null | undefined) => {
        const text = reason ?? '';
        const detail = text.replace(/^[^:]*:\s*/, '');
        if (text.trim().length < 8 || detail.trim().length < 3)
          problem(`${what}: no specific reason: ${JSON.stringify(text)}`);
        else if (betraysBug(text)) problem(`${what}: a reason that betrays a bug: ${JSON.stringify(text)}`);
      };
      let daemonLog: string | undefined;

      try {
        // Scan: tags, fingerprints and embeddings. Exit 0 however bad the files; JSON lines only.
        const scan = await sleeve(home, ['scan', '--json', music], SCAN_DEADLINE);
        if (finished('scan', scan)) {
          const summary = parse<{ folderErrors: unknown[]; interrupted: boolean; missing: number }>(
            'scan stdout',
            scan.stdout,
          );
          if (summary && (summary.folderErrors.length > 0 || summary.interrupted || summary.missing > 0))
            problem(`scan: unexpected summary ${scan.stdout}`);
          for (const line of scan.stderr.split('\n').filter(Boolean)) {
            const event = parse<{ event?: string; message?: string }>('scan stderr line', line);
            if (event && event.event !== 'progress' && event.event !== 'warning')
              problem(`scan: unexpected event ${line}`);
            if (event?.message && betraysBug(event.message)) problem(`scan: warning betrays a bug: ${line}`);
          }
        }

        // Every file is listed once: ok, or an error with a specific reason (a file without an extension may
        // also be ignored as not audio, as a stray README is).
        const ls = await sleeve(home, ['ls', '--json']);
        const lsErrors = await sleeve(home, ['ls', '--errors', '--json']);
        const ok = (finished('ls', ls) && parse<Item[]>('ls --json', ls.stdout)) || [];
        const errors =
          (finished('ls --errors', lsErrors) && parse<Item[]>('ls --errors --json', lsErrors.stdout)) || [];
        if (ls.stderr || lsErrors.stderr) problem(`ls: stderr ${ls.stderr}${lsErrors.stderr}`);
        const listed = new Map<string, Item>();
        for (const item of [...ok, ...errors]) {
          if (listed.has(item.path)) problem(`${nameOf(item.path)}: listed twice`);
          if (!byPath.has(item.path)) problem(`${item.path}: listed, but not a file of this batch`);
          listed.set(item.path, item);
        }
        for (const c of cases) {
          const item = listed.get(join(music, c.file));
          if (!item) {
            if (extname(c.file) === '') tally.notAudio++;
            else problem(`${c.file}: not listed, neither as a track nor as an error`);
            continue;
          }
          if (item.status === 'error') {
            specific(`${c.file}: error`, item.error);
            reasons.set(item.error ?? '', (reasons.get(item.error ?? '') ?? 0) + 1);
          } else if (item.status !== 'ok') problem(`${c.file}: status ${item.status}`);
          const bad = (v: number | null, min: number, max: number) => v !== null && !(v >= min && v <= max);
          if (
            bad(item.duration, 0, 7 * 24 * 3600) ||
            bad(item.sampleRate, 1, 768_000) ||
            bad(item.bitrate, 1, 1e8)
          )
            problem(`${c.file}: impossible numbers listed: ${JSON.stringify(item)}`);
        }
        tally.cases += cases.length;
        tally.ok += ok.length;
        tally.errors += errors.length;

        // Fingerprints: every track has one, or the reason it has none.
        const fp = await sleeve(home, ['fingerprint', '--json']);
        if (finished('fingerprint', fp, [0, 1])) {
          const entries = parse<Array<{ id: number; status: string; fingerprint?: string; error?: string }>>(
            'fingerprint --json',
            fp.stdout,
          );
          const byId = new Map((entries ?? []).map((e) => [e.id, e]));
          for (const item of ok) {
            const e = byId.get(item.id);
            if (!e) problem(`${nameOf(item.path)}: no fingerprint entry`);
            else if (e.fingerprint) tally.fingerprinted++;
            else specific(`${nameOf(item.path)}: not fingerprinted`, e.error);
          }
        }

        // `info` of every file, tracks and errors alike, in one command.
        const items = [...ok, ...errors];
        const infos = await sleeve(home, ['info', ...items.map((i) => String(i.id)), '--json']);
        if (items.length > 0 && finished('info', infos)) {
          if (infos.stderr) problem(`info: stderr ${infos.stderr}`);
          const parsed = parse<unknown>('info', infos.stdout);
          const all = (items.length === 1 ? [parsed] : parsed) as Array<
            (Item & { warning: string | null; fields: unknown[] }) | undefined
          >;
          items.forEach((item, i) => {
            const info = all?.[i];
            const what = `${nameOf(item.path)}: info ${item.id}`;
            if (!info) {
              problem(`${what}: missing from the answer`);
              return;
            }
            if (info.id !== item.id || info.status !== item.status || info.error !== item.error)
              problem(
                `${what}: says ${info.status} ${info.error ?? ''}, ls said ${item.status} ${item.error ?? ''}`,
              );
            if (!Array.isArray(info.fields)) problem(`${what}: no fields`);
            if (info.warning !== null) specific(`${what}: warning`, info.warning);
          });
        }

        // The mount: every track served, read whole and in a random range without an error, within the
        // deadline, and the daemon still up afterwards.
        const mount = await sleeve(home, ['mount', mnt], MOUNT_DEADLINE);
        if (finished('mount', mount)) {
          const served = Number(/^mounted (\d+) files at /.exec(mount.stdout)?.[1]);
          if (served !== ok.length) problem(`mount: ${mount.stdout.trim()}, but ${ok.length} tracks are ok`);
          const mounts = await sleeve(home, ['mounts', '--json']);
          const pid = finished('mounts', mounts)
            ? parse<Array<{ pid: number; log: string | null }>>('mounts', mounts.stdout)?.[0]
            : undefined;
          const read = await runWithDeadline([READER, mnt, String(caseSeed(SEED, batch, -1))], READ_DEADLINE);
          // A reader killed at the deadline may leave half a line.
          const lines = read.stdout.split('\n').flatMap((l) => {
            try {
              return [JSON.parse(l) as ReadResult & { reading?: string }];
            } catch {
              return [];
            }
          });
          if (read.timedOut)
            problem(`mount: reading ${lines.at(-1)?.reading ?? 'the listing'} still hung at the deadline`);
          else if (read.status !== 0)
            problem(`mount: the reader failed (${read.status}): ${read.stderr.slice(0, 2000)}`);
          const results = lines.filter((l) => l.reading === undefined);
          if (!read.timedOut && results.length !== ok.length)
            problem(`mount: ${results.length} files served, ${ok.length} tracks are ok`);
          for (const res of results) {
            if (res.error) problem(`mount: ${res.path}: ${res.error}`);
            else if (res.read !== res.size)
              problem(`mount: ${res.path}: read ${res.read} bytes of ${res.size}`);
            else if (!res.rangeMatches)
              problem(`mount: ${res.path}: a range read differs from the whole read`);
            else tally.served++;
          }
          if (pid) {
            daemonLog = pid.log ? readFileSync(pid.log, 'utf8') : undefined;
            try {
              process.kill(pid.pid, 0);
            } catch {
              problem(`mount: the daemon (pid ${pid.pid}) is gone`);
            }
          } else problem('mount: not listed by sleeve mounts');
          const report = readMountReport(home, mnt);
          if (report && report.problems.length > 0)
            problem(`mount: the daemon reports ${report.problems.join('; ')}`);
          if (daemonLog && INTERNAL.test(daemonLog))
            problem(`mount: the daemon's log shows a bug:\n${daemonLog.slice(-3000)}`);
        }
      } finally {
        const umount = await sleeve(home, ['umount', mnt]);
        if (umount.status !== 0) {
          spawnSync('fusermount3', ['-uz', mnt], { timeout: CLI_DEADLINE });
          if (!/is not mounted/.test(umount.stderr))
            problem(`umount: exit ${umount.status}: ${umount.stderr}`);
        }
      }

      // Sleeve never writes a file it reads.
      cases.forEach((c, i) => {
        if (sha256(readFileSync(join(music, c.file))) !== before[i]) problem(`${c.file}: changed on disk`);
      });
      tally.seconds += (performance.now() - started) / 1000;

      if (problems.length > 0) {
        const kept = join(FAILURES, `seed-${SEED}-batch-${batch}`);
        rmSync(kept, { recursive: true, force: true });
        mkdirSync(kept, { recursive: true });
        for (const c of cases) copyFileSync(join(music, c.file), join(kept, c.file));
        const manifest = cases.map((c) => ({
          file: c.file,
          seed: c.seed,
          sha256: sha256(c.data),
          steps: c.steps,
        }));
        writeFileSync(join(kept, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
        if (daemonLog !== undefined) writeFileSync(join(kept, 'daemon.log'), daemonLog);
        const steps = cases.map((c) => `  ${c.file}: ${c.steps.join('; ')}`).join('\n');
        expect.fail(
          `${problems.length} problem(s) in batch ${batch} of seed ${SEED}:\n${problems.map((p) => `- ${p}`).join('\n')}\n` +
            `reproduce: SLEEVE_FUZZ_SEED=${SEED} SLEEVE_FUZZ_CASES=${CASES} SLEEVE_FUZZ_BATCH=${batch} npx vitest run tests/integration/fuzz.test.ts\n` +
            `the files are kept in ${kept}; the mutations:\n${steps}`,
        );
      }
    }, 900_000);
  }
});
