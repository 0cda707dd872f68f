// Fuzzing: mutated files of every format Sleeve reads go through the real CLI — scan (tags, fingerprint and
// embedding; a process of its own), `ls`, `fingerprint`, `info` (its main() in a thread) — and a mount,
// where every served file is read whole and in a random range. Nothing may crash, hang past a deadline, go unlisted or be rejected without a specific
// reason, and the inputs must come out byte-identical.
//
// Seeded and bounded: SLEEVE_FUZZ_SEED picks the run (default below), SLEEVE_FUZZ_CASES how many mutated
// files (default: a CI-sized run under a minute), SLEEVE_FUZZ_BATCH=N runs batch N alone (a failure names
// it). Every case is made from (seed, batch, index) alone, so a batch reproduces by itself; a failing
// batch's files are also kept in .cache/fuzz-failures/. A long run:
//   SLEEVE_FUZZ_CASES=5000 npx vitest run tests/integration/fuzz.test.ts
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameField } from '../../app/core/mounted/write-back.ts';
import { readMountReport } from '../../app/core/mounts/mount-registry.ts';
import { resolveGenre } from '../../app/core/tags/id3-reader.ts';
import type { NativeTag } from '../../app/core/tags/native.ts';
import { normalizeTags } from '../../app/core/tags/normalize.ts';
import { SCAN_FLAGS } from '../../kit/scan-flags.ts';
import { caseSeed, mutate, Rand } from '../fixtures/fuzz-mutate.ts';
import type { ReadResult } from '../fixtures/fuzz-read-mount.ts';
import { makeSaveOriginals, type SaveCase, saveCase } from '../fixtures/fuzz-saves.ts';
import { type FuzzSeed, makeFuzzSeeds } from '../fixtures/fuzz-seeds.ts';
import { sleeveHere, tempDir } from '../helpers.ts';
import { PY } from '../mount-helpers.ts';

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
const BATCH = 40;
const ONLY = process.env.SLEEVE_FUZZ_BATCH;
const BATCHES = ONLY
  ? [envInt('SLEEVE_FUZZ_BATCH', 0)]
  : Array.from({ length: Math.ceil(CASES / BATCH) }, (_, i) => i);

// Deadlines: generous, only to turn a hang into a failure (no timing is asserted below them).
const SCAN_DEADLINE = 120_000;
const CLI_DEADLINE = 30_000;
const READ_DEADLINE = 120_000;

const CLI = new URL('../../app/cli/sleeve.js', import.meta.url).pathname;
const READER = new URL('../fixtures/fuzz-read-mount.ts', import.meta.url).pathname;
const FAILURES = new URL('../../.cache/fuzz-failures/', import.meta.url).pathname;

/** A reason that betrays a bug rather than describing the file: a JavaScript error caught by a catch-all,
 *  a crashed reader or decoder (a worker process killed by a signal), a stack. What a decoder said ("the
 *  decoder reported: …", FFmpeg's own words) is the file's, not checked here. */
const INTERNAL =
  /internal error(:|$)|reader failed:|decoder failed:|decoder crashed|Cannot read|Cannot access|is not a function|is not iterable|is not defined|\bundefined\b|\bNaN\b|\[object |Maximum call stack|allocation failed|Invalid (typed )?array length|outside the bounds|RangeError|TypeError|ReferenceError|Unexpected token|\n\s+at /;
const betraysBug = (text: string) => INTERNAL.test(text.replace(/the decoder reported: .*/s, ''));

/** Writes `data` over the file at `path` (`size` bytes) as a tagger saving in place does, and closes
 *  it: false when the save went through, true when it was refused (EIO). */
function writeThrough(path: string, data: Buffer, size: number): boolean {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, data, 0, data.length, 0);
    if (data.length < size) ftruncateSync(fd, data.length);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  try {
    closeSync(fd);
    return false;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EIO') throw err;
    return true;
  }
}

/** A reason must say something specific about the file, and nothing that betrays a bug. */
function checkReason(what: string, reason: string | null | undefined, problem: (p: string) => void): void {
  const text = reason ?? '';
  const detail = text.replace(/^[^:]*:\s*/, '');
  if (text.trim().length < 8 || detail.trim().length < 3)
    problem(`${what}: no specific reason: ${JSON.stringify(text)}`);
  else if (betraysBug(text)) problem(`${what}: a reason that betrays a bug: ${JSON.stringify(text)}`);
}
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

/** The real `sleeve` in a process of its own, as the installed command runs (Node given the scan's flags
 *  by its #! line): for the scan of the mutated files, whose exit status and output are checked. */
const sleeve = (home: string, args: readonly string[], deadline = CLI_DEADLINE) =>
  runWithDeadline([...SCAN_FLAGS, CLI, '--home', home, ...args], deadline);

/**
 * A command that reads what the scan stored (ls, fingerprint, info), or starts, lists and stops the
 * mount's daemon (a process of its own either way), run by the CLI's own main() in a thread of this
 * process (sleeveHere): the same output and status, without starting Node for each (≈0.3 s of CPU a
 * command, most of one's here). A hang is still a failure: sleeveHere gives up after its own deadline.
 */
function here(home: string, args: readonly string[]): Run {
  try {
    return { ...sleeveHere(home, args), signal: null, timedOut: false };
  } catch (err) {
    return { status: null, signal: null, stdout: '', stderr: String(err), timedOut: true };
  }
}

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
        // say "internal error" too).
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
      const specific = (what: string, reason: string | null | undefined) =>
        checkReason(what, reason, problem);
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
        const ls = here(home, ['ls', '--all-copies', '--json']);
        // (Not `ls --errors`: it lists the tracks read with a warning too.)
        const lsErrors = here(home, ['ls', '--all-copies', 'status:error', '--json']);
        const ok = (finished('ls', ls) && parse<Item[]>('ls --json', ls.stdout)) || [];
        const errors =
          (finished('ls status:error', lsErrors) &&
            parse<Item[]>('ls status:error --json', lsErrors.stdout)) ||
          [];
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
        const fp = here(home, ['fingerprint', '--json']);
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

        // Tracks whose audio does not decode at all: listed, served to no player.
        const undecodable = new Set<number>();
        // `info` of every file, tracks and errors alike, in one command.
        const items = [...ok, ...errors];
        const infos = here(home, ['info', ...items.map((i) => String(i.id)), '--json']);
        if (items.length > 0 && finished('info', infos)) {
          if (infos.stderr) problem(`info: stderr ${infos.stderr}`);
          const parsed = parse<unknown>('info', infos.stdout);
          const all = (items.length === 1 ? [parsed] : parsed) as Array<
            (Item & { warning: string | null; undecodable: string | null; fields: unknown[] }) | undefined
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
            if (info.undecodable) undecodable.add(item.id);
          });
        }

        // The mount: every track whose audio decodes served, read whole and in a random range without an error, within the
        // deadline, and the daemon still up afterwards.
        // Every file, not one per recording: the seeds' cases are copies of two pieces of music.
        const mount = here(home, ['mount', mnt, '--all-copies']);
        if (finished('mount', mount)) {
          const served = Number(/^mounted (\d+) files at /.exec(mount.stdout)?.[1]);
          const playable = ok.length - undecodable.size;
          if (served !== playable)
            problem(`mount: ${mount.stdout.trim()}, but ${playable} tracks are ok and decode`);
          const mounts = here(home, ['mounts', '--json']);
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
          if (!read.timedOut && results.length !== playable)
            problem(`mount: ${results.length} files served, ${playable} tracks are ok and decode`);
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
        const umount = here(home, ['umount', mnt]);
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

// Saves through a mount: MP3, WAV and AIFF files whose tag a tagger rewrote, then damaged (mutated inside
// the tag, or torn part way: fuzz-saves.ts). Every save is refused with its reason (EIO, the library as
// it was) or taken in as exactly what mutagen, Picard's tag library, reads from the same bytes — and a
// rewrite left whole is taken in. SLEEVE_FUZZ_SAVES sets how many (default: a few seconds' worth).
const SAVES = envInt('SLEEVE_FUZZ_SAVES', 60);
const MUTAGEN_ID3 = new URL('../fixtures/mutagen-id3.py', import.meta.url).pathname;

/** The frames mutagen read (mutagen-id3.py), as Sleeve's ID3 reader would have given them. */
interface MutagenFrame {
  id: string;
  desc?: string;
  lang?: string;
  values?: string[];
  owner?: string;
  data?: string;
  type?: number;
  sha256?: string;
}

function mutagenNative(frames: readonly MutagenFrame[]): NativeTag[] {
  return frames.flatMap((f): NativeTag[] => {
    const values = f.values ?? [];
    if (f.id === 'TXXX') return values.map((v) => ({ id: `TXXX:${f.desc}`, value: v }));
    if (f.id === 'COMM' || f.id === 'USLT')
      return values.map((text) => ({ id: f.id, value: { language: f.lang, descriptor: f.desc, text } }));
    if (f.id === 'UFID')
      return [
        { id: 'UFID', value: { owner_identifier: f.owner, identifier: Buffer.from(f.data!, 'latin1') } },
      ];
    if (f.id === 'WOAR') return values.map((v) => ({ id: f.id, value: v }));
    if (f.id === 'TCON' || f.id === 'TCO')
      return values.flatMap((v) => resolveGenre(v).map((g) => ({ id: f.id, value: g })));
    if (f.id.startsWith('T')) return values.map((v) => ({ id: f.id, value: v }));
    return []; // frames Sleeve does not read
  });
}

type FieldMap = Map<string, string[]>;
const fieldMap = (fields: ReadonlyArray<{ key: string; effective: string[] }>): FieldMap =>
  new Map(fields.filter((f) => f.effective.length > 0).map((f) => [f.key.toLowerCase(), f.effective]));
const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

describe(`fuzz: ${SAVES} damaged ID3 saves through a mount, seed ${SEED}`, () => {
  it('refuses each with its reason and the library unchanged, or reads it as mutagen does', async () => {
    const dir = tempDir('fuzz-saves-');
    const [music, home, mnt, written] = ['music', 'home', 'mnt', 'written'].map((d) => join(dir, d)) as [
      string,
      string,
      string,
      string,
    ];
    for (const d of [music, mnt, written]) mkdirSync(d);
    const { originals, jpeg } = makeSaveOriginals(dir, Math.ceil(SAVES / 3));
    for (const o of originals) writeFileSync(join(music, o.name), o.data);
    const problems: string[] = [];
    const problem = (what: string) => problems.push(what);
    const reasons = new Map<string, number>();
    const cases: Array<SaveCase & { name: string; served: string; refused: boolean }> = [];
    try {
      const scan = here(home, ['scan', '--no-fingerprint', '--no-embeddings', music]);
      expect(scan.status, scan.stderr).toBe(0);
      const items = JSON.parse(here(home, ['ls', '--json']).stdout) as Item[];
      const idOf = new Map(items.map((i) => [basename(i.path), i.id]));
      const ids = originals.map((o) => idOf.get(o.name)!);
      const infos = () => {
        const r = here(home, ['info', ...ids.map(String), '--json']);
        return JSON.parse(r.stdout) as Array<{
          fields: Array<{ key: string; effective: string[] }>;
          art: Array<{ hash: string; type: number }>;
        }>;
      };
      const before = infos();
      // One folder, every path independent of the tags (collisions numbered in file order), so a save
      // that retitles a file moves none; each served file is told apart by the title it carries.
      expect(here(home, ['mount', mnt, '--template', 'fuzz']).status).toBe(0);
      const servedAt = new Map<number, string>();
      for (const name of readdirSync(mnt)) {
        const bytes = readFileSync(join(mnt, name));
        const n = originals.findIndex((o) => bytes.includes(Buffer.from(o.title)));
        if (n >= 0) servedAt.set(n, name);
      }
      expect(servedAt.size).toBe(originals.length);

      for (const [n, o] of originals.entries()) {
        const name = servedAt.get(n)!;
        const path = join(mnt, name);
        const served = readFileSync(path);
        const c = saveCase(served, new Rand(caseSeed(SEED, -2, n)), n, jpeg);
        writeFileSync(join(written, `${n}${extname(o.name)}`), c.data);
        const refused = writeThrough(path, c.data, served.length);
        cases.push({ ...c, name: o.name, served: name, refused });
      }
      const after = infos();
      const log = readFileSync(JSON.parse(here(home, ['mounts', '--json']).stdout)[0].log as string, 'utf8');
      const oracle = spawnSync(PY, [MUTAGEN_ID3], {
        input: cases.map((_, n) => `${join(written, `${n}${extname(cases[n]!.name)}`)}\n`).join(''),
        encoding: 'utf8',
      });
      expect(oracle.stderr).toBe('');
      const read = oracle.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { frames?: MutagenFrame[] | null; error?: string });

      for (const [n, c] of cases.entries()) {
        const what = `${c.name} (${c.steps.join('; ')})`;
        const [was, now] = [fieldMap(before[n]!.fields), fieldMap(after[n]!.fields)];
        const art = (a: Array<{ hash: string; type: number }>) => a.map((p) => `${p.hash} ${p.type}`);
        if (c.refused) {
          if (c.valid) problem(`${what}: a valid save was refused`);
          const line = log.split('\n').find((l) => l.includes(`EIO /${c.served}: write rejected`));
          const reason = line?.replace(/^.*?write rejected, nothing changed: /, '');
          if (reason === undefined) problem(`${what}: refused without a reason in the daemon's log`);
          else {
            checkReason(what, reason, problem);
            const kind = reason.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"');
            reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
          }
          if (
            JSON.stringify([...now]) !== JSON.stringify([...was]) ||
            !same(art(after[n]!.art), art(before[n]!.art))
          )
            problem(`${what}: refused, but the library changed`);
          continue;
        }
        const m = read[n]!;
        if (m.error) {
          problem(`${what}: taken in, but mutagen cannot read it: ${m.error}`);
          continue;
        }
        const frames = m.frames ?? [];
        const theirs = new Map(
          normalizeTags({ 'ID3v2.4': mutagenNative(frames) }).map(([k, v]) => [k.toLowerCase(), v]),
        );
        for (const key of new Set([...now.keys(), ...theirs.keys()])) {
          const mine = now.get(key) ?? [];
          const expected = theirs.get(key) ?? [];
          const kept = was.get(key) ?? [];
          // As write-back compares: ID3v2.3's rendering of the served values is no change.
          if (same(mine, expected) || (same(mine, kept) && sameField(key, kept, expected))) continue;
          problem(
            `${what}: ${key} is ${JSON.stringify(mine)} where mutagen reads ${JSON.stringify(expected)}`,
          );
        }
        const pictures = [
          ...new Map(
            frames.filter((f) => f.id === 'APIC').map((f) => [f.sha256, `${f.sha256} ${f.type}`]),
          ).values(),
        ];
        if (!same(art(after[n]!.art), pictures))
          problem(
            `${what}: art ${JSON.stringify(art(after[n]!.art))} where mutagen reads ${JSON.stringify(pictures)}`,
          );
      }
      const refused = cases.filter((c) => c.refused).length;
      const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10);
      console.log(
        `fuzz saves, seed ${SEED}: ${cases.length} saves, ${refused} refused, ${cases.length - refused} taken in; ` +
          `the most common reasons:\n${top.map(([r, k]) => `  ${k}× ${r}`).join('\n')}`,
      );
    } finally {
      const umount = here(home, ['umount', mnt]);
      if (umount.status !== 0) spawnSync('fusermount3', ['-uz', mnt], { timeout: CLI_DEADLINE });
    }
    for (const o of originals)
      if (!readFileSync(join(music, o.name)).equals(o.data)) problem(`${o.name}: changed on disk`);
    if (problems.length > 0) {
      const kept = join(FAILURES, `seed-${SEED}-saves`);
      rmSync(kept, { recursive: true, force: true });
      mkdirSync(kept, { recursive: true });
      for (const [n, c] of cases.entries()) writeFileSync(join(kept, `${n}-${c.name}`), c.data);
      writeFileSync(
        join(kept, 'manifest.json'),
        `${JSON.stringify(
          cases.map((c, n) => ({ file: `${n}-${c.name}`, steps: c.steps })),
          null,
          2,
        )}\n`,
      );
      expect.fail(
        `${problems.length} problem(s) in the saves of seed ${SEED}:\n${problems.map((p) => `- ${p}`).join('\n')}\n` +
          `reproduce: SLEEVE_FUZZ_SEED=${SEED} SLEEVE_FUZZ_SAVES=${SAVES} npx vitest run tests/integration/fuzz.test.ts -t saves\n` +
          `the written files are kept in ${kept}`,
      );
    }
  }, 300_000);
});
